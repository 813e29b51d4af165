"""Tests of registration links: the join page, its signed cookie, the channel it gives at sign-up, the admin column."""

import datetime as dt
import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation

from raqmya_reports.admin import PromotionChannelAdmin
from raqmya_reports.registry import join
from raqmya_reports.registry.models import BeneficiaryProfile, PromotionChannel

pytestmark = pytest.mark.django_db

CODE = "CR-SETTAT-2026"
COOKIE = "raqmya_channel"


@pytest.fixture(name="channel")
def fixture_channel():
    return PromotionChannel.objects.create(code=CODE, name="Conseil régional de Casablanca-Settat",
                                           kind="regional_council",
                                           region_id="MA-06")


@pytest.fixture(name="other_channel")
def fixture_other_channel():
    return PromotionChannel.objects.create(code="ANAPEC-2026", name="ANAPEC", kind="other")


def _unsigned(response, name=COOKIE):
    """Return the code that the response's cookie contains, checked as the LMS checks it."""
    request = RequestFactory().get("/")
    request.COOKIES[name] = response.cookies[name].value
    return request.get_signed_cookie(name, salt=join.COOKIE_SALT, max_age=join.cookie_age())


def _aged_cookie(code: str, seconds: int) -> str:
    """Return a join cookie value for ``code`` signed ``seconds`` ago, as a browser would send it back."""
    signer = signing.get_cookie_signer(salt=COOKIE + join.COOKIE_SALT)
    value = f"{code}{signer.sep}{signing.b62_encode(int(time.time()) - seconds)}"
    return f"{value}{signer.sep}{signer.signature(value)}"


def test_join_usable_code_sets_signed_cookie(client, channel, settings):
    settings.RAQMYA_JOIN_REDIRECT_URL = "/register"
    response = client.get(f"/raqmya/join/{CODE}/")
    assert (response.status_code, response["Location"]) == (302, "/register")
    assert _unsigned(response) == CODE
    cookie = response.cookies[COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (2592000, True, "Lax")
    assert cookie.value != CODE


def test_join_cookie_default_session_domain(client, channel, settings):
    settings.SESSION_COOKIE_DOMAIN = ".raqmya.example"
    response = client.get(f"/raqmya/join/{CODE}/")
    assert response.cookies[COOKIE]["domain"] == ".raqmya.example"


def test_join_cookie_from_settings(client, channel, settings):
    settings.SESSION_COOKIE_DOMAIN = ".raqmya.example"
    settings.RAQMYA_JOIN_COOKIE_DOMAIN = "apps.raqmya.example"
    settings.RAQMYA_JOIN_COOKIE_NAME = "raqmya_link"
    settings.RAQMYA_JOIN_COOKIE_AGE = 3600
    response = client.get(f"/raqmya/join/{CODE}/")
    cookie = response.cookies["raqmya_link"]
    assert (cookie["domain"], cookie["max-age"]) == ("apps.raqmya.example", 3600)
    assert COOKIE not in response.cookies
    assert _unsigned(response, "raqmya_link") == CODE


def test_join_cookie_host_only_without_domain(client, channel):
    response = client.get(f"/raqmya/join/{CODE}/")
    assert response.cookies[COOKIE]["domain"] == ""


@pytest.mark.parametrize("change", [
    {"code": "CR-OTHER"},
    {"valid_until": dt.date(2020, 1, 31)},
    {"valid_from": dt.date(2099, 1, 1)},
    {"is_active": False},
])
def test_join_bad_code_dropped_and_redirected(client, channel, change, caplog, settings):
    settings.RAQMYA_JOIN_REDIRECT_URL = "/register"
    PromotionChannel.objects.filter(pk=channel.pk).update(**change)
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.join"):
        response = client.get(f"/raqmya/join/{CODE}/")
    assert (response.status_code, response["Location"]) == (302, "/register")
    assert COOKIE not in response.cookies
    assert [record.getMessage() for record in caplog.records] == [
        f"Join link with unknown, expired or inactive channel code {CODE!r}; code dropped, learner sent on to "
        "registration."
    ]


@pytest.mark.parametrize(("target", "location"), [
    ("/courses/course-v1:Raqmya+DIGI101+2026/about", "/register?next=%2Fcourses%2Fcourse-v1%3ARaqmya%2BDIGI101%2B2026"
                                                     "%2Fabout"),
    ("https://evil.example/phish", "/register"),
    ("//evil.example/phish", "/register"),
    ("javascript:alert(1)", "/register"),
    ("http://testserver/dashboard", "/register?next=http%3A%2F%2Ftestserver%2Fdashboard"),
])
def test_join_next_kept_only_on_site(client, channel, settings, target, location):
    settings.RAQMYA_JOIN_REDIRECT_URL = "/register"
    response = client.get(f"/raqmya/join/{CODE}/", {"next": target})
    assert response["Location"] == location


def test_join_next_on_whitelisted_host(client, channel, settings):
    settings.RAQMYA_JOIN_REDIRECT_URL = "/register"
    settings.LOGIN_REDIRECT_WHITELIST = ["apps.raqmya.example"]
    response = client.get(f"/raqmya/join/{CODE}/", {"next": "https://apps.raqmya.example/learning/"})
    assert response["Location"] == "/register?next=https%3A%2F%2Fapps.raqmya.example%2Flearning%2F"


def test_join_next_added_to_query(client, channel, settings):
    settings.RAQMYA_JOIN_REDIRECT_URL = "https://apps.raqmya.example/authn/register?lang=ar&next=/old"
    response = client.get(f"/raqmya/join/{CODE}/", {"next": "/dashboard"})
    assert response["Location"] == "https://apps.raqmya.example/authn/register?lang=ar&next=%2Fdashboard"


def test_join_answers_only_get_and_head(client, channel):
    assert client.post(f"/raqmya/join/{CODE}/").status_code == 405
    assert client.head(f"/raqmya/join/{CODE}/").status_code == 302


def test_join_page_is_never_cached(client, channel):
    response = client.get(f"/raqmya/join/{CODE}/")
    assert "no-store" in response["Cache-Control"]


def test_channel_code_reads_a_fresh_cookie():
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = _aged_cookie(CODE, 60)
    assert join.channel_code(request, 7) == CODE


def test_channel_code_expired_cookie_ignored(caplog):
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = _aged_cookie(CODE, 31 * 24 * 3600)
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.join"):
        assert join.channel_code(request, 7) == ""
    assert [record.getMessage() for record in caplog.records] == [
        "Registration of user 7 carries an expired join cookie; ignored."
    ]


@pytest.mark.parametrize("value", [CODE, f"{CODE}:1abcde:forged-signature", "ANAPEC-2026:" + "x" * 40])
def test_channel_code_forged_cookie_ignored(caplog, value):
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = value
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.join"):
        assert join.channel_code(request, 7) == ""
    assert [record.getMessage() for record in caplog.records] == [
        "Registration of user 7 carries a join cookie with a bad signature; ignored."
    ]


def test_channel_code_without_request_or_cookie_is_empty():
    assert join.channel_code(None) == ""
    assert join.channel_code(RequestFactory().get("/")) == ""


def _register(client, **profile):
    """Register ``newcomer`` on the devstack's registration page, as a learner does by hand."""
    data = {
        "account-username": "newcomer",
        "account-password1": "Raqmya-pass-2026", "account-password2": "Raqmya-pass-2026",
        "profile-region": "MA-06", "profile-province": "MA-CAS", "profile-sector": "public_administration",
        "profile-consent": "on", **{f"profile-{name}": value for name, value in profile.items()},
    }
    response = client.post("/register/", data)
    assert response.status_code == 302, response.content.decode()
    return BeneficiaryProfile.objects.get(user__username="newcomer")


def test_link_followed_then_registration_counts_the_channel(client, channel):
    """The whole path: join link, registration page, registration event read in the request, profile's channel."""
    response = client.get(f"/raqmya/join/{CODE}/")
    assert response["Location"] == "/register/"
    assert "Conseil régional de Casablanca-Settat" in client.get("/register/").content.decode()
    profile = _register(client)
    assert profile.channel_id == channel.pk


def test_registration_keeps_the_channel_that_the_form_names(client, channel, other_channel):
    client.get(f"/raqmya/join/{CODE}/")
    profile = _register(client, channel_code="ANAPEC-2026")
    assert profile.channel_id == other_channel.pk


def test_registration_bad_form_code_takes_link(client, channel):
    client.get(f"/raqmya/join/{CODE}/")
    profile = _register(client, channel_code="NO-SUCH-CODE")
    assert profile.channel_id == channel.pk


def test_registration_with_a_forged_cookie_counts_no_channel(client, channel, caplog):
    client.cookies[COOKIE] = f"{CODE}:1abcde:forged-signature"
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.join"):
        profile = _register(client)
    assert profile.channel_id is None
    user_id = profile.user_id
    assert f"Registration of user {user_id} carries a join cookie with a bad signature; ignored." in caplog.messages


def test_registration_with_an_expired_cookie_counts_no_channel(client, channel):
    client.cookies[COOKIE] = _aged_cookie(CODE, 31 * 24 * 3600)
    assert _register(client).channel_id is None


def test_registration_after_the_channel_expired_counts_no_channel(client, channel, caplog):
    client.get(f"/raqmya/join/{CODE}/")
    PromotionChannel.objects.filter(pk=channel.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=2))
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.channels"):
        profile = _register(client)
    assert profile.channel_id is None
    assert [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING] == [
        f"Registration of user {profile.user_id} names expired or inactive channel code {CODE!r}; ignored."
    ]


def test_registration_goes_on_to_a_safe_next_url(client, channel):
    client.get(f"/raqmya/join/{CODE}/")
    data = {"account-username": "nextcomer", "account-password1": "Raqmya-pass-2026",
            "account-password2": "Raqmya-pass-2026", "profile-region": "MA-06", "profile-province": "MA-CAS",
            "profile-sector": "public_administration", "profile-consent": "on"}
    assert client.post("/register/?next=/raqmya/me/", data)["Location"] == "/raqmya/me/"


def test_admin_shows_full_join_link(client, channel):
    staff = get_user_model().objects.create_superuser("channel_admin", "admin@example.invalid", "Admin-pass-2026")
    client.force_login(staff)
    html = client.get("/admin/raqmya_reports/promotionchannel/").content.decode()
    url = f"http://testserver/raqmya/join/{CODE}/"
    assert f'<a href="{url}">{url}</a>' in html
    page = client.get(f"/admin/raqmya_reports/promotionchannel/{channel.pk}/change/").content.decode()
    assert f'<a href="{url}">{url}</a>' in page


def test_join_url_on_lms_root_url(channel, settings):
    settings.LMS_ROOT_URL = "https://lms.raqmya.example/"
    assert join.join_url(channel) == f"https://lms.raqmya.example/raqmya/join/{CODE}/"


@pytest.mark.parametrize(("language", "sentence"), [
    ("fr", "Vous arrivez par le lien d’inscription de Conseil régional de Casablanca-Settat."),
    ("ar", "وصلتَ عبر رابط التسجيل الخاص بـ Conseil régional de Casablanca-Settat."),
])
def test_register_page_names_channel_translated(client, channel, language, sentence):
    client.get(f"/raqmya/join/{CODE}/")
    client.cookies["openedx-language-preference"] = language
    assert sentence in client.get("/register/").content.decode()


def test_join_link_column_is_translated(channel):
    label = PromotionChannelAdmin.join_link.short_description
    with translation.override("fr"):
        french = str(label)
    with translation.override("ar"):
        arabic = str(label)
    assert (french, arabic) == ("lien d’inscription", "رابط التسجيل")


def test_join_link_in_lower_case_counts_the_channel(client, channel):
    """A code typed in lower case in the link keeps the stored code in the cookie and counts at sign-up."""
    response = client.get(f"/raqmya/join/{CODE.lower()}/")
    assert _unsigned(response) == CODE
    assert _register(client).channel_id == channel.pk


def test_registration_code_typed_in_lower_case_counts(client, channel):
    assert _register(client, channel_code=f" {CODE.lower()} ").channel_id == channel.pk


def test_channel_code_stored_in_capitals(db):
    assert PromotionChannel.objects.create(code=" casa26 ", name="Casablanca", kind="other").code == "CASA26"


def test_channel_code_in_mixed_case_still_matches(client):
    """A code stored before codes were stored in capitals matches in any case."""
    stored = PromotionChannel.objects.create(code="RABAT26", name="Rabat", kind="other")
    PromotionChannel.objects.filter(pk=stored.pk).update(code="Rabat26")
    client.get("/raqmya/join/RABAT26/")
    assert _register(client).channel_id == stored.pk


def test_channel_code_unique_in_any_case(channel):
    other = PromotionChannel(code=CODE.lower(), name="Copie", kind="other")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert list(error.value.message_dict) == ["code"]
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            other.full_clean()
    message = f"Un autre canal a déjà le code {CODE.lower()}. Choisissez un autre code."
    assert error.value.message_dict["code"] == [message]
