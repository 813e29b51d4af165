"""Registration links: ``/raqmya/join/<code>/`` keeps a promotion channel's code in a signed cookie until sign-up.

The LMS and its authn micro-frontend do not carry a channel code from a link into sign-up, so the
join page stores the code in a cookie and redirects to the registration page. The receiver of
``STUDENT_REGISTRATION_COMPLETED`` reads the cookie through ``channel_code`` and gives the profile
that channel unless the form named one. An invalid code, or a forged or expired cookie, is logged
and dropped, so it never prevents a registration.

NOTE: the receiver cannot delete the cookie, so another account registered in the same browser
before the cookie expires counts for the same channel.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .localtime import local_date
from .models import PromotionChannel

log = logging.getLogger(__name__)

# Separates these signatures from every other value signed with the site's SECRET_KEY.
COOKIE_SALT = "raqmya_reports.registry.join"
CODE_LENGTH = 64


def cookie_name() -> str:
    """Return the name of the cookie that contains the code."""
    # .. setting_name: RAQMYA_JOIN_COOKIE_NAME
    # .. setting_default: "raqmya_channel"
    # .. setting_description: Name of the signed cookie in which the page /raqmya/join/<code>/ keeps a
    #   promotion channel's code until the learner registers.
    return getattr(settings, "RAQMYA_JOIN_COOKIE_NAME", "raqmya_channel")


def cookie_age() -> int:
    """Return how long the code counts after the join link was followed, in seconds."""
    # .. setting_name: RAQMYA_JOIN_COOKIE_AGE
    # .. setting_default: 2592000
    # .. setting_description: Seconds during which a registration counts for the channel of the join
    #   link the learner followed (30 days by default). An older cookie is ignored.
    return int(getattr(settings, "RAQMYA_JOIN_COOKIE_AGE", 30 * 24 * 3600))


def cookie_domain() -> str | None:
    """Return the cookie's domain: the setting, else the LMS session cookie's domain."""
    # .. setting_name: RAQMYA_JOIN_COOKIE_DOMAIN
    # .. setting_default: None
    # .. setting_description: Domain of the join link's cookie. None takes the LMS's
    #   SESSION_COOKIE_DOMAIN, so that the registration posted by the authn micro-frontend on a
    #   subdomain reaches the LMS with the cookie.
    domain = getattr(settings, "RAQMYA_JOIN_COOKIE_DOMAIN", None)
    return domain or getattr(settings, "SESSION_COOKIE_DOMAIN", None) or None


def registration_url() -> str:
    """Return the URL of the registration page that the join page redirects to."""
    # .. setting_name: RAQMYA_JOIN_REDIRECT_URL
    # .. setting_default: "/register"
    # .. setting_description: Registration page that /raqmya/join/<code>/ sends the learner to, with
    #   the link's ``next`` parameter when it points to this site. The LMS's /register opens the authn
    #   micro-frontend when the site uses it.
    return getattr(settings, "RAQMYA_JOIN_REDIRECT_URL", "/register")


def usable_channel(code: str) -> PromotionChannel | None:
    """Return the channel of ``code``, in any case, if a newcomer arriving today counts for it, else ``None``."""
    channel = PromotionChannel.objects.filter(code__iexact=code).first()
    if channel is None or not channel.is_usable_on(local_date(timezone.now())):
        return None
    return channel


@never_cache
@require_safe
def join(request, code: str):
    """Keep a usable channel code in the cookie, then redirect to the registration page in any case."""
    code = code.strip()[:CODE_LENGTH]
    response = HttpResponseRedirect(_with_next(registration_url(), _safe_next(request)))
    channel = usable_channel(code)
    if channel is None:
        log.warning("Join link with unknown, expired or inactive channel code %r; code dropped, "
                    "learner sent on to registration.", code)
        return response
    response.set_signed_cookie(
        cookie_name(), channel.code, salt=COOKIE_SALT, max_age=cookie_age(), domain=cookie_domain(),
        secure=request.is_secure(), httponly=True, samesite="Lax",
    )
    log.info("Join link of channel %s followed; code kept for registration.", channel.code)
    return response


def channel_code(request, user_id=None) -> str:
    """Return the channel code of the request's join cookie, or "" without one or for a bad one (logged)."""
    name = cookie_name()
    if request is None or name not in getattr(request, "COOKIES", {}):
        return ""
    try:
        return request.get_signed_cookie(name, salt=COOKIE_SALT, max_age=cookie_age())
    except signing.SignatureExpired:
        log.warning("Registration of user %s carries an expired join cookie; ignored.", user_id)
    except signing.BadSignature:
        log.warning("Registration of user %s carries a join cookie with a bad signature; ignored.", user_id)
    return ""


def join_url(channel: PromotionChannel, request=None) -> str:
    """Return the full URL of the channel's join link, on ``LMS_ROOT_URL`` or else the request's host."""
    try:
        path = reverse("raqmya_reports:join", kwargs={"code": channel.code})
    except NoReverseMatch:
        # Studio's admin: the join page is mounted in the LMS only.
        path = f"/raqmya/join/{quote(channel.code, safe='')}/"
    root = getattr(settings, "LMS_ROOT_URL", "")
    if root:
        return root.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def _safe_next(request) -> str:
    """Return the link's ``next`` when it stays on this site or a host of ``LOGIN_REDIRECT_WHITELIST``, else ""."""
    target = request.GET.get("next", "")
    if not target:
        return ""
    hosts = {request.get_host(), *getattr(settings, "LOGIN_REDIRECT_WHITELIST", [])}
    if url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
        return target
    log.warning("Join link %s has a next URL outside the site and its allowed hosts; next dropped.", request.path)
    return ""


def _with_next(url: str, target: str) -> str:
    """Return ``url`` with ``next=target`` added to its query, or unchanged without a target."""
    if not target:
        return url
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "next"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("next", target)])))
