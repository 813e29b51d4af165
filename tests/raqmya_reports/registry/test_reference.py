"""Tests of the territorial reference data: the shipped file, its loader, the migration and the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from raqmya_reports.errors import InvalidReferenceData
from raqmya_reports.registry.models import Province, Region
from raqmya_reports.registry.reference import DIVISIONS_FILE, load_divisions, read_divisions

HEADER = "region_code,region_name_fr,region_name_ar,province_code,province_name_fr,province_name_ar,kind\n"
CASABLANCA_ROW = "MA-06,Casablanca-Settat,الدار البيضاء - سطات,MA-CAS,Casablanca,الدار البيضاء,prefecture\n"


def write_csv(tmp_path, *rows, header=HEADER):
    path = tmp_path / "divisions.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_shipped_file_has_twelve_regions():
    assert len({row.region_code for row in read_divisions()}) == 12


def test_shipped_file_has_seventy_five_prefectures_and_provinces():
    assert len({row.province_code for row in read_divisions()}) == 75


def test_shipped_file_nouaceur_in_casablanca_settat():
    rows = {row.province_code: row for row in read_divisions()}
    assert rows["MA-NOU"].region_code == "MA-06"


def test_shipped_file_chtouka_in_souss_massa():
    rows = {row.province_code: row for row in read_divisions()}
    assert rows["MA-CHT"].region_code == "MA-09"


def test_shipped_file_every_arabic_name_given():
    rows = read_divisions()
    assert [row.province_code for row in rows if not row.province_name_ar] == []
    assert next(row for row in rows if row.province_code == "MA-AGD").province_name_ar == "أكادير إداوتنان"


@pytest.mark.django_db
def test_migration_loaded_every_region():
    assert Region.objects.count() == 12


@pytest.mark.django_db
def test_migration_loaded_every_province():
    assert Province.objects.count() == 75


@pytest.mark.django_db
def test_reload_updates_in_place(tmp_path):
    renamed = CASABLANCA_ROW.replace(",Casablanca,", ",Casablanca (préfecture),")
    summary = load_divisions(path=write_csv(tmp_path, renamed))
    assert Province.objects.get(code="MA-CAS").name_fr == "Casablanca (préfecture)"
    assert (summary.provinces_created, summary.provinces_updated) == (0, 1)


@pytest.mark.django_db
def test_reload_of_the_shipped_file_creates_nothing():
    summary = load_divisions()
    assert (summary.regions_created, summary.provinces_created) == (0, 0)


@pytest.mark.django_db
def test_bad_row_writes_nothing(tmp_path):
    renamed = CASABLANCA_ROW.replace(",Casablanca,", ",Casablanca (préfecture),")
    bad = "MA-13,Nowhere,مكان,MA-NOW,Nowhere,مكان,province\n"
    with pytest.raises(InvalidReferenceData):
        load_divisions(path=write_csv(tmp_path, renamed, bad))
    assert Province.objects.get(code="MA-CAS").name_fr == "Casablanca"


def test_bad_region_code_names_the_line_and_value(tmp_path):
    bad = "MA-13,Nowhere,مكان,MA-NOW,Nowhere,مكان,province\n"
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 3: region_code 'MA-13'"):
        read_divisions(write_csv(tmp_path, CASABLANCA_ROW, bad))


def test_bad_kind_names_the_value(tmp_path):
    bad = CASABLANCA_ROW.replace("prefecture", "wilaya")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 2: kind 'wilaya'"):
        read_divisions(write_csv(tmp_path, bad))


def test_empty_french_name_names_the_column(tmp_path):
    bad = CASABLANCA_ROW.replace(",Casablanca,", ",,")
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="column province_name_fr is empty"):
        read_divisions(write_csv(tmp_path, bad))


def test_duplicate_province_names_both_lines(tmp_path):
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="MA-CAS is already on line 2"):
        read_divisions(write_csv(tmp_path, CASABLANCA_ROW, CASABLANCA_ROW))


def test_region_named_two_ways_is_rejected(tmp_path):
    other = "MA-06,Grand Casablanca,الدار البيضاء - سطات,MA-MOH,Mohammadia,المحمدية,prefecture\n"
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 3: the region MA-06"):
        read_divisions(write_csv(tmp_path, CASABLANCA_ROW, other))


def test_wrong_header_is_rejected(tmp_path):
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 1: the header"):
        read_divisions(write_csv(tmp_path, CASABLANCA_ROW, header="code,name\n"))


def test_short_row_names_the_count(tmp_path):
    with translation.override("en"), pytest.raises(InvalidReferenceData, match="line 2: 3 values instead of 7"):
        read_divisions(write_csv(tmp_path, "MA-06,Casablanca-Settat,x\n"))


@pytest.mark.django_db
def test_command_reports_what_it_loaded():
    out = io.StringIO()
    with translation.override("en"):
        call_command("raqmya_load_reference_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "Regions: 0 created, 12 updated. Prefectures and provinces: 0 created, 75 updated.",
        "DigComp 2.2 competences loaded: 21. Tracks loaded: 2.",
    ]


@pytest.mark.django_db
def test_command_bad_file_error(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="kind 'wilaya'"):
        bad_file = write_csv(tmp_path, CASABLANCA_ROW.replace("prefecture", "wilaya"))
        call_command("raqmya_load_reference_data", file=str(bad_file))


def test_default_file_is_the_shipped_one():
    assert DIVISIONS_FILE.name == "morocco_divisions.csv"
