"""The devstack's French and Arabic placement tests are twins: the same items, level for level, in the same order."""

from __future__ import annotations

from raqmya_xblocks.placement.scenarios import workbench_scenarios

from ..conftest import RecordingRuntime, load_block


def _items(index: int) -> list[tuple[str, str, int, float | None]]:
    """Return the id, competence, level and difficulty of each item of scenario ``index``, in bank order."""
    block = load_block(RecordingRuntime(lms_user_id=None), workbench_scenarios()[index][1])
    return [(item.id, item.competence, item.level, item.difficulty) for item in block._bank()]


def test_twin_items_agree_position_by_position(db):  # pylint: disable=unused-argument
    french, arabic = _items(0), _items(1)
    assert len(french) == len(arabic) == 5
    assert [item[1:] for item in french] == [item[1:] for item in arabic]
    assert [item[1:3] for item in french] == [("4.2", 1), ("4.1", 3), ("1.1", 5), ("2.2", 3), ("1.3", 1)]


def test_twin_item_ids_per_language(db):  # pylint: disable=unused-argument
    assert [item[0] for item in _items(0)] == ["fr-phishing", "fr-password", "fr-search", "fr-sharing", "fr-files"]
    assert [item[0] for item in _items(1)] == ["ar-phishing", "ar-password", "ar-search", "ar-sharing", "ar-backup"]
