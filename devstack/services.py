"""XBlock runtime services of the stand-in LMS, shaped like edx-platform's own.

The workbench's defaults give every block an anonymous user and Django's global
catalogue. The LMS gives the signed-in user, with ``edx-platform.*`` attributes, and
the block's own ``text`` catalogue. These services do the same, so that a block
behaves here as it does in the LMS.
"""

import gettext
import importlib.util
from pathlib import Path

from crum import get_current_request, get_current_user
from django.conf import settings
from django.utils import translation
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import NullI18nService

# Studio gives course authors a role per course; here a role is a Django group of this name.
# Global staff (``is_staff``) count for every course, as in Studio.
COURSE_STAFF_GROUP = "course_staff:{course_key}"

# The user service attribute that tells a block a staff member is viewing it as this learner.
MASQUERADE_ATTRIBUTE = "raqmya.real_user_id"


def is_course_author(user, course_key: str) -> bool:
    """Return whether ``user`` may edit the blocks of course ``course_key``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name=COURSE_STAFF_GROUP.format(course_key=course_key)).exists()


class DevstackUserService(UserService):
    """The ``user`` service: the Django user of the current request, as the LMS describes it.

    When a course author views the block as a learner (``?masquerade=<username>``, set up by the
    middleware), the service describes the learner and names the author in ``raqmya.real_user_id``.
    """

    def get_current_user(self):
        """Return an ``XBlockUser`` with the LMS's ``edx-platform.*`` attributes."""
        user = get_current_user()
        if user is None or not user.is_authenticated:
            anonymous = XBlockUser(is_current_user=True)
            anonymous.opt_attrs["edx-platform.is_authenticated"] = False
            return anonymous
        learner = getattr(get_current_request(), "raqmya_masquerade_user", None)
        current = self._describe(learner or user)
        if learner is not None:
            current.opt_attrs[MASQUERADE_ATTRIBUTE] = user.id
        return current

    @staticmethod
    def _describe(user):
        author = is_course_author(user, settings.RAQMYA_DEVSTACK_COURSE_KEY)
        current = XBlockUser(
            is_current_user=True,
            emails=[user.email] if user.email else [],
            full_name=user.get_full_name(),
        )
        current.opt_attrs.update(
            {
                "edx-platform.user_id": user.id,
                "edx-platform.username": user.username,
                "edx-platform.user_is_staff": user.is_staff,
                "edx-platform.is_authenticated": True,
                "edx-platform.user_role": "staff" if author else "student",
            }
        )
        return current


def _translations_directory(block):
    """Return the ``translations`` directory beside the module of the block's class, where the LMS looks."""
    block_class = getattr(block, "unmixed_class", type(block))
    spec = importlib.util.find_spec(block_class.__module__)
    return Path(spec.origin).parent / "translations"


class DevstackI18nService(NullI18nService):
    """The ``i18n`` service: the block's ``text`` catalogue in the request's language.

    edx-platform's XBlock i18n service reads the same ``translations/<lang>/LC_MESSAGES/text.mo``
    files that this one reads, and falls back to the source strings when a language has none.
    """

    def __init__(self, block=None):
        super().__init__()
        self._block = block
        self._catalogues = {}

    def _catalogue(self):
        language = translation.get_language() or "en"
        if language not in self._catalogues:
            directory = _translations_directory(self._block) if self._block is not None else None
            if directory is None or not directory.is_dir():
                self._catalogues[language] = gettext.NullTranslations()
            else:
                self._catalogues[language] = gettext.translation(
                    "text", localedir=str(directory), languages=[language.split("-")[0]], fallback=True
                )
        return self._catalogues[language]

    def gettext(self, message):
        """Translate ``message`` into the request's language."""
        return self._catalogue().gettext(message)

    ugettext = gettext

    def ngettext(self, singular, plural, number):
        """Translate a message with a plural form into the request's language."""
        return self._catalogue().ngettext(singular, plural, number)

    ungettext = ngettext

    def get_language_bidi(self):
        """Return whether the request's language is written right to left."""
        return translation.get_language_bidi()
