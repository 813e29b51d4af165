"""Fixtures of the XBlock tests: xblock-sdk's real WorkbenchRuntime with an LMS-like user and i18n."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation
from webob import Request
from workbench.runtime import WorkbenchRuntime
from xblock.reference.user_service import UserService, XBlockUser

import raqmya_xblocks
from raqmya_xblocks.assessment.scenarios import scenario_xml

ASSESSMENT_DIRECTORY = Path(raqmya_xblocks.__file__).parent / "assessment"


class LmsUserService(UserService):
    """The ``user`` service as edx-platform fills it: the LMS user id in ``edx-platform.user_id``.

    Tests set ``staff`` for a staff user and ``masquerading_staff_id`` for staff viewing as the learner.
    """

    staff = False
    masquerading_staff_id: int | None = None

    def __init__(self, lms_user_id: int):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs["edx-platform.user_id"] = lms_user_id
        user.opt_attrs["edx-platform.user_is_staff"] = self.staff
        if self.masquerading_staff_id is not None:
            user.opt_attrs["raqmya.real_user_id"] = self.masquerading_staff_id
        super().__init__(user=user)

    def get_current_user(self):
        return self._user


class CatalogueI18nService:
    """The ``i18n`` service as edx-platform builds it for a block with translations.

    edx-platform loads ``translations/<lang>/LC_MESSAGES/text.mo`` next to the block's module and
    delegates every attribute to that gettext catalogue, which has no ``get_language_bidi``.
    """

    def __init__(self, language: str):
        self.translator = gettext.translation(
            "text", localedir=str(ASSESSMENT_DIRECTORY / "translations"), languages=[language]
        )

    def __getattr__(self, name):
        return getattr(self.translator, name)


class RecordingRuntime(WorkbenchRuntime):
    """The workbench runtime, recording every published event as well as logging it."""

    def __init__(self, lms_user_id: int | None = None, i18n_factory=None):
        super().__init__(user_id=f"learner-{lms_user_id}")
        self.lms_user_id = lms_user_id
        self.i18n_factory = i18n_factory
        self.published: list[tuple[str, dict]] = []

    def service(self, block, service_name):
        service = super().service(block, service_name)
        if service_name == "user" and self.lms_user_id is not None:
            return LmsUserService(self.lms_user_id)
        if service_name == "i18n" and self.i18n_factory is not None:
            return self.i18n_factory(block)
        return service

    def publish(self, block, event_type, event_data):
        super().publish(block, event_type, event_data)
        self.published.append((event_type, event_data))


def question(question_id: str, correct_id: str = "a", *, competence: str = "4.2", tracks=None, points=1) -> dict:
    """Return the JSON object of a valid single-choice question with choices a, b and c."""
    return {
        "id": question_id,
        "type": "single",
        "stem": f"<p>Stem of {question_id}</p>",
        "choices": [
            {"id": choice_id, "text": f"Choice {choice_id}", "correct": choice_id == correct_id}
            for choice_id in ("a", "b", "c")
        ],
        "competence": competence,
        "tracks": tracks or ["perfectionnement", "acculturation"],
        "points": points,
    }


def load_block(runtime: WorkbenchRuntime, xml: str):
    """Parse ``xml`` with the runtime and return the block it describes."""
    return runtime.get_block(runtime.parse_xml_string(xml))


def submit(block, answers: object, attempt: int | None = None):
    """Submit ``answers`` for the attempt the learner view would show; return (status, decoded body)."""
    return post_json(block, "submit", {"attempt": block.attempts + 1 if attempt is None else attempt,
                                       "answers": answers})


def post_json(block, handler: str, payload: object):
    """Call ``handler`` as the LMS does for a POST with a JSON body; return (status, decoded body)."""
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body.decode("utf-8"))


@pytest.fixture(autouse=True)
def no_attempt_claims():
    """Start every test with no attempt claimed: workbench usage ids repeat from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    """Render in English unless a test activates another language: the devstack's default is French."""
    with translation.override("en"):
        yield


@pytest.fixture
def learner(db):
    """A Django user, as the LMS has one for every learner."""
    return get_user_model().objects.create_user(username="learner-amina")


@pytest.fixture
def runtime(learner):
    """A recording workbench runtime for ``learner``, storing block state in the test database."""
    return RecordingRuntime(lms_user_id=learner.id)


@pytest.fixture
def four_questions():
    """Four 1-point questions on two competences, all in both tracks."""
    return [
        question("q1", "a", competence="4.2"),
        question("q2", "b", competence="4.2"),
        question("q3", "c", competence="1.1"),
        question("q4", "a", competence="1.1"),
    ]


@pytest.fixture
def assessment(runtime, four_questions):
    """An assessment block of four questions, one attempt allowed, on the recording runtime."""
    return load_block(runtime, scenario_xml("Test assessment", "", four_questions, max_attempts=1))
