"""Tests of the per-question results that the tracking-log import reads from ``raqmya.assessment.submitted``."""

import json

import pytest

from raqmya_reports import api
from raqmya_reports.ingestion import tracking_log
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult
from tests.raqmya_reports.factories import COURSE_KEY, at, make_user

pytestmark = pytest.mark.django_db

ASSESSMENT = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
# What the block publishes for each served question: no competence.
QUESTIONS = {"q-cloud": {"earned": 1, "possible": 1, "correct": True},
             "q-mail": {"earned": 0, "possible": 2, "correct": False}}


def submitted(**event):
    """Return a ``raqmya.assessment.submitted`` record of user 7, attempt 1, with ``event`` merged in."""
    return {
        "name": "raqmya.assessment.submitted",
        "time": "2026-03-05T10:00:00+00:00",
        "context": {"course_id": COURSE_KEY, "user_id": 7, "module": {"usage_key": ASSESSMENT}},
        "event": {"attempt": 1, "track": "acculturation", "earned": 1, "possible": 3, "passed": False,
                  "competences": {}, "questions": QUESTIONS, **event},
    }


def run(tmp_path, *records):
    path = tmp_path / "tracking.log"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return tracking_log.import_tracking_logs([path])


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user(7)


def test_import_assessment_event_stores_served_questions(learner, tmp_path):
    run(tmp_path, submitted())
    rows = AssessmentQuestionResult.objects.order_by("question_id").values_list("question_id", "earned", "correct")
    assert list(rows) == [("q-cloud", 1.0, True), ("q-mail", 0.0, False)]


def test_import_assessment_event_questions_without_competence_stored_empty(learner, tmp_path):
    run(tmp_path, submitted())
    assert set(AssessmentQuestionResult.objects.values_list("competence", flat=True)) == {""}


def test_import_assessment_event_without_questions_stores_none(learner, tmp_path):
    record = submitted()
    del record["event"]["questions"]
    run(tmp_path, record)
    assert (AssessmentResult.objects.count(), AssessmentQuestionResult.objects.count()) == (1, 0)


def test_import_assessment_event_twice_keeps_one_row_per_question(learner, tmp_path):
    run(tmp_path, submitted())
    run(tmp_path, submitted())
    assert AssessmentQuestionResult.objects.count() == 2


def test_import_assessment_event_keeps_the_blocks_question_results(learner, tmp_path):
    api.record_assessment_result(
        user_id=7, usage_key=ASSESSMENT, course_key=COURSE_KEY, attempt=1, track="acculturation", earned=1,
        possible=3, passed=False, competences={}, submitted_at=at(5, 10),
        questions={"q-cloud": {**QUESTIONS["q-cloud"], "competence": "1.3"},
                   "q-mail": {**QUESTIONS["q-mail"], "competence": "2.1"}},
    )
    run(tmp_path, submitted())
    assert sorted(AssessmentQuestionResult.objects.values_list("competence", flat=True)) == ["1.3", "2.1"]


def test_import_assessment_event_fills_questions_of_an_attempt_stored_without(learner, tmp_path):
    api.record_assessment_result(
        user_id=7, usage_key=ASSESSMENT, course_key=COURSE_KEY, attempt=1, track="acculturation", earned=1,
        possible=3, passed=False, competences={}, submitted_at=at(5, 10),
    )
    run(tmp_path, submitted())
    assert AssessmentQuestionResult.objects.count() == 2


@pytest.mark.parametrize("questions", [
    {"q-cloud": {"earned": 2, "possible": 1, "correct": True}, "q-mail": QUESTIONS["q-mail"]},
    {"q-cloud": QUESTIONS["q-cloud"]},
    "q-cloud",
])
def test_import_assessment_event_bad_questions_line_invalid(learner, tmp_path, questions):
    counts = run(tmp_path, submitted(questions=questions))
    assert dict(counts.invalid) == {"invalid_event": 1}


def test_import_assessment_event_bad_questions_writes_nothing(learner, tmp_path):
    run(tmp_path, submitted(questions={"q-cloud": QUESTIONS["q-cloud"]}))
    assert (AssessmentResult.objects.count(), AssessmentQuestionResult.objects.count()) == (0, 0)


def test_import_assessment_event_with_empty_questions_stores_the_attempt_only(learner, tmp_path):
    run(tmp_path, submitted(questions={}))
    assert (AssessmentResult.objects.count(), AssessmentQuestionResult.objects.count()) == (1, 0)
