"""Attempt claims: each (learner state, block, attempt number) is graded once, even under parallel requests.

The learner view gives each form the number of the attempt it was rendered for, and the learner
state a random form token when a form is first served. A submission first claims the token and
the attempt number with an atomic ``cache.add``. A double click, a replayed request or a parallel
submit of the same attempt finds the claim taken, so it is rejected before anything is stored or
published. The LMS loads learner state before the handler runs. A lock taken in the handler
therefore could not stop two requests that both read the old state, but the claim does.

Because the token lives in the learner state, a state deleted by the platform (a reset from the
instructor dashboard) or by the block's staff reset takes its token with it: the next claims use
new keys, and a claim left from before the reset cannot reject the learner's new submission.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import caches

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _cache():
    # .. setting_name: RAQMYA_ASSESSMENT_CLAIM_CACHE
    # .. setting_default: "default"
    # .. setting_description: Django cache alias that holds attempt claims. Every LMS process must
    #   share it (memcached or Redis in production), or parallel requests could grade an attempt twice.
    return caches[getattr(settings, "RAQMYA_ASSESSMENT_CLAIM_CACHE", "default")]


def new_token() -> str:
    """Return a new random form token (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def series_id(token: str) -> str:
    """Return the 64-hex-character id of the attempt series of the learner state that contains ``token``.

    Tracking events and the reports app name the series by this SHA-256, never by the token itself,
    so that a reader of them cannot learn the key of a learner's claims.
    """
    return hashlib.sha256(f"raqmya-attempt-series:{token}".encode("utf-8")).hexdigest()


def claim_scope(state_token: str | None, sent_token: object) -> str:
    """Return the part of the claim key that names the learner state a submission was read from.

    ``state_token`` is the token stored in the learner state. A state without one was deleted since
    its form was served, or never served a form. It is named by the token that the form sent, in a
    separate key space, so parallel submissions of one stale form still share one claim.
    """
    # NOTE: a client that never loads a form (no token in the state, none sent) always gets the scope
    # "form:". After the platform deletes its state, its next submit of attempt 1 is rejected until
    # the old claim expires. The learner view and student_view_data give every form a token.
    if state_token:
        return f"state:{state_token}"
    sent = sent_token if isinstance(sent_token, str) and _TOKEN.match(sent_token) else ""
    return f"form:{sent}"


def _key(usage_key: str, learner: object, scope: str, attempt: int) -> str:
    return f"raqmya:assessment-claim:{usage_key}:{learner}:{scope}:{attempt}"


def claim_attempt(usage_key: str, learner: object, scope: str, attempt: int) -> bool:
    """Claim attempt number ``attempt`` of the state named by ``scope``; False when already claimed."""
    # .. setting_name: RAQMYA_ASSESSMENT_CLAIM_SECONDS
    # .. setting_default: 300
    # .. setting_description: How long a claim lives, in seconds. It only has to outlast the slowest
    #   request that could have read the learner state before the winning submission stored it. A claim
    #   is keyed on a random token of the learner state, so a state reset from the instructor dashboard
    #   or by the block's staff reset starts with new claims and is never refused by an old one.
    timeout = getattr(settings, "RAQMYA_ASSESSMENT_CLAIM_SECONDS", 300)
    return _cache().add(_key(usage_key, learner, scope, attempt), 1, timeout=timeout)


def release_attempt(usage_key: str, learner: object, scope: str, attempt: int) -> None:
    """Give a claim back, when the claimed submission was rejected or the attempts were reset."""
    _cache().delete(_key(usage_key, learner, scope, attempt))
