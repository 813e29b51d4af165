"""Placement runs of one learner: start (with an optional self-assessment), answer item by item, finish, reset.

Each answer is graded with the assessment's rule; an item counts as right only when it earns all
its points. A finished run is recorded in the reports app, which sets the learner's track.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timezone

from webob import Response

from .. import reports_link
from ..errors import InvalidAnswer, InvalidPlacementSetting, InvalidQuestion, UnknownChoice
from ..json_requests import json_response, post_handler, quoted_input
from ..questions import PROFICIENCY_LEVELS, Question, parse_questions
from ..scoring import grade
from . import rules
from .session import PlacementRun

log = logging.getLogger(__name__)


def _error(status: int, message: str, **details: object) -> Response:
    return json_response(status, {"error": message, **details})


# A request names one item and one answer, or up to 5 self-assessed levels.
MAX_REQUEST_BYTES = 64 * 1024


def _json_handler(method):
    """Make ``method(self, data, suffix)`` a handler of POSTed JSON, each refusal in the learner's language.

    XBlock's own ``json_handler`` rejects a bad body in English; this one uses the block's catalogue.
    """
    @functools.wraps(method)
    def handle(self, request, suffix=""):
        # pylint: disable=protected-access  # ``self`` is the block, whose helpers the handler uses as its own
        data, refusal = self._read_json(request, MAX_REQUEST_BYTES)
        if refusal is not None:
            return refusal
        result = method(self, data, suffix)
        if isinstance(result, Response):
            return result
        return json_response(200, result)
    return post_handler(handle)


class RunMixin:
    """The ``start``, ``answer`` and ``reset_attempts`` handlers and the run they drive."""

    # Fields of the placement block that the handlers read and write; the block declares them.
    questions: list
    graded: bool
    attempt: int
    responses: list
    current_item: str
    self_levels: dict
    levels: dict
    track: str
    recommended: list
    completed_at: str
    self_assessment: bool

    def _bank(self) -> list[Question]:
        return parse_questions(self.questions)

    def _run(self, bank: list[Question]) -> PlacementRun:
        return PlacementRun(bank, [(item_id, bool(right)) for item_id, right in self.responses],
                            self_levels=dict(self.self_levels), rule=rules.stopping_rule())

    def _finished(self) -> bool:
        return bool(self.completed_at)

    def _retake_at(self) -> datetime | None:
        """When the learner may start again after a finished run; None while no run is finished."""
        if not self._finished():
            return None
        return rules.retake_available_at(datetime.fromisoformat(self.completed_at))

    def _may_retake(self) -> bool:
        retake_at = self._retake_at()
        return retake_at is not None and datetime.now(timezone.utc) >= retake_at

    def _self_levels(self, data: dict, areas: list[str]) -> dict[str, int] | str:
        """Return the valid self-assessed levels of ``data``, or the message that names the first invalid one.

        Return {} when the block's "Ask for a self-assessment" setting is off, whatever levels were sent.
        """
        given = data.get("self_levels") or {}
        if not self.self_assessment:
            if given:
                log.info("Placement %s: self-assessed levels %.200r of user %s ignored because the block does not "
                         "ask for a self-assessment.", self._usage_key(), given, self._user_id())
            return {}
        if not isinstance(given, dict):
            return self._gettext("Choose a level from 1 to 8 for each area, or leave it empty.")
        levels = {}
        for area, level in given.items():
            if level in ("", None):
                continue
            if area not in areas:
                # Translators: the separator of the items of a list, "، " in Arabic.
                separator = self._gettext(", ")
                return self._gettext("This placement test has no area %(area)s: send levels for areas %(areas)s "
                                     "only.") % {"area": quoted_input(area), "areas": separator.join(areas)}
            if isinstance(level, bool) or not isinstance(level, int) or level not in PROFICIENCY_LEVELS:
                return self._gettext("The level %(level)s given for area %(area)s is not a level from 1 to 8: "
                                     "choose one, or leave it empty.") % {"level": quoted_input(level), "area": area}
            levels[area] = level
        return levels

    @_json_handler
    def start(self, data, suffix=""):  # pylint: disable=unused-argument
        """Start a run, or return the item shown when one is under way; ``{"self_levels": {area: level}}``."""
        if self._masquerading():
            return _error(403, self._gettext("Staff viewing as a learner cannot take the placement test for them."))
        if self.current_item:
            return self._resume()
        if self._finished() and not self._may_retake():
            return _error(409, self._gettext("You can take the placement test again from %(date)s.") % {
                "date": self._retake_at().date().isoformat()})
        try:
            bank = self._bank()
            run = self._run(bank)
        except (InvalidQuestion, InvalidPlacementSetting) as error:
            log.error("Placement %s cannot start for user %s: %s", self._usage_key(), self._user_id(), error)
            return _error(500, self._gettext("This placement test cannot start. Please tell the course team."))
        if not bank:
            log.warning("Placement %s: start by user %s rejected because the bank has no items. Add items in Studio.",
                        self._usage_key(), self._user_id())
            return _error(409, self._gettext("This placement test has no questions yet. Please come back later."))
        levels = self._self_levels(data if isinstance(data, dict) else {}, run.areas)
        if isinstance(levels, str):
            log.info("Placement %s: start by user %s rejected, invalid self-assessed levels: %s", self._usage_key(),
                     self._user_id(), levels)
            return _error(400, levels)
        attempt = self.attempt + 1
        self.attempt, self.responses, self.self_levels, self.levels, self.track = attempt, [], levels, {}, ""
        self.recommended, self.completed_at, self.not_saved = [], "", False
        self._advance(self._run(bank))
        log.info("Placement %s: user %s started run %s.", self._usage_key(), self._user_id(), attempt)
        return self._state()

    @_json_handler
    def answer(self, data, suffix=""):  # pylint: disable=unused-argument
        """Grade ``{"item": id, "answer": choice id or list}`` for the item shown; return the next state."""
        if not isinstance(data, dict) or not self.current_item or data.get("item") != self.current_item:
            return _error(409, self._gettext("This item is no longer the one to answer. Reload the page."),
                          item=self.current_item)
        try:
            bank = self._bank()
        except InvalidQuestion as error:
            log.error("Placement %s cannot grade user %s: %s", self._usage_key(), self._user_id(), error)
            return _error(500, self._gettext("This placement test cannot start. Please tell the course team."))
        question = next((question for question in bank if question.id == self.current_item), None)
        if question is None:
            return self._skip_removed_item(bank)
        try:
            right = grade(question, data.get("answer")) == question.points
        except (InvalidAnswer, UnknownChoice) as error:
            log.info("Placement %s: answer of user %s rejected: %s", self._usage_key(), self._user_id(), error)
            return _error(400, self._gettext("Choose an answer and send it again."), item=question.id)
        run = self._run(bank)
        run.record(question.id, right)
        self.responses = [[item_id, item_right] for item_id, item_right in run.responses]
        self._advance(run)
        return self._state()

    def _resume(self) -> dict | Response:
        """Return the state of the run under way, past the item shown when the author removed it from the bank."""
        try:
            bank = self._bank()
        except InvalidQuestion:
            return self._state()  # the body shows that the test cannot be shown; the error is logged there
        if any(question.id == self.current_item for question in bank):
            return self._state()
        return self._skip_removed_item(bank)

    def _skip_removed_item(self, bank: list[Question]) -> dict:
        """Go on from the item shown, which the author removed from the bank, and tell the learner."""
        log.warning("Placement %s: item %s shown to user %s is no longer in the bank, so the run goes on without it.",
                    self._usage_key(), self.current_item, self._user_id())
        self._advance(self._run(bank))
        return self._state(notice=self._gettext(
            "The question you were shown was removed from the test by the course team, so the test went on "
            "without it."))

    def _advance(self, run: PlacementRun) -> None:
        """Show the run's next item, or finish the run when there is none.

        A run with no answer and no item left (every item removed from the bank) is not finished: the
        learner is back at the introduction, and no result, grade or waiting period is recorded.
        """
        following = run.next_item()
        self.current_item = following.id if following is not None else ""
        if following is None and run.responses:
            self._finish(run)
        elif following is None:
            log.warning("Placement %s: run %s of user %s has no item left and no answer, so it is not finished.",
                        self._usage_key(), self.attempt, self._user_id())
        self.save()

    def _finish(self, run: PlacementRun) -> None:
        now = datetime.now(timezone.utc)
        self.levels = run.levels()
        self.track = rules.recommended_track(self.levels)
        self.completed_at = now.isoformat()
        user_id = self._user_id()
        log.info("Placement %s: user %s finished run %s after %s items: levels %s, track %s.",
                 self._usage_key(), user_id, self.attempt, len(run.responses), self.levels, self.track)
        # The item results, as the reports app records them, let an import of the tracking log give the
        # same item analysis as the live run.
        results = run.item_results()
        self.runtime.publish(self, "raqmya.placement.completed", {
            "attempt": self.attempt, "items": len(run.responses), "levels": self.levels, "track": self.track,
            "results": results})
        if self.graded:
            self.runtime.publish(self, "grade", {"value": 1, "max_value": 1})
        if user_id is not None and self.levels:
            recorded = reports_link.record_placement(
                user_id=user_id, usage_key=self._usage_key(), attempt=self.attempt, levels=self.levels,
                track=self.track, submitted_at=now, course_key=self._course_key(), items=results)
            self.not_saved = recorded is None
            # The courses taught in the test's own language come first.
            self.recommended = reports_link.recommended_courses(user_id, self._content_attributes()[0] or None)

    @_json_handler
    def reset_attempts(self, data, suffix=""):  # pylint: disable=unused-argument
        """Staff only: clear the learner's runs so that they may take the test again at once."""
        if not self._is_staff():
            log.warning("Placement %s: user %s, not staff, tried to reset; rejected.", self._usage_key(),
                        self._user_id())
            return _error(403, self._gettext("Only course staff can reset attempts."))
        for name in ("responses", "current_item", "self_levels", "levels", "track", "recommended", "completed_at",
                     "not_saved"):
            delattr(self, name)
        self.save()
        user_id = self._user_id()
        if user_id is not None:
            reports_link.record_placement_reset(user_id=user_id, usage_key=self._usage_key(),
                                                reset_at=datetime.now(timezone.utc))
        log.info("Placement %s: runs of user %s reset by staff.", self._usage_key(), self._user_id())
        return self._state()
