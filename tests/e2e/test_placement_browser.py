"""The placement test in Chromium on a live devstack: a French run on a phone that ends on a track and courses."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from raqmya_xblocks.assessment.scenarios import FRENCH_QUESTIONS

from .conftest import REPOSITORY

FRENCH_SCENARIO = "raqmya_placement.0"
LEARNER = "e2e_learner_placement"
LEARNER_PASSWORD = "Agadir-2026-niveau!"
ACCULTURATION_COURSE = "course-v1:Raqmya+ACC101+2026"
PERFECTIONNEMENT_COURSE = "course-v1:Raqmya+PERF301+2026"
SERIOUS = {"serious", "critical"}

CATALOGUE_SCRIPT = f"""
from raqmya_reports.registry.models import CatalogueEntry, Course
for key, track, name in (("{ACCULTURATION_COURSE}", "acculturation", "Premiers pas numériques"),
                         ("{PERFECTIONNEMENT_COURSE}", "perfectionnement", "Données avancées")):
    course, _ = Course.objects.get_or_create(course_key=key, defaults={{"display_name": name}})
    CatalogueEntry.objects.get_or_create(course=course, defaults={{"tracks": [track], "hours": 10}})
"""


def _serious_violations(page, selector: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    results = Axe().run(page, context=selector)
    return [f"{v['id']} ({v['impact']})" for v in results.response["violations"] if v["impact"] in SERIOUS]


def _add_catalogue(devstack) -> None:
    """List one course per track in the devstack's catalogue, open to every level."""
    environment = {**os.environ, "RAQMYA_DEVSTACK_VAR": str(devstack["log"].parent), "RAQMYA_DEBUG": "0"}
    environment.pop("RAQMYA_DATABASE_URL", None)
    subprocess.run([sys.executable, str(REPOSITORY / "devstack" / "manage.py"), "shell", "-c", CATALOGUE_SCRIPT],
                   check=True, env=environment, stdout=subprocess.DEVNULL)


def _register(page, base_url) -> None:
    """Register an employee of a private company, whom the sector puts in the perfectionnement track."""
    page.goto(f"{base_url}/register/")
    page.fill("input[name='account-username']", LEARNER)
    page.fill("input[name='account-password1']", LEARNER_PASSWORD)
    page.fill("input[name='account-password2']", LEARNER_PASSWORD)
    page.select_option("select[name='profile-region']", "MA-09")
    page.select_option("select[name='profile-province']", "MA-AGD")
    page.select_option("select[name='profile-sector']", "private_company")
    page.check("input[name='profile-consent']")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
def test_french_placement_run_ends_on_the_recommended_track_and_courses(devstack, browser):
    base_url = devstack["url"]
    _add_catalogue(devstack)
    context = browser.new_context(locale="fr-MA", extra_http_headers={"Accept-Language": "fr"},
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    _register(page, base_url)
    page.goto(f"{base_url}/scenario/{FRENCH_SCENARIO}/")
    block = page.locator(".raqmya-placement")
    assert block.get_attribute("lang") == "fr"
    assert _serious_violations(page, ".raqmya-placement") == []
    page.select_option("select[data-area='4']", "2")
    block.get_by_role("button", name="Commencer le test").click()
    wrong = {q["id"]: next(c["id"] for c in q["choices"] if not c["correct"]) for q in FRENCH_QUESTIONS}
    served = []
    for _step in range(len(FRENCH_QUESTIONS)):
        form = page.locator(".raqmya-placement__item")
        form.wait_for(timeout=15000)
        item = form.get_attribute("data-item")
        served.append(item)
        form.locator(f"input[value='{wrong[item]}']").check()
        if served == [item]:
            assert _serious_violations(page, ".raqmya-placement") == []
        form.get_by_role("button", name="Suivant").click()
        page.wait_for_function(f"!document.querySelector(\".raqmya-placement__item[data-item='{item}']\")")
    page.wait_for_selector(".raqmya-placement__result", timeout=15000)
    assert sorted(served) == sorted(wrong)
    assert block.locator(".raqmya-placement__track strong").inner_text() == "Acculturation digitale"
    # The catalogue's titles, not the course keys; the stand-in LMS has no about page to link to. The
    # demo's catalogue is there too, so the list has more courses than this test's.
    titles = block.locator(".raqmya-placement__courses li").all_inner_texts()
    assert "Premiers pas numériques" in titles
    assert "Données avancées" not in titles
    assert [title for title in titles if title.startswith("course-v1:")] == []
    assert block.locator(".raqmya-placement__courses a").count() == 0
    assert page.evaluate("document.activeElement.textContent") == "Votre résultat"
    assert _serious_violations(page, ".raqmya-placement") == []
    page.goto(f"{base_url}/raqmya/me/")
    assert re.search(r"Acculturation digitale", page.locator("main").inner_text()) is not None
    assert "Premiers pas numériques" in page.locator("main").inner_text()
    context.close()


@pytest.mark.browser
def test_arabic_placement_is_right_to_left_without_serious_axe_violation(devstack, browser):
    context = browser.new_context(extra_http_headers={"Accept-Language": "ar"}, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{devstack['url']}/scenario/raqmya_placement.1/")
    block = page.locator(".raqmya-placement")
    block.wait_for()
    assert block.get_attribute("dir") == "rtl"
    assert block.get_by_role("button", name="ابدأ الاختبار").count() == 1
    assert _serious_violations(page, ".raqmya-placement") == []
    context.close()
