"""Builders of assessment attempts with per-question results, recorded through the reports api."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from raqmya_reports import api
from raqmya_reports.registry.models import BeneficiaryProfile
from tests.raqmya_reports.reports.builders import PROVINCE_OF_REGION, local

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
COURSE_KEY = "course-v1:Raqmya+DIGI101+2026"
# A pool of 10 questions of 1 point, two per competence.
POOL = {f"q{number:02d}": code for number, code in zip(range(1, 11), [
    "1.1", "1.1", "2.4", "2.4", "3.1", "3.1", "4.2", "4.2", "5.2", "5.2",
])}


def learner(username: str, region: str = "MA-06"):
    """Create a beneficiary of ``region``, without a usable password (hashing one is slow); return the user."""
    user = get_user_model()(username=username)
    user.set_unusable_password()
    user.save()
    BeneficiaryProfile.objects.create(user=user, region_id=region, province_id=PROVINCE_OF_REGION[region],
                                      sector="general_public", track="acculturation")
    return user


def record_attempt(user, served: list[str], correct: set[str], *, attempt: int = 1, usage_key: str = USAGE_KEY):
    """Record one attempt of ``user`` at the block: ``served`` questions, 1 point for each one in ``correct``."""
    questions = {
        question_id: {"earned": int(question_id in correct), "possible": 1, "correct": question_id in correct,
                      "competence": POOL[question_id]}
        for question_id in served
    }
    competences: dict[str, dict[str, int]] = {}
    for points in questions.values():
        totals = competences.setdefault(points["competence"], {"earned": 0, "possible": 0})
        totals["earned"] += points["earned"]
        totals["possible"] += 1
    earned = sum(points["earned"] for points in questions.values())
    api.record_assessment_result(
        user_id=user.pk, usage_key=usage_key, course_key=COURSE_KEY, attempt=attempt, track="acculturation",
        earned=earned, possible=len(served), passed=earned * 2 >= len(served), competences=competences,
        submitted_at=local(2026, 5, 1 + attempt), questions=questions,
    )


def build_pool_of_ten() -> dict:
    """Six learners of MA-06, five questions served to each out of ten; return the users by name.

    ``sixth`` took two attempts: the first (all wrong) must not count. Latest attempts:
    first q01-q05 all correct (100 %); second q01 q03 q05 q07 q09, correct q01 q03 (40 %);
    third q02 q04 q06 q08 q10, correct all but q10 (80 %); fourth q06-q10, none (0 %);
    fifth q01 q02 q06 q07 q08, correct q01 q06 q07 (60 %); sixth as second, correct q01 q03 q05 q07 (80 %).
    """
    plan = {
        "first": (["q01", "q02", "q03", "q04", "q05"], {"q01", "q02", "q03", "q04", "q05"}),
        "second": (["q09", "q07", "q05", "q03", "q01"], {"q01", "q03"}),
        "third": (["q02", "q04", "q06", "q08", "q10"], {"q02", "q04", "q06", "q08"}),
        "fourth": (["q06", "q07", "q08", "q09", "q10"], set()),
        "fifth": (["q08", "q01", "q07", "q02", "q06"], {"q01", "q06", "q07"}),
    }
    users = {}
    for name, (served, correct) in plan.items():
        users[name] = learner(name)
        record_attempt(users[name], served, correct)
    users["sixth"] = learner("sixth")
    sixth_served = ["q01", "q03", "q05", "q07", "q09"]
    record_attempt(users["sixth"], sixth_served, set(), attempt=1)
    record_attempt(users["sixth"], sixth_served, {"q01", "q03", "q05", "q07"}, attempt=2)
    return users
