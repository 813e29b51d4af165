"""Seed the devstack with a small, realistic programme by sending the platform's own events.

Beneficiaries register through the registration extension form as in the LMS, then enroll,
leave, pass and fail courses through real openedx-events, so every report figure comes from
the plugin's receivers and never from a direct write to its tables.
"""

import random
import secrets
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone as django_timezone
from django.utils.module_loading import import_string

from devstack import platform_events
from raqmya_reports.models import Province

MANAGER_USERNAME = "programme_manager"
# The province operator sees Casablanca only, the province with the most demo beneficiaries.
OPERATOR_USERNAME = "operator_casablanca"
OPERATOR_PROVINCE = "MA-CAS"
MANAGER_GROUP = "Programme managers"
LEARNER_PREFIX = "demo_learner_"

# Courses of the demo catalogue; the devstack's own course, where the workbench assessments
# count, comes first.
DEMO_COURSES = [
    None,
    "course-v1:Raqmya+SECU101+2026",
    "course-v1:Raqmya+BUREAU101+2026",
    "course-v1:Raqmya+ADMIN201+2026",
]

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

    def handle(self, *args, **options):
        if options["learners"] < 0:
            raise ValueError(f"Invalid --learners {options['learners']}: give 0 or more.")
        password = options["manager_password"] or secrets.token_urlsafe(12)
        self._create_manager(password)
        created = self._seed_learners(options["learners"], random.Random(options["seed"]))
        self.stdout.write(f"Demo beneficiaries created: {created} (existing ones were kept).")
        self.stdout.write(f"Programme manager: username {MANAGER_USERNAME}, password {password} (devstack only).")
        operator_password = options["operator_password"] or secrets.token_urlsafe(12)
        self._create_operator(operator_password)
        self.stdout.write(
            f"Province operator of {OPERATOR_PROVINCE}: username {OPERATOR_USERNAME}, "
            f"password {operator_password} (devstack only)."
        )

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

    def _seed_learners(self, count, rng):
        user_model = get_user_model()
        provinces = list(Province.objects.select_related("region").order_by("code"))
        sectors = list(SECTOR_WEIGHTS)
        weights = list(SECTOR_WEIGHTS.values())
        form_class = import_string(settings.REGISTRATION_EXTENSION_FORM)
        now = django_timezone.now()
        start = datetime(now.year, 1, 5, 9, 0, tzinfo=timezone.utc)
        created = 0
        for number in range(1, count + 1):
            username = f"{LEARNER_PREFIX}{number:03d}"
            if user_model.objects.filter(username=username).exists():
                continue
            province = rng.choice(provinces)
            form = form_class(
                {
                    "region": province.region_id,
                    "province": province.code,
                    "sector": rng.choices(sectors, weights)[0],
                    "consent": "on",
                }
            )
            if not form.is_valid():
                raise ValueError(f"Demo profile for {username} is invalid: {form.errors.as_json()}")
            registered_at = min(now, start + timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(0, 600)))
            with transaction.atomic():
                user = user_model.objects.create_user(username=username, email=f"{username}@example.invalid")
                profile = form.save(commit=False)
                profile.user = user
                profile.save()
            platform_events.send_registration(user, registered_at)
            self._send_learning_history(user, registered_at, rng, now)
            created += 1
        return created

    def _send_learning_history(self, user, registered_at, rng, now):
        """Enroll the learner in one to three courses; some leave, some pass. No event is later than ``now``."""
        courses = [key or settings.RAQMYA_DEVSTACK_COURSE_KEY for key in DEMO_COURSES]
        for course_key in rng.sample(courses, rng.randint(1, 3)):
            enrolled_at = min(now, registered_at + timedelta(days=rng.randrange(0, 10)))
            platform_events.send_enrollment(user, course_key, enrolled_at)
            outcome = rng.random()
            if outcome < 0.1:
                left_at = min(now, enrolled_at + timedelta(days=rng.randrange(1, 20)))
                platform_events.send_unenrollment(user, course_key, left_at)
            elif outcome < 0.7:
                percent = round(rng.uniform(0.3, 1.0), 2)
                graded_at = min(now, enrolled_at + timedelta(days=rng.randrange(5, 40)))
                passed = percent >= settings.RAQMYA_DEVSTACK_PASS_MARK
                platform_events.send_course_grade(user, course_key, percent, passed, graded_at)
