"""Submissions to the assessment block: one graded attempt per claim, grade and tracking events, staff reset."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from webob import Response
from xblock.fields import Boolean, Dict, Integer, List, Scope, String

from .. import reports_link
from ..errors import InvalidAnswer, InvalidQuestion, MissingAnswer, UnexpectedAnswer, UnknownChoice
from ..json_requests import JsonRequestMixin, json_response, post_handler, quoted_input
from ..questions import Question
from ..scoring import Score, score_answers
from . import claims, results
from .policy import answers_visible, is_full_marks

log = logging.getLogger(__name__)

# A submission's body contains an answer per served question; a bank of hundreds of questions
# with long choice ids stays far below this.
MAX_SUBMIT_BYTES = 256 * 1024


def _error_response(status: int, message: str, **details: object) -> Response:
    """Return a JSON error response ``{"error": message, ...details}`` with HTTP ``status``."""
    return json_response(status, {"error": message, **details})


def _json(body: dict) -> Response:
    return json_response(200, body)


class SubmissionMixin(JsonRequestMixin):
    """The ``submit`` and ``reset_attempts`` handlers, and the learner state a graded attempt stores."""

    attempts = Integer(help="Number of scored submissions of this learner.", scope=Scope.user_state, default=0)
    served = List(help="Question ids drawn for the last scored attempt, in order.", scope=Scope.user_state)
    answers = Dict(help="Answer of each served question id, last scored attempt.", scope=Scope.user_state)
    results = Dict(help="Earned and possible points of each served question id.", scope=Scope.user_state)
    score = Dict(help="Raw points of the last attempt, with competence and area totals.", scope=Scope.user_state)
    passed = Boolean(help="Whether the last attempt reached the pass mark.", scope=Scope.user_state)
    form_token = String(help="Random key of this learner state, issued when a form is first served; "
                             "attempt claims are keyed on it.", scope=Scope.user_state, default="")

    def _served_form_token(self) -> str:
        """Return the form token of this learner state, issuing it the first time a form is served.

        Nothing is written while staff view the block as the learner, nor for an anonymous user.
        """
        if not self.form_token and not self._masquerading() and self._user_id() is not None:
            self.form_token = claims.new_token()
            self.save()
        return self.form_token

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
            ) % {"number": numbers[error.question_id], "choice_id": quoted_input(error.choice_id)}
            return _error_response(400, message, question_id=error.question_id, choice_id=error.choice_id)
        if isinstance(error, InvalidAnswer):
            message = self._gettext(
                "The answer to question %(number)s has the wrong form. Reload the page and answer again."
            ) % {"number": numbers[error.question_id]}
            return _error_response(400, message, question_id=error.question_id)
        message = self._gettext(
            "Question %(question_id)s is not part of this assessment. Reload the page and answer again."
        ) % {"question_id": quoted_input(error.question_id)}
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
            if self.attempts > self.max_attempts:
                # The course team lowered the limit after the learner used these attempts.
                log.info("Assessment %s: user %s sent an answer after %s attempts, past the limit of %s; rejected.",
                         self._usage_key(), self._user_id(), self.attempts, self.max_attempts)
                message = self._gettext("You have used %(used)s attempts and this assessment now allows "
                                        "%(count)s, so this answer was not graded.")
                return _error_response(403, message % {"used": self.attempts, "count": self.max_attempts})
            message = self._ngettext("You have used your one attempt, so this answer was not graded.",
                                     "You have used all %(count)s of your attempts, so this answer was not graded.",
                                     self.max_attempts)
            return _error_response(403, message % {"count": self.max_attempts})
        if attempt != self.attempts + 1:
            log.info("Assessment %s: user %s sent attempt %s, expected %s; rejected as stale.",
                     self._usage_key(), self._user_id(), attempt, self.attempts + 1)
            if attempt > self.attempts + 1:
                # A form shown before staff reset the attempts, or an edited request.
                return _error_response(409, self._gettext(
                    "Attempt %(attempt)s is not your next attempt, which is attempt %(next)s. Reload the page and "
                    "answer again."
                ) % {"attempt": quoted_input(attempt, limit=21), "next": self.attempts + 1}, attempt=self.attempts)
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

    @post_handler
    def submit(self, request, suffix=""):  # pylint: disable=unused-argument
        """Grade ``{"attempt": n, "answers": {question id: answer}, "form": token}`` once, store, publish."""
        data, refusal = self._read_json(request, MAX_SUBMIT_BYTES)
        if refusal is None:
            refusal = self._check_request(data)
        if refusal is not None:
            return refusal
        graded = self._grade_request(data["answers"])
        if isinstance(graded, Response):
            return graded
        track, questions, score = graded
        if self._masquerading():
            log.info("Assessment %s: staff %s viewing as user %s submitted; nothing stored.",
                     self._usage_key(), self._real_user_id(), self._user_id())
            return _json(self._result(questions, data["answers"], score, self.attempts + 1, stored=False))
        attempt = self.attempts + 1
        scope = claims.claim_scope(self.form_token, data.get("form"))
        if not claims.claim_attempt(self._usage_key(), self._learner(), scope, attempt):
            log.info("Assessment %s: user %s attempt %s already claimed; duplicate rejected.",
                     self._usage_key(), self._user_id(), attempt)
            return _error_response(409, self._gettext(
                "This attempt was already submitted. Reload the page to see your result."
            ), attempt=attempt)
        try:
            self._store_attempt(questions, data["answers"], score)
        except Exception:
            claims.release_attempt(self._usage_key(), self._learner(), scope, attempt)
            raise
        self._announce(track, questions, score)
        return _json(self._result(questions, data["answers"], score, attempt, stored=True))

    def _store_attempt(self, questions: list[Question], answers: dict, score: Score) -> None:
        if not self.form_token:  # a state deleted since its form was served gets a token of its own again
            self.form_token = claims.new_token()
        self.attempts += 1
        self.served = [question.id for question in questions]
        self.answers = dict(answers)
        self.results = {question_id: result.to_json() for question_id, result in score.questions.items()}
        self.score = {"earned": score.earned, "possible": score.possible,
                      "competences": score.competences, "areas": score.areas}
        self.passed = score.percent >= self.pass_mark
        self.save()

    def _announce(self, track: str | None, questions: list[Question], score: Score) -> None:
        """Publish the grade and the tracking event once, then record the attempt in the reports app."""
        user_id = self._user_id()
        # Each served question's points, competence and authored difficulty (None when unset), in the
        # tracking event as in the reports app, so that an attempt imported from the tracking log gives
        # the same report rows as the live one.
        served = {question.id: {**score.questions[question.id].to_json(), "competence": question.competence,
                                "difficulty": question.difficulty}
                  for question in questions}
        # A reset deletes the form token with the learner state, so the next attempts, numbered from 1
        # again, are of a new series. The reports app keeps the latest series' result of each number.
        series = claims.series_id(self.form_token)
        self.runtime.publish(self, "grade", {"value": score.earned, "max_value": score.possible})
        self.runtime.publish(self, "raqmya.assessment.submitted", {
            "attempt": self.attempts, "track": track, "earned": score.earned, "possible": score.possible,
            "percent": score.percent, "passed": bool(self.passed), "questions": served,
            "competences": score.competences, "areas": score.areas, "series": series,
        })
        log.info("Assessment %s: user %s, attempt %s, track %s, scored %s/%s",
                 self._usage_key(), user_id, self.attempts, track, score.earned, score.possible)
        if user_id is not None:
            reports_link.record_assessment_result(
                user_id=user_id, usage_key=self._usage_key(), course_key=self._course_key(),
                attempt=self.attempts, track=track, earned=score.earned, possible=score.possible,
                passed=bool(self.passed), competences=score.competences, submitted_at=datetime.now(timezone.utc),
                questions=served, series=series,
            )

    def _result(self, questions: list[Question], answers: dict, score: Score, attempt: int, *, stored: bool) -> dict:
        """Build the JSON result of a graded submission; per-question review only when the policy allows."""
        passed = score.percent >= self.pass_mark
        body = {
            "earned": score.earned, "possible": score.possible, "percent": score.percent, "passed": passed,
            "attempt": attempt, "stored": stored, "attempts": self.attempts, "form": self.form_token,
            "attempts_remaining": self._attempts_remaining(), "attempts_text": self._attempts_text(),
            **self._result_texts({"earned": score.earned, "possible": score.possible,
                                  "competences": score.competences, "areas": score.areas}, passed),
            "review": {},
        }
        remaining = max(self.max_attempts - attempt, 0) if self.max_attempts else None
        visible = answers_visible(self.show_answer, attempts=attempt,
                                  full_marks=is_full_marks(score.earned, score.possible), attempts_remaining=remaining)
        if visible:
            body["review"] = {
                question.id: results.question_review(self._gettext, question, answers[question.id],
                                                     score.questions[question.id].to_json())
                for question in questions
            }
        return body

    @post_handler
    def reset_attempts(self, request, suffix=""):  # pylint: disable=unused-argument
        """Staff only: clear this learner's attempts so that they may take the assessment again."""
        if not self._is_staff():
            log.warning("Assessment %s: user %s, not staff, tried to reset attempts; rejected.",
                        self._usage_key(), self._user_id())
            return _error_response(403, self._gettext("Only course staff can reset attempts."))
        _data, refusal = self._read_json(request, MAX_SUBMIT_BYTES)
        if refusal is not None:
            return refusal
        # The claims of this state, and those of submissions that came with no token at all.
        scopes = {claims.claim_scope(self.form_token, None), claims.claim_scope(None, None)}
        for scope in scopes:
            for attempt in range(1, self.attempts + 2):
                claims.release_attempt(self._usage_key(), self._learner(), scope, attempt)
        for name in ("attempts", "served", "answers", "results", "score", "passed", "form_token"):
            delattr(self, name)
        self.save()
        log.info("Assessment %s: attempts of user %s reset by staff.", self._usage_key(), self._user_id())
        return _json({"attempts": self.attempts, "attempts_remaining": self._attempts_remaining()})
