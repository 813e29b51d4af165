"""Tests of the DigComp 2.2 and track reference data: the shipped files, the loader, the migration and the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from raqmya_reports.errors import InvalidReferenceData
from raqmya_reports.registry.choices import proficiency_levels
from raqmya_reports.registry.framework import (
    DIGCOMP_FILE,
    TRACKS_FILE,
    load_digcomp,
    load_tracks,
    read_digcomp,
    read_tracks,
)
from raqmya_reports.registry.models import DigCompArea, DigCompCompetence, ProgrammeTrack, Region

DIGCOMP_HEADER = (
    "area_code,area_name_en,area_name_fr,area_name_ar,"
    "competence_code,competence_name_en,competence_name_fr,competence_name_ar\n"
)


def shipped_digcomp_lines():
    """Return the shipped DigComp file's lines, comments included."""
    return DIGCOMP_FILE.read_text(encoding="utf-8").splitlines(keepends=True)


def test_shipped_digcomp_has_five_areas():
    assert len({row["area_code"] for row in read_digcomp()}) == 5


def test_shipped_digcomp_has_twenty_one_competences():
    assert len(read_digcomp()) == 21


def test_shipped_digcomp_names_its_source():
    assert shipped_digcomp_lines()[0].startswith("# DigComp 2.2, the Digital Competence Framework for Citizens (JRC")


def test_shipped_digcomp_marks_arabic_for_review():
    assert "native speaker must review" in "".join(shipped_digcomp_lines()[:3])


def test_shipped_digcomp_english_names_of_a_competence():
    rows = {row["competence_code"]: row for row in read_digcomp()}
    assert rows["2.4"]["competence_name_en"] == "Collaborating through digital technologies"


def test_shipped_tracks_french_names():
    assert {row["code"]: row["name_fr"] for row in read_tracks()} == {
        "perfectionnement": "Perfectionnement digital",
        "acculturation": "Acculturation digitale",
    }


@pytest.mark.django_db
def test_migration_loaded_the_competences():
    assert DigCompCompetence.objects.count() == 21


@pytest.mark.django_db
def test_migration_loaded_the_areas():
    assert list(DigCompArea.objects.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]


@pytest.mark.django_db
def test_migration_loaded_the_tracks():
    assert list(ProgrammeTrack.objects.values_list("code", flat=True)) == ["acculturation", "perfectionnement"]


@pytest.mark.django_db
def test_competence_name_in_arabic_on_arabic_pages():
    competence = DigCompCompetence.objects.get(code="3.4")
    with translation.override("ar"):
        assert competence.name == "البرمجة"


@pytest.mark.django_db
def test_competence_name_in_french_on_french_pages():
    competence = DigCompCompetence.objects.get(code="3.4")
    with translation.override("fr"):
        assert competence.name == "Programmation"


@pytest.mark.django_db
def test_load_twice_keeps_twenty_one_competences():
    load_digcomp()
    load_digcomp()
    assert DigCompCompetence.objects.count() == 21


@pytest.mark.django_db
def test_load_updates_a_renamed_track(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text(
        "code,name_fr,name_ar\nperfectionnement,Perfectionnement numérique,أ\nacculturation,Acculturation digitale,ب\n",
        encoding="utf-8",
    )
    load_tracks(path=path)
    assert ProgrammeTrack.objects.get(code="perfectionnement").name_fr == "Perfectionnement numérique"


def test_read_digcomp_rejects_a_competence_under_another_area(tmp_path):
    path = tmp_path / "digcomp.csv"
    path.write_text(DIGCOMP_HEADER + "1,A,A,A,2.1,B,B,B\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 2: competence '2.1'"):
        read_digcomp(path)


def test_read_digcomp_rejects_a_missing_competence(tmp_path):
    path = tmp_path / "digcomp.csv"
    path.write_text("".join(line for line in shipped_digcomp_lines() if ",5.4," not in line), encoding="utf-8")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="lacks the competences 5.4"):
        read_digcomp(path)


def test_read_digcomp_rejects_an_empty_name(tmp_path):
    path = tmp_path / "digcomp.csv"
    path.write_text(DIGCOMP_HEADER + "1,A,A,,1.1,B,B,B\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="column area_name_ar is empty"):
        read_digcomp(path)


def test_read_digcomp_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "digcomp.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DIGCOMP_FILE.read_bytes())
    assert len(read_digcomp(path)) == 21


def test_read_tracks_rejects_an_unknown_track(tmp_path):
    path = tmp_path / "tracks.csv"
    path.write_text("code,name_fr,name_ar\nexpert,Expert,خبير\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 2: track 'expert' is not known"):
        read_tracks(path)


@pytest.mark.django_db
def test_command_bad_digcomp_file_changes_nothing(tmp_path):
    Region.objects.filter(code="MA-06").update(name_fr="renamed")
    path = tmp_path / "digcomp.csv"
    path.write_text(DIGCOMP_HEADER + "1,A,A,A,9.9,B,B,B\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="competence '9.9'"):
        call_command("raqmya_load_reference_data", digcomp_file=str(path), stdout=io.StringIO())
    assert Region.objects.get(code="MA-06").name_fr == "renamed"


def test_proficiency_levels_default_eight():
    assert list(proficiency_levels()) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_proficiency_levels_from_the_setting(settings):
    settings.RAQMYA_PROFICIENCY_LEVELS = 6
    assert list(proficiency_levels()) == [1, 2, 3, 4, 5, 6]


def test_default_files_are_the_shipped_ones():
    assert (DIGCOMP_FILE.name, TRACKS_FILE.name) == ("digcomp_2_2.csv", "tracks.csv")
