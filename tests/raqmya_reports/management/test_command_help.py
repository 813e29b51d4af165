"""The ``--help`` of every raqmya_* command, in French, Arabic and English, in process and from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import load_command_class
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]

# A phrase of each command's description, in each language the devstack offers.
DESCRIPTIONS = {
    "raqmya_export": {
        "fr": "Écrit un rapport du programme en CSV, XLSX ou JSON.",
        "ar": "يكتب تقريرا للبرنامج بصيغة CSV أو XLSX أو JSON.",
        "en": "Write a programme report as CSV, XLSX or JSON.",
    },
    "raqmya_import_catalogue": {
        "fr": "Crée ou met à jour le catalogue du programme",
        "ar": "ينشئ فهرس البرنامج أو يحدثه",
        "en": "Create or update the programme catalogue",
    },
    "raqmya_import_tracking_log": {
        "fr": "Enregistre les inscriptions, leurs modes",
        "ar": "يسجل التسجيلات وأنماطها",
        "en": "Record enrollments, enrollment modes",
    },
    "raqmya_load_reference_data": {
        "fr": "Recharge les régions et préfectures/provinces du Maroc",
        "ar": "يعيد تحميل جهات المغرب",
        "en": "Reload Morocco's regions and prefectures/provinces",
    },
    "raqmya_reconcile": {
        "fr": "Rejoue les événements de la plateforme",
        "ar": "يعيد تنفيذ أحداث المنصة",
        "en": "Replay the platform events",
    },
}


def _help(name: str, language: str) -> str:
    with translation.override(language):
        command = load_command_class("raqmya_reports", name)
        return command.create_parser("manage.py", name).format_help()


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("name", sorted(DESCRIPTIONS))
def test_command_help_describes_command_in_language(name, language):
    text = " ".join(_help(name, language).split())
    assert DESCRIPTIONS[name][language] in text


def test_command_help_covers_every_raqmya_command():
    commands = ROOT / "raqmya_reports" / "management" / "commands"
    names = {path.stem for path in commands.glob("raqmya_*.py")}
    assert names == set(DESCRIPTIONS)


def test_export_help_from_manage_py_prints_description():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "devstack.settings.lms"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "devstack" / "manage.py"), "raqmya_export", "--help"],
        capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Écrit un rapport du programme en CSV, XLSX ou JSON." in " ".join(result.stdout.split())
    assert "Traceback" not in result.stderr
