"""The assessment block in Chromium on a live devstack: an Arabic learner, a spreadsheet import, axe-core checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS
from raqmya_xblocks.spreadsheet import COLUMNS

from .conftest import REPOSITORY

FRENCH_SCENARIO = "raqmya_assessment.0"
ARABIC_SCENARIO = "raqmya_assessment.1"
LEARNER = "e2e_learner_assessment"
LEARNER_PASSWORD = "Tanger-2026-rtl!"
AUTHOR = "e2e_author"
AUTHOR_PASSWORD = "Auteur-2026-studio!"
SERIOUS = {"serious", "critical"}


def _serious_violations(page, selector: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    results = Axe().run(page, context=selector)
    return [f"{v['id']} ({v['impact']})" for v in results.response["violations"] if v["impact"] in SERIOUS]


def _log_in(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


def _register(page, base_url, username=LEARNER):
    page.goto(f"{base_url}/register/")
    page.fill("input[name='account-username']", username)
    page.fill("input[name='account-password1']", LEARNER_PASSWORD)
    page.fill("input[name='account-password2']", LEARNER_PASSWORD)
    page.select_option("select[name='profile-region']", "MA-01")
    page.select_option("select[name='profile-province']", "MA-TNG")
    page.select_option("select[name='profile-sector']", "general_public")
    page.check("input[name='profile-consent']")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _create_author(devstack):
    """Create a global staff account, an author of every course as in Studio, unless an earlier test did."""
    environment = {**os.environ, "RAQMYA_DEVSTACK_VAR": str(devstack["log"].parent), "RAQMYA_DEBUG": "0",
                   "DJANGO_SUPERUSER_PASSWORD": AUTHOR_PASSWORD}
    environment.pop("RAQMYA_DATABASE_URL", None)
    completed = subprocess.run([sys.executable, str(REPOSITORY / "devstack" / "manage.py"), "createsuperuser",
                                "--noinput", "--username", AUTHOR, "--email", "author@example.test"],
                               check=False, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    assert completed.returncode == 0 or "already taken" in completed.stderr, completed.stderr


@pytest.mark.browser
def test_arabic_learner_sees_competence_results(devstack, browser):
    base_url = devstack["url"]
    context = browser.new_context(locale="ar-MA", extra_http_headers={"Accept-Language": "ar"},
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    _register(page, base_url)
    page.goto(f"{base_url}/scenario/{ARABIC_SCENARIO}/")
    block = page.locator(".raqmya-assessment")
    assert block.get_attribute("dir") == "rtl"
    assert _serious_violations(page, ".raqmya-assessment") == []
    correct = {q["id"]: next(c["id"] for c in q["choices"] if c["correct"]) for q in ARABIC_QUESTIONS}
    for fieldset in block.locator("fieldset[data-question-id]").all():
        fieldset.locator(f"input[value='{correct[fieldset.get_attribute('data-question-id')]}']").check()
    block.locator("button[type=submit]").click()
    page.wait_for_selector(".raqmya-assessment__competences li", timeout=15000)
    competences = block.locator(".raqmya-assessment__competences li").all_inner_texts()
    assert len(competences) >= 2
    assert all(text.startswith("الكفاءة ") for text in competences)
    assert page.evaluate("document.activeElement.classList.contains('raqmya-assessment__result')") is True
    assert _serious_violations(page, ".raqmya-assessment") == []
    context.close()


@pytest.mark.browser
def test_finished_policy_marks_answers_at_once(devstack, browser):
    """Arabic questions under a French interface: a pass shows the correct answers without a reload."""
    context = browser.new_context(extra_http_headers={"Accept-Language": "fr"}, viewport={"width": 360, "height": 800})
    page = context.new_page()
    _register(page, devstack["url"], "e2e_learner_show_answer")
    page.goto(f"{devstack['url']}/scenario/{ARABIC_SCENARIO}/")
    block = page.locator(".raqmya-assessment")
    assert (block.get_attribute("lang"), block.get_attribute("dir")) == ("fr", "ltr")
    stem = block.locator(".raqmya-assessment__stem").first
    assert (stem.get_attribute("lang"), stem.get_attribute("dir")) == ("ar", "rtl")
    # The choice row follows the content: the radio button sits right of its Arabic label.
    choice = block.locator(".raqmya-assessment__choice").first
    assert choice.locator("input").bounding_box()["x"] > choice.locator("label").bounding_box()["x"]
    assert block.locator(".raqmya-assessment__answer").count() == 0
    correct = {q["id"]: next(c["id"] for c in q["choices"] if c["correct"]) for q in ARABIC_QUESTIONS}
    fieldsets = block.locator("fieldset[data-question-id]").all()
    for fieldset in fieldsets:
        fieldset.locator(f"input[value='{correct[fieldset.get_attribute('data-question-id')]}']").check()
    block.locator("button[type=submit]").click()
    page.wait_for_selector(".raqmya-assessment__answer", timeout=15000)
    answers = block.locator(".raqmya-assessment__answer")
    assert answers.count() == len(fieldsets)
    assert answers.first.inner_text().strip() == "(Bonne réponse)"
    assert (answers.first.get_attribute("lang"), answers.first.get_attribute("dir")) == ("fr", "ltr")
    context.close()


@pytest.mark.browser
def test_arabic_studio_errors_isolate_values(devstack, browser):
    """Values, ids and codes in Arabic error messages sit in their own <bdi>, so each keeps its order."""
    _create_author(devstack)
    context = browser.new_context(extra_http_headers={"Accept-Language": "ar"}, viewport={"width": 360, "height": 800})
    page = context.new_page()
    _log_in(page, devstack["url"], AUTHOR, AUTHOR_PASSWORD)
    page.goto(f"{devstack['url']}/scenario/{ARABIC_SCENARIO}/studio_view/")
    page.wait_for_selector(".raqmya-studio__question")
    finished = page.locator("select[name=show_answer] option[value=finished]").inner_text()
    assert finished == "بعد آخر محاولة أو الحصول على العلامة الكاملة"
    page.fill("input[name=max_attempts]", "-2")
    page.locator(".raqmya-studio__question").first.locator("input[type=number]").last.fill("0")  # points
    page.click(".raqmya-studio__save")
    page.wait_for_selector(".raqmya-studio__errors li")
    items = page.locator(".raqmya-studio__errors li")
    assert items.count() == 2
    assert items.nth(0).inner_text().startswith("الحد الأقصى للمحاولات: القيمة -2 غير صالحة")
    assert items.nth(0).locator("bdi").all_inner_texts() == ["-2", "0"]
    first_id = ARABIC_QUESTIONS[0]["id"]
    assert items.nth(1).locator("bdi").first.inner_text() == f"1 ('{first_id}')"
    assert "max_attempts" not in items.nth(0).inner_text()
    context.close()


def _studio_errors(page) -> list[str]:
    """Save, wait for the listed errors and return them. The status line stays empty."""
    page.click(".raqmya-studio__save")
    page.wait_for_selector(".raqmya-studio__errors li")
    assert page.locator(".raqmya-studio__status").inner_text() == ""
    return page.locator(".raqmya-studio__errors li").all_inner_texts()


def _french_studio(devstack, browser):
    """Open the French scenario's editor as the author; return the browser context, the page and the editor's URL."""
    _create_author(devstack)
    context = browser.new_context(extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    _log_in(page, devstack["url"], AUTHOR, AUTHOR_PASSWORD)
    studio = f"{devstack['url']}/scenario/{FRENCH_SCENARIO}/studio_view/"
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    return context, page, studio


@pytest.mark.browser
def test_studio_whole_number_setting_fraction(devstack, browser):
    """Check that 2.5, 1.9 or 1e3 in a whole-number setting is rejected with its value, not cut to 2, 1 or 1."""
    context, page, studio = _french_studio(devstack, browser)
    stored = [page.input_value(f"input[name={name}]") for name in ("pool_size", "max_attempts")]
    page.fill("input[name=pool_size]", "1.9")
    page.fill("input[name=max_attempts]", "2.5")
    assert _studio_errors(page) == [
        "Questions par tentative\u00a0: '1.9' n'est pas valide\u00a0; écrivez un nombre entier, 0 ou plus.",
        "Nombre maximal de tentatives\u00a0: '2.5' n'est pas valide\u00a0; écrivez un nombre entier, 0 ou plus.",
    ]
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    page.fill("input[name=max_attempts]", "1e3")
    assert _studio_errors(page) == [
        "Nombre maximal de tentatives\u00a0: '1e3' n'est pas valide\u00a0; écrivez un nombre entier, 0 ou plus."]
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    assert [page.input_value(f"input[name={name}]") for name in ("pool_size", "max_attempts")] == stored
    context.close()


@pytest.mark.browser
def test_studio_cleared_points_and_level(devstack, browser):
    """Check that a cleared Points or Level field is reported as empty, not as 0."""
    context, page, _studio = _french_studio(devstack, browser)
    first = page.locator(".raqmya-studio__question").first
    # The demo questions have no level, so the field starts empty: a value is typed, then cleared.
    for label in ("Points", "Niveau de maîtrise"):
        first.get_by_label(label).fill("3")
        first.get_by_label(label).fill("")
    listed = _studio_errors(page)
    assert len(listed) == 2
    assert "le champ des points est vide\u00a0; remplissez-le avec un nombre supérieur à 0" in listed[0]
    assert "le champ du niveau est vide\u00a0; remplissez-le avec un nombre entier de 1 à 8" in listed[1]
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language, scenario", [("fr", FRENCH_SCENARIO), ("ar", ARABIC_SCENARIO)])
def test_learner_view_has_no_serious_axe_violation(devstack, browser, language, scenario):
    context = browser.new_context(extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    page.goto(f"{devstack['url']}/scenario/{scenario}/")
    page.wait_for_selector(".raqmya-assessment")
    assert page.locator(".raqmya-assessment").get_attribute("lang") == language
    assert _serious_violations(page, ".raqmya-assessment") == []
    context.close()


@pytest.mark.browser
def test_author_imports_spreadsheet_in_studio(devstack, browser, tmp_path):
    _create_author(devstack)
    base_url = devstack["url"]
    rows = [",".join(COLUMNS),
            "s-e2e,single,1.1,2,acculturation,1,Où chercher ? ⭐,,Ici,oui,Bravo,هناك,non" + "," * (len(COLUMNS) - 13),
            "s-bad,single,7.1,2,acculturation,1,Faux,,A,oui,,B,non" + "," * (len(COLUMNS) - 13)]
    sheet = tmp_path / "banque.csv"
    sheet.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    for language in ("ar", "fr"):
        context = browser.new_context(extra_http_headers={"Accept-Language": language})
        page = context.new_page()
        _log_in(page, base_url, AUTHOR, AUTHOR_PASSWORD)
        page.goto(f"{base_url}/scenario/{FRENCH_SCENARIO}/studio_view/")
        page.wait_for_selector(".raqmya-studio__question")
        assert _serious_violations(page, ".raqmya-assessment--studio") == []
        if language == "fr":
            page.set_input_files(".raqmya-studio__file", str(sheet))
            page.wait_for_selector(".raqmya-studio__confirm")
            ready = page.locator(".raqmya-studio__ready > li")
            assert ready.evaluate_all("items => items.map(item => item.dataset.questionId)") == ["s-e2e"]
            assert ready.locator("select").input_value() == "1.1"
            assert page.locator(".raqmya-studio__problems li").count() == 1
            before = page.locator(".raqmya-studio__question").count()
            page.click(".raqmya-studio__confirm")  # checked by the server, then added to the editor
            page.wait_for_function(
                f"document.querySelectorAll('.raqmya-studio__question').length === {before + 1}")
            page.click(".raqmya-studio__save")
            page.wait_for_function("document.querySelector('.raqmya-studio__status').textContent !== ''")
            assert page.locator(".raqmya-studio__status").inner_text() == "Enregistré."
            page.goto(f"{base_url}/scenario/{FRENCH_SCENARIO}/author_view/")
            assert page.locator("[data-question-id='s-e2e']").count() == 1
        context.close()


PROBLEMS_OLX = """<library>
<problem url_name="e2e-mcq" display_name="Mot de passe">
  <multiplechoiceresponse><label>Quel mot de passe est le plus sûr ?</label>
    <choicegroup type="MultipleChoice"><choice correct="false">123456</choice>
      <choice correct="true">Une longue phrase de passe</choice></choicegroup>
  </multiplechoiceresponse>
</problem>
<problem url_name="e2e-cb">
  <choiceresponse><label>Quelles données sont personnelles ?</label>
    <checkboxgroup><choice correct="true">Le nom</choice><choice correct="false">La météo</choice></checkboxgroup>
  </choiceresponse>
</problem>
</library>"""


def _save(page):
    page.click(".raqmya-studio__save")
    page.wait_for_function("document.querySelector('.raqmya-studio__status').textContent !== ''")


@pytest.mark.browser
def test_author_problem_values_and_errors(devstack, browser):
    _create_author(devstack)
    base_url = devstack["url"]
    context = browser.new_context(extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    _log_in(page, base_url, AUTHOR, AUTHOR_PASSWORD)
    studio = f"{base_url}/scenario/{FRENCH_SCENARIO}/studio_view/"
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    before = page.locator(".raqmya-studio__question").count()
    defaults = page.locator(".raqmya-studio__defaults")
    defaults.locator("select").select_option("2.3")
    defaults.locator("input[type=number]").first.fill("4")
    page.fill(".raqmya-studio__olx", PROBLEMS_OLX)
    page.locator(".raqmya-studio__olx").blur()  # the browser's change event, as when the author moves on
    page.wait_for_selector(".raqmya-studio__confirm")
    ready = page.locator(".raqmya-studio__ready > li")
    assert ready.evaluate_all("items => items.map(item => item.dataset.questionId)") == ["e2e-mcq", "e2e-cb"]
    assert [ready.nth(n).locator("select").input_value() for n in range(2)] == ["2.3", "2.3"]
    assert _serious_violations(page, ".raqmya-assessment--studio") == []

    # Each problem gets its own values; a bad one is named by its problem, and nothing is added.
    ready.nth(0).locator("select").select_option("5.1")
    ready.nth(1).get_by_label("Points").fill("0")
    page.click(".raqmya-studio__confirm")
    page.wait_for_selector(".raqmya-studio__import-errors li")
    errors = page.locator(".raqmya-studio__import-errors li").all_inner_texts()
    assert len(errors) == 1
    assert errors[0].startswith("Problème e2e-cb: les points 0 ne")
    assert page.locator(".raqmya-studio__question").count() == before
    ready.nth(1).get_by_label("Points").fill("2")
    page.click(".raqmya-studio__confirm")
    page.wait_for_function(f"document.querySelectorAll('.raqmya-studio__question').length === {before + 2}")
    _save(page)
    page.goto(f"{base_url}/scenario/{FRENCH_SCENARIO}/author_view/")
    track = page.locator("section[data-track='perfectionnement']")
    metas = {item: track.locator(f"[data-question-id='{item}'] .raqmya-assessment__meta").inner_text()
             for item in ("e2e-mcq", "e2e-cb")}
    assert metas == {"e2e-mcq": "5.1 · 4 · 1", "e2e-cb": "2.3 · 4 · 2"}

    # A save with faults in two fields of one question lists both, names the question and saves nothing.
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    first = page.locator(".raqmya-studio__question").first
    first.locator("textarea").first.fill("")
    first.get_by_label("Points").fill("0")
    page.click(".raqmya-studio__save")
    page.wait_for_selector(".raqmya-studio__errors li")
    listed = page.locator(".raqmya-studio__errors li").all_inner_texts()
    assert len(listed) == 2
    assert all(text.startswith("Erreur dans la question 1 (") for text in listed)
    assert "énoncé\u00a0: '' ne contient aucun texte" in listed[0]
    assert "les points 0 ne sont pas" in listed[1]
    assert "raqmya-studio__question--invalid" in page.locator(".raqmya-studio__question").first.get_attribute("class")
    assert page.locator(".raqmya-studio__status").inner_text() == ""

    # The content language: question fields, the learner view; the interface stays French.
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    page.fill("input[name=content_language]", "ar")
    page.locator("input[name=content_language]").blur()
    stem = page.locator(".raqmya-studio__question").first.locator("textarea").first
    assert (stem.get_attribute("lang"), stem.get_attribute("dir")) == ("ar", "rtl")
    _save(page)
    page.goto(f"{base_url}/scenario/{FRENCH_SCENARIO}/")
    block = page.locator(".raqmya-assessment")
    assert (block.get_attribute("lang"), block.get_attribute("dir")) == ("fr", "ltr")
    learner_stem = page.locator(".raqmya-assessment__stem").first
    assert (learner_stem.get_attribute("lang"), learner_stem.get_attribute("dir")) == ("ar", "rtl")
    assert _serious_violations(page, ".raqmya-assessment") == []
    page.goto(studio)
    page.wait_for_selector(".raqmya-studio__question")
    page.fill("input[name=content_language]", "")
    _save(page)
    context.close()


def _focused(page) -> str | None:
    return page.evaluate("document.activeElement.getAttribute('data-focus')")


@pytest.mark.browser
def test_studio_keyboard_focus_follows(devstack, browser):
    """Check that the focus stays on a question or choice moved by keyboard, and goes to the next after a delete."""
    context, page, _studio = _french_studio(devstack, browser)
    questions = page.locator(".raqmya-studio__question")
    count = questions.count()
    first_id = page.input_value("[data-focus=q0-id]")
    second_id = page.input_value("[data-focus=q1-id]")
    status = page.locator(".raqmya-studio__status")

    page.focus("[data-focus=q0-down]")
    page.keyboard.press("Enter")
    assert _focused(page) == "q1-down"
    assert page.input_value("[data-focus=q1-id]") == first_id
    assert page.input_value("[data-focus=q0-id]") == second_id
    assert status.inner_text() == "Question 1 déplacée en position 2."

    page.keyboard.press("Shift+Tab")  # from Descendre back to Monter, in the same question
    page.keyboard.press("Enter")
    assert _focused(page) == "q0-up"
    assert page.input_value("[data-focus=q0-id]") == first_id

    # At the top, Monter moves nothing and keeps the focus.
    page.keyboard.press("Enter")
    assert _focused(page) == "q0-up"

    choices = questions.first.locator(".raqmya-studio__choice")
    first_choice = page.input_value("[data-focus=q0-c0-id]")
    page.focus("[data-focus=q0-c0-down]")
    page.keyboard.press("Enter")
    assert _focused(page) == "q0-c1-down"
    assert page.input_value("[data-focus=q0-c1-id]") == first_choice
    assert status.inner_text() == "Choix 1 déplacé en position 2."

    before = choices.count()
    page.focus("[data-focus=q0-add-choice]")
    page.keyboard.press("Enter")
    assert choices.count() == before + 1
    assert _focused(page) == f"q0-c{before}-id"

    page.focus(f"[data-focus=q0-c{before}-delete]")
    page.keyboard.press("Enter")
    assert choices.count() == before
    assert _focused(page) == f"q0-c{before - 1}-id"
    assert status.inner_text() == f"Choix {before + 1} supprimé."

    page.focus("[data-focus=q0-delete]")
    page.keyboard.press("Enter")
    assert questions.count() == count - 1
    assert _focused(page) == "q0-id"
    assert page.input_value("[data-focus=q0-id]") == second_id
    assert status.inner_text() == "Question 1 supprimée."
    context.close()
