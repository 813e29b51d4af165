"""What ``raqmya_import_tracking_log`` shows on a terminal: translated sentences only, the English log kept back."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

CORRUPT_LOG = '{"event_type": "edx.course.enrollment.activated", "context": {"user_id"\n'


@pytest.fixture(name="terminal")
def fixture_terminal():
    """Stand for the devstack's console handler on the ``raqmya_reports`` logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("raqmya_reports")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def _import(path, *options):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("fr"):
        call_command("raqmya_import_tracking_log", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_translated_sentences(tmp_path, terminal):
    path = tmp_path / "tracking.log"
    path.write_text(CORRUPT_LOG, encoding="utf-8")
    out, err = _import(path)
    assert terminal.getvalue() == ""
    assert err == ""
    assert "{" not in out
    # French typography puts a no-break space before a colon.
    lines = out.replace("\u00a0", " ").splitlines()
    assert lines[0] == "Lignes lues : 1"
    assert lines[-1] == (
        "Le journal donne le fichier et le numéro de chaque ligne invalide ou utilisateur inconnu : "
        "ajoutez --verbosity 2 pour l’afficher ici."
    )


def test_import_shows_log_lines_at_verbosity_2(tmp_path, terminal):
    path = tmp_path / "tracking.log"
    path.write_text(CORRUPT_LOG, encoding="utf-8")
    _import(path, "--verbosity", "2")
    assert f"{path} line 1 is invalid" in terminal.getvalue()
