"""The programme dashboard in French and in Arabic, at desktop and phone widths, in Chromium on a live devstack.

Each page is saved as a screenshot under ``test-results/`` and checked with axe-core: no serious or
critical violation. A province operator's dashboard shows their province only.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results" / "dashboard"
LANGUAGE_COOKIE = "openedx-language-preference"
OPERATOR_PASSWORD = "Casablanca-operator-2026"
WIDTHS = {"desktop": 1280, "phone": 360}


@pytest.fixture(name="operator", scope="module")
def fixture_operator(devstack):
    """Give the demo's province operator a known password, in the devstack's own database."""
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "devstack" / "manage.py")]
    var = Path(devstack["log"]).parent
    environment = {"RAQMYA_DEVSTACK_VAR": str(var), "RAQMYA_DEBUG": "0", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [*manage, "raqmya_demo", "--learners", "0", f"--manager-password={devstack['manager_password']}",
         f"--operator-password={OPERATOR_PASSWORD}"],
        check=True, env=environment, capture_output=True,
    )
    return {"username": "operator_casablanca", "password": OPERATOR_PASSWORD}


def _page(browser, base_url, language, width, username, password, path="/raqmya/dashboard/", ready="#chart-regions"):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))
    page.goto(f"{base_url}{path}")
    page.wait_for_selector(ready)
    return context, page


def _serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    violations = Axe().run(page).response["violations"]
    return [(violation["id"], violation["impact"]) for violation in violations
            if violation["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_dashboard_language_layout_and_accessibility(devstack, browser, language, width_name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(browser, devstack["url"], language, WIDTHS[width_name], "programme_manager",
                          devstack["manager_password"])
    try:
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}-{width_name}.png"), full_page=True)
        direction = page.evaluate("document.documentElement.dir")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        drawn = page.evaluate("document.getElementById('chart-regions').width > 0")
        assert (direction, overflow, drawn) == ("rtl" if language == "ar" else "ltr", False, True)
        assert _serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "phase_label"), [("fr", "Phase"), ("ar", "المرحلة")])
def test_dashboard_phase_filter_on_a_phone(devstack, browser, language, phase_label):
    """Choose the pilot phase in the form at 360 px: the page reloads filtered, keeps the choice, stays usable."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(browser, devstack["url"], language, WIDTHS["phone"], "programme_manager",
                          devstack["manager_password"])
    try:
        assert page.locator("label[for=phase]").inner_text() == phase_label
        assert page.locator("label[for=cohort]").count() == 1
        page.select_option("#phase", "pilot")
        page.click("form.filter-form button[type=submit]")
        page.wait_for_url(re.compile(r"[?&]phase=pilot(&|$)"))
        page.wait_for_selector("#chart-regions")
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}-phone-pilot.png"), full_page=True)
        assert page.locator("#phase").input_value() == "pilot"
        assert page.locator(".downloads a").first.get_attribute("href").endswith("phase=pilot")
        assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
        assert _serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_dashboard_province_operator_sees_own_province_only(devstack, browser, operator):
    context, page = _page(browser, devstack["url"], "fr", 1280, operator["username"], operator["password"])
    try:
        page.screenshot(path=str(ARTIFACTS / "dashboard-operator-fr.png"), full_page=True)
        options = page.locator("#province option").evaluate_all("nodes => nodes.map(node => node.value)")
        assert options == ["", "MA-CAS"]
        response = page.goto(f"{devstack['url']}/raqmya/dashboard/?province=MA-RAB")
        assert response.status == 403
    finally:
        context.close()


LEARNER = "e2e_learner_me_page"
LEARNER_PASSWORD = "Me-page-360-px!"


@pytest.fixture(name="learner", scope="module")
def fixture_learner(devstack):
    """Create a learner without a reports role, in the devstack's own database."""
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "devstack" / "manage.py")]
    var = Path(devstack["log"]).parent
    environment = {"RAQMYA_DEVSTACK_VAR": str(var), "RAQMYA_DEBUG": "0", "PATH": "/usr/bin:/bin"}
    script = ("from django.contrib.auth import get_user_model; "
              f"get_user_model().objects.create_user(username={LEARNER!r}, password={LEARNER_PASSWORD!r})")
    subprocess.run([*manage, "shell", "-c", script], check=True, env=environment, capture_output=True)
    return {"username": LEARNER, "password": LEARNER_PASSWORD}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_learner_page_on_phone(devstack, browser, learner, language):
    """/raqmya/me/ at 360 px: no sideways scroll, a link back to the site and a way to log out."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(browser, devstack["url"], language, WIDTHS["phone"], learner["username"],
                          learner["password"], path="/raqmya/me/", ready="table.learner-levels")
    try:
        page.screenshot(path=str(ARTIFACTS / f"me-{language}-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.evaluate("document.querySelector('table.learner-levels').getBoundingClientRect().width") <= 360
        assert page.locator(".learner-nav a[href='/']").count() == 1
        assert page.locator(".learner-nav form[action='/logout/'] button").count() == 1
        assert _serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction", "heading"), [
    ("fr", "ltr", "Vous ne pouvez pas ouvrir cette page"), ("ar", "rtl", "لا يمكنك فتح هذه الصفحة"),
])
def test_refusal_page_on_phone(devstack, browser, learner, language, direction, heading):
    context, page = _page(browser, devstack["url"], language, WIDTHS["phone"], learner["username"],
                          learner["password"], path="/raqmya/dashboard/", ready="h1")
    try:
        page.screenshot(path=str(ARTIFACTS / f"dashboard-refused-{language}-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.dir") == direction
        assert page.locator("h1").inner_text() == heading
        assert page.locator("a.back-link").get_attribute("href") == "/raqmya/me/"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


# For each chart of named bars, its category axis: level labels, none skipped, the widest within its room,
# which is one bar's slot on a horizontal axis and the axis's own width on a vertical one.
CHART_LABELS_FIT = """() => ["chart-figures", "chart-regions", "chart-funnel"].map((id) => {
    const chart = window.Chart.getChart(id);
    const scale = chart.scales[chart.options.indexAxis];
    const room = scale.isHorizontal() ? scale.width / Math.max(scale.ticks.length, 1) : scale.width;
    return [id, scale.labelRotation, scale.ticks.length === scale.getLabels().length,
            scale._labelSizes.widest.width <= room && scale.left >= 0 && scale.right <= chart.width];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_dashboard_chart_labels_on_phone(devstack, browser, language):
    context, page = _page(browser, devstack["url"], language, WIDTHS["phone"], "programme_manager",
                          devstack["manager_password"])
    try:
        for chart_id, rotation, all_shown, fits in page.evaluate(CHART_LABELS_FIT):
            assert (chart_id, rotation, all_shown, fits) == (chart_id, 0, True, True)
        assert page.locator("#chart-figures + table, .chart + .table-scroll table").count() >= 2
    finally:
        context.close()
