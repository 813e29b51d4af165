"""Tests of ``raqmya_export``: the summary in JSON and CSV, the byte order mark, neutralised cells and bad input."""

import csv
import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.registry.models import Region
from tests.raqmya_reports.reports.builders import build_programme

pytestmark = pytest.mark.django_db

CSV_HEADER = [
    "breakdown", "key", "label", "registered", "enrolled", "ever_enrolled", "active", "completed", "certified",
]


def _export(*args):
    stdout = io.StringIO()
    call_command("raqmya_export", *args, stdout=stdout)
    return stdout.getvalue()


def _csv_rows(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_summary_json_totals():
    build_programme()
    data = json.loads(_export("summary", "--format", "json", "--year", "2026"))
    assert data["report"] == "summary"
    assert data["filters"]["year"] == 2026
    assert data["target"] == 12500
    assert data["totals"] == {
        "registered": 5, "enrolled": 3, "ever_enrolled": 4, "active": 0, "completed": 3, "certified": 0,
    }


def test_export_summary_json_by_region():
    build_programme()
    data = json.loads(_export("summary", "--format", "json", "--year", "2026"))
    casablanca = next(row for row in data["by_region"] if row["key"] == "MA-06")
    assert casablanca == {
        "key": "MA-06",
        "name_fr": "Casablanca-Settat",
        "name_ar": "الدار البيضاء - سطات",
        "registered": 2,
        "enrolled": 1,
        "ever_enrolled": 2,
        "active": 0,
        "completed": 1,
        "certified": 0,
    }


def test_export_summary_json_keeps_arabic_unescaped():
    text = _export("summary", "--format", "json", "--year", "2026")
    assert "الدار البيضاء - سطات" in text
    assert "\\u" not in text


def test_export_summary_json_is_default_format():
    data = json.loads(_export("summary", "--year", "2026"))
    assert data["filters"]["year"] == 2026


def test_export_summary_csv_header_and_total():
    build_programme()
    rows = _csv_rows(_export("summary", "--format", "csv", "--year", "2026"))
    assert rows[0] == CSV_HEADER
    assert rows[1] == ["total", "all", "Tous les bénéficiaires", "5", "3", "4", "0", "3", "0"]


def test_export_summary_csv_rows():
    build_programme()
    rows = _csv_rows(_export("summary", "--format", "csv", "--year", "2026"))
    assert rows[2] == ["track", "perfectionnement", "Perfectionnement digital", "3", "2", "2", "0", "2", "0"]
    assert rows[3] == ["track", "acculturation", "Acculturation digitale", "2", "1", "2", "0", "1", "0"]
    assert rows[9] == ["region", "MA-06", "Casablanca-Settat", "2", "1", "2", "0", "1", "0"]
    assert len(rows) == 1 + 1 + 2 + 12


def test_export_summary_csv_in_arabic():
    build_programme()
    rows = _csv_rows(_export("summary", "--format", "csv", "--year", "2026", "--language", "ar"))
    assert rows[3] == ["track", "acculturation", "التثقيف الرقمي", "2", "1", "2", "0", "1", "0"]
    assert rows[9] == ["region", "MA-06", "الدار البيضاء - سطات", "2", "1", "2", "0", "1", "0"]


def test_export_summary_csv_neutralises_formula_in_name():
    Region.objects.filter(code="MA-12").update(name_fr='=HYPERLINK("http://x.test","y")')
    rows = _csv_rows(_export("summary", "--format", "csv", "--year", "2026"))
    assert rows[-1][2] == '\'=HYPERLINK("http://x.test","y")'


def test_export_summary_csv_to_file_has_bom(tmp_path):
    build_programme()
    output = tmp_path / "summary.csv"
    _export("summary", "--format", "csv", "--year", "2026", "--output", str(output))
    content = output.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == ["total", "all", "Tous les bénéficiaires", "5", "3", "4", "0", "3", "0"]


def test_export_summary_json_to_file(tmp_path):
    output = tmp_path / "summary.json"
    stdout = _export("summary", "--year", "2026", "--output", str(output))
    assert stdout == ""
    assert json.loads(output.read_text(encoding="utf-8"))["filters"]["year"] == 2026


# Messages are in LANGUAGE_CODE, French, like the rest of the command's output; a no-break space may precede a colon.
def test_export_unknown_report_names_accepted():
    accepted = (
        "summary, tracks, regions, provinces, sectors, genders, age_bands, phases, cohorts, months, days, "
        "funnel, courses, competences, items, learners"
    )
    with pytest.raises(CommandError, match=rf"Rapport inconnu 'quiz'[ \u00a0]: choisissez l’un de {accepted}\."):
        _export("quiz")


def test_export_unknown_format_names_accepted():
    with pytest.raises(CommandError, match=r"Format inconnu 'xml'[ \u00a0]: choisissez l’un de json, csv, xlsx\."):
        _export("summary", "--format", "xml")


def test_export_unknown_language_names_accepted():
    with pytest.raises(CommandError, match=r"Langue inconnue 'de'[ \u00a0]: choisissez l’une de fr, ar, en\."):
        _export("summary", "--language", "de")


def test_export_invalid_year_names_value():
    with pytest.raises(CommandError, match="1999"):
        _export("summary", "--year", "1999")


def test_export_missing_folder_names_path(tmp_path):
    output = tmp_path / "absent" / "summary.csv"
    with pytest.raises(CommandError, match="absent"):
        _export("summary", "--output", str(output))


def test_export_failure_keeps_existing_file(tmp_path, settings):
    output = tmp_path / "summary.json"
    output.write_text("previous export", encoding="utf-8")
    settings.RAQMYA_YEARLY_TARGET = 0
    with pytest.raises(CommandError, match="Invalid RAQMYA_YEARLY_TARGET 0"):
        _export("summary", "--output", str(output))
    assert output.read_text(encoding="utf-8") == "previous export"
    assert [path.name for path in tmp_path.iterdir()] == ["summary.json"]


def _export_with_stderr(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("raqmya_export", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_export_missing_folder_audits_nothing(tmp_path):
    output = tmp_path / "absent" / "summary.csv"
    with pytest.raises(CommandError) as raised:
        _export("summary", "--format", "csv", "--output", str(output))
    assert str(raised.value).replace("\u00a0", " ") == (
        f"Le dossier {output.parent} de --output {output} n’existe pas : créez-le ou choisissez un autre chemin."
    )
    assert not AuditLogEntry.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_export_file_audited_after_writing(tmp_path):
    output = tmp_path / "summary.csv"
    _stdout, stderr = _export_with_stderr("summary", "--format", "csv", "--year", "2026", "--output", str(output))
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.report, entry.output_format, entry.user_id) == ("export", "summary", "csv", None)
    assert stderr.replace("\u00a0", " ") == (
        f"Rapport summary écrit en CSV dans {output} ; entrée {entry.pk} du journal d’audit, "
        "utilisateur : aucun (ligne de commande), périmètre : tout le programme.\n"
    )
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_log_quiet_below_verbosity_2(tmp_path):
    terminal = io.StringIO()
    handler = logging.StreamHandler(terminal)
    logger = logging.getLogger("raqmya_reports")
    logger.addHandler(handler)
    try:
        _export_with_stderr("summary", "--year", "2026", "--output", str(tmp_path / "quiet.json"))
        quiet = terminal.getvalue()
        _export_with_stderr("summary", "--year", "2026", "--output", str(tmp_path / "loud.json"), "--verbosity", "2")
    finally:
        logger.removeHandler(handler)
    assert quiet == ""
    entry = AuditLogEntry.objects.latest("pk")
    assert f"Audit: entry {entry.pk}, user none (command line or schedule), action export, report summary (json)" in (
        terminal.getvalue())
