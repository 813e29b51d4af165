"""Seed the devstack with a small, realistic programme by sending the platform's own events.

Beneficiaries register through the registration extension form as in the LMS, then enroll,
leave, pass and fail courses through real openedx-events, so every report figure comes from
the plugin's receivers and never from a direct write to its tables. Most take the placement
test, and most of those still in the devstack's course take its assessment, through the
blocks' own handlers (``devstack/demo_attempts.py``). The programme's own set-up
comes first, as staff would make it: promotion channels, cohorts of both phases and a catalogue
imported from CSV, whose course titles arrive through Studio's catalogue event.
"""

import contextlib
import csv
import random
import secrets
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone as django_timezone
from django.utils.module_loading import import_string

from devstack import demo_attempts, platform_events
from raqmya_reports.management.commands._output import operator_log_quieted
from raqmya_reports.models import Cohort, PromotionChannel, Province
from raqmya_reports.registry.catalogue import COLUMNS, LANGUAGE_COLUMN, import_catalogue
from raqmya_reports.registry.cohorts import assign_cohort

MANAGER_USERNAME = "programme_manager"
# The province operator sees Casablanca only, the province with the most demo beneficiaries.
OPERATOR_USERNAME = "operator_casablanca"
OPERATOR_PROVINCE = "MA-CAS"
MANAGER_GROUP = "Programme managers"
ADMIN_USERNAME = "devstack_admin"
LEARNER_PREFIX = "demo_learner_"

# Courses of the demo catalogue; the devstack's own course, where the workbench assessments
# count, comes first.
DEMO_COURSES = [
    None,
    "course-v1:Raqmya+SECU101+2026",
    "course-v1:Raqmya+BUREAU101+2026",
    "course-v1:Raqmya+ADMIN201+2026",
]

# The demo catalogue: course key, title (French or Arabic, the course's language), tracks, hours,
# DigComp competences, proficiency level and language. The last course has no level, so a
# placement result at any level finds at least one course on either track.
DEMO_CATALOGUE = [
    ("course-v1:Raqmya+DIGI101+2026", "Culture numérique : premiers pas", "acculturation;perfectionnement",
     "12", "1.1;2.1", "1", "fr"),
    ("course-v1:Raqmya+THAQAFA101+2026", "الثقافة الرقمية: الخطوات الأولى", "acculturation", "10", "1.1;2.1", "1",
     "ar"),
    ("course-v1:Raqmya+SECU101+2026", "Sécurité numérique au quotidien", "acculturation;perfectionnement",
     "8", "4.1;4.2", "2", "fr"),
    ("course-v1:Raqmya+AMN101+2026", "الأمن الرقمي في الحياة اليومية", "acculturation", "8", "4.1;4.2", "2", "ar"),
    ("course-v1:Raqmya+BUREAU101+2026", "Bureautique : documents et tableaux", "perfectionnement",
     "20", "3.1;3.2", "3", "fr"),
    ("course-v1:Raqmya+ADMIN201+2026", "Administration électronique et services en ligne",
     "acculturation;perfectionnement", "15", "2.2;2.3", "4", "fr"),
    ("course-v1:Raqmya+IDARA201+2026", "الإدارة الإلكترونية والخدمات عبر الإنترنت",
     "acculturation;perfectionnement", "15", "2.2;2.3", "", "ar"),
]

# Promotion channels: code, name, kind, region, province, and the share of the beneficiaries of
# that territory (or, for the employment agency, of job seekers) who register through it.
DEMO_CHANNELS = [
    ("CR-CASA-SETTAT-2026", "Conseil régional de Casablanca-Settat", "regional_council", "MA-06", None, 0.6),
    ("CP-RABAT-2026", "Conseil préfectoral de Rabat", "provincial_council", "MA-04", "MA-RAB", 0.7),
    ("ANAPEC-2026", "ANAPEC, agences de l'emploi", "other", None, None, 0.5),
]

# Cohorts of the demo year: name (with {year}), track, phase, capacity, province. The pilot
# cohorts are small so that later beneficiaries go on to the generalisation cohorts.
DEMO_COHORTS = [
    ("Pilote {year} Casablanca – perfectionnement", "perfectionnement", "pilot", 10, "MA-CAS"),
    ("Pilote {year} – perfectionnement", "perfectionnement", "pilot", 20, None),
    ("Pilote {year} – acculturation", "acculturation", "pilot", 15, None),
    ("Généralisation {year} – perfectionnement", "perfectionnement", "generalisation", 1000, None),
    ("Généralisation {year} – acculturation", "acculturation", "generalisation", 1000, None),
]

# Share of the new demo beneficiaries who take the placement test, and of those still enrolled in
# the devstack's course who take its assessment. Of each, this share take it in French, the others in Arabic.
PLACEMENT_SHARE = 0.7
ASSESSMENT_SHARE = 0.8
FRENCH_SHARE = 0.6

# Share of the demo beneficiaries per sector; administrations and local governments
# dominate, as in the programme's pilot (850 civil servants of about 1,350 registrations).
SECTOR_WEIGHTS = {
    "public_administration": 45,
    "local_government": 18,
    "private_company": 8,
    "general_public": 14,
    "student": 9,
    "job_seeker": 6,
}


class Command(BaseCommand):
    """``raqmya_demo``: create the demo beneficiaries and a programme manager account."""

    help = (
        "Seed the devstack with demo beneficiaries through real openedx-events, and create or reset "
        "the programme manager account, printing its devstack-only password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=120, help="Number of demo beneficiaries (default 120).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for the same demo every time.")
        parser.add_argument(
            "--manager-password",
            default=None,
            help="Password to give the programme manager account (default: a new random one, printed).",
        )
        parser.add_argument(
            "--operator-password",
            default=None,
            help="Password to give the Casablanca province operator account (default: a new random one, printed).",
        )
        parser.add_argument(
            "--admin-password",
            default=None,
            help="Password to give the devstack's superuser account (default: a new random one, printed).",
        )

    def handle(self, *args, **options):
        # The receivers and the blocks log a line for each event and attempt (about 1,500 lines for the
        # default 120 learners), which would hide the accounts printed below. ``--verbosity 2`` shows them.
        with contextlib.ExitStack() as quiet:
            for name in ("raqmya_reports", "raqmya_xblocks"):
                quiet.enter_context(operator_log_quieted(options["verbosity"], name))
            self._handle(options)

    def _handle(self, options) -> None:
        if options["learners"] < 0:
            raise ValueError(f"Invalid --learners {options['learners']}: give 0 or more.")
        password = options["manager_password"] or secrets.token_urlsafe(12)
        self._create_manager(password)
        now = django_timezone.now()
        channels = self._create_channels()
        cohorts = self._create_cohorts(now.year)
        courses = self._import_catalogue(now)
        self.stdout.write(
            f"Programme set-up: {channels} promotion channels, {cohorts} cohorts of {now.year}, "
            f"{courses} catalogue courses."
        )
        demo_attempts.load_scenarios()
        # Generators of their own for the channels and the attempts keep the rest of the demo as it
        # was for each seed.
        created, attempts = self._seed_learners(
            options["learners"], random.Random(options["seed"]), random.Random(options["seed"] + 1),
            random.Random(options["seed"] + 2),
        )
        self.stdout.write(f"Demo beneficiaries created: {created} (existing ones were kept).")
        self.stdout.write(
            f"Demo attempts: {attempts['placement']} placement tests, {attempts['assessment']} assessments."
        )
        self.stdout.write(f"Programme manager: username {MANAGER_USERNAME}, password {password} (devstack only).")
        operator_password = options["operator_password"] or secrets.token_urlsafe(12)
        self._create_operator(operator_password)
        self.stdout.write(
            f"Province operator of {OPERATOR_PROVINCE}: username {OPERATOR_USERNAME}, "
            f"password {operator_password} (devstack only)."
        )
        admin_password = options["admin_password"] or secrets.token_urlsafe(12)
        self._create_admin(admin_password)
        self.stdout.write(
            f"Administrator (Django admin): username {ADMIN_USERNAME}, password {admin_password} (devstack only)."
        )

    @staticmethod
    def _create_admin(password):
        """Create or reset the staff superuser who opens the Django admin."""
        admin, _ = get_user_model().objects.get_or_create(username=ADMIN_USERNAME)
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(password)
        admin.save()

    @staticmethod
    def _create_channels():
        """Create the demo's promotion channels that do not exist yet; return how many there are."""
        for code, name, kind, region, province, _share in DEMO_CHANNELS:
            PromotionChannel.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "region_id": region, "province_id": province}
            )
        return PromotionChannel.objects.filter(code__in=[channel[0] for channel in DEMO_CHANNELS]).count()

    @staticmethod
    def _create_cohorts(year):
        """Create the cohorts of ``year`` that do not exist yet, open the whole year; return how many there are."""
        names = []
        for name, track, phase, capacity, province in DEMO_COHORTS:
            name = name.format(year=year)
            names.append(name)
            Cohort.objects.get_or_create(name=name, defaults={
                "track": track, "phase": phase, "programme_year": year, "capacity": capacity,
                "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31), "province_id": province,
            })
        return Cohort.objects.filter(name__in=names).count()

    @staticmethod
    def _import_catalogue(now):
        """Import the demo catalogue from a CSV file, as staff do, then send each course's Studio title."""
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "catalogue.csv"
            with path.open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file)
                writer.writerow([*COLUMNS, LANGUAGE_COLUMN])
                writer.writerows([key, tracks, hours, competences, level, language]
                                 for key, _title, tracks, hours, competences, level, language in DEMO_CATALOGUE)
            import_catalogue(path)
        for course_key, title, *_values in DEMO_CATALOGUE:
            platform_events.send_catalog_info(course_key, title, now)
        return len(DEMO_CATALOGUE)

    def _create_operator(self, password):
        """Create or reset the province operator, with one province_operator scope and no identities."""
        from raqmya_reports.delivery.models import ReportScope  # pylint: disable=import-outside-toplevel

        operator, _ = get_user_model().objects.get_or_create(username=OPERATOR_USERNAME)
        operator.set_password(password)
        operator.save()
        ReportScope.objects.get_or_create(
            user=operator, role=ReportScope.Role.PROVINCE_OPERATOR, province_id=OPERATOR_PROVINCE
        )

    def _create_manager(self, password):
        user_model = get_user_model()
        manager, _ = user_model.objects.get_or_create(username=MANAGER_USERNAME)
        manager.set_password(password)
        manager.save()
        group, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
        group.permissions.add(Permission.objects.get(codename="view_programme_reports"))
        manager.groups.add(group)

    def _seed_learners(self, count, rng, channel_rng, attempt_rng):  # pylint: disable=too-many-locals
        user_model = get_user_model()
        provinces = list(Province.objects.select_related("region").order_by("code"))
        sectors = list(SECTOR_WEIGHTS)
        weights = list(SECTOR_WEIGHTS.values())
        form_class = import_string(settings.REGISTRATION_EXTENSION_FORM)
        now = django_timezone.now()
        start = datetime(now.year, 1, 5, 9, 0, tzinfo=timezone.utc)
        created = 0
        attempts = {"placement": 0, "assessment": 0}
        for number in range(1, count + 1):
            username = f"{LEARNER_PREFIX}{number:03d}"
            if user_model.objects.filter(username=username).exists():
                continue
            province = rng.choice(provinces)
            data = {
                "region": province.region_id,
                "province": province.code,
                "sector": rng.choices(sectors, weights)[0],
                "consent": "on",
            }
            data["channel_code"] = _channel_code(data["sector"], province, channel_rng)
            form = form_class(data)
            if not form.is_valid():
                raise ValueError(f"Demo profile for {username} is invalid: {form.errors.as_json()}")
            registered_at = min(now, start + timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(0, 600)))
            with transaction.atomic():
                user = user_model.objects.create_user(username=username, email=f"{username}@example.invalid")
                profile = form.save(commit=False)
                profile.user = user
                profile.save()
            platform_events.send_registration(user, registered_at)
            # The devstack leaves RAQMYA_COHORT_AUTO_ASSIGN off, so the demo places each one as staff would.
            assign_cohort(user.id, when=registered_at)
            enrolled = self._send_learning_history(user, registered_at, rng, now)
            for kind, added in self._take_tests(user, enrolled, attempt_rng).items():
                attempts[kind] += added
            created += 1
        return created, attempts

    @staticmethod
    def _take_tests(user, enrolled, rng):
        """Have ``user`` take the placement test, and the assessment if still in the devstack's course.

        Each is taken by a share of the learners, in French or Arabic, with choices right as often as
        the learner's drawn ability. Return how many of each were taken.
        """
        ability = rng.uniform(0.3, 0.95)
        counts = {"placement": 0, "assessment": 0}
        if rng.random() < PLACEMENT_SHARE:
            language = "fr" if rng.random() < FRENCH_SHARE else "ar"
            demo_attempts.take_placement(user, language, ability, rng)
            counts["placement"] = 1
        if settings.RAQMYA_DEVSTACK_COURSE_KEY in enrolled and rng.random() < ASSESSMENT_SHARE:
            language = "fr" if rng.random() < FRENCH_SHARE else "ar"
            demo_attempts.take_assessment(user, language, ability, rng)
            counts["assessment"] = 1
        return counts

    def _send_learning_history(self, user, registered_at, rng, now):
        """Enroll the learner in one to three courses; some leave, some pass. No event is later than ``now``.

        Return the keys of the courses the learner is still enrolled in.
        """
        courses = [key or settings.RAQMYA_DEVSTACK_COURSE_KEY for key in DEMO_COURSES]
        enrolled = set()
        for course_key in rng.sample(courses, rng.randint(1, 3)):
            enrolled_at = min(now, registered_at + timedelta(days=rng.randrange(0, 10)))
            platform_events.send_enrollment(user, course_key, enrolled_at)
            outcome = rng.random()
            if outcome < 0.1:
                left_at = min(now, enrolled_at + timedelta(days=rng.randrange(1, 20)))
                platform_events.send_unenrollment(user, course_key, left_at)
                continue
            enrolled.add(course_key)
            if outcome < 0.7:
                percent = round(rng.uniform(0.3, 1.0), 2)
                graded_at = min(now, enrolled_at + timedelta(days=rng.randrange(5, 40)))
                passed = percent >= settings.RAQMYA_DEVSTACK_PASS_MARK
                platform_events.send_course_grade(user, course_key, percent, passed, graded_at)
        return enrolled


def _channel_code(sector, province, rng):
    """Return the code of the channel that the beneficiary registers through, or "" for none."""
    for code, _name, kind, region, channel_province, share in DEMO_CHANNELS:
        if kind == "other":
            serves = sector == "job_seeker"
        else:
            serves = province.code == channel_province if channel_province else province.region_id == region
        if serves and rng.random() < share:
            return code
    return ""
