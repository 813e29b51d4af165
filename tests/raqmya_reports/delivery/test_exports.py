"""Exports byte by byte: one BOM or none, Arabic and accented names intact, formulas neutralised, numbers numeric,
right-to-left XLSX sheets in Arabic, learner lists streamed in batches."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import csv
import functools
import io
import itertools
import json
import logging
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from raqmya_reports.delivery import exports
from raqmya_reports.delivery.csv_safety import neutralise_cell, neutralise_row
from raqmya_reports.delivery.exports import _csv_chunks, stream_export
from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.delivery.scope import Scope
from raqmya_reports.delivery.service import OPERATOR_SCOPE, learner_data, open_report_in_scope, track_names
from raqmya_reports.registry.models import BeneficiaryProfile, CohortMembership, Course, CourseGrade, Enrollment
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.learners import learner_batches, learner_page, learner_rows, learner_table, shaped
from tests.raqmya_reports.factories import make_cohort
from tests.raqmya_reports.reports.builders import PROVINCE_OF_REGION, enroll, local, make_beneficiary, make_course

pytestmark = pytest.mark.django_db

EXPORT = AuditLogEntry.Action.EXPORT


def _open(name, **params):
    return open_report_in_scope(OPERATOR_SCOPE, None, name, {"year": "2026", **params}, EXPORT)


def _bytes(name, export_format, language="fr", bom=True, **params):
    return b"".join(stream_export(_open(name, **params), export_format, language, bom=bom))


@pytest.fixture(name="named_learners")
def fixture_named_learners():
    """Three learners enrolled in course 101 on 2 March 2026, with the names of cases C09 and C10."""
    course = make_course(101)
    names = [
        ("zoe", "Zoé", "Aït-Lahcen", "zoé@bücher.example"),
        ("abdallah", "عبد الله", "", "abdallah@مثال.المغرب"),
        ("formula", '=HYPERLINK("http://x.test","y")', "+SUM(1,1)", "formula@example.org"),
    ]
    users = []
    for username, first_name, last_name, email in names:
        user = make_beneficiary(username, region="MA-06", track="acculturation", created=local(2026, 3, 1))
        get_user_model().objects.filter(pk=user.pk).update(first_name=first_name, last_name=last_name, email=email)
        enroll(user, course, at=local(2026, 3, 2))
        users.append(user)
    CourseGrade.objects.create(user=users[0], course=course, percent=0.75, passed=True, passed_at=local(2026, 3, 9),
                               passed_changed_at=local(2026, 3, 9), graded_at=local(2026, 3, 9))
    cohort = make_cohort("@cohorte Casablanca")
    CohortMembership.objects.create(user=users[2], cohort=cohort, programme_year=2026)
    return users


def _csv(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8").removeprefix("\ufeff"))))


def test_csv_has_one_bom(named_learners):
    content = _bytes("learners", "csv")
    assert content.count(b"\xef\xbb\xbf") == 1
    assert content.startswith(b"\xef\xbb\xbf")


def test_csv_without_bom_for_data_tools(named_learners):
    assert _bytes("learners", "csv", bom=False).startswith(b"user_id,region,")


def test_csv_keeps_accented_and_arabic_names(named_learners):
    rows = _csv(_bytes("learners", "csv"))
    assert [(row["first_name"], row["last_name"]) for row in rows[:2]] == [("Zoé", "Aït-Lahcen"), ("عبد الله", "")]


def test_csv_keeps_internationalised_email(named_learners):
    rows = _csv(_bytes("learners", "csv"))
    assert rows[1]["email"] == "abdallah@مثال.المغرب"


def test_csv_neutralises_formula_name(named_learners):
    rows = _csv(_bytes("learners", "csv"))
    assert (rows[2]["first_name"], rows[2]["last_name"]) == ('\'=HYPERLINK("http://x.test","y")', "'+SUM(1,1)")


def test_csv_neutralises_cohort_starting_with_at(named_learners):
    rows = _csv(_bytes("learners", "csv"))
    assert rows[2]["cohort"] == "'@cohorte Casablanca"


def test_csv_keeps_grade_numeric(named_learners):
    assert _csv(_bytes("learners", "csv"))[0]["grade_percent"] == "0.75"


def test_csv_lists_times_in_casablanca(named_learners):
    # Morocco is on UTC+0 during Ramadan, from mid-February to late March in 2026.
    assert _csv(_bytes("learners", "csv"))[0]["first_enrolled_at"] == "2026-03-02T12:00:00+00:00"


def test_xlsx_keeps_numbers_and_text(named_learners):
    book = load_workbook(io.BytesIO(_bytes("learners", "xlsx")))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, (cell.value for cell in sheet[2])))
    third = dict(zip(header, (cell.value for cell in sheet[4])))
    assert (first["grade_percent"], first["first_name"], third["first_name"]) == (
        0.75, "Zoé", '=HYPERLINK("http://x.test","y")',
    )


def test_xlsx_formula_text_stored_as_text(named_learners):
    sheet_xml = zipfile.ZipFile(io.BytesIO(_bytes("learners", "xlsx"))).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_xlsx_number_cell_is_numeric(named_learners):
    content = _bytes("learners", "xlsx")
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<c><v>0.75</v></c>" in sheet_xml
    # grade_percent is the 12th column: track_label and course_name sit beside track and course_key.
    cell = load_workbook(io.BytesIO(content)).active["L2"]
    assert (cell.value, cell.data_type) == (0.75, "n")


def test_xlsx_right_to_left_in_arabic(named_learners):
    book = load_workbook(io.BytesIO(_bytes("provinces", "xlsx", language="ar")))
    assert book.active.sheet_view.rightToLeft is True


def test_xlsx_left_to_right_in_french(named_learners):
    book = load_workbook(io.BytesIO(_bytes("provinces", "xlsx", language="fr")))
    assert book.active.sheet_view.rightToLeft is not True


def test_xlsx_arabic_province_names(named_learners):
    sheet = load_workbook(io.BytesIO(_bytes("provinces", "xlsx", language="ar"))).active
    rows = {row[0]: row[1:3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["MA-CAS"] == ("الدار البيضاء", 3)


def test_json_learners_stream_is_valid_json(named_learners):
    data = json.loads(_bytes("learners", "json"))
    assert [row["username"] for row in data["rows"]] == ["zoe", "abdallah", "formula"]


def test_json_keeps_arabic_unescaped(named_learners):
    assert "عبد الله".encode() in _bytes("learners", "json")


# C11: rows streamed in batches; queries grow with batches, not learners. Inside the tests'
# transaction each batch is one query that follows the index on the first enrollment time.
def _learners(count):
    course = make_course(200 + count)
    for index in range(count):
        user = make_beneficiary(f"b{count}_{index}", region="MA-06", track="acculturation", created=local(2026, 3, 1))
        enroll(user, course, at=local(2026, 3, 2))


def _queries_to_list(batch_size):
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(ReportFilters(year=2026), batch_size=batch_size))
    return len(rows), len(queries)


def test_learner_rows_fixed_queries_per_batch():
    _learners(12)
    # 12 rows in batches of 5: 5, 5, 2.
    assert _queries_to_list(5) == (12, 3)


def test_learner_rows_queries_grow_with_batches_not_learners():
    _learners(10)
    # 10 rows in one batch of 10: the first query requests 11 rows, so no empty read is needed to see the end.
    assert _queries_to_list(10) == (10, 1)


def test_learner_rows_same_queries_for_more_learners_in_same_batches():
    _learners(4)
    _learners(6)
    assert _queries_to_list(1000) == (10, 1)


def test_page_leaves_out_deleted_rows(monkeypatch):
    """A page reads its ids, then their rows: an enrollment deleted in between is left out, the others listed."""
    from raqmya_reports.reports import learners  # pylint: disable=import-outside-toplevel

    _learners(6)
    users = list(Enrollment.objects.order_by("id").values_list("user_id", flat=True))
    read_rows = learners._rows_in_order  # pylint: disable=protected-access

    def delete_first(ids, *arguments, **keywords):
        Enrollment.objects.filter(id=ids[0]).delete()
        return read_rows(ids, *arguments, **keywords)

    monkeypatch.setattr(learners, "_rows_in_order", delete_first)
    rows = learner_page(ReportFilters(year=2026))[1:4]
    assert [row[0] for row in rows] == users[2:4]


def test_learner_rows_deleted_midway_left_out():
    """Enrollments deleted after the first batch was read: those of later batches are not listed, the others are."""
    _learners(12)
    users = list(Enrollment.objects.order_by("id").values_list("user_id", flat=True))
    rows = learner_rows(ReportFilters(year=2026), batch_size=5)
    listed = [next(rows)["user_id"] for _row in range(3)]
    # Two of the first batch, which is already read, and two of the second, which is not.
    Enrollment.objects.filter(user_id__in=[users[3], users[4], users[6], users[7]]).delete()
    listed += [row["user_id"] for row in rows]
    assert listed == users[:5] + [users[5]] + users[8:]


def test_learner_rows_none_in_view_one_query():
    assert _queries_to_list(5) == (0, 1)


def test_learner_export_streams_before_reading_everything():
    _learners(12)
    report = _open("learners")
    with CaptureQueriesContext(connection) as queries:
        rows = learner_data(report, batch_size=5)
        next(rows)
    # The first batch only, in one query.
    assert len(queries) == 1


def test_learner_rows_leave_out_users_without_profile():
    course = make_course(101)
    first = make_beneficiary("first", region="MA-06", track="acculturation", created=local(2026, 1, 1))
    last = make_beneficiary("last", region="MA-06", track="acculturation", created=local(2026, 1, 1))
    enroll(first, course, at=local(2026, 3, 1))
    # A whole batch of two staff enrollments between the beneficiaries' ones.
    for day in (2, 3):
        enroll(get_user_model().objects.create_user(username=f"staff{day}"), course, at=local(2026, 3, day))
    enroll(last, course, at=local(2026, 3, 4))
    for batch_size in (1, 2, 5):
        rows = list(learner_rows(ReportFilters(year=2026), batch_size=batch_size))
        assert [row["user_id"] for row in rows] == [first.pk, last.pk]


def test_learner_page_slice_two_queries():
    _learners(7)
    page = learner_page(ReportFilters(year=2026))
    with CaptureQueriesContext(connection) as queries:
        rows = page[2:5]
    assert len(queries) == 2
    assert rows == list(learner_table(ReportFilters(year=2026)))[2:5]


def test_learner_page_count_and_items():
    _learners(7)
    page = learner_page(ReportFilters(year=2026))
    assert page.count() == 7
    assert page[6] == list(learner_table(ReportFilters(year=2026)))[6]
    with pytest.raises(IndexError):
        page[7]  # pylint: disable=pointless-statement


def test_learner_unenrolled_listed_with_status():
    course = make_course(101)
    stays = make_beneficiary("stays", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    leaves = make_beneficiary("leaves", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    enroll(stays, course, at=local(2026, 3, 2))
    enroll(leaves, course, at=local(2026, 3, 2), active=False)
    rows = list(learner_rows(ReportFilters(year=2026)))
    assert [(row["user_id"], row["status"]) for row in rows] == [(stays.pk, "enrolled"), (leaves.pk, "unenrolled")]


def test_learner_rows_ordered_by_first_enrollment_then_id():
    course = make_course(101)
    late = make_beneficiary("late", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    early = make_beneficiary("early", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    enroll(late, course, at=local(2026, 4, 2))
    enroll(early, course, at=local(2026, 3, 2))
    rows = list(learner_rows(ReportFilters(year=2026)))
    assert [row["user_id"] for row in rows] == [early.pk, late.pk]


def _batch_queries(queries) -> list[str]:
    """Return the SQL of the captured queries that read each batch (``STRAIGHT_JOIN`` on MySQL and MariaDB)."""
    quote = connection.ops.quote_name
    start = ("SELECT STRAIGHT_JOIN " if connection.vendor == "mysql"
             else f"SELECT {quote('raqmya_reports_enrollment')}.{quote('user_id')}")
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith(start)]


@pytest.mark.parametrize("track", ["", "acculturation"])
def test_learner_batches_seek_from_last_time(track):
    course = make_course(401)
    for day in range(1, 8):
        user = make_beneficiary(f"day{day}", region="MA-06", track="acculturation", created=local(2026, 3, 1))
        enroll(user, course, at=local(2026, 4, day))
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(ReportFilters(year=2026, track=track), batch_size=3))
    assert [row["user_id"] for row in rows] == list(Enrollment.objects.order_by("id").values_list("user_id", flat=True))
    batch_queries = _batch_queries(queries)
    assert len(batch_queries) == 3
    # One lower bound on the time: the span's start for the first batch, the last row's time after it.
    # Given two, SQLite seeks its index to the span's start only, and every batch reads from there.
    lower_bound = f"{connection.ops.quote_name('first_enrolled_at')} >="
    assert [sql.count(lower_bound) for sql in batch_queries] == [1, 1, 1]


def test_learner_rows_same_time_across_batches_each_listed_once():
    _learners(7)  # Seven enrollments at the same moment, read in batches of 3.
    rows = list(learner_rows(ReportFilters(year=2026), batch_size=3))
    users = list(Enrollment.objects.order_by("id").values_list("user_id", flat=True))
    assert [row["user_id"] for row in rows] == users


def test_learner_rows_filtered_keep_time_order():
    # Each learner enrolls a day before the previous one, so the ids run against the time order.
    course = make_course(101)
    learners = {"MA-06": [], "MA-01": []}
    for day in range(9):
        region = "MA-06" if day % 3 else "MA-01"
        user = make_beneficiary(f"d{day}", region=region, track="acculturation", created=local(2026, 1, 1))
        enroll(user, course, at=local(2026, 3, 20 - day))
        learners[region].append(user.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(ReportFilters(year=2026, region="MA-06"), batch_size=2))
    assert [row["user_id"] for row in rows] == learners["MA-06"][::-1]
    # SQLite reads the rows in one query. MySQL and MariaDB read the ids in view in one query, then
    # the six rows in three batches of one query each.
    assert len(queries) == (1 if connection.vendor == "sqlite" else 1 + 3)


def _two_regions():
    """Enroll nine learners, alternately in MA-06 and MA-01, each a day before the last; return MA-06's users."""
    course = make_course(101)
    users = []
    for day in range(9):
        region = "MA-06" if day % 3 else "MA-01"
        user = make_beneficiary(f"r{day}", region=region, track="acculturation", created=local(2026, 1, 1))
        enroll(user, course, at=local(2026, 3, 20 - day))
        if region == "MA-06":
            users.append(user.pk)
    return users


@pytest.mark.parametrize("batch_size", [1, 2, 5000])
def test_region_rows_match_whole_export(batch_size):
    _two_regions()
    everyone = [row for row in learner_rows(ReportFilters(year=2026), batch_size=3) if row["region"] == "MA-06"]
    assert list(learner_rows(ReportFilters(year=2026, region="MA-06"), batch_size=batch_size)) == everyone
    assert len(everyone) == 6


def test_learner_rows_of_a_province_scope():
    users = _two_regions()
    scope = Scope(user_id=None, unrestricted=False, can_see_identities=True,
                  provinces=frozenset({PROVINCE_OF_REGION["MA-06"]}))
    rows = list(learner_rows(ReportFilters(year=2026), scope, batch_size=4))
    assert [row["user_id"] for row in rows] == users[::-1]


@pytest.mark.parametrize("params", [{"region": "MA-06"}, {"province": "MA-CAS"}, {"cohort": True}])
def test_few_profiles_rows_one_query_on_sqlite(params):
    """SQLite reads one region's, province's or cohort's rows in one query, sorted as the whole list is, in batches."""
    if connection.vendor != "sqlite":
        pytest.skip("MySQL and MariaDB read the ids in view first, then the rows by id.")
    users = _two_regions()
    if params.get("cohort"):
        cohort = make_cohort()
        for user_id in users[1:4]:
            CohortMembership.objects.create(user_id=user_id, cohort=cohort, programme_year=2026)
        params = {"cohort": str(cohort.pk)}
    filters = ReportFilters.from_params({"year": "2026", **params})
    with CaptureQueriesContext(connection) as queries:
        batches = list(learner_batches(filters, batch_size=2))
    assert len(queries) == 1
    # The region and province are conditions on the joined profile, and a cohort's members a subquery.
    assert f'INNER JOIN "{BeneficiaryProfile._meta.db_table}"' in queries[0]["sql"]
    assert ("IN (SELECT" in queries[0]["sql"]) is ("cohort" in params)
    expected = {"region": users[::-1], "province": users[::-1], "cohort": users[1:4][::-1]}[next(iter(params))]
    assert [row[0] for batch in batches for row in batch] == expected
    assert [len(batch) for batch in batches] == [2] * (len(expected) // 2) + [1] * (len(expected) % 2)


def test_few_profiles_rows_closed_when_reader_stops(monkeypatch):
    """On SQLite, a reader that stops after one region's first batch closes the rows' cursor then."""
    from raqmya_reports.reports import learners  # pylint: disable=import-outside-toplevel

    if connection.vendor != "sqlite":
        pytest.skip("MySQL and MariaDB read one region's rows by id, each query read whole.")
    _two_regions()
    closed, generators = [], []
    read_parts = learners._fetched_parts  # pylint: disable=protected-access

    def parts(*arguments, **keywords):
        try:
            yield from read_parts(*arguments, **keywords)
        finally:
            closed.append(True)

    def recorded(*arguments, **keywords):
        # Kept here as well, so that only an explicit close, not the garbage collector, closes it.
        generators.append(parts(*arguments, **keywords))
        return generators[-1]

    monkeypatch.setattr(learners, "_fetched_parts", recorded)
    batches = learner_batches(ReportFilters(year=2026, region="MA-06"), batch_size=2)
    assert (len(next(batches)), closed) == (2, [])
    batches.close()
    assert closed == [True]


def _move_first_after_ids(monkeypatch, user_id, change):
    """Make the learner list run ``change`` on the profile of ``user_id`` once the ids in view are read.

    Only MySQL and MariaDB read the ids before the rows: SQLite reads the rows in one query.
    """
    from raqmya_reports.reports import learners  # pylint: disable=import-outside-toplevel

    if connection.vendor != "mysql":
        pytest.skip("SQLite reads one region's, province's or cohort's learner rows in one query, with no ids first.")

    read_ids = learners._ids_in_view  # pylint: disable=protected-access

    def move_first(filters, restriction):
        ids = read_ids(filters, restriction)
        change(user_id)
        return ids

    monkeypatch.setattr(learners, "_ids_in_view", move_first)


@pytest.mark.parametrize("scoped", [False, True])
def test_profile_moved_after_ids_left_out(monkeypatch, scoped):
    """A profile moves to another region between the ids query and the rows: its rows are not listed.

    On SQLite a region filter and a province scope are tested on each row's own columns.
    """
    users = _two_regions()
    _move_first_after_ids(monkeypatch, users[0], lambda user_id: BeneficiaryProfile.objects.filter(
        user_id=user_id).update(region_id="MA-01", province_id="MA-TNG"))
    if scoped:
        scope = Scope(user_id=None, unrestricted=False, can_see_identities=True,
                      provinces=frozenset({PROVINCE_OF_REGION["MA-06"]}))
        rows = list(learner_rows(ReportFilters(year=2026), scope, batch_size=2))
    else:
        rows = list(learner_rows(ReportFilters(year=2026, region="MA-06"), batch_size=2))
    assert [row["user_id"] for row in rows] == users[1:][::-1]


@pytest.mark.parametrize("scoped", [False, True])
def test_page_profile_moved_left_out(monkeypatch, scoped):
    """A profile moves to another region between a page's ids and its rows: its row is not on the page."""
    from raqmya_reports.reports import learners  # pylint: disable=import-outside-toplevel

    users = _two_regions()
    read_rows = learners._rows_in_order  # pylint: disable=protected-access

    def move_first(ids, *arguments, **keywords):
        BeneficiaryProfile.objects.filter(user_id=users[0]).update(region_id="MA-01", province_id="MA-TNG")
        return read_rows(ids, *arguments, **keywords)

    monkeypatch.setattr(learners, "_rows_in_order", move_first)
    if scoped:
        scope = Scope(user_id=None, unrestricted=False, can_see_identities=True,
                      provinces=frozenset({PROVINCE_OF_REGION["MA-06"]}))
        page = learner_page(ReportFilters(year=2026), scope)
    else:
        page = learner_page(ReportFilters(year=2026, region="MA-06"))
    assert [row[0] for row in page[0:10]] == users[1:][::-1]


@pytest.mark.parametrize("params", [{"region": "MA-06"}, {"province": "MA-CAS"}, {"region": "MA-01"}, {}])
def test_page_same_rows_as_list(params):
    """A page of one region or province lists the rows of the learner list, in its order, and counts them."""
    _two_regions()
    filters = ReportFilters.from_params({"year": "2026", **params})
    listed = list(learner_rows(filters))
    page = learner_page(filters)
    assert page.count() == len(listed)
    assert [shaped(row, False) for row in page[0:len(listed) + 5]] == listed
    assert [shaped(row, False) for row in page[1:2]] == listed[1:2]


def test_member_leaving_cohort_after_ids_left_out(monkeypatch):
    """A cohort filter is checked in the database again (an EXISTS on SQLite): a member who left is not listed."""
    users = _two_regions()
    cohort = make_cohort()
    for user_id in users:
        CohortMembership.objects.create(user_id=user_id, cohort=cohort, programme_year=2026)
    _move_first_after_ids(monkeypatch, users[0],
                          lambda user_id: CohortMembership.objects.filter(user_id=user_id).delete())
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(ReportFilters(year=2026, cohort=str(cohort.pk)), batch_size=5000))
    assert [row["user_id"] for row in rows] == users[1:][::-1]
    if connection.vendor == "sqlite":
        assert "EXISTS" in queries[-1]["sql"]


def test_learner_rows_passed_at_only_when_passed(named_learners):
    CourseGrade.objects.filter(user=named_learners[0]).update(passed=False)
    assert next(learner_rows(ReportFilters(year=2026)))["passed_at"] is None


def test_csv_learner_passed_written_as_one(named_learners):
    assert _csv(_bytes("learners", "csv"))[0]["passed"] == "1"


def test_csv_lone_surrogate_written_as_replacement_character(caplog):
    rows = [(f"row {number}", number) for number in range(5)]
    rows[3] = ("bad \udc80 text", 3)
    with caplog.at_level(logging.WARNING):
        content = b"".join(_csv_chunks(("name", "count"), rows, language="fr", bom=False, report="learners"))
    # Every row is kept; only the character that UTF-8 cannot hold is replaced, as in XLSX.
    assert content.decode("utf-8") == "name,count\r\nrow 0,0\r\nrow 1,1\r\nrow 2,2\r\nbad \ufffd text,3\r\nrow 4,4\r\n"
    assert "Rows 1 to 5 of the learners export" in caplog.text


def test_csv_lone_surrogate_in_header_replaced():
    content = b"".join(_csv_chunks(("na\ud800me",), [("x",)], language="fr", bom=False, report="learners"))
    assert content.decode("utf-8") == "na\ufffdme\r\nx\r\n"


@pytest.mark.parametrize("value", ["=1+1", "+SUM(1,1)", "-x", "@a", "\tz", "\rz", "-3", "0.75", "", "texte", None,
                                   True, 12.5, 7, Decimal("1.5")])
def test_neutralise_row_same_as_each_cell(value):
    assert neutralise_row([value]) == [neutralise_cell(value)]


def test_learners_csv_names_track_and_course(named_learners):
    row = _csv(_bytes("learners", "csv"))[0]
    assert row["track"] == "acculturation"
    assert row["track_label"] == "Acculturation digitale"
    assert row["course_key"] == "course-v1:Raqmya+DIGI101+2026"
    # No catalogue title and no platform name in the test backend: the key stands for the name.
    assert row["course_name"] == "course-v1:Raqmya+DIGI101+2026"


def test_learners_csv_track_names_per_row(named_learners):
    """The learners of one batch with three track codes, one blank, each get their own track's name."""
    BeneficiaryProfile.objects.filter(user=named_learners[1]).update(track="perfectionnement")
    BeneficiaryProfile.objects.filter(user=named_learners[2]).update(track="")
    rows = _csv(_bytes("learners", "csv"))
    assert [(row["username"], row["track_label"]) for row in rows] == [
        ("zoe", "Acculturation digitale"), ("abdallah", "Perfectionnement digital"), ("formula", "Sans parcours"),
    ]


def test_learners_json_names_track_in_arabic(named_learners):
    report = open_report_in_scope(OPERATOR_SCOPE, None, "learners", {"year": "2026"}, "export")
    data = json.loads(b"".join(stream_export(report, "json", "ar")))
    assert data["rows"][0]["track_label"] == "التثقيف الرقمي"


def test_csv_same_across_batches(named_learners, monkeypatch):
    """Cells built batch by batch, with course names looked up per batch, do not depend on the batch size."""
    later = ((102, "Tableur", named_learners[1], 3), (103, "Messagerie", named_learners[2], 4))
    for number, title, learner, day in later:
        course = make_course(number)
        Course.objects.filter(pk=course.pk).update(display_name=title)
        enroll(learner, course, at=local(2026, 3, day))
    whole = _bytes("learners", "csv")
    monkeypatch.setattr(exports, "learner_batches", functools.partial(learner_batches, batch_size=1))
    assert _bytes("learners", "csv") == whole
    rows = _csv(whole)
    assert [row["username"] for row in rows] == ["zoe", "abdallah", "formula", "abdallah", "formula"]
    assert [row["course_name"] for row in rows[3:]] == ["Tableur", "Messagerie"]


def test_track_names_languages_asked():
    # A French export translates the track names into French only; the Arabic catalogues stay unread.
    assert track_names(("fr",))["unassigned"] == {"fr": "Sans parcours"}
    assert track_names()["unassigned"] == {"fr": "Sans parcours", "ar": "بدون مسار"}


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Sans parcours"), ("ar", "بدون مسار"), ("ar-ma", "بدون مسار")]
)
def test_blank_track_named_in_language(language, expected):
    assert exports._Names(language).track("") == expected
