"""Users with each reports role, and a small programme split between two provinces, for the scope tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from raqmya_reports.delivery.models import ReportScope
from raqmya_reports.registry.models import BeneficiaryProfile
from tests.raqmya_reports.reports.builders import enroll, grade, local, make_course

Role = ReportScope.Role


def make_reader(username: str, role: str | None = None, identities: bool = False, **limit):
    """Create a user with one reports role (or the programme permission when ``role`` is ``"permission"``)."""
    user = get_user_model().objects.create_user(username=username, password="unused")
    if role == "permission":
        user.user_permissions.add(Permission.objects.get(codename="view_programme_reports"))
    elif role:
        ReportScope.objects.create(user=user, role=role, can_see_identities=identities, **limit)
    return user


def beneficiary(username: str, province: str, region: str, track: str = "acculturation", sector="general_public"):
    """Create a beneficiary registered on 2 March 2026 in ``province``; return the user."""
    user = get_user_model().objects.create_user(username=username, password="unused", email=f"{username}@example.org")
    BeneficiaryProfile.objects.create(user=user, region_id=region, province_id=province, sector=sector, track=track)
    BeneficiaryProfile.objects.filter(user=user).update(registered_at=local(2026, 3, 2))
    return user


def build_two_provinces() -> dict:
    """Build 2026 data: 7 beneficiaries in Casablanca (MA-06), 2 in Rabat (MA-04), 1 in Mohammedia (MA-06).

    Every beneficiary enrolls in course A on 3 March; the first 4 of Casablanca pass on 10 March.
    Course B has only the Rabat learners.
    """
    course_a, course_b = make_course(101), make_course(102)
    users = {f"casa{index}": beneficiary(f"casa{index}", "MA-CAS", "MA-06") for index in range(7)}
    users |= {f"rabat{index}": beneficiary(f"rabat{index}", "MA-RAB", "MA-04") for index in range(2)}
    users["mohammedia"] = beneficiary("mohammedia", "MA-MOH", "MA-06")
    for user in users.values():
        enroll(user, course_a, at=local(2026, 3, 3))
    for index in range(4):
        grade(users[f"casa{index}"], course_a, at=local(2026, 3, 10), passed=True)
    for index in range(2):
        enroll(users[f"rabat{index}"], course_b, at=local(2026, 3, 4))
    return {"users": users, "course_a": course_a, "course_b": course_b}
