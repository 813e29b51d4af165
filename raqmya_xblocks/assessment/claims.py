"""Attempt claims: each (learner, block, attempt number) is graded once, even under parallel requests.

The learner view gives each form the number of the attempt it was rendered for. A submission
first claims that number with an atomic ``cache.add``; a double click, a replayed request or
a parallel submit of the same attempt finds the claim taken and is refused before anything is
stored or published. The LMS loads learner state before the handler runs, so a lock taken in
the handler could not stop two requests that both read the old state; the claim can.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches


def _cache():
    # .. setting_name: RAQMYA_ASSESSMENT_CLAIM_CACHE
    # .. setting_default: "default"
    # .. setting_description: Django cache alias that holds attempt claims. Every LMS process must
    #   share it (memcached or Redis in production), or parallel requests could grade an attempt twice.
    return caches[getattr(settings, "RAQMYA_ASSESSMENT_CLAIM_CACHE", "default")]


def _key(usage_key: str, learner: object, attempt: int) -> str:
    return f"raqmya:assessment-claim:{usage_key}:{learner}:{attempt}"


def claim_attempt(usage_key: str, learner: object, attempt: int) -> bool:
    """Claim attempt number ``attempt``; return False when another request already claimed it."""
    # .. setting_name: RAQMYA_ASSESSMENT_CLAIM_SECONDS
    # .. setting_default: 300
    # .. setting_description: How long a claim lives, in seconds. It only has to outlast the slowest
    #   request that could have read the learner state before the winning submission stored it.
    timeout = getattr(settings, "RAQMYA_ASSESSMENT_CLAIM_SECONDS", 300)
    return _cache().add(_key(usage_key, learner, attempt), 1, timeout=timeout)


def release_attempt(usage_key: str, learner: object, attempt: int) -> None:
    """Give a claim back, when the claimed submission was rejected or the attempts were reset."""
    _cache().delete(_key(usage_key, learner, attempt))
