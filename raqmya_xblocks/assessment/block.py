"""The track assessment XBlock: draws questions of the learner's track, grades them once per attempt, reports."""

from __future__ import annotations

import logging

from xblock.core import XBlock
from xblock.fields import Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin
from xblock.scorable import Score as RawScore
from xblock.validation import ValidationMessage

from .. import reports_link
from ..content_language import ContentLanguageMixin
from ..draw import draw_questions
from ..errors import InvalidAnswer, InvalidQuestion, UnknownChoice, UnknownTrack
from ..learner_context import LearnerContextMixin
from ..questions import TRACK_NAMES, TRACKS, Question, parse_questions, select_for_track
from ..scoring import grade, round_points
from .fields import QuestionListField
from .learner_view import LearnerViewMixin
from .olx import OlxMixin
from .policy import ShowAnswer, answers_visible, is_full_marks
from .scenarios import workbench_scenarios as _workbench_scenarios
from .studio import StudioMixin
from .submission import SubmissionMixin

log = logging.getLogger(__name__)


def _(text: str) -> str:
    """Mark ``text`` for extraction; field labels and help are translated where they are shown."""
    return text


@XBlock.needs("i18n")
@XBlock.wants("user")
class AssessmentBlock(  # pylint: disable=too-many-ancestors
    LearnerViewMixin, SubmissionMixin, StudioMixin, OlxMixin, ContentLanguageMixin, LearnerContextMixin,
    ScorableXBlockMixin, XBlock
):
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
        values=[{"display_name": _("All questions"), "value": ""}]
        + [{"display_name": TRACK_NAMES[code], "value": code} for code in TRACKS],
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
            {"display_name": _("After the last attempt or full marks"), "value": ShowAnswer.FINISHED.value},
            {"display_name": _("Never"), "value": ShowAnswer.NEVER.value},
        ],
    )

    has_score = True
    icon_class = "problem"
    i18n_js_namespace = "RaqmyaAssessmentI18n"

    # ---- services and learner context -------------------------------------------------------

    def _learner_track(self, user_id: int | None) -> str | None:
        """Return the learner's track from the reports app, else the preview track, else None."""
        track = reports_link.learner_track(user_id) if user_id is not None else None
        return track or self.preview_track or None

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
        """Return the attempt a rendered form is for: the next one, or the last one once none remain."""
        return self.attempts if self._attempts_remaining() == 0 else self.attempts + 1

    def _answers_visible(self) -> bool:
        score = self.score or {}
        full_marks = is_full_marks(score.get("earned", 0), score.get("possible", 0))
        return answers_visible(self.show_answer, attempts=self.attempts, full_marks=full_marks,
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
        """Report malformed questions, a malformed content language and an unknown preview track to authors."""
        validation = super().validate()
        try:
            parse_questions(self.questions)
        except InvalidQuestion as error:
            validation.add(ValidationMessage(ValidationMessage.ERROR, str(error)))
        self._validate_content_language(validation)
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

    def _served_questions(self) -> list[Question]:
        """Return the questions of the last attempt that the bank still has, in the order served."""
        by_id = {question.id: question for question in parse_questions(self.questions)}
        return [by_id[question_id] for question_id in self.served if question_id in by_id]

    def rescore(self, only_if_higher):
        """Publish the grade of the stored answers against the current questions; ValueError when unanswered.

        When the bank has none of the served questions left, nothing is published: the stored score stays.
        """
        if not self.has_submitted_answer():
            raise ValueError(f"Cannot rescore {self._usage_key()}: user {self._user_id()} has no scored attempt.")
        if not self._served_questions():
            log.warning("Assessment %s: rescore of user %s skipped because the bank no longer has any of the "
                        "served questions %s. The stored score %s/%s stays.", self._usage_key(), self._user_id(),
                        self.served, self.score.get("earned"), self.score.get("possible"))
            return
        super().rescore(only_if_higher)

    def _stored_answer_points(self, question: Question) -> int | float:
        """Return the points of the stored answer to ``question``, or 0 when it no longer fits the question.

        An author may remove a choice or change a question's type after learners answered it.
        """
        try:
            return grade(question, self.answers.get(question.id))
        except (UnknownChoice, InvalidAnswer) as error:
            log.warning("Assessment %s: invalid stored answer of user %s to question %r, scored 0 on rescore: %s",
                        self._usage_key(), self._user_id(), question.id, error)
            return 0

    def calculate_score(self) -> RawScore:
        """Grade the stored answers of the last attempt against the current questions, without storing.

        Questions deleted since are left out, and an answer that no longer fits its question earns 0.
        """
        served = self._served_questions()
        earned = sum(self._stored_answer_points(question) for question in served)
        return RawScore(raw_earned=round_points(earned), raw_possible=round_points(sum(q.points for q in served)))

    @staticmethod
    def workbench_scenarios():
        """Return the French and Arabic demonstration scenarios of xblock-sdk's workbench."""
        return _workbench_scenarios()
