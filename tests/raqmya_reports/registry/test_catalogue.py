"""Tests of the programme catalogue import: valid files, every kind of bad value, and the command."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from raqmya_reports.errors import InvalidCatalogue
from raqmya_reports.registry.catalogue import import_catalogue, read_catalogue
from raqmya_reports.registry.models import CatalogueEntry, Course

HEADER = "course_key,tracks,hours,competences,level\n"
DIGI101 = "course-v1:Raqmya+DIGI101+2026"
DIGI102 = "course-v1:Raqmya+DIGI102+2026"


def write_csv(tmp_path, text, *, encoding="utf-8", name="catalogue.csv"):
    """Write ``text`` to a CSV file and return its path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_tuples(errors):
    """Return errors as (line, column, value) tuples."""
    return [(error.line, error.column, error.value) for error in errors]


def test_read_valid_row(tmp_path):
    path = write_csv(tmp_path, HEADER + f'{DIGI101},"perfectionnement;acculturation",12.5,"2.4;4.2",3\n')
    row = read_catalogue(path).rows[0]
    assert (row.line, row.course_key, row.tracks, row.hours, row.competences, row.level) == (
        2, DIGI101, ["perfectionnement", "acculturation"], Decimal("12.5"), ["2.4", "4.2"], 3
    )


def test_read_byte_order_mark_and_semicolons(tmp_path):
    text = "course_key;tracks;hours;competences;level\n" + f"{DIGI101};acculturation;12,5;1.1 2.1;\n"
    path = write_csv(tmp_path, "\ufeff" + text)
    row = read_catalogue(path).rows[0]
    assert (row.tracks, row.hours, row.competences, row.level) == (
        ["acculturation"], Decimal("12.5"), ["1.1", "2.1"], None
    )


def test_read_extra_column_is_ignored(tmp_path):
    path = write_csv(tmp_path, "title,course_key,tracks,hours,competences,level\n"
                               f"Bureautique,{DIGI101},acculturation,4,,\n")
    assert read_catalogue(path).errors == []


@pytest.mark.parametrize(
    "row, expected",
    [
        ("not-a-key,acculturation,4,,\n", (2, "course_key", "not-a-key")),
        (f"{DIGI101},expert,4,,\n", (2, "tracks", "expert")),
        (f"{DIGI101},,4,,\n", (2, "tracks", "")),
        (f"{DIGI101},acculturation,douze,,\n", (2, "hours", "douze")),
        (f"{DIGI101},acculturation,-1,,\n", (2, "hours", "-1")),
        (f"{DIGI101},acculturation,1.25,,\n", (2, "hours", "1.25")),
        (f"{DIGI101},acculturation,4,6.1,\n", (2, "competences", "6.1")),
        (f"{DIGI101},acculturation,4,,9\n", (2, "level", "9")),
        (f"{DIGI101},acculturation,4,,deux\n", (2, "level", "deux")),
    ],
)
def test_read_bad_value_error(tmp_path, row, expected):
    assert error_tuples(read_catalogue(write_csv(tmp_path, HEADER + row)).errors) == [expected]


def test_read_duplicate_course_names_the_second_line(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,4,,\n{DIGI101},acculturation,6,,\n")
    assert error_tuples(read_catalogue(path).errors) == [(3, "course_key", DIGI101)]


def test_read_error_message_names_line_column_value_and_fix(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,4,,9\n")
    with translation.override("en"):
        assert read_catalogue(path).errors[0].message == (
            "Line 2, column level: '9' is not valid. Give a proficiency level from 1 to 8, or leave the cell empty."
        )


def test_read_level_scale_follows_the_setting(tmp_path, settings):
    settings.RAQMYA_PROFICIENCY_LEVELS = 6
    path = write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,4,,7\n")
    assert error_tuples(read_catalogue(path).errors) == [(2, "level", "7")]


def test_read_missing_column(tmp_path):
    path = write_csv(tmp_path, "course_key,tracks,hours\n")
    with translation.override("en"):
        with pytest.raises(InvalidCatalogue, match="the columns competences, level are missing"):
            read_catalogue(path)


def test_read_not_utf8(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,4,,\n# Référentiel\n", encoding="latin-1")
    with translation.override("en"), pytest.raises(InvalidCatalogue, match="is not UTF-8"):
        read_catalogue(path)


@pytest.mark.django_db
def test_import_creates_the_entries(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},perfectionnement,12.5,2.4,3\n{DIGI102},acculturation,6,,\n")
    summary = import_catalogue(path)
    assert (summary.created, summary.updated) == (2, 0)
    assert CatalogueEntry.objects.get(course__course_key=DIGI102).hours == Decimal("6.0")


@pytest.mark.django_db
def test_import_again_updates_and_keeps_studio_fields(tmp_path):
    import_catalogue(write_csv(tmp_path, HEADER + f"{DIGI101},perfectionnement,12.5,2.4,3\n"))
    CatalogueEntry.objects.update(hidden=True)
    summary = import_catalogue(write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,10,,\n"))
    entry = CatalogueEntry.objects.get()
    assert (summary.created, summary.updated) == (0, 1)
    assert (entry.tracks, entry.hours, entry.competences, entry.level, entry.hidden) == (
        ["acculturation"], Decimal("10.0"), [], None, True
    )


@pytest.mark.django_db
def test_import_one_bad_row_writes_nothing(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},perfectionnement,12.5,2.4,3\n{DIGI102},expert,6,,\n")
    with pytest.raises(InvalidCatalogue):
        import_catalogue(path)
    assert (Course.objects.count(), CatalogueEntry.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_import_skip_invalid_writes_the_good_rows(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},perfectionnement,12.5,2.4,3\n{DIGI102},expert,zero,,\n")
    summary = import_catalogue(path, skip_invalid=True)
    assert list(CatalogueEntry.objects.values_list("course__course_key", flat=True)) == [DIGI101]
    assert summary.rows_left_out == 1


def run_command(*arguments):
    """Run the command in English; return standard output, standard error and any ``CommandError``."""
    out, err = io.StringIO(), io.StringIO()
    raised = None
    with translation.override("en"):
        try:
            call_command("raqmya_import_catalogue", *arguments, stdout=out, stderr=err)
        except CommandError as error:
            raised = error
    return out.getvalue(), err.getvalue(), raised


@pytest.mark.django_db
def test_command_lists_every_bad_value_and_imports_nothing(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},expert,zero,,\n")
    _, err, raised = run_command(str(path))
    assert err.splitlines()[0].startswith("Line 2, column tracks: 'expert' is not valid.")
    assert err.splitlines()[1].startswith("Line 2, column hours: 'zero' is not valid.")
    assert str(raised).startswith("2 values of ")
    assert CatalogueEntry.objects.count() == 0


@pytest.mark.django_db
def test_command_skip_invalid_counts(tmp_path):
    path = write_csv(tmp_path, HEADER + f"{DIGI101},perfectionnement,12.5,2.4,3\n{DIGI102},expert,zero,,\n")
    out, _, raised = run_command(str(path), "--skip-invalid")
    assert raised is None
    assert out.strip() == "Catalogue entries: 1 created, 0 updated, 1 invalid rows left out."


@pytest.mark.django_db
def test_command_missing_file(tmp_path):
    _, _, raised = run_command(str(tmp_path / "missing.csv"))
    assert "Cannot read" in str(raised)


@pytest.mark.django_db
def test_import_language_column_stored(tmp_path):
    path = write_csv(tmp_path, "course_key,tracks,hours,competences,level,language\n"
                               f"{DIGI101},acculturation,4,,,ar\n{DIGI102},acculturation,4,,,\n")
    import_catalogue(path)
    languages = dict(CatalogueEntry.objects.values_list("course__course_key", "language"))
    assert languages == {DIGI101: "ar", DIGI102: ""}


@pytest.mark.django_db
def test_import_without_language_keeps_stored(tmp_path):
    import_catalogue(write_csv(tmp_path, "course_key,tracks,hours,competences,level,language\n"
                                         f"{DIGI101},acculturation,4,,,fr\n"))
    import_catalogue(write_csv(tmp_path, HEADER + f"{DIGI101},acculturation,6,,\n", name="second.csv"))
    entry = CatalogueEntry.objects.get(course__course_key=DIGI101)
    assert (entry.language, entry.hours) == ("fr", Decimal("6.0"))


@pytest.mark.django_db
def test_import_unknown_language_rejected(tmp_path):
    path = write_csv(tmp_path, "course_key,tracks,hours,competences,level,language\n"
                               f"{DIGI101},acculturation,4,,,arabic\n")
    with translation.override("en"):
        errors = read_catalogue(path).errors
        assert error_tuples(errors) == [(2, "language", "arabic")]
        assert errors[0].message == (
            "Line 2, column language: 'arabic' is not valid. Give the code of the language the course is taught "
            "in, one of fr, ar, en, or leave the cell empty."
        )
    with pytest.raises(InvalidCatalogue):
        import_catalogue(path)
    assert CatalogueEntry.objects.count() == 0
