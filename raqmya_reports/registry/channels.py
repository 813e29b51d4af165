"""Promotion channel codes that newcomers arrive with; a bad code is ignored, never an obstacle."""

from __future__ import annotations

import datetime as dt
import logging

from .localtime import local_date
from .models import PromotionChannel

log = logging.getLogger(__name__)


def resolve_channel(code: str | None, *, when: dt.datetime, user_id: int | None = None) -> PromotionChannel | None:
    """Return the usable channel of ``code`` (in any case) on the local day of ``when``, or ``None`` (logged)."""
    code = (code or "").strip()
    if not code:
        return None
    channel = PromotionChannel.objects.filter(code__iexact=code).first()
    if channel is None:
        log.warning("Registration of user %s names unknown channel code %r; ignored.", user_id, code)
        return None
    if not channel.is_usable_on(local_date(when)):
        log.warning("Registration of user %s names expired or inactive channel code %r; ignored.", user_id, code)
        return None
    return channel
