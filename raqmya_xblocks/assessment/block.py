"""The track assessment XBlock: draws questions of the learner's track, grades them once per attempt, reports."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from pathlib import Path

from django.utils import translation
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin
from xblock.scorable import Score as RawScore
from xblock.utils.resources import ResourceLoader
from xblock.validation import ValidationMessage

from .. import reports_link
from ..draw import choice_order, draw_questions
from ..errors import InvalidAnswer, InvalidQuestion, MissingAnswer, UnexpectedAnswer, UnknownChoice, UnknownTrack
from ..questions import TRACKS, Question, parse_questions, select_for_track
from ..scoring import Score, grade, percent, round_points, score_answers
from . import claims, results
from .fields import QuestionListField
from .olx import OlxMixin
from .policy import ShowAnswer, answers_visible
from .studio import StudioMixin
from .scenarios import workbench_scenarios as _workbench_scenarios

log = logging.getLogger(__name__)
loader = ResourceLoader(__name__)

# The user service attribute that says a staff member is viewing the block as this learner: the
# platform adapter sets it to the staff member's user id, and then nothing is written for the learner.
MASQUERADE_ATTRIBUTE = "raqmya.real_user_id"


def _(text: str) -> str:
    """Mark ``text`` for extraction; field labels and help are translated where they are shown."""
    return text


def _error_response(status: int, message: str, **details: object) -> Response:
    """Return a JSON error response ``{"error": message, ...details}`` with HTTP ``status``."""
    body = json.dumps({"error": message, **details}, ensure_ascii=False)
    return Response(body, status=status, content_type="application/json", charset="utf8")


@XBlock.needs("i18n")
@XBlock.wants("user")
class AssessmentBlock(StudioMixin, OlxMixin, ScorableXBlockMixin, XBlock):
    """A graded draw of single, multiple-response and true/false questions tagged with DigComp competences.

    A learner is served the questions of their track (from the reports app), else of the block's
    preview track, else all questions; ``pool_size`` of them are drawn per attempt.
    """

    display_name = String(
        display_name=_("Display name"),
        help=_("The title that learners see above the questions."),
        scope=Scope.settings,
        default="Assessment",
    )
    questions = QuestionListField(
        display_name=_("Questions"),
        help=_("The question bank: id, type, stem, choices, competence, level, tracks, points and explanation."),
        scope=Scope.content,
        default=[],
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("The points this assessment is worth in the course grade. Leave empty to count the raw points."),
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
    pool_size = Integer(
        display_name=_("Questions per attempt"),
        help=_("How many questions of the learner's track are drawn for each attempt. 0 serves them all."),
        scope=Scope.settings,
        default=0,
        values={"min": 0},
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
    show_answer = String(
        display_name=_("Show answers"),
        help=_("When learners see the correct answers, feedback and explanations."),
        scope=Scope.settings,
        default=ShowAnswer.FINISHED.value,
        values=[
            {"display_name": _("Always"), "value": ShowAnswer.ALWAYS.value},
            {"display_name": _("After an attempt"), "value": ShowAnswer.ATTEMPTED.value},
            {"display_name": _("After the last attempt or a pass"), "value": ShowAnswer.FINISHED.value},
            {"display_name": _("Never"), "value": ShowAnswer.NEVER.value},
        ],
    )

    attempts = Integer(help="Number of scored submissions of this learner.", scope=Scope.user_state, default=0)
    served = List(help="Question ids drawn for the last scored attempt, in order.", scope=Scope.user_state)
    answers = Dict(help="Answer of each served question id, last scored attempt.", scope=Scope.user_state)
    results = Dict(help="Earned and possible points of each served question id.", scope=Scope.user_state)
    score = Dict(help="Raw points of the last attempt, with competence and area totals.", scope=Scope.user_state)
    passed = Boolean(help="Whether the last attempt reached the pass mark.", scope=Scope.user_state)

    has_score = True
    icon_class = "problem"
    i18n_js_namespace = "RaqmyaAssessmentI18n"

    # ---- services and learner context -------------------------------------------------------

    def _gettext(self, message: str) -> str:
        return self.runtime.service(self, "i18n").gettext(message)

    def _current_user(self):
        user_service = self.runtime.service(self, "user")
        return user_service.get_current_user() if user_service is not None else None

    def _user_id(self) -> int | None:
        """Return the LMS user id of the current learner, or None outside the LMS."""
        user = self._current_user()
        return user.opt_attrs.get("edx-platform.user_id") if user is not None else None

    def _masquerading(self) -> bool:
        """Return whether a staff member is viewing the block as this learner."""
        user = self._current_user()
        return user is not None and user.opt_attrs.get(MASQUERADE_ATTRIBUTE) is not None

    def _is_staff(self) -> bool:
        """Return whether the real user is course staff (the masquerading staff member counts)."""
        user = self._current_user()
        return user is not None and (bool(user.opt_attrs.get("edx-platform.user_is_staff")) or self._masquerading())

    def _learner(self) -> object:
        """The learner key of draws and claims: the runtime's user id for learner state."""
        return self.scope_ids.user_id

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
        """Return the ``lang`` and ``dir`` values of the current language (Django's, as the LMS sets it)."""
        language = translation.get_language() or "en"
        return language, "rtl" if translation.get_language_bidi() else "ltr"

    # ---- question pool, draw and attempts ---------------------------------------------------

    def _track_questions(self, user_id: int | None) -> tuple[str | None, list[Question]]:
        """Return the learner's track and all the questions of that track; raise ``InvalidQuestion``."""
        track = self._learner_track(user_id)
        pool = parse_questions(self.questions)
        try:
            return track, select_for_track(pool, track)
        except UnknownTrack as error:
            log.warning("Assessment %s: user %s has unknown track %r, all questions are served: %s",
                        self._usage_key(), user_id, track, error)
            return None, pool

    def _draw(self, questions: list[Question], attempt: int) -> list[Question]:
        return draw_questions(
            questions, self.pool_size, learner=self._learner(), usage_key=self._usage_key(), attempt=attempt
        )

    def _attempts_remaining(self) -> int | None:
        """Return how many submissions the learner has left, or None when attempts are unlimited."""
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.attempts, 0)

    def _shown_attempt(self) -> int:
        """The attempt a rendered form is for: the next one, or the last one once none remain."""
        return self.attempts if self._attempts_remaining() == 0 else self.attempts + 1

    def _answers_visible(self) -> bool:
        return answers_visible(self.show_answer, attempts=self.attempts, passed=bool(self.passed),
                               attempts_remaining=self._attempts_remaining())

    def max_score(self) -> int | float:
        """Return the points of one attempt of the current learner; 0 for an empty or invalid pool."""
        try:
            _track, questions = self._track_questions(self._user_id())
        except InvalidQuestion as error:
            log.error("Assessment %s has invalid questions, so its maximum score is 0: %s", self._usage_key(), error)
            return 0
        return round_points(sum(question.points for question in self._draw(questions, max(self.attempts, 1))))

    def validate(self):
        """Report malformed questions, an unknown preview track and an unknown policy to course authors."""
        validation = super().validate()
        try:
            parse_questions(self.questions)
        except InvalidQuestion as error:
            validation.add(ValidationMessage(ValidationMessage.ERROR, str(error)))
        if self.preview_track and self.preview_track not in TRACKS:
            message = self._gettext("Preview track %(track)s is unknown; use one of: %(tracks)s.") % {
                "track": self.preview_track,
                "tracks": ", ".join(TRACKS),
            }
            validation.add(ValidationMessage(ValidationMessage.ERROR, message))
        return validation

    # ---- scorable contract: rescoring and staff overrides -----------------------------------

    def has_submitted_answer(self) -> bool:
        """Return whether the learner has a scored attempt."""
        return self.attempts > 0

    def get_score(self) -> RawScore:
        """Return the stored raw score of the last attempt, 0/max_score before any attempt."""
        if not self.score:
            return RawScore(raw_earned=0, raw_possible=self.max_score())
        return RawScore(raw_earned=self.score["earned"], raw_possible=self.score["possible"])

    def set_score(self, score: RawScore) -> None:
        """Store a raw score set by a rescore or a staff override; per-question results stay as graded."""
        self.score = {**self.score, "earned": score.raw_earned, "possible": score.raw_possible}

    def rescore(self, only_if_higher):
        """Publish the grade of the stored answers against the current questions; ValueError when unanswered."""
        if not self.has_submitted_answer():
            raise ValueError(f"Cannot rescore {self._usage_key()}: user {self._user_id()} has no scored attempt.")
        super().rescore(only_if_higher)

    def calculate_score(self) -> RawScore:
        """Grade the stored answers of the last attempt against the current questions, without storing."""
        by_id = {question.id: question for question in parse_questions(self.questions)}
        served = [by_id[question_id] for question_id in self.served if question_id in by_id]
        earned = sum(grade(question, self.answers[question.id]) for question in served)
        return RawScore(raw_earned=round_points(earned), raw_possible=round_points(sum(q.points for q in served)))

    # ---- views ------------------------------------------------------------------------------

    def _dom_id(self) -> str:
        """Return an HTML id prefix unique to this block on a page."""
        return "raqmya-assessment-" + re.sub(r"[^A-Za-z0-9_-]", "-", self._usage_key())

    def _question_context(self, question: Question, number: int, total: int, review: dict | None) -> dict:
        """Describe one question for the template; correct flags only when the policy lets them out."""
        dom_id = f"{self._dom_id()}-{question.id}"
        order = choice_order(question, learner=self._learner(), usage_key=self._usage_key(),
                             attempt=self._shown_attempt())
        by_id = {choice.id: choice for choice in question.choices}
        answer = self.answers.get(question.id) if review is not None else None
        chosen = answer if isinstance(answer, list) else [answer]
        # A new draw's answers are only marked in practice mode; otherwise only reviewed answers are.
        reveal = self._answers_visible() and (self.show_answer == ShowAnswer.ALWAYS or review is not None)
        choices = [
            {
                "id": choice_id,
                "text": by_id[choice_id].text,
                "input_id": f"{dom_id}-{choice_id}",
                "checked": choice_id in chosen,
                "is_answer": reveal and by_id[choice_id].correct,
            }
            for choice_id in order
        ]
        return {
            "id": question.id,
            "dom_id": dom_id,
            "input_type": "checkbox" if question.type.value == "multiple" else "radio",
            "label": self._gettext("Question %(number)s of %(total)s") % {"number": number, "total": total},
            "stem": question.stem,
            "choices": choices,
            "review": review,
            "explanation": question.explanation if reveal else "",
        }

    def _result_context(self) -> dict | None:
        """Describe the stored last attempt: summary, competence and area rows."""
        if not self.attempts or not self.score:
            return None
        return self._result_texts(self.score, bool(self.passed))

    def _result_texts(self, score: dict, passed: bool) -> dict:
        value = percent(score["earned"], score["possible"])
        summary = self._gettext("Your score: %(earned)s / %(possible)s (%(percent)s%%)") % {
            "earned": results.format_number(score["earned"]),
            "possible": results.format_number(score["possible"]),
            "percent": results.format_number(value),
        }
        status = self._gettext("Passed") if passed else self._gettext("Not passed")
        return {
            "summary": f"{summary} {status}",
            "competences": results.breakdown(self._gettext, score.get("competences", {}),
                                             self._gettext("Competence")),
            "areas": results.breakdown(self._gettext, score.get("areas", {}), self._gettext("Area")),
        }

    def _view_questions(self, user_id: int | None) -> list[Question]:
        _track, questions = self._track_questions(user_id)
        attempt = self._shown_attempt()
        if attempt == self.attempts and self.served:
            by_id = {question.id: question for question in questions}
            return [by_id[question_id] for question_id in self.served if question_id in by_id]
        return self._draw(questions, attempt)

    def _view_context(self) -> dict:
        """Build the template context of the learner view, with every text already translated."""
        lang, direction = self._language_attributes()
        locked = self._attempts_remaining() == 0
        context = {
            "lang": lang, "dir": direction, "dom_id": self._dom_id(), "display_name": self.display_name,
            "error_text": "", "empty_text": "", "questions": [], "locked": locked,
            "attempt": self._shown_attempt(), "submit_text": self._gettext("Submit"),
            "attempts_text": self._attempts_text(), "result_title": self._gettext("Your result"),
            "competence_title": self._gettext("Results by competence"), "result": self._result_context(),
            "answer_text": self._gettext("Correct answer"), "explanation_title": self._gettext("Explanation"),
        }
        try:
            questions = self._view_questions(self._user_id())
        except InvalidQuestion as error:
            log.error("Assessment %s cannot be shown, its questions are invalid: %s", self._usage_key(), error)
            context["error_text"] = self._gettext(
                "This assessment cannot be shown because its questions are invalid. Please tell the course team."
            )
            return context
        if not questions:
            context["empty_text"] = self._gettext("This assessment has no questions for your track.")
            return context
        reviewing = locked and self._answers_visible()
        context["questions"] = [
            self._question_context(
                question, number, len(questions),
                results.question_review(self._gettext, question, self.answers[question.id], self.results[question.id])
                if reviewing and question.id in self.results else None,
            )
            for number, question in enumerate(questions, start=1)
        ]
        return context

    def _attempts_text(self) -> str:
        remaining = self._attempts_remaining()
        if remaining is None:
            return ""
        return self._gettext("Attempts remaining: %(count)s") % {"count": remaining}

    def _add_js_catalogue(self, fragment: Fragment) -> None:
        """Add the script that defines ``RaqmyaAssessmentI18n`` in the learner's language, when shipped.

        edx-platform adds the catalogue of a block with ``i18n_js_namespace`` itself; the workbench does not.
        """
        language = (translation.get_language() or "en").split("-")[0]
        uri = f"public/js/translations/{language}/text.js"
        if not (Path(__file__).parent / uri).is_file():
            uri = "public/js/translations/en/text.js"  # no catalogue for this language: the source strings
        fragment.add_javascript_url(self.runtime.local_resource_url(self, uri))

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """Render the drawn questions as a form; correct choices stay on the server until the policy allows."""
        html = loader.render_django_template("templates/assessment.html", self._view_context())
        fragment = Fragment(html)
        fragment.add_css_url(self.runtime.local_resource_url(self, "public/css/assessment.css"))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "public/js/assessment.js"))
        fragment.initialize_js("RaqmyaAssessment", {
            "error_text": self._gettext("Your answers could not be submitted. Check your connection and try again."),
            "sending_text": self._gettext("Submitting your answers…"),
            "retry_text": self._gettext("Try again"),
        })
        return fragment

    def student_view_data(self, context=None) -> dict:  # pylint: disable=unused-argument
        """Describe the drawn questions for the mobile apps, without correct flags."""
        try:
            questions = self._view_questions(self._user_id())
        except InvalidQuestion:
            questions = []
        attempt = self._shown_attempt()
        return {
            "display_name": self.display_name,
            "attempt": attempt,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "pass_mark": self.pass_mark,
            "questions": [
                {
                    "id": question.id,
                    "type": question.type.value,
                    "stem": question.stem,
                    "competence": question.competence,
                    "choices": [
                        {"id": choice_id, "text": question.choice(choice_id).text}
                        for choice_id in choice_order(question, learner=self._learner(),
                                                      usage_key=self._usage_key(), attempt=attempt)
                    ],
                }
                for question in questions
            ],
        }

    # ---- submission -------------------------------------------------------------------------

    def _answer_error(self, error: Exception, questions: list[Question]) -> Response:
        """Translate a domain error about one answer into a 400 response naming the question."""
        log.info("Assessment %s: submission of user %s rejected: %s", self._usage_key(), self._user_id(), error)
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
        if isinstance(error, InvalidAnswer):
            message = self._gettext(
                "The answer to question %(number)s has the wrong form. Reload the page and answer again."
            ) % {"number": numbers[error.question_id]}
            return _error_response(400, message, question_id=error.question_id)
        message = self._gettext(
            "Question %(question_id)s is not part of this assessment. Reload the page and answer again."
        ) % {"question_id": error.question_id}
        return _error_response(400, message, question_id=error.question_id)

    def _check_request(self, data: object) -> Response | None:
        """Reject a malformed body, a stale or replayed attempt and a submission past the limit."""
        answers = data.get("answers") if isinstance(data, dict) else None
        attempt = data.get("attempt") if isinstance(data, dict) else None
        if not isinstance(answers, dict) or isinstance(attempt, bool) or not isinstance(attempt, int):
            return _error_response(400, self._gettext(
                'The request must be a JSON object with "attempt", the attempt number shown on the form, '
                'and "answers", an object that maps each question id to its answer.'
            ))
        if self._attempts_remaining() == 0:
            message = self._gettext("You have used all %(count)s of your attempts, so this answer was not graded.")
            return _error_response(403, message % {"count": self.max_attempts})
        if attempt != self.attempts + 1:
            log.info("Assessment %s: user %s sent attempt %s, expected %s; rejected as stale.",
                     self._usage_key(), self._user_id(), attempt, self.attempts + 1)
            return _error_response(409, self._gettext(
                "This attempt was already submitted. Reload the page to see your result."
            ), attempt=self.attempts)
        return None

    def _grade_request(self, answers: dict) -> tuple[str | None, list[Question], Score] | Response:
        user_id = self._user_id()
        try:
            track, pool = self._track_questions(user_id)
        except InvalidQuestion as error:
            log.error("Assessment %s: submission of user %s rejected, invalid questions: %s",
                      self._usage_key(), user_id, error)
            return _error_response(500, self._gettext(
                "This assessment cannot be graded because its questions are invalid. Please tell the course team."
            ))
        questions = self._draw(pool, self.attempts + 1)
        if not questions:
            return _error_response(400, self._gettext("This assessment has no questions for your track."))
        try:
            return track, questions, score_answers(questions, answers)
        except (MissingAnswer, UnknownChoice, UnexpectedAnswer, InvalidAnswer) as error:
            return self._answer_error(error, questions)

    @XBlock.json_handler
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Grade ``{"attempt": n, "answers": {question id: answer}}`` once, store and publish, return it."""
        refusal = self._check_request(data)
        if refusal is not None:
            return refusal
        graded = self._grade_request(data["answers"])
        if isinstance(graded, Response):
            return graded
        track, questions, score = graded
        if self._masquerading():
            log.info("Assessment %s: staff %s viewing as user %s submitted; nothing stored.",
                     self._usage_key(), self._current_user().opt_attrs.get(MASQUERADE_ATTRIBUTE), self._user_id())
            return self._result(questions, data["answers"], score, self.attempts + 1, stored=False)
        attempt = self.attempts + 1
        if not claims.claim_attempt(self._usage_key(), self._learner(), attempt):
            log.info("Assessment %s: user %s attempt %s already claimed; duplicate rejected.",
                     self._usage_key(), self._user_id(), attempt)
            return _error_response(409, self._gettext(
                "This attempt was already submitted. Reload the page to see your result."
            ), attempt=attempt)
        try:
            self._store_attempt(questions, data["answers"], score)
        except Exception:
            claims.release_attempt(self._usage_key(), self._learner(), attempt)
            raise
        self._announce(track, score)
        return self._result(questions, data["answers"], score, attempt, stored=True)

    def _store_attempt(self, questions: list[Question], answers: dict, score: Score) -> None:
        self.attempts += 1
        self.served = [question.id for question in questions]
        self.answers = dict(answers)
        self.results = {question_id: result.to_json() for question_id, result in score.questions.items()}
        self.score = {"earned": score.earned, "possible": score.possible,
                      "competences": score.competences, "areas": score.areas}
        self.passed = score.percent >= self.pass_mark
        self.save()

    def _announce(self, track: str | None, score: Score) -> None:
        """Publish the grade and the tracking event once, then record the attempt in the reports app."""
        user_id = self._user_id()
        self.runtime.publish(self, "grade", {"value": score.earned, "max_value": score.possible})
        self.runtime.publish(self, "raqmya.assessment.submitted", {
            "attempt": self.attempts, "track": track, "earned": score.earned, "possible": score.possible,
            "percent": score.percent, "passed": bool(self.passed),
            "questions": {question_id: result.to_json() for question_id, result in score.questions.items()},
            "competences": score.competences, "areas": score.areas,
        })
        log.info("Assessment %s: user %s, attempt %s, track %s, scored %s/%s",
                 self._usage_key(), user_id, self.attempts, track, score.earned, score.possible)
        if user_id is not None:
            reports_link.record_assessment_result(
                user_id=user_id, usage_key=self._usage_key(), course_key=self._course_key(),
                attempt=self.attempts, track=track, earned=score.earned, possible=score.possible,
                passed=bool(self.passed), competences=score.competences, submitted_at=datetime.now(timezone.utc),
            )

    def _result(self, questions: list[Question], answers: dict, score: Score, attempt: int, *, stored: bool) -> dict:
        """Build the JSON result of a graded submission; per-question review only when the policy allows."""
        passed = score.percent >= self.pass_mark
        body = {
            "earned": score.earned, "possible": score.possible, "percent": score.percent, "passed": passed,
            "attempt": attempt, "stored": stored, "attempts": self.attempts,
            "attempts_remaining": self._attempts_remaining(), "attempts_text": self._attempts_text(),
            **self._result_texts({"earned": score.earned, "possible": score.possible,
                                  "competences": score.competences, "areas": score.areas}, passed),
            "review": {},
        }
        visible = answers_visible(self.show_answer, attempts=attempt, passed=passed,
                                  attempts_remaining=None if not self.max_attempts
                                  else max(self.max_attempts - attempt, 0))
        if visible:
            body["review"] = {
                question.id: results.question_review(self._gettext, question, answers[question.id],
                                                     score.questions[question.id].to_json())
                for question in questions
            }
        return body

    @XBlock.json_handler
    def reset_attempts(self, data, suffix=""):  # pylint: disable=unused-argument
        """Staff only: clear this learner's attempts so that they may take the assessment again."""
        if not self._is_staff():
            log.warning("Assessment %s: user %s, not staff, tried to reset attempts; rejected.",
                        self._usage_key(), self._user_id())
            return _error_response(403, self._gettext("Only course staff can reset attempts."))
        for attempt in range(1, self.attempts + 2):
            claims.release_attempt(self._usage_key(), self._learner(), attempt)
        for name in ("attempts", "served", "answers", "results", "score", "passed"):
            delattr(self, name)
        self.save()
        log.info("Assessment %s: attempts of user %s reset by staff.", self._usage_key(), self._user_id())
        return {"attempts": self.attempts, "attempts_remaining": self._attempts_remaining()}

    @staticmethod
    def workbench_scenarios():
        """Return the French and Arabic demonstration scenarios of xblock-sdk's workbench."""
        return _workbench_scenarios()
