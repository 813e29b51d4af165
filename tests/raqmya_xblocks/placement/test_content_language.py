"""The placement test's content language: items carry their own lang and dir, the interface keeps its own."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from lxml import etree

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.block import AssessmentBlock
from raqmya_xblocks.placement.block import PlacementBlock
from raqmya_xblocks.placement.scenarios import workbench_scenarios

from ..conftest import RecordingRuntime, load_block, post_json
from .test_block import placement_xml


def _devstack_block(index: int):
    """Load the devstack's French (0) or Arabic (1) placement scenario."""
    return load_block(RecordingRuntime(lms_user_id=None, i18n_factory=DevstackI18nService),
                      workbench_scenarios()[index][1])


def _item_tags(html: str) -> tuple[list[str], list[str]]:
    """Return the opening tags of the item's stem and of its choice labels."""
    stems = re.findall(r'<div class="raqmya-placement__stem"[^>]*>', html)
    labels = re.findall(r'<label for="[^"]*"[^>]*>', html)
    return stems, labels


def test_both_blocks_share_one_content_language_field():
    assert PlacementBlock.fields["content_language"] is AssessmentBlock.fields["content_language"]
    assert PlacementBlock.fields["content_language"].default == ""


@pytest.mark.parametrize("index, interface, content, interface_dir, content_dir", [
    (1, "fr", "ar", "ltr", "rtl"),
    (0, "ar", "fr", "rtl", "ltr"),
])
def test_scenario_items_keep_their_language_under_the_other_interface(
        db, index, interface, content, interface_dir, content_dir):  # pylint: disable=unused-argument
    block = _devstack_block(index)
    with translation.override(interface):
        status, state = post_json(block, "start", {})
        page = block.render("student_view", {}).content
        data = block.student_view_data()
    assert status == 200
    assert state["status"] == "item"
    assert f'class="raqmya-placement" id="{block._dom_id()}" lang="{interface}" dir="{interface_dir}"' in page
    for html in (state["html"], page):
        stems, labels = _item_tags(html)
        assert len(stems) == 1
        assert f'lang="{content}" dir="{content_dir}"' in stems[0]
        assert len(labels) == 3
        assert all(f'lang="{content}" dir="{content_dir}"' in label for label in labels)
    assert data["content_language"] == content
    # The labels around the item stay in the interface's language: no lang of their own.
    assert re.search(r'<p class="raqmya-placement__progress">[^<]*</p>', page) is not None


def test_without_the_setting_items_follow_their_own_text(db, runtime):  # pylint: disable=unused-argument
    block = load_block(runtime, placement_xml())
    status, state = post_json(block, "start", {})
    assert status == 200
    stems, labels = _item_tags(state["html"])
    assert len(stems) == 1
    assert 'dir="auto"' in stems[0]
    assert "lang=" not in stems[0]
    assert len(labels) == 3
    assert all('dir="auto"' in label and "lang=" not in label for label in labels)
    assert block.student_view_data()["content_language"] is None


def test_olx_round_trip_keeps_the_content_language(db, runtime):  # pylint: disable=unused-argument
    block = load_block(runtime, placement_xml(content_language="ar-MA"))
    assert block.content_language == "ar-MA"
    node = etree.Element("raqmya_placement")
    block.add_xml_to_node(node)
    assert node.get("content_language") == "ar-MA"
    again = load_block(runtime, etree.tostring(node, encoding="unicode"))
    assert again.content_language == "ar-MA"
    assert again.questions == block.questions


def test_studio_view_offers_the_setting_in_french(db, runtime):  # pylint: disable=unused-argument
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml(content_language="ar"))
    with translation.override("fr"):
        html = block.render("studio_view", {}).content
    assert 'name="content_language" type="text"' in html
    assert "Langue du contenu" in html
    assert '"content_language": "ar"' in html


@pytest.mark.parametrize("value", ["fr", "ar", "ar-MA", ""])
def test_studio_save_accepts_tags(db, runtime, value):  # pylint: disable=unused-argument
    block = load_block(runtime, placement_xml(content_language="fr"))
    status, _body = post_json(block, "studio_save", {"settings": {"content_language": value}})
    assert status == 200
    assert block.content_language == value


@pytest.mark.parametrize("value", ["arabe", "fr_FR", 12, None])
def test_studio_save_refuses_other_values(db, runtime, value):  # pylint: disable=unused-argument
    block = load_block(runtime, placement_xml(content_language="fr"))
    status, body = post_json(block, "studio_save", {"settings": {"content_language": value, "graded": True}})
    assert status == 400
    assert [error["field"] for error in body["errors"]] == ["content_language"]
    assert body["errors"][0]["message"] == (
        f"Content language: {value!r} is not valid; write a BCP 47 language tag such as fr, ar or ar-MA, "
        "or leave it empty.")
    assert (block.content_language, block.graded) == ("fr", False)


def test_validation_names_a_bad_tag(db, runtime):  # pylint: disable=unused-argument
    block = load_block(runtime, placement_xml(content_language="arabe"))
    assert [message.text for message in block.validate().messages] == [
        "Content language arabe is not a language tag; use fr, ar or another BCP 47 tag, or leave it empty."]
    _status, state = post_json(block, "start", {})
    assert 'lang="arabe"' not in state["html"]


@pytest.mark.parametrize("index, expected", [(0, "fr"), (1, "ar")])
def test_demo_scenarios_carry_their_content_language(db, index, expected):  # pylint: disable=unused-argument
    assert _devstack_block(index).content_language == expected
