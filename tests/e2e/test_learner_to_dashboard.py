"""From a learner's Arabic assessment to the manager's dashboard, in Chromium on a live devstack."""

import re

import pytest

from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS, ARABIC_TITLE

REGION = "MA-05"  # Béni Mellal-Khénifra
PROVINCE = "MA-AZI"  # Azilal, a province of that region
LEARNER = "e2e_learner_azilal"
LEARNER_PASSWORD = "Azilal-2026-rtl!"
CORRECT_CHOICE = {
    question["id"]: next(choice["id"] for choice in question["choices"] if choice["correct"])
    for question in ARABIC_QUESTIONS
}


def _log_in(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


def _region_passed(page, base_url):
    """Return the number of beneficiaries who passed in REGION, read from the dashboard's region table."""
    page.goto(f"{base_url}/raqmya/dashboard/")
    row = page.locator(f"tr[data-region='{REGION}']")
    return int(row.locator("[data-figure='passed']").inner_text().strip())


@pytest.mark.browser
def test_arabic_assessment_reaches_dashboard(devstack, browser):
    base_url = devstack["url"]
    manager = browser.new_context(locale="fr-FR")
    manager_page = manager.new_page()
    _log_in(manager_page, base_url, "programme_manager", devstack["manager_password"])
    passed_before = _region_passed(manager_page, base_url)

    learner = browser.new_context(locale="ar-MA", extra_http_headers={"Accept-Language": "ar"})
    page = learner.new_page()
    page.goto(f"{base_url}/register/")
    page.fill("input[name='account-username']", LEARNER)
    page.fill("input[name='account-password1']", LEARNER_PASSWORD)
    page.fill("input[name='account-password2']", LEARNER_PASSWORD)
    page.select_option("select[name='profile-region']", REGION)
    page.select_option("select[name='profile-province']", PROVINCE)
    page.select_option("select[name='profile-sector']", "general_public")
    page.check("input[name='profile-consent']")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")

    page.get_by_role("link", name=ARABIC_TITLE).click()
    block = page.locator(".raqmya-assessment")
    assert block.get_attribute("dir") == "rtl"
    assert block.get_attribute("lang") == "ar"
    question_ids = [
        fieldset.get_attribute("data-question-id") for fieldset in block.locator("fieldset").all()
    ]
    assert len(question_ids) >= 2
    for question_id in question_ids:
        fieldset = block.locator(f"fieldset[data-question-id='{question_id}']")
        fieldset.locator(f"input[value='{CORRECT_CHOICE[question_id]}']").check()
    block.locator("button[type=submit]").click()
    # The block marks every question, then writes the score, in the same step once the grade is back.
    page.wait_for_selector(".raqmya-assessment__mark[data-result]", timeout=15000)
    marks = [mark.get_attribute("data-result") for mark in block.locator("[data-mark-for]").all()]
    assert marks == ["right"] * len(question_ids)
    result = block.locator(".raqmya-assessment__result").inner_text()
    assert f"{len(question_ids)}/{len(question_ids)}" in result.replace(" ", "")

    assert _region_passed(manager_page, base_url) == passed_before + 1
    manager.close()
    learner.close()
