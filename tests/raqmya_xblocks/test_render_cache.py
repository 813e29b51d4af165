"""The parsed banks and the compiled templates that renders reuse: fresh after an edit, per learner, per language."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from lxml import etree
from xblock.utils.resources import ResourceLoader

from devstack.services import DevstackI18nService
from raqmya_xblocks import questions as questions_module
from raqmya_xblocks.assessment import learner_view as assessment_view
from raqmya_xblocks.assessment.olx import question_to_element
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.draw import draw_questions
from raqmya_xblocks.errors import InvalidQuestion
from raqmya_xblocks.placement import learner_view as placement_view
from raqmya_xblocks.questions import bank_cache_size, clear_bank_cache, parse_question, parse_questions
from raqmya_xblocks.rendering import html_id, render_template

from .conftest import RecordingRuntime, load_block, question

BANK = [question(f"q{number}") for number in range(10)]


@pytest.fixture(autouse=True)
def empty_bank_cache():
    """Start and end every test with no parsed bank kept."""
    clear_bank_cache()
    yield
    clear_bank_cache()


def placement_xml() -> str:
    """The OLX of a placement test over the first four questions of ``BANK``."""
    node = etree.Element("raqmya_placement", display_name="Positionnement")
    for data in BANK[:4]:
        node.append(question_to_element(data))
    return etree.tostring(node, encoding="unicode")


def stems(html: str) -> list[str]:
    """The question stems of a rendered assessment, in page order."""
    return re.findall(r'-stem"[^>]*><p>(.*?)</p>', html)


def shown_ids(html: str) -> list[str]:
    """The question ids of a rendered assessment, in page order."""
    return re.findall(r'data-question-id="([^"]+)"', html)


def test_edited_field_renders_new_stem(runtime):
    block = load_block(runtime, scenario_xml("Edit", "", BANK[:2], max_attempts=3))
    assert stems(block.render("student_view", {}).content) == ["Stem of q0", "Stem of q1"]
    block.questions = [{**BANK[0], "stem": "<p>Nouvel énoncé</p>"}, BANK[1]]
    assert stems(block.render("student_view", {}).content) == ["Nouvel énoncé", "Stem of q1"]


def test_in_place_edit_renders_new_stem(runtime):
    block = load_block(runtime, scenario_xml("Edit", "", BANK[:2], max_attempts=3))
    block.render("student_view", {})
    block.questions[1]["stem"] = "<p>Changed in place</p>"
    assert stems(block.render("student_view", {}).content) == ["Stem of q0", "Changed in place"]


def test_broken_edit_of_cached_bank_raises():
    parse_questions(BANK)
    broken = [*BANK[:9], {**BANK[9], "competence": "9.9"}]
    with pytest.raises(InvalidQuestion, match="question 10"):
        parse_questions(broken)


def test_tuple_bank_misses_cache():
    parse_questions(BANK)
    with pytest.raises(InvalidQuestion, match="is not a list"):
        parse_questions(tuple(BANK))


def test_each_call_returns_its_own_list():
    first = parse_questions(BANK)
    first.reverse()
    first.pop()
    assert [item.id for item in parse_questions(BANK)] == [f"q{number}" for number in range(10)]


def test_two_learners_keep_own_draws(db):
    users = get_user_model()
    amina = RecordingRuntime(lms_user_id=users.objects.create_user(username="learner-amina").id)
    youssef = RecordingRuntime(lms_user_id=users.objects.create_user(username="learner-youssef").id)
    block_of_amina = load_block(amina, scenario_xml("Draw", "", BANK, max_attempts=3, pool_size=4))
    block_of_youssef = youssef.get_block(block_of_amina.scope_ids.usage_id)
    uncached = [parse_question(item, position) for position, item in enumerate(BANK)]

    def own_draw(block) -> list[str]:
        return [item.id for item in draw_questions(uncached, 4, learner=block._learner(),
                                                   usage_key=block._usage_key(), attempt=1)]

    page_of_amina = block_of_amina.render("student_view", {}).content
    page_of_youssef = block_of_youssef.render("student_view", {}).content
    assert shown_ids(page_of_amina) == own_draw(block_of_amina)
    assert shown_ids(page_of_youssef) == own_draw(block_of_youssef)
    assert shown_ids(page_of_amina) != shown_ids(page_of_youssef)
    assert block_of_amina.render("student_view", {}).content == page_of_amina


def _assessment(db, **settings):
    runtime = RecordingRuntime(i18n_factory=DevstackI18nService)
    return load_block(runtime, scenario_xml("Évaluation", "", BANK[:4], max_attempts=3, **settings))


@pytest.mark.parametrize(
    ("language", "attributes", "label"),
    [("fr", 'lang="fr" dir="ltr"', ">Valider</button>"), ("ar", 'lang="ar" dir="rtl"', ">إرسال</button>")],
)
def test_assessment_html_matches_xblock_loader(db, language, attributes, label):
    block = _assessment(db, show_answer="always")
    with translation.override(language):
        context = block._view_context()
        expected = ResourceLoader(assessment_view.__name__).render_django_template(
            "templates/assessment.html", dict(context))
        html = render_template(assessment_view.__package__, "templates/assessment.html", context)
        page = block.render("student_view", {}).content
    assert html == expected
    assert attributes in html
    assert label in html
    assert html.strip() in page


def test_compiled_template_follows_render_language(db):
    block = _assessment(db)
    with translation.override("fr"):
        french = block.render("student_view", {}).content
    with translation.override("ar"):
        arabic = block.render("student_view", {}).content
    with translation.override("fr"):
        french_again = block.render("student_view", {}).content
    assert ">Valider</button>" in french
    assert ">إرسال</button>" in arabic
    assert 'dir="rtl"' in arabic
    assert french_again == french


@pytest.mark.parametrize(("language", "label"), [("fr", "Commencer le test"), ("ar", "ابدأ الاختبار")])
def test_placement_html_matches_xblock_loader(runtime, language, label):
    block = load_block(runtime, placement_xml())
    block.runtime.i18n_factory = DevstackI18nService
    with translation.override(language):
        context = block._body_context()
        expected = ResourceLoader(placement_view.__name__).render_django_template("templates/body.html", dict(context))
        html = render_template(placement_view.__package__, "templates/body.html", context)
    assert html == expected
    assert label in html


def test_bank_cache_is_bounded():
    size = questions_module.BANK_CACHE_SIZE
    banks = [[question(f"bank{number}")] for number in range(size + 1)]
    first = parse_questions(banks[0])
    for bank in banks[1:]:
        parse_questions(bank)
    assert bank_cache_size() == size
    latest = parse_questions(banks[-1])
    assert parse_questions(banks[-1])[0] is latest[0]
    assert parse_questions(banks[0])[0] is not first[0]
    assert bank_cache_size() == size


@pytest.mark.parametrize(
    ("first", "second"),
    [("quiz.1", "quiz-1"), ("a:b", "a~b"), ("x-2e-", "x."), ("block@é", "block@e"), ("a_b", "a-b")],
)
def test_html_ids_of_two_usage_keys_differ(first, second):
    # Open edX block ids may contain ".", ":", "~" and "-". Writing each of them as "-" would give
    # two blocks of one unit the same ids.
    assert html_id("raqmya-assessment-", first) != html_id("raqmya-assessment-", second)


def test_html_id_of_an_open_edx_usage_key():
    key = "block-v1:Org+C101+2026+type@raqmya_assessment+block@quiz.1"
    assert html_id("raqmya-assessment-", key) == (
        "raqmya-assessment-block-2d-v1-3a-Org-2b-C101-2b-2026-2b-type-40-raqmya_assessment-2b-block-40-quiz-2e-1")
