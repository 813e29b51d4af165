"""Tests of per-question results: recorded through the api and the XBlocks' link, served questions only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from raqmya_reports import api
from raqmya_reports.errors import InvalidAssessmentResult
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult
from raqmya_xblocks import reports_link
from tests.raqmya_reports.factories import COURSE_KEY, at, make_user

pytestmark = pytest.mark.django_db

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
SERVED = {
    "mots-de-passe": {"earned": 2, "possible": 2, "correct": True, "competence": "4.1"},
    "hameconnage": {"earned": 0.5, "possible": 1, "correct": False, "competence": "4.2"},
}


def attempt(user, **changes):
    values = {
        "user_id": user.id, "usage_key": USAGE_KEY, "course_key": COURSE_KEY, "attempt": 1, "track": "acculturation",
        "earned": 2.5, "possible": 3, "passed": True,
        "competences": {"4.1": {"earned": 2, "possible": 2}, "4.2": {"earned": 0.5, "possible": 1}},
        "submitted_at": at(9), "questions": SERVED,
    }
    values.update(changes)
    return values


def stored_questions():
    rows = AssessmentQuestionResult.objects.order_by("question_id")
    return list(rows.values_list("question_id", "competence", "earned", "possible", "correct"))


@pytest.fixture(name="english", autouse=True)
def fixture_english():
    """Read the error messages in English, whatever the site's language."""
    with translation.override("en"):
        yield


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user()


def test_record_assessment_result_stores_each_served_question(learner):
    api.record_assessment_result(**attempt(learner))
    assert stored_questions() == [("hameconnage", "4.2", 0.5, 1.0, False), ("mots-de-passe", "4.1", 2.0, 2.0, True)]


def test_record_assessment_result_without_questions_stores_none(learner):
    api.record_assessment_result(**attempt(learner, questions=None))
    assert AssessmentQuestionResult.objects.count() == 0


def test_record_assessment_result_repeated_keeps_the_questions(learner):
    api.record_assessment_result(**attempt(learner))
    changed = {**SERVED, "mots-de-passe": {**SERVED["mots-de-passe"], "earned": 0, "correct": False}}
    api.record_assessment_result(**attempt(learner, questions=changed, earned=0.5))
    assert stored_questions()[1] == ("mots-de-passe", "4.1", 2.0, 2.0, True)


def test_record_assessment_result_adds_questions_to_an_attempt_stored_without(learner):
    api.record_assessment_result(**attempt(learner, questions=None))
    api.record_assessment_result(**attempt(learner))
    assert AssessmentQuestionResult.objects.filter(result__user=learner).count() == 2


def test_record_assessment_result_question_rows_in_one_insert(learner):
    with CaptureQueriesContext(connection) as queries:
        api.record_assessment_result(**attempt(learner))
    table = AssessmentQuestionResult._meta.db_table
    inserts = [query for query in queries if query["sql"].startswith("INSERT") and table in query["sql"]]
    assert len(inserts) == 1


@pytest.mark.parametrize("questions, words", [
    ({}, "non-empty dict"),
    ([], "non-empty dict"),
    ({"": SERVED["hameconnage"]}, "Question id ''"),
    ({"q" * 192: {**SERVED["mots-de-passe"], "possible": 3, "earned": 2.5}}, "1 to 191 characters"),
    ({"hameconnage": {"earned": 1}, "mots-de-passe": SERVED["mots-de-passe"]}, "give earned, possible"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "earned": "1"}}, "Points of question hameconnage"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "earned": float("nan")}}, "Points of question"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "earned": 2}}, "earned cannot exceed possible"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "correct": "yes"}}, "correct of question hameconnage"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "competence": "9.9"}}, "Competence '9.9'"),
    ({**SERVED, "hameconnage": {**SERVED["hameconnage"], "competence": ["4.2"]}}, "not a DigComp 2.2 code"),
    ({"mots-de-passe": SERVED["mots-de-passe"]}, "add up to 2.0 possible points, the attempt to 3"),
])
def test_record_assessment_result_bad_questions_rejected(learner, questions, words):
    with pytest.raises(InvalidAssessmentResult, match=words.replace("(", r"\(").replace(".", r"\.")):
        api.record_assessment_result(**attempt(learner, questions=questions))


def test_record_assessment_result_bad_questions_store_no_attempt(learner):
    with pytest.raises(InvalidAssessmentResult):
        api.record_assessment_result(**attempt(learner, questions={"mots-de-passe": SERVED["mots-de-passe"]}))
    assert AssessmentResult.objects.count() == 0


def test_reports_link_passes_the_questions(learner):
    values = attempt(learner)
    del values["course_key"]
    assert reports_link.record_assessment_result(course_key=COURSE_KEY, **values) is True
    assert [row[0] for row in stored_questions()] == ["hameconnage", "mots-de-passe"]


def test_reports_link_bad_questions_logged_not_raised(learner, caplog):
    recorded = reports_link.record_assessment_result(**attempt(learner, questions={"x": {}}))
    assert recorded is False
    assert "Result of question x is {}" in caplog.text
