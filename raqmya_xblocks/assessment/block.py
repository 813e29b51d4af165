"""The track assessment XBlock: serves the questions of the learner's track, grades them and reports the result."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

from django.utils import translation
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.validation import ValidationMessage

from .. import reports_link
from ..errors import InvalidQuestion, MissingAnswer, UnexpectedAnswer, UnknownChoice, UnknownTrack
from ..questions import TRACKS, Question, Score, parse_questions, score_answers, select_for_track, total_points
from .fields import QuestionListField
from .scenarios import workbench_scenarios as _workbench_scenarios

log = logging.getLogger(__name__)
loader = ResourceLoader(__name__)


def _(text: str) -> str:
    """Mark ``text`` for extraction; field labels and help are translated where they are shown."""
    return text


def _format_number(value: int | float) -> str:
    """Return points or a percentage without a trailing ``.0``, to 2 decimals at most."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def _error_response(status: int, message: str, **details: object) -> Response:
    """Return a JSON error response ``{"error": message, ...details}`` with HTTP ``status``."""
    body = json.dumps({"error": message, **details}, ensure_ascii=False)
    return Response(body, status=status, content_type="application/json", charset="utf8")


@XBlock.needs("i18n")
@XBlock.wants("user")
class AssessmentBlock(XBlock):
    """A graded set of single-choice questions, each tagged with DigComp competences and tracks.

    A learner is served the questions of their track (from the reports app), else of the
    block's preview track, else all questions. The raw points are published as the grade.
    """

    display_name = String(
        display_name=_("Display name"),
        help=_("The title that learners see above the questions."),
        scope=Scope.settings,
        default="Assessment",
    )
    questions = QuestionListField(
        display_name=_("Questions"),
        help=_("A JSON list of questions: id, type, stem, choices, competence, tracks and points."),
        scope=Scope.content,
        default=[],
        xml_node=True,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_(
            "The points this assessment is worth in the course grade. Leave empty to count the raw points "
            "of the questions."
        ),
        scope=Scope.settings,
        default=None,
        values={"min": 0},
    )
    preview_track = String(
        display_name=_("Preview track"),
        help=_("The track whose questions are shown when the learner's track is not known. Empty shows all."),
        scope=Scope.settings,
        default="",
        values=[{"display_name": _("All questions"), "value": ""}] + [{"display_name": t, "value": t} for t in TRACKS],
    )
    max_attempts = Integer(
        display_name=_("Maximum attempts"),
        help=_("How many times a learner may submit. 0 allows unlimited attempts."),
        scope=Scope.settings,
        default=1,
        values={"min": 0},
    )
    pass_mark = Float(
        display_name=_("Pass mark"),
        help=_("The percentage of the possible points that a learner needs to pass, from 0 to 100."),
        scope=Scope.settings,
        default=50,
        values={"min": 0, "max": 100},
    )

    attempts = Integer(help="Number of scored submissions of this learner.", scope=Scope.user_state, default=0)
    answers = Dict(help="Choice id chosen for each question id, last attempt.", scope=Scope.user_state)
    score = Dict(help="Raw points of the last attempt: earned and possible.", scope=Scope.user_state)
    passed = Boolean(help="Whether the last attempt reached the pass mark.", scope=Scope.user_state)

    has_score = True
    icon_class = "problem"

    # ---- services and learner context -------------------------------------------------------

    def _i18n(self):
        return self.runtime.service(self, "i18n")

    def _gettext(self, message: str) -> str:
        return self._i18n().gettext(message)

    def _user_id(self) -> int | None:
        """Return the LMS user id of the current learner, or None outside the LMS."""
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return None
        user = user_service.get_current_user()
        if user is None:
            return None
        return user.opt_attrs.get("edx-platform.user_id")

    def _usage_key(self) -> str:
        return str(self.scope_ids.usage_id)

    def _course_key(self) -> str:
        """Return the course key of this block, or "" where usage ids carry none (the workbench)."""
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        return str(context_key) if context_key is not None else ""

    def _learner_track(self, user_id: int | None) -> str | None:
        """Return the learner's track from the reports app, else the preview track, else None."""
        track = reports_link.learner_track(user_id) if user_id is not None else None
        return track or self.preview_track or None

    def _language_attributes(self) -> tuple[str, str]:
        """Return the ``lang`` and ``dir`` attribute values of the current language.

        edx-platform's i18n service is a gettext catalogue when the block ships one, and such a
        catalogue has no ``get_language_bidi``, so Django's translation module is used instead.
        """
        language = translation.get_language() or "en"
        get_language_bidi = getattr(self._i18n(), "get_language_bidi", None)
        if not callable(get_language_bidi):
            get_language_bidi = translation.get_language_bidi
        return language, "rtl" if get_language_bidi() else "ltr"

    # ---- question pool ----------------------------------------------------------------------

    def _question_pool(self) -> list[Question]:
        """Return all questions of the block, or raise ``InvalidQuestion`` when the field is malformed."""
        return parse_questions(self.questions)

    def _served_questions(self, user_id: int | None) -> tuple[str | None, list[Question]]:
        """Return the learner's track and the questions of that track."""
        track = self._learner_track(user_id)
        pool = self._question_pool()
        try:
            return track, select_for_track(pool, track)
        except UnknownTrack as error:
            log.warning(
                "Assessment %s: user %s has track %r, which is unknown, so all questions are served: %s",
                self._usage_key(),
                user_id,
                track,
                error,
            )
            return None, pool

    def max_score(self) -> int | float:
        """Return the points of the questions served to the current learner; 0 for an empty or invalid pool."""
        try:
            _track, questions = self._served_questions(self._user_id())
        except InvalidQuestion as error:
            log.error("Assessment %s has invalid questions, so its maximum score is 0: %s", self._usage_key(), error)
            return 0
        return total_points(questions)

    def validate(self):
        """Report malformed questions and an unknown preview track to course authors."""
        validation = super().validate()
        try:
            self._question_pool()
        except InvalidQuestion as error:
            validation.add(ValidationMessage(ValidationMessage.ERROR, str(error)))
        if self.preview_track and self.preview_track not in TRACKS:
            message = self._gettext("Preview track %(track)s is unknown; use one of: %(tracks)s.") % {
                "track": self.preview_track,
                "tracks": ", ".join(TRACKS),
            }
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))
        return validation

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build the block from OLX, and raise ``InvalidQuestion`` naming the question when one is malformed."""
        block = super().parse_xml(node, runtime, keys)
        parse_questions(block.questions)
        return block

    # ---- learner view -----------------------------------------------------------------------

    def _attempts_remaining(self) -> int | None:
        """Return how many submissions the learner has left, or None when attempts are unlimited."""
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.attempts, 0)

    def _attempts_text(self) -> str:
        remaining = self._attempts_remaining()
        if remaining is None:
            return ""
        return self._gettext("Attempts remaining: %(count)s") % {"count": remaining}

    def _summary_text(self, earned: int | float, possible: int | float, percent: float, passed: bool) -> str:
        score_text = self._gettext("Your score: %(earned)s / %(possible)s (%(percent)s%%)") % {
            "earned": _format_number(earned),
            "possible": _format_number(possible),
            "percent": _format_number(percent),
        }
        status_text = self._gettext("Passed") if passed else self._gettext("Not passed")
        return f"{score_text} {status_text}"

    def _mark_text(self, correct: bool) -> str:
        return self._gettext("Correct") if correct else self._gettext("Incorrect")

    def _dom_id(self) -> str:
        """Return an HTML id prefix unique to this block on a page."""
        return "raqmya-assessment-" + re.sub(r"[^A-Za-z0-9_-]", "-", self._usage_key())

    def _question_context(self, questions: list[Question]) -> list[dict]:
        """Describe each question for the template; correct flags are left out until the learner submits."""
        dom_id = self._dom_id()
        answered = self.attempts > 0
        context = []
        for number, question in enumerate(questions, start=1):
            chosen_id = self.answers.get(question.id) if answered else None
            chosen = next((choice for choice in question.choices if choice.id == chosen_id), None)
            mark = self._mark_text(chosen.correct) if chosen is not None else ""
            choices = [
                {
                    "id": choice.id,
                    "text": choice.text,
                    "input_id": f"{dom_id}-{question.id}-{choice.id}",
                    "checked": choice.id == chosen_id,
                }
                for choice in question.choices
            ]
            context.append(
                {
                    "id": question.id,
                    "dom_id": f"{dom_id}-{question.id}",
                    "label": self._gettext("Question %(number)s of %(total)s") % {
                        "number": number,
                        "total": len(questions),
                    },
                    "stem": question.stem,
                    "choices": choices,
                    "mark": mark,
                    "feedback": chosen.feedback if chosen is not None else "",
                }
            )
        return context

    def _view_context(self) -> dict:
        """Build the template context of the learner view, with every text already translated."""
        lang, direction = self._language_attributes()
        context = {
            "lang": lang,
            "dir": direction,
            "dom_id": self._dom_id(),
            "display_name": self.display_name,
            "error_text": "",
            "empty_text": "",
            "questions": [],
            "locked": self._attempts_remaining() == 0,
            "submit_text": self._gettext("Submit"),
            "attempts_text": self._attempts_text(),
            "result_title": self._gettext("Your result"),
            "result_text": "",
        }
        try:
            _track, questions = self._served_questions(self._user_id())
        except InvalidQuestion as error:
            log.error("Assessment %s cannot be shown, its questions are invalid: %s", self._usage_key(), error)
            context["error_text"] = self._gettext(
                "This assessment cannot be shown because its questions are invalid. Please tell the course team."
            )
            return context
        if not questions:
            context["empty_text"] = self._gettext("This assessment has no questions for your track.")
            return context
        context["questions"] = self._question_context(questions)
        if self.attempts > 0 and self.score:
            percent = Score(self.score["earned"], self.score["possible"]).percent
            context["result_text"] = self._summary_text(
                self.score["earned"], self.score["possible"], percent, bool(self.passed)
            )
        return context

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """Render the questions of the learner's track as a form; the correct choices stay on the server."""
        html = loader.render_django_template("templates/assessment.html", self._view_context())
        fragment = Fragment(html)
        fragment.add_css_url(self.runtime.local_resource_url(self, "public/css/assessment.css"))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "public/js/assessment.js"))
        fragment.initialize_js(
            "RaqmyaAssessment",
            {
                "error_text": self._gettext(
                    "Your answers could not be submitted. Check your connection and try again."
                ),
                "sending_text": self._gettext("Submitting your answers…"),
            },
        )
        return fragment

    # ---- submission -------------------------------------------------------------------------

    def _answer_error(self, error: Exception, questions: list[Question]) -> Response:
        """Translate a domain error about one answer into a 400 response naming the question."""
        numbers = {question.id: number for number, question in enumerate(questions, start=1)}
        if isinstance(error, MissingAnswer):
            message = self._gettext(
                "Question %(number)s has no answer. Answer every question and submit again."
            ) % {"number": numbers[error.question_id]}
            return _error_response(400, message, question_id=error.question_id)
        if isinstance(error, UnknownChoice):
            message = self._gettext(
                "Question %(number)s has no choice %(choice_id)s. Reload the page and answer again."
            ) % {"number": numbers[error.question_id], "choice_id": error.choice_id}
            return _error_response(400, message, question_id=error.question_id, choice_id=error.choice_id)
        message = self._gettext(
            "Question %(question_id)s is not part of this assessment. Reload the page and answer again."
        ) % {"question_id": error.question_id}
        return _error_response(400, message, question_id=error.question_id)

    def _store_attempt(self, answers: dict, score: Score) -> None:
        self.attempts += 1
        self.answers = dict(answers)
        self.score = {"earned": score.earned, "possible": score.possible}
        self.passed = score.percent >= self.pass_mark

    def _record_attempt(self, user_id: int, track: str | None, score: Score) -> None:
        """Record the stored attempt in the reports app; a rejected record is logged there, not raised."""
        reports_link.record_assessment_result(
            user_id=user_id,
            usage_key=self._usage_key(),
            course_key=self._course_key(),
            attempt=self.attempts,
            track=track,
            earned=score.earned,
            possible=score.possible,
            passed=bool(self.passed),
            competences=score.competences,
            submitted_at=datetime.now(timezone.utc),
        )

    @XBlock.json_handler
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Grade ``{"answers": {question id: choice id}}``, store and publish the score, and return it."""
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            message = self._gettext(
                'The request must be a JSON object whose "answers" object maps each question id to a choice id.'
            )
            return _error_response(400, message)
        if self._attempts_remaining() == 0:
            message = self._gettext("You have used all %(count)s of your attempts, so this answer was not graded.")
            return _error_response(403, message % {"count": self.max_attempts})

        user_id = self._user_id()
        try:
            track, questions = self._served_questions(user_id)
        except InvalidQuestion as error:
            log.error("Assessment %s: submission of user %s rejected, invalid questions: %s",
                      self._usage_key(), user_id, error)
            message = self._gettext(
                "This assessment cannot be graded because its questions are invalid. Please tell the course team."
            )
            return _error_response(500, message)
        if not questions:
            return _error_response(400, self._gettext("This assessment has no questions for your track."))
        try:
            score = score_answers(questions, answers)
        except (MissingAnswer, UnknownChoice, UnexpectedAnswer) as error:
            return self._answer_error(error, questions)

        self._store_attempt(answers, score)
        self.runtime.publish(self, "grade", {"value": score.earned, "max_value": score.possible})
        # The stored attempt must survive whatever the reports app does next.
        self.save()
        log.info("Assessment %s: user %s, attempt %s, track %s, scored %s/%s",
                 self._usage_key(), user_id, self.attempts, track, score.earned, score.possible)
        if user_id is not None:
            self._record_attempt(user_id, track, score)
        return self._result(questions, score)

    def _result(self, questions: list[Question], score: Score) -> dict:
        """Build the JSON result of a graded submission."""
        feedback = {question.id: question.choice(self.answers[question.id]).feedback for question in questions}
        return {
            "earned": score.earned,
            "possible": score.possible,
            "percent": score.percent,
            "passed": bool(self.passed),
            "correct": score.correct,
            "marks": {question_id: self._mark_text(correct) for question_id, correct in score.correct.items()},
            "feedback": feedback,
            "attempts": self.attempts,
            "attempts_remaining": self._attempts_remaining(),
            "attempts_text": self._attempts_text(),
            "summary": self._summary_text(score.earned, score.possible, score.percent, bool(self.passed)),
        }

    @staticmethod
    def workbench_scenarios():
        """Return the French and Arabic demonstration scenarios of xblock-sdk's workbench."""
        return _workbench_scenarios()
