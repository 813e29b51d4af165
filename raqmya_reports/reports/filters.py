"""Filters shared by every report: programme year, track, region, province, sector, course, block and dates.

``ReportFilters.from_params`` reads them from a query string or command-line options and
raises ``InvalidReportFilter`` naming the bad value; the reports then narrow their queries with them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from raqmya_reports.registry.choices import Phase, Sector, Track
from raqmya_reports.registry.models import Cohort, CohortMembership, Course, Province, Region

from .errors import InvalidReportFilter
from .periods import current_programme_year, programme_year, report_time_zone, validate_year

# A date as the form's date fields write it, in ASCII digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The query-string names of the filters, in the order that forms and commands list them. Only item
# analysis reads ``usage_key``, the block whose questions it analyses.
FILTER_NAMES = (
    "year", "track", "phase", "cohort", "region", "province", "sector", "course", "date_from", "date_to", "usage_key",
)


@dataclass(frozen=True)
class ReportFilters:
    """What a report counts: one programme year, optionally narrowed by profile fields, course and dates."""

    year: int
    track: str = ""
    phase: str = ""
    cohort: str = ""
    region: str = ""
    province: str = ""
    sector: str = ""
    course: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    usage_key: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> ReportFilters:
        """Return the filters named in ``params``. A blank value means no filter."""
        values = {name: str(params.get(name) or "").strip() for name in FILTER_NAMES}
        year = validate_year(values["year"]) if values["year"] else current_programme_year()
        _check_choice("track", values["track"], Track.values)
        _check_choice("sector", values["sector"], Sector.values)
        _check_choice("phase", values["phase"], Phase.values)
        cohort = values["cohort"]
        # ASCII digits only: str.isdecimal also accepts Arabic-Indic digits, which the form never sends.
        if cohort and not (cohort.isascii() and cohort.isdigit() and Cohort.objects.filter(pk=int(cohort)).exists()):
            raise _invalid("cohort", values["cohort"], _("the id of a cohort"))
        if values["region"] and not Region.objects.filter(code=values["region"]).exists():
            raise _invalid("region", values["region"], _("a region code such as MA-06"))
        if values["province"] and not Province.objects.filter(code=values["province"]).exists():
            raise _invalid("province", values["province"], _("a province code such as MA-CAS"))
        if values["course"] and not Course.objects.filter(course_key=values["course"]).exists():
            raise _invalid("course", values["course"], _("the course key of a course of the programme"))
        filters = cls(
            year=year,
            track=values["track"],
            phase=values["phase"],
            cohort=str(int(cohort)) if cohort else "",
            region=values["region"],
            province=values["province"],
            sector=values["sector"],
            course=values["course"],
            date_from=_parse_date("date_from", values["date_from"]),
            date_to=_parse_date("date_to", values["date_to"]),
            usage_key=_parse_usage_key(values["usage_key"]),
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise _invalid("date_to", values["date_to"], _("a date on or after date_from"))
        # The report counts up to the day after date_to, which the last representable date lacks.
        if filters.date_to == dt.date.max:
            raise _invalid("date_to", values["date_to"], _("a date before 9999-12-31"))
        return filters

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """Return the aware [start, end) the report counts: the programme year cut by the dates."""
        period = programme_year(self.year)
        zone = report_time_zone()
        start, end = period.start, period.end
        if self.date_from:
            start = max(start, dt.datetime.combine(self.date_from, dt.time.min, tzinfo=zone))
        if self.date_to:
            next_day = self.date_to + dt.timedelta(days=1)
            end = min(end, dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
        return start, end

    def profile_q(self, prefix: str = "") -> Q:
        """Return the condition on ``BeneficiaryProfile`` fields, reached through ``prefix``."""
        condition = Q()
        for name in ("track", "sector"):
            if getattr(self, name):
                condition &= Q(**{f"{prefix}{name}": getattr(self, name)})
        if self.region:
            condition &= Q(**{f"{prefix}region_id": self.region})
        if self.province:
            condition &= Q(**{f"{prefix}province_id": self.province})
        if self.phase or self.cohort:
            members = CohortMembership.objects.filter(programme_year=self.year)
            members = members.filter(cohort__phase=self.phase) if self.phase else members
            members = members.filter(cohort_id=int(self.cohort)) if self.cohort else members
            condition &= Q(**{f"{prefix}user_id__in": members.values("user_id")})
        return condition

    def as_dict(self) -> dict:
        """Return the filters as JSON-ready data, for the audit log and the exports."""
        data = asdict(self)
        for name in ("date_from", "date_to"):
            data[name] = data[name].isoformat() if data[name] else ""
        return data


def _check_choice(name: str, value: str, accepted: list[str]) -> None:
    if value and value not in accepted:
        raise _invalid(name, value, ", ".join(accepted))


def _parse_date(name: str, value: str) -> dt.date | None:
    # Only YYYY-MM-DD, which the form's date fields send: fromisoformat also reads "20260301".
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, value, _("a date written YYYY-MM-DD")) from None


def _parse_usage_key(value: str) -> str:
    if not value:
        return ""
    try:
        return str(UsageKey.from_string(value))
    except InvalidKeyError:
        accepted = _(
            "the usage key of an assessment block, such as block-v1:Org+Course+Run+type@raqmya_assessment+block@x"
        )
        raise _invalid("usage_key", value, accepted) from None


def _invalid(name: str, value: str, accepted: str) -> InvalidReportFilter:
    return InvalidReportFilter(
        _("The filter %(name)s=%(value)r is invalid: use %(accepted)s.")
        % {"name": name, "value": value, "accepted": accepted}
    )
