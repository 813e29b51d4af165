"""The placement test XBlock: adaptive items per DigComp area, a level per area, a track and courses.

The item bank is edited, imported and written to OLX exactly as the assessment block's questions are.
Items also carry a difficulty and a discrimination for the two-parameter logistic model of ``irt``.
"""

from __future__ import annotations

import importlib.resources
import logging

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from ..assessment.fields import QuestionListField
from ..assessment.learner_view import LearnerViewMixin
from ..assessment.olx import OlxMixin
from ..assessment.studio import StudioMixin
from ..content_language import ContentLanguageMixin
from ..errors import InvalidQuestion
from ..learner_context import LearnerContextMixin
from ..questions import parse_questions
from ..rendering import html_id
from .learner_view import PlacementViewMixin
from .runs import RunMixin
from .scenarios import workbench_scenarios as _workbench_scenarios
from .validation import EDITABLE_SETTINGS, settings_errors

log = logging.getLogger(__name__)


def _(text: str) -> str:
    """Mark ``text`` for extraction; field labels and help are translated where they are shown."""
    return text


@XBlock.needs("i18n")
@XBlock.wants("user")
class PlacementBlock(  # pylint: disable=too-many-ancestors
    PlacementViewMixin, RunMixin, StudioMixin, OlxMixin, ContentLanguageMixin, LearnerContextMixin, XBlock
):
    """An adaptive placement test over the DigComp areas of its bank; tracks of items are ignored.

    Not graded unless ``graded`` is set; then a finished run publishes a completion grade of 1 out of 1.
    """

    display_name = String(
        display_name=_("Display name"),
        help=_("The title that learners see above the placement test."),
        scope=Scope.settings,
        default="Placement test",
    )
    questions = QuestionListField(
        display_name=_("Items"),
        help=_("The item bank: questions with a competence, a level, and optionally a difficulty and discrimination."),
        scope=Scope.content,
        default=[],
    )
    graded = Boolean(
        display_name=_("Graded"),
        help=_("Whether finishing the placement test counts in the course grade, as 1 out of 1."),
        scope=Scope.settings,
        default=False,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("The points this placement test is worth in the course grade when it is graded."),
        scope=Scope.settings,
        default=None,
        values={"min": 0},
    )
    self_assessment = Boolean(
        display_name=_("Ask for a self-assessment"),
        help=_("Whether learners may give their own level per area before the first item, to start the estimate."),
        scope=Scope.settings,
        default=True,
    )

    # Learner state of the current or last run.
    attempt = Integer(help="Number of the current or last run, from 1.", scope=Scope.user_state, default=0)
    responses = List(help="Answered items of the run as [item id, answered right].", scope=Scope.user_state)
    current_item = String(help="Id of the item shown and not yet answered.", scope=Scope.user_state, default="")
    self_levels = Dict(help="Self-assessed level per area of the run.", scope=Scope.user_state)
    levels = Dict(help="Proficiency level per area of the finished run.", scope=Scope.user_state)
    track = String(help="Track recommended by the finished run.", scope=Scope.user_state, default="")
    recommended = List(help="Course keys recommended after the finished run.", scope=Scope.user_state)
    completed_at = String(help="ISO 8601 time the run finished, empty while it runs.", scope=Scope.user_state,
                          default="")
    not_saved = Boolean(help="Whether the reports app rejected the finished run because the learner had no "
                             "beneficiary profile.", scope=Scope.user_state, default=False)

    icon_class = "problem"
    i18n_js_namespace = "RaqmyaAssessmentI18n"  # one catalogue for the blocks of the programme
    _add_js_catalogue = LearnerViewMixin._add_js_catalogue  # pylint: disable=protected-access

    @property
    def has_score(self) -> bool:
        """Whether the platform grades this block: only when the author made it graded."""
        return bool(self.graded)

    def max_score(self) -> int:
        """Return 1 when the block is graded (a finished run earns it), else 0."""
        return 1 if self.graded else 0

    @classmethod
    def _open_resource(cls, uri):
        """Serve this block's own files, else the assessment block's (the shared editor and catalogues)."""
        own = importlib.resources.files(__package__).joinpath(uri)
        if own.is_file():
            return own.open("rb")
        return importlib.resources.files("raqmya_xblocks.assessment").joinpath(uri).open("rb")

    def _dom_id(self) -> str:
        return html_id("raqmya-placement-", self._usage_key())

    def _editable_settings(self) -> tuple[str, ...]:
        return EDITABLE_SETTINGS

    def _settings_errors(self, values: object) -> list[dict]:
        return settings_errors(values, self._gettext, self._field_labels())

    def _studio_fields(self) -> list[dict]:
        gettext = self._gettext
        return [
            {"name": "display_name", "label": gettext("Display name"), "type": "text"},
            self._content_language_input(),
            {"name": "graded", "label": gettext("Graded"), "type": "checkbox"},
            {"name": "weight", "label": gettext("Problem weight"), "type": "number", "min": "0", "step": "any",
             "optional": True},
            {"name": "self_assessment", "label": gettext("Ask for a self-assessment"), "type": "checkbox"},
        ]

    def _studio_texts(self) -> dict:
        return {**super()._studio_texts(), "title": self._gettext("Edit the placement test")}

    def validate(self):
        """Report malformed items, an empty bank and a malformed content language to course authors.

        An empty bank is an error when the block is graded, because learners can neither start it nor earn the grade.
        """
        validation = super().validate()
        try:
            parse_questions(self.questions)
        except InvalidQuestion as error:
            validation.add(ValidationMessage(ValidationMessage.ERROR, str(error)))
        if not self.questions:
            severity = ValidationMessage.ERROR if self.graded else ValidationMessage.WARNING
            validation.add(ValidationMessage(severity, self._gettext(
                "This placement test has no items, so learners cannot start it. Add items in the editor."
            )))
        self._validate_content_language(validation)
        return validation

    @staticmethod
    def workbench_scenarios():
        """Return the French and Arabic demonstration scenarios of xblock-sdk's workbench."""
        return _workbench_scenarios()
