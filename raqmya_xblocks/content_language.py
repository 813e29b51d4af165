"""The language of authored content, as a BCP 47 tag, and the writing direction that goes with it.

An assessment or a placement test written in French may be taken in an Arabic interface and the
other way round, so the questions carry their own ``lang`` and ``dir`` while labels and buttons
keep the interface's. ``ContentLanguageMixin`` gives a block the setting, its editor input and its check.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xblock.fields import Scope, String
from xblock.validation import ValidationMessage

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


def _(text: str) -> str:
    """Mark ``text`` for extraction; it is translated where it is shown."""
    return text


def setting_problem(value: object, gettext: Callable[[str], str]) -> str | None:
    """Return the fix for an invalid content language ``value`` in ``gettext``'s language, or None when valid."""
    if value == "" or is_language_tag(value):
        return None
    return gettext("write a BCP 47 language tag such as fr, ar or ar-MA, or leave it empty")


class ContentLanguageMixin:
    """The ``content_language`` setting of a block, its Studio editor input and its validation message.

    The block also needs ``_gettext``, as ``LearnerContextMixin`` gives it.
    """

    content_language = String(
        display_name=_("Content language"),
        help=_("The language of the questions, as a BCP 47 tag such as fr, ar or ar-MA. "
               "Empty follows the interface language."),
        scope=Scope.settings,
        default="",
    )

    def _content_language_input(self) -> dict:
        """Describe the editor's input of the setting, as ``_studio_fields`` lists each input."""
        return {"name": "content_language", "label": self._gettext("Content language"), "type": "text",
                "help": self._gettext("fr, ar or another BCP 47 tag. Empty follows the interface language.")}

    def _validate_content_language(self, validation) -> None:
        """Add an error to ``validation`` when the saved content language is not a language tag."""
        if self.content_language and not is_language_tag(self.content_language):
            message = self._gettext("Content language %(tag)s is not a language tag; use fr, ar or another "
                                    "BCP 47 tag, or leave it empty.") % {"tag": self.content_language}
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))
