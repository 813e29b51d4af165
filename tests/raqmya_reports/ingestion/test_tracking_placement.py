"""Tests of the placement runs that the tracking-log import reads from ``raqmya.placement.completed``."""

import json

import pytest
from django.utils import translation

from raqmya_reports import api
from raqmya_reports.ingestion import tracking_log
from raqmya_reports.registry.models import BeneficiaryProfile, PlacementItemResult, PlacementResult, TrackAssignment
from tests.raqmya_reports.factories import COURSE_KEY, at, make_profile, make_user

pytestmark = pytest.mark.django_db

PLACEMENT = "block-v1:Raqmya+DIGI101+2026+type@raqmya_placement+block@test"
# What the block publishes for each item of the run.
RESULTS = {"s1": {"correct": True, "competence": "4.1", "difficulty": -2.0, "ability": 1.25},
           "i1": {"correct": False, "competence": "1.1", "difficulty": None, "ability": -0.5}}


def completed(**event):
    """Return a ``raqmya.placement.completed`` record of user 7, run 1, with ``event`` merged in."""
    return {
        "name": "raqmya.placement.completed",
        "time": "2026-03-05T10:00:00+00:00",
        "context": {"course_id": COURSE_KEY, "user_id": 7, "module": {"usage_key": PLACEMENT}},
        "event": {"attempt": 1, "items": 2, "levels": {"1": 3, "4": 6}, "track": "perfectionnement",
                  "results": RESULTS, **event},
    }


def run(tmp_path, *records):
    path = tmp_path / "tracking.log"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    with translation.override("en"):
        return tracking_log.import_tracking_logs([path])


@pytest.fixture(name="learner")
def fixture_learner():
    learner = make_user(7)
    make_profile(learner, sector="job_seeker")
    return learner


def _items() -> dict:
    return {row.question_id: {"correct": row.correct, "competence": row.competence, "difficulty": row.difficulty,
                              "ability": row.ability} for row in PlacementItemResult.objects.all()}


def test_import_placement_stores_run_items_track(learner, tmp_path):
    counts = run(tmp_path, completed())
    assert (counts.imported, counts.applied) == (1, 1)
    placement = PlacementResult.objects.get(user=learner)
    assert (placement.attempt, placement.levels, placement.track, placement.usage_key) == (
        1, {"1": 3, "4": 6}, "perfectionnement", PLACEMENT)
    assert placement.submitted_at == at(5, 10)
    assert placement.course.course_key == COURSE_KEY
    assert _items() == RESULTS
    assert BeneficiaryProfile.objects.get(user=learner).track == "perfectionnement"
    assert TrackAssignment.objects.filter(user=learner, source="placement").count() == 1


def test_import_placement_twice_is_duplicate(learner, tmp_path):
    run(tmp_path, completed())
    counts = run(tmp_path, completed())
    assert (counts.duplicates, counts.applied) == (1, 0)
    assert (PlacementResult.objects.count(), PlacementItemResult.objects.count()) == (1, 2)
    assert TrackAssignment.objects.filter(user=learner, source="placement").count() == 1


def test_import_placement_recorded_live_unchanged(learner, tmp_path):
    api.record_placement(user_id=7, usage_key=PLACEMENT, attempt=1, levels={"1": 2, "4": 2}, track="acculturation",
                         submitted_at=at(5, 10), course_key=COURSE_KEY, items=RESULTS)
    counts = run(tmp_path, completed())
    assert counts.outcomes[tracking_log.facts.Outcome.UNCHANGED] == 1
    placement = PlacementResult.objects.get(user=learner)
    assert (placement.levels, placement.track) == ({"1": 2, "4": 2}, "acculturation")
    assert TrackAssignment.objects.filter(user=learner, source="placement").count() == 1


def test_import_placement_adds_items_to_live_run(learner, tmp_path):
    api.record_placement(user_id=7, usage_key=PLACEMENT, attempt=1, levels={"1": 3, "4": 6},
                         track="perfectionnement", submitted_at=at(5, 10), course_key=COURSE_KEY)
    counts = run(tmp_path, completed())
    assert counts.applied == 1
    assert _items() == RESULTS


def test_import_older_placement_event_without_items(learner, tmp_path):
    record = completed()
    del record["event"]["results"]
    counts = run(tmp_path, record)
    assert counts.applied == 1
    assert PlacementResult.objects.get(user=learner).levels == {"1": 3, "4": 6}
    assert PlacementItemResult.objects.count() == 0


@pytest.mark.parametrize(("event", "reason"), [
    ({"levels": {"9": 3}}, "Placement level 3 of area '9' is not valid; give areas 1 to 5 and levels 1 to 8."),
    ({"levels": {}}, "raqmya.placement.completed: the run has no levels."),
    ({"track": "expert"}, "Track 'expert' is not known; use one of perfectionnement, acculturation."),
    ({"attempt": 0}, "raqmya.placement.completed: attempt 0 is not a whole number from 1."),
    ({"results": {"s1": {"correct": "yes"}}}, "s1"),
])
def test_import_placement_bad_event_invalid(learner, tmp_path, caplog, event, reason):
    counts = run(tmp_path, completed(**event))
    assert counts.invalid == {tracking_log.INVALID_EVENT: 1}
    assert reason in caplog.text
    assert PlacementResult.objects.count() == 0
    assert BeneficiaryProfile.objects.get(user=learner).track != "expert"


def test_import_placement_of_other_block_invalid(learner, tmp_path, caplog):
    record = completed()
    record["context"]["module"]["usage_key"] = PLACEMENT.replace("raqmya_placement", "problem")
    counts = run(tmp_path, record)
    assert counts.invalid == {tracking_log.INVALID_EVENT: 1}
    assert "is not a Raqmya placement test" in caplog.text


def test_import_placement_without_profile_skipped(tmp_path, caplog):
    make_user(7)
    counts = run(tmp_path, completed())
    assert counts.skipped == {tracking_log.SKIP_NOT_BENEFICIARY: 1}
    assert PlacementResult.objects.count() == 0
    assert "User 7 has no beneficiary profile" in caplog.text


def test_imported_run_same_rows_as_live(tmp_path):
    """The real block's run, recorded live, then removed and imported from its event: the same rows."""
    from tests.raqmya_xblocks.conftest import RecordingRuntime, load_block  # pylint: disable=import-outside-toplevel
    from tests.raqmya_xblocks.placement.test_block import (  # pylint: disable=import-outside-toplevel
        placement_xml,
        take_test,
    )

    learner = make_user(7)
    make_profile(learner, sector="job_seeker")
    runtime = RecordingRuntime(lms_user_id=learner.id)
    take_test(load_block(runtime, placement_xml()), right=False)
    [event] = [data for name, data in runtime.published if name == "raqmya.placement.completed"]
    live = PlacementResult.objects.get(user=learner)
    live_rows = (live.attempt, live.levels, live.track, _items())
    PlacementResult.objects.all().delete()
    counts = run(tmp_path, {**completed(), "event": event})
    assert counts.applied == 1
    imported = PlacementResult.objects.get(user=learner)
    assert (imported.attempt, imported.levels, imported.track, _items()) == live_rows
    assert len(live_rows[3]) == event["items"]
