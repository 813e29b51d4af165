"""The context a Raqmya block is rendered in: the current user, their language and the block's keys.

Shared by every block of the programme, so that each reads the learner, staff rights, masquerade
and language the same way.
"""

from __future__ import annotations

from django.utils import translation

from . import reports_link
from .content_language import content_attributes

# A user service attribute that a runtime may set to the staff member's user id when they view the
# block as this learner (the devstack does). The LMS does not: there the reports app's platform
# adapter names the person behind the request, and a person other than the learner is a masquerade.
MASQUERADE_ATTRIBUTE = "raqmya.real_user_id"


class LearnerContextMixin:
    """Accessors for the ``i18n`` and ``user`` services and the block's usage and course keys."""

    def _gettext(self, message: str) -> str:
        return self.runtime.service(self, "i18n").gettext(message)

    def _ngettext(self, singular: str, plural: str, number: int) -> str:
        """Return the form of a message for ``number`` in the request's language (Arabic has six)."""
        return self.runtime.service(self, "i18n").ngettext(singular, plural, number)

    def _current_user(self):
        user_service = self.runtime.service(self, "user")
        return user_service.get_current_user() if user_service is not None else None

    def _user_id(self) -> int | None:
        """Return the LMS user id of the current learner, or None outside the LMS."""
        user = self._current_user()
        return user.opt_attrs.get("edx-platform.user_id") if user is not None else None

    def _real_user_id(self) -> int | None:
        """Return the id of the person behind the request: the learner, or staff viewing as the learner.

        The platform's value comes first; the user service attribute is the fallback where the
        reports app is not installed or cannot tell (no request). None when neither has it.
        """
        user = self._current_user()
        if user is None:
            return None
        real = reports_link.real_user_id()
        if real is not None:
            return real
        return user.opt_attrs.get(MASQUERADE_ATTRIBUTE, user.opt_attrs.get("edx-platform.user_id"))

    def _masquerading(self) -> bool:
        """Return whether a staff member is viewing the block as this learner; then nothing is written."""
        learner = self._user_id()
        real = self._real_user_id()
        return learner is not None and real is not None and real != learner

    def _is_staff(self) -> bool:
        """Return whether the real user is course staff (the masquerading staff member counts)."""
        user = self._current_user()
        return user is not None and (bool(user.opt_attrs.get("edx-platform.user_is_staff")) or self._masquerading())

    def _learner(self) -> object:
        """Return the learner key of draws and claims: the runtime's user id for learner state."""
        return self.scope_ids.user_id

    def _usage_key(self) -> str:
        return str(self.scope_ids.usage_id)

    def _course_key(self) -> str:
        """Return the course key of this block, or "" where usage ids carry none (the workbench)."""
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        return str(context_key) if context_key is not None else ""

    def _language_attributes(self) -> tuple[str, str]:
        """Return the ``lang`` and ``dir`` values of the current language (Django's, as the LMS sets it)."""
        language = translation.get_language() or "en"
        return language, "rtl" if translation.get_language_bidi() else "ltr"

    def _content_attributes(self) -> tuple[str, str]:
        """Return the ``lang`` and ``dir`` of the questions: the block's content language, else ("", "auto")."""
        return content_attributes(getattr(self, "content_language", ""))
