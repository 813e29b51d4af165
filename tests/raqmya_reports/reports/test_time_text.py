"""The learner list's time text is, for every time, what ``astimezone(zone).isoformat()`` gives.

It looks the offset up once per day of UTC, or once per hour for stored text. These tests compare
it with the exact conversion over every hour of several years, in Casablanca and in zones that
change at the half hour, by half an hour, or keep an offset of 5:45.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from raqmya_reports.reports.learners import _time_text

UTC = dt.timezone.utc
CASABLANCA = ZoneInfo("Africa/Casablanca")


def _exact(value: dt.datetime, zone) -> str:
    return value.replace(tzinfo=UTC).astimezone(zone).isoformat()


def _hours(first_year: int, last_year: int):
    moment = dt.datetime(first_year, 1, 1)
    while moment.year <= last_year:
        yield moment
        moment += dt.timedelta(hours=1)


def test_casablanca_every_hour_2018_to_2030():
    # Morocco has kept UTC+1 since October 2018, with UTC+0 around each Ramadan (tz database).
    text = _time_text(CASABLANCA, UTC)
    moments = list(_hours(2018, 2030))
    assert [text(moment) for moment in moments] == [_exact(moment, CASABLANCA) for moment in moments]


@pytest.mark.parametrize(
    "name", ["Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu", "Europe/London", "Asia/Jerusalem"]
)
def test_other_zones_every_hour(name):
    zone = ZoneInfo(name)
    text = _time_text(zone, UTC)
    moments = list(_hours(2025, 2027))
    assert [text(moment) for moment in moments] == [_exact(moment, zone) for moment in moments]


def test_random_times_with_seconds_and_microseconds():
    draws = random.Random(20261205)
    text = _time_text(CASABLANCA, UTC)
    start = dt.datetime(2024, 1, 1)
    moments = [start + dt.timedelta(seconds=draws.randrange(4 * 365 * 86400), microseconds=draws.randrange(2) *
                                    draws.randrange(1_000_000)) for _draw in range(20_000)]
    assert [text(moment) for moment in moments] == [_exact(moment, CASABLANCA) for moment in moments]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # SQLite's text, with and without a fraction of a second.
        ("2026-03-22 01:59:59", "2026-03-22T01:59:59+00:00"),
        ("2026-03-22 02:00:00.250000", "2026-03-22T03:00:00.250000+01:00"),
        # Text with its own offset keeps its moment: 09:15 at +02:00 is 08:15 at +01:00.
        ("2026-04-02 09:15:00+02:00", "2026-04-02T08:15:00+01:00"),
        (dt.datetime(2026, 4, 2, 7, 15, tzinfo=UTC), "2026-04-02T08:15:00+01:00"),
        # Before 1913 Casablanca kept its local mean time, an offset with seconds.
        (dt.datetime(1900, 1, 1), "1899-12-31T23:29:40-00:30:20"),
        (None, None),
    ],
)
def test_values_of_each_kind(value, expected):
    assert _time_text(CASABLANCA, UTC)(value) == expected


def test_times_stored_in_another_zone():
    # A database whose TIME_ZONE is Paris stores 10:15 for 09:15 in Casablanca in April.
    assert _time_text(CASABLANCA, ZoneInfo("Europe/Paris"))(dt.datetime(2026, 4, 2, 10, 15)) == (
        "2026-04-02T09:15:00+01:00")


def test_invalid_text_is_refused():
    with pytest.raises(ValueError, match="not a time"):
        _time_text(CASABLANCA, UTC)("not a time")


@pytest.mark.parametrize(
    "name", ["Africa/Casablanca", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham",
             # Whole hours that move a time to the day before (UTC-12, UTC-5 and UTC-4) or after (UTC+14).
             "Etc/GMT+12", "America/New_York", "Pacific/Kiritimati"]
)
def test_stored_text_of_each_database(name):
    """Stored text, as SQLite writes it (no fraction for a whole second) and as MariaDB does (always six digits)."""
    zone = ZoneInfo(name)
    text = _time_text(zone, UTC)
    draws = random.Random(name)
    start = dt.datetime(2018, 1, 1)
    moments = [start + dt.timedelta(seconds=draws.randrange(12 * 365 * 86400),
                                    microseconds=draws.randrange(2) * draws.randrange(1_000_000))
               for _draw in range(20_000)]
    # Every hour of the years with changes in Casablanca, so that each change's hour is read too.
    moments += list(_hours(2025, 2026))
    sqlite = [str(moment) for moment in moments]
    mariadb = [moment.strftime("%Y-%m-%d %H:%M:%S.%f") for moment in moments]
    expected = [_exact(moment, zone) for moment in moments]
    assert [text(value) for value in sqlite] == expected
    assert [text(value) for value in mariadb] == expected
    assert text("2026-04-02 09:15:00.000000") == text("2026-04-02 09:15:00")


@pytest.mark.parametrize(
    "value", ["2026-13-01 10:00:00", "2026-02-30 10:00:00", "2026-01-01 24:00:00", "2026-01-01 1a:00:00",
              "2026-01-01 +1:00:00", "2026-01-05 13:60:00", "2026-01-05 13:24:60", "2026-01-05 13:24:03.abcdef",
              "2026-01-05 13:24:03.94149\u0663"],
)
def test_invalid_stored_text_rejected(value):
    # Each raises ValueError, as datetime.fromisoformat does, instead of being rewritten by hour.
    with pytest.raises(ValueError):
        _time_text(CASABLANCA, UTC)(value)


def test_week_date_is_read_as_its_day():
    # ISO 8601 week 1 of 2026 starts on Monday 29 December 2025.
    assert _time_text(CASABLANCA, UTC)("2026-W01-1 10:00:00") == "2025-12-29T11:00:00+01:00"


@pytest.mark.parametrize("value", ["0001-01-01 05:00:00", "9999-12-31 05:00:00", dt.datetime(9999, 12, 31, 5)])
def test_first_and_last_days_python_writes(value):
    zone = ZoneInfo("Etc/GMT-1")  # UTC+1 (the tz database's signs are reversed).
    expected = "0001-01-01T06:00:00+01:00" if str(value).startswith("0001") else "9999-12-31T06:00:00+01:00"
    assert _time_text(zone, UTC)(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 text that is not stored text is read whole: an offset, or a fraction of five digits.
        ("2026-01-05 13:24+01", "2026-01-05T13:24:00+01:00"),
        ("2026-01-05 13:24:03.94149Z", "2026-01-05T14:24:03.941490+01:00"),
    ],
)
def test_other_iso_text_read_whole(value, expected):
    assert _time_text(CASABLANCA, UTC)(value) == expected


JERUSALEM = ZoneInfo("Asia/Jerusalem")


@pytest.mark.parametrize("value", ["2026-03-26 23:59:59.999999", "2026-03-27 00:00:00", "2026-03-26 12:00:00"])
def test_change_at_utc_midnight(value):
    """Israel's clocks went forward at 00:00 UTC on 27 March 2026, so the day before keeps one offset to its end."""
    text = _time_text(JERUSALEM, UTC)
    exact = _exact(dt.datetime.fromisoformat(value), JERUSALEM)
    assert text(value) == exact
    assert text.column([value]) == [exact]


def test_change_at_utc_midnight_texts():
    text = _time_text(JERUSALEM, UTC)
    assert text("2026-03-26 23:59:59.999999") == "2026-03-27T01:59:59.999999+02:00"
    assert text("2026-03-27 00:00:00") == "2026-03-27T03:00:00+03:00"


@pytest.mark.parametrize(
    "name", ["Africa/Casablanca", "Australia/Lord_Howe", "Asia/Kathmandu", "America/New_York", "Asia/Jerusalem"]
)
def test_column_equals_each_time(name):
    """A column of stored text gives, time for time, what ``text`` gives, across the days of a change too."""
    zone = ZoneInfo(name)
    text = _time_text(zone, UTC)
    draws = random.Random(name)
    moments = list(_hours(2025, 2026))
    draws.shuffle(moments)
    values = [
        None if draws.random() < 0.3
        else str(moment + dt.timedelta(seconds=draws.randrange(3600), microseconds=draws.randrange(2) * 250))
        for moment in moments
    ]
    expected = [text(value) for value in values]
    assert None in expected and any("T" in written for written in expected if written)
    for start in range(0, len(values), 5000):
        assert text.column(values[start:start + 5000]) == expected[start:start + 5000]


def test_column_six_zero_fraction():
    # MariaDB writes ".000000" for a whole second, which isoformat leaves out.
    text = _time_text(CASABLANCA, UTC)
    assert text.column(["2026-04-02 09:15:00.250000", None]) == ["2026-04-02T10:15:00.250000+01:00", None]
    assert text.column(["2026-04-02 09:15:00.250000", "2026-04-02 09:15:00.000000"]) is None


@pytest.mark.parametrize(
    "value", ["2026-13-01 10:00:00", "2026-02-30 10:00:00", "2026-01-01 24:00:00", "2026-01-01 1a:00:00",
              "2026-01-01T10:00:00", "2026-01-05 13:60:00", "2026-01-05 13:24:60", "2026-01-05 13:24:03.abcdef",
              "2026-01-05 13:24:03.94149\u0663", "2026-01-05 13:24:03,941490", "2026-01-05 13:24:03.9414.0",
              "2026-04-02 09:15:00+02:00", dt.datetime(2026, 4, 2, 9, 15), 7,
              # 26 characters whose part after the hour, cut at its line feed, looks like two minutes-and-seconds.
              "2026-01-05 13:24:03\n:24:03", "2026-01-05 13:24:03.94149\n"],
)
def test_column_other_value(value):
    # The column's other times are stored text. The one value that is not sends the whole column
    # through ``text``, which converts it or raises ValueError.
    text = _time_text(CASABLANCA, UTC)
    assert text.column(["2026-01-05 13:24:03", value, "2026-01-05 13:24:04.000001"]) is None


def test_column_other_stored_zone():
    text = _time_text(CASABLANCA, ZoneInfo("Europe/Paris"))
    assert text.column(["2026-04-02 10:15:00"]) is None
    assert text("2026-04-02 10:15:00") == "2026-04-02T09:15:00+01:00"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        # 9999-12-31 19:22 UTC is already year 10000 in Dhaka (UTC+6), and 0001-01-01 05:00 is year 0
        # at UTC-12. datetime represents neither, so the same moment is written in UTC.
        ("Asia/Dhaka", "9999-12-31 19:22:10", "9999-12-31T19:22:10+00:00"),
        ("Etc/GMT+12", "0001-01-01 05:00:00", "0001-01-01T05:00:00+00:00"),
        ("Etc/GMT+12", dt.datetime(1, 1, 1, 5), "0001-01-01T05:00:00+00:00"),
    ],
)
def test_time_out_of_range_in_utc(name, value, expected):
    text = _time_text(ZoneInfo(name), UTC)
    assert text(value) == expected
    if isinstance(value, str):
        assert text.column([value, None]) == [expected, None]
        assert text.column([value, "0000-00-00 00:00:00"]) is None
