"""The final assessment's events from the real block, stored live through the api or imported from a tracking log."""

import json

from django.core.cache import cache

from raqmya_reports import api
from raqmya_reports.ingestion import tracking_log
from raqmya_reports.registry.models import AssessmentResult, DailyActivity, ProcessedEvent
from raqmya_xblocks.assessment.scenarios import scenario_xml
from tests.raqmya_reports.factories import COURSE_KEY, make_profile, make_user
from tests.raqmya_xblocks.conftest import RecordingRuntime, load_block

SUBMITTED = "raqmya.assessment.submitted"
USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
DISPLAY_NAME = "Évaluation finale"
LEARNER_ID = 7


def make_learner():
    """Create learner 7, a job seeker, whose profile puts them on the acculturation track."""
    learner = make_user(LEARNER_ID)
    make_profile(learner, sector="job_seeker")
    return learner


def load_assessment(learner, questions):
    """Clear the cache, then return a recording runtime and the final assessment in it, with two attempts."""
    cache.clear()
    runtime = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(runtime, scenario_xml(DISPLAY_NAME, "", questions, max_attempts=2))
    return runtime, block


def submitted_events(runtime):
    """Return the data of each submission event that the runtime's blocks published, oldest first."""
    return [data for name, data in runtime.published if name == SUBMITTED]


def forget_attempts():
    """Delete the stored attempts, the daily activity and the processed-event keys."""
    AssessmentResult.objects.all().delete()
    DailyActivity.objects.all().delete()
    ProcessedEvent.objects.all().delete()


def record_attempt(learner, event, submitted_at, **changes):
    """Record an attempt through the api with the values the block passes it, or with ``changes`` in their place."""
    values = {"user_id": learner.id, "usage_key": USAGE_KEY, "course_key": COURSE_KEY, "attempt": event["attempt"],
              "track": event["track"], "earned": event["earned"], "possible": event["possible"],
              "passed": event["passed"], "competences": event["competences"], "submitted_at": submitted_at,
              "questions": event["questions"], "series": event["series"]}
    api.record_assessment_result(**{**values, **changes})


def log_line(name, event, time, user_id=LEARNER_ID):
    """Return the tracking-log line that the LMS writes for an event of the block."""
    return json.dumps({
        "name": name, "event_type": name, "event_source": "server", "time": time.isoformat(), "page": "x_module",
        "context": {"course_id": COURSE_KEY, "user_id": user_id, "org_id": "Raqmya",
                    "module": {"display_name": DISPLAY_NAME, "usage_key": USAGE_KEY}},
        "event": event,
    }, ensure_ascii=False)


def import_lines(tmp_path, lines):
    """Write the lines to ``tmp_path/tracking.log``, import that file and return the import's counts."""
    path = tmp_path / "tracking.log"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return tracking_log.import_tracking_logs([path])
