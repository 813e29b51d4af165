"""The language of authored content, as a BCP 47 tag, and the writing direction that goes with it.

An assessment written in French may be taken in an Arabic interface and the other way round, so
the questions carry their own ``lang`` and ``dir`` while labels and buttons keep the interface's.
"""

from __future__ import annotations

import re

# Language, optional script, optional region, variants (RFC 5646, without extensions or private use).
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
)
# Languages written right to left unless the tag names another script, and the right-to-left scripts.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"})


def is_language_tag(value: object) -> bool:
    """Return whether ``value`` is a language tag such as ``fr``, ``ar``, ``ar-MA`` or ``zgh-Tfng``."""
    return isinstance(value, str) and bool(LANGUAGE_TAG.match(value))


def direction(tag: str) -> str:
    """Return ``"rtl"`` or ``"ltr"`` for a valid tag: its script decides, else its language."""
    subtags = tag.lower().split("-")
    script = next((subtag for subtag in subtags[1:] if len(subtag) == 4 and subtag.isalpha()), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def content_attributes(tag: object) -> tuple[str, str]:
    """Return the ``lang`` and ``dir`` of content in ``tag``; ``("", "auto")`` to follow the interface.

    With no valid tag the content gets no ``lang`` of its own and takes its direction from its text.
    """
    if not isinstance(tag, str) or not is_language_tag(tag):
        return "", "auto"
    return tag, direction(tag)
