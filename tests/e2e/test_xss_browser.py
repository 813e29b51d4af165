"""Stored HTML and script in every field an author or a learner can fill, opened in Chromium: nothing runs.

Each payload would set ``window.__xss`` if the browser ran it. The tests store the payloads the way
people do: Studio's save handler, the registration form and the join link. Names and cohorts, which
the admin writes, go straight into the database. Every page that shows them is then opened. The
flag must stay undefined, no element may carry an ``on*`` attribute, and text fields must show the
payload as text. Exports must reach the browser as files, with formula cells neutralised.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from raqmya_xblocks.assessment.scenarios import FRENCH_TITLE
from raqmya_xblocks.placement.scenarios import FRENCH_TITLE as PLACEMENT_TITLE

from .conftest import REPOSITORY, _free_port, _wait_for

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload="window.__xss=1">'

DISPLAY_NAME = "Évaluation " + SVG
TAGS = [SVG, SCRIPT]
CHANNEL_NAME = "Canal " + SVG
COHORT_NAME = "@Cohorte " + IMG
COURSE_NAME = "+Cours " + SCRIPT
ORGANISATION = '=HYPERLINK("http://x.test","y")' + IMG
FIRST_NAME = "-Zoé " + SVG
LAST_NAME = SCRIPT
COURSE_KEY = "course-v1:Xss+X1+2026"
LEARNER, LEARNER_PASSWORD = "xss_learner", "Tizi-n-Test 2026 kelma"
AUTHOR, AUTHOR_PASSWORD = "xss_author", "Xss-Author-2026!"


def _question(question_id: str, competence: str = "4.2", level: int = 2) -> dict:
    return {
        "id": question_id,
        "type": "single",
        "stem": "<p><b>gras</b> " + IMG + SCRIPT + "</p>",
        "choices": [
            {"id": "a", "text": "Choix A " + SVG, "correct": True, "feedback": "Bravo " + IMG},
            {"id": "b", "text": SCRIPT + "Choix B", "correct": False, "feedback": SVG},
        ],
        "competence": competence,
        "level": level,
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
        "explanation": "Explication " + IMG,
        "tags": TAGS,
    }


QUESTIONS = [_question("xss-1"), _question("xss-2")]
# A placement bank: items of every DigComp area at several levels, all carrying the payloads.
PLACEMENT_ITEMS = [_question(f"xss-p{area}-{level}", f"{area}.1", level) for area in range(1, 6) for level in (1, 3, 5)]

SEED = f"""
import datetime
from django.contrib.auth import get_user_model
from raqmya_reports.registry.choices import ChannelKind
from raqmya_reports.delivery.models import ReportScope
from raqmya_reports.registry.models import CatalogueEntry, Cohort, Course, PromotionChannel
manager = get_user_model().objects.get(username="programme_manager")
ReportScope.objects.create(user=manager, role=ReportScope.Role.PROGRAMME_MANAGER, can_see_identities=True)
author = get_user_model().objects.create_user({AUTHOR!r}, password={AUTHOR_PASSWORD!r}, is_staff=True)
PromotionChannel.objects.create(code="xss-channel", name={CHANNEL_NAME!r}, kind=ChannelKind.values[0])
year = datetime.date.today().year
Cohort.objects.create(name={COHORT_NAME!r}, track="acculturation", phase="pilot", programme_year=year,
                      starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31), capacity=30)
course = Course.objects.create(course_key={COURSE_KEY!r}, display_name={COURSE_NAME!r})
CatalogueEntry.objects.create(course=course, tracks=["perfectionnement", "acculturation"], hours=10, level=1,
                              competences=["4.2"])
"""

LEARNER_FACTS = f"""
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from devstack import platform_events
from raqmya_reports.registry.models import Cohort, CohortMembership
learner = get_user_model().objects.get(username={LEARNER!r})
learner.first_name, learner.last_name = {FIRST_NAME!r}, {LAST_NAME!r}
learner.save()
cohort = Cohort.objects.get(name={COHORT_NAME!r})
CohortMembership.objects.create(user=learner, cohort=cohort, programme_year=cohort.programme_year)
platform_events.send_enrollment(learner, {COURSE_KEY!r}, timezone.now())
"""


@pytest.fixture(scope="module", name="stack")
def fixture_stack(tmp_path_factory):
    """Serve a devstack of its own, so the payloads reach no other browser test; yield its URL and passwords."""
    var = tmp_path_factory.mktemp("xss-devstack-var")
    environment = {**os.environ, "RAQMYA_DEVSTACK_VAR": str(var), "RAQMYA_DEBUG": "0"}
    environment.pop("RAQMYA_DATABASE_URL", None)
    manage = [sys.executable, str(REPOSITORY / "devstack" / "manage.py")]
    password = secrets.token_urlsafe(12)
    subprocess.run([*manage, "migrate", "--run-syncdb", "--verbosity", "0"], check=True, env=environment)
    subprocess.run([*manage, "raqmya_demo", "--learners", "5", f"--manager-password={password}",
                    f"--admin-password={password}"], check=True, env=environment, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "shell", "-c", SEED], check=True, env=environment)
    port = _free_port()
    with (var / "server.log").open("w") as log_file:
        server = subprocess.Popen(  # pylint: disable=consider-using-with
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            env=environment, stdout=log_file, stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base_url}/login/", server)
            yield {"url": base_url, "manager_password": password, "admin_password": password, "manage": manage,
                   "environment": environment}
        finally:
            server.terminate()
            server.wait(timeout=20)


def _log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


def _assert_nothing_ran(page, where: str) -> None:
    """Check that no payload ran and that no element of the page carries an event handler attribute."""
    page.wait_for_timeout(400)  # an <img> error or an <svg> load fires after the page's own load
    assert page.evaluate("window.__xss") is None, f"a payload ran in {where}"
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(element => [...element.attributes]"
        ".filter(attribute => attribute.name.startsWith('on'))"
        ".map(attribute => element.tagName + ' ' + attribute.name))"
    )
    assert handlers == [], f"event handler attributes in {where}: {handlers}"


@pytest.mark.browser
def test_xss_probe_sees_a_payload_that_runs(browser):
    """The check itself: the same payloads, put in a page as markup, do set the flag."""
    page = browser.new_page()
    page.set_content(f"<main>{IMG}{SVG}</main>")
    page.wait_for_timeout(400)
    assert page.evaluate("window.__xss") == 1
    page.close()


def _payload_elements(page, root: str) -> list:
    """Return the <img>, <svg> and <script> elements under ``root`` that a payload put there.

    A JSON data block may carry a payload when every ``<`` in it is escaped: it then cannot end its element.
    """
    return page.evaluate(
        "root => [...document.querySelectorAll(root + ' img, ' + root + ' svg, ' + root + ' script')]"
        ".filter(element => element.outerHTML.includes('__xss'))"
        ".filter(element => element.type !== 'application/json' || element.textContent.includes('<'))"
        ".map(element => element.outerHTML)", root,
    )


def _watch(page, dialogs: list) -> None:
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))


def _save_as_author(browser, stack, title: str, root: str, body: dict) -> str:
    """Post ``body`` to the Studio save handler of the scenario called ``title`` as its author; return its path."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    _log_in(page, stack["url"], AUTHOR, AUTHOR_PASSWORD)
    page.goto(f"{stack['url']}/")
    path = page.get_by_role("link", name=title).get_attribute("href")
    page.goto(f"{stack['url']}{path}")
    usage_id = page.locator("[data-usage]").filter(has=page.locator(root)).last.get_attribute("data-usage")
    token = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "csrftoken")
    response = context.request.post(
        f"{stack['url']}/handler/{usage_id}/studio_save/", data=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": stack["url"]},
    )
    assert response.status == 200, response.text()
    context.close()
    return path


@pytest.fixture(scope="module", name="scenario")
def fixture_scenario(stack, browser):
    """Store the payloads in the French assessment through Studio's save handler; return its page path."""
    return _save_as_author(browser, stack, FRENCH_TITLE, ".raqmya-assessment", {
        "settings": {"display_name": DISPLAY_NAME, "max_attempts": 3, "show_answer": "always"},
        "questions": QUESTIONS,
    })


@pytest.fixture(scope="module", name="learner")
def fixture_learner(stack, browser):
    """Register the learner through the payload channel's join link with the payload organisation."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    page.goto(f"{stack['url']}/raqmya/join/xss-channel/")
    assert CHANNEL_NAME in page.locator("main").inner_text()
    _assert_nothing_ran(page, "the registration page of the join link")
    page.fill("input[name='account-username']", LEARNER)
    page.fill("input[name='account-password1']", LEARNER_PASSWORD)
    page.fill("input[name='account-password2']", LEARNER_PASSWORD)
    page.select_option("select[name='profile-region']", "MA-06")
    page.select_option("select[name='profile-province']", "MA-CAS")
    page.select_option("select[name='profile-sector']", "general_public")
    page.fill("input[name='profile-organisation']", ORGANISATION)
    page.check("input[name='profile-consent']")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/register/" not in page.url, page.locator("main").inner_text()
    assert dialogs == []
    subprocess.run([*stack["manage"], "shell", "-c", LEARNER_FACTS], check=True, env=stack["environment"])
    yield context
    context.close()


@pytest.mark.browser
def test_xss_learner_view_and_review_run_nothing(stack, scenario, learner):
    page = learner.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    page.goto(f"{stack['url']}{scenario}")
    block = page.locator(".raqmya-assessment")
    _assert_nothing_ran(page, "the learner view")
    assert block.locator("b", has_text="gras").count() == len(QUESTIONS)
    assert block.locator("script, svg, img").count() == 0
    # The display name is text; a choice is sanitised HTML, so the tags are gone and the text is kept.
    assert DISPLAY_NAME in block.inner_text()
    assert "Choix A" in block.inner_text()
    for fieldset in block.locator("fieldset").all():
        fieldset.locator("input[value='a']").check()
    block.locator("button[type=submit]").click()
    page.wait_for_selector(".raqmya-assessment__mark[data-result]", timeout=15000)
    _assert_nothing_ran(page, "the learner view after the review")
    review = block.locator("[data-feedback-for]").first.inner_text()
    assert "Bravo" in review
    assert "Explication" in review
    assert dialogs == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", ["studio_view", "author_view"])
def test_xss_studio_and_author_views_run_nothing(stack, scenario, browser, view):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    _log_in(page, stack["url"], AUTHOR, AUTHOR_PASSWORD)
    page.goto(f"{stack['url']}{scenario}{view}/")
    page.wait_for_load_state("networkidle")
    _assert_nothing_ran(page, view)
    if view == "author_view":
        assert page.locator(".raqmya-assessment__tag").all_inner_texts()[:2] == TAGS
    else:
        # The editor fills its inputs from the stored questions: the display name arrives as a value.
        values = page.evaluate("() => [...document.querySelectorAll('input, textarea')].map(input => input.value)")
        assert DISPLAY_NAME in values
    assert dialogs == []
    context.close()


@pytest.mark.browser
def test_xss_learner_page_shows_cohort_as_text(stack, learner):
    page = learner.new_page()
    page.goto(f"{stack['url']}/raqmya/me/")
    _assert_nothing_ran(page, "/raqmya/me/")
    assert COHORT_NAME in page.locator("main").inner_text()
    page.close()


@pytest.fixture(name="manager")
def fixture_manager(stack, browser, learner):  # pylint: disable=unused-argument
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    _log_in(page, stack["url"], "programme_manager", stack["manager_password"])
    yield context, page
    context.close()


@pytest.mark.browser
def test_xss_dashboard_shows_cohort_and_course_as_text(stack, manager):
    _, page = manager
    dialogs: list = []
    _watch(page, dialogs)
    page.goto(f"{stack['url']}/raqmya/dashboard/")
    _assert_nothing_ran(page, "the dashboard")
    assert COURSE_NAME in page.locator("#course-heading ~ div tbody th").all_inner_texts()
    options = page.locator("select[name=cohort] option").all_inner_texts()
    assert COHORT_NAME in [option.strip() for option in options]
    page.goto(f"{stack['url']}/raqmya/dashboard/?course={COURSE_KEY}")
    _assert_nothing_ran(page, "the dashboard filtered by the course")
    page.goto(f"{stack['url']}/raqmya/audit/")
    _assert_nothing_ran(page, "the audit log")
    assert dialogs == []


@pytest.mark.browser
def test_xss_learner_exports_are_files_with_neutral_cells(stack, manager):
    context, _ = manager
    year = datetime.date.today().year
    csv_response = context.request.get(f"{stack['url']}/raqmya/exports/learners.csv?year={year}")
    assert csv_response.status == 200, csv_response.text()
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.headers["content-disposition"].startswith("attachment")
    assert csv_response.headers["x-content-type-options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(csv_response.body().decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert "'" + FIRST_NAME in cells
    assert LAST_NAME in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) and "window.__xss" in cell for cell in cells)

    xlsx_response = context.request.get(f"{stack['url']}/raqmya/exports/learners.xlsx?year={year}")
    assert xlsx_response.status == 200
    assert xlsx_response.headers["content-disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(xlsx_response.body()), read_only=True).worksheets[0]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert any(FIRST_NAME in value for value in values)
    assert not any(value.startswith("=") for value in values)

    api = context.request.get(f"{stack['url']}/api/raqmya/v1/learners/?year={year}")
    assert api.headers["content-type"].startswith("application/json")
    assert FIRST_NAME in [row["first_name"] for row in api.json()["results"]]


@pytest.fixture(scope="module", name="placement")
def fixture_placement(stack, browser):
    """Store the payloads in the placement test's item bank through Studio's save handler; return its page path."""
    return _save_as_author(browser, stack, PLACEMENT_TITLE, ".raqmya-placement", {
        "settings": {"display_name": DISPLAY_NAME, "self_assessment": False}, "questions": PLACEMENT_ITEMS,
    })


@pytest.mark.browser
def test_xss_placement_items_run_nothing(stack, placement, learner):
    path = placement
    page = learner.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    page.goto(f"{stack['url']}{path}")
    block = page.locator(".raqmya-placement")
    _assert_nothing_ran(page, "the placement test's first page")
    assert DISPLAY_NAME in block.inner_text()
    block.locator("form[data-handler] button").first.click()
    # Each item arrives as HTML from the handler and goes into the page through innerHTML.
    seen: list = []
    for step in range(3):
        item = block.locator("form[data-item]" + "".join(f":not([data-item='{i}'])" for i in seen))
        item.wait_for(timeout=15000)
        seen.append(item.get_attribute("data-item"))
        _assert_nothing_ran(page, f"placement item {step + 1}")
        assert block.locator("script, svg, img").count() == 0
        assert block.locator("b", has_text="gras").count() == 1
        item.locator("input").first.check()
        item.locator("button").click()
    assert len(set(seen)) == 3
    assert dialogs == []
    page.close()


@pytest.mark.browser
def test_xss_placement_studio_view_runs_nothing(stack, placement, browser):
    """The item bank editor fills its fields from the stored items: stems, choices and feedback stay values."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    _log_in(page, stack["url"], AUTHOR, AUTHOR_PASSWORD)
    page.goto(f"{stack['url']}{placement}studio_view/")
    page.wait_for_load_state("networkidle")
    _assert_nothing_ran(page, "the placement test's Studio view")
    assert _payload_elements(page, "body") == []
    values = page.evaluate("() => [...document.querySelectorAll('input, textarea')].map(input => input.value)")
    assert DISPLAY_NAME in values
    item = PLACEMENT_ITEMS[0]
    for text in (item["stem"], item["choices"][0]["text"], item["choices"][1]["text"], item["choices"][0]["feedback"]):
        assert text in values, text
    assert dialogs == []
    context.close()


AUDIT_ENTRY = f"""
from raqmya_reports.delivery.models import AuditLogEntry
AuditLogEntry.objects.create(action=AuditLogEntry.Action.values[0], report={SVG!r}, output_format="csv",
                             filters={{"cohort": {COHORT_NAME!r}}}, scope={IMG!r})
"""


@pytest.fixture(scope="module", name="admin")
def fixture_admin(stack, browser, learner):  # pylint: disable=unused-argument
    """Sign the devstack's superuser in to the Django admin once the learner and a payload audit entry exist."""
    subprocess.run([*stack["manage"], "shell", "-c", AUDIT_ENTRY], check=True, env=stack["environment"])
    context = browser.new_context(locale="fr-FR")
    _log_in(context.new_page(), stack["url"], "devstack_admin", stack["admin_password"])
    yield context
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("model, query, shown", [
    ("beneficiaryprofile", f"?q={LEARNER}", None),
    ("promotionchannel", "?q=xss-channel", CHANNEL_NAME),
    ("cohort", "?q=Cohorte", COHORT_NAME),
    ("auditlogentry", "", SVG),
])
def test_xss_admin_lists_run_nothing(stack, admin, model, query, shown):
    """Each list shows its payload column as text; the profile list has none, its organisation is on the change page."""
    page = admin.new_page()
    dialogs: list = []
    _watch(page, dialogs)
    response = page.goto(f"{stack['url']}/admin/raqmya_reports/{model}/{query}")
    assert response.status == 200
    _assert_nothing_ran(page, f"the admin list of {model}")
    results = page.locator("#result_list tbody tr")
    assert results.count() >= 1
    assert _payload_elements(page, "#result_list") == []
    if shown is not None:
        assert shown in [cell.strip() for cell in page.locator("#result_list tbody td, #result_list tbody th")
                         .all_inner_texts()]
    assert dialogs == []
    page.close()


@pytest.mark.browser
def test_xss_admin_profile_page_runs_nothing(stack, admin):
    """The organisation that the learner typed at registration arrives in the change form as a value."""
    page = admin.new_page()
    page.goto(f"{stack['url']}/admin/raqmya_reports/beneficiaryprofile/?q={LEARNER}")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_load_state()
    assert "/change/" in page.url
    _assert_nothing_ran(page, "the admin change page of the beneficiary profile")
    assert page.locator("input[name=organisation], textarea[name=organisation]").input_value() == ORGANISATION
    assert _payload_elements(page, "#content") == []
    page.close()
