"""The learner side of the placement test: the introduction, one item at a time, the result; and the mobile data.

Every state is rendered on the server, so the page and each handler reply carry the same translated
HTML. The script only swaps it in and moves the focus.
"""

from __future__ import annotations

import logging
from collections import Counter

from web_fragments.fragment import Fragment

from .. import reports_link
from ..draw import choice_order
from ..errors import InvalidQuestion
from ..questions import PROFICIENCY_LEVELS, TRACK_NAMES, Question
from ..rendering import render_template
from . import rules

log = logging.getLogger(__name__)

# DigComp 2.2 competence areas (JRC, 2022), by area code.
AREA_NAMES = {
    "1": "Information and data literacy",
    "2": "Communication and collaboration",
    "3": "Digital content creation",
    "4": "Safety",
    "5": "Problem solving",
}


class PlacementViewMixin:
    """``student_view``, ``student_view_data`` and the ``_state`` that every handler returns."""

    def _area_name(self, area: str) -> str:
        return self._gettext(AREA_NAMES.get(area, area))

    def _status(self) -> str:
        if self.current_item:
            return "item"
        return "result" if self.completed_at else "intro"

    def _item_context(self, question: Question) -> dict:
        # One item is shown at a time. Ids by position: an item or choice id may contain "-", or be
        # "self" or "title", and would then take the id of another element of the block.
        dom_id = f"{self._dom_id()}-item"
        order = choice_order(question, learner=self._learner(), usage_key=self._usage_key(), attempt=self.attempt)
        return {
            "id": question.id, "dom_id": dom_id, "stem": question.stem,
            "input_type": "checkbox" if question.type.value == "multiple" else "radio",
            "area": self._area_name(question.area),
            "choices": [{"id": choice_id, "text": question.choice(choice_id).text, "input_id": f"{dom_id}-c{position}"}
                        for position, choice_id in enumerate(order, 1)],
        }

    def _current_question(self) -> Question | None:
        try:
            return next((q for q in self._bank() if q.id == self.current_item), None)
        except InvalidQuestion as error:
            log.error("Placement %s cannot show item %s to user %s: %s", self._usage_key(), self.current_item,
                      self._user_id(), error)
            return None

    def _items_per_area(self) -> dict[str, int]:
        """Return how many items of each area the learner answered in the run, from the current bank."""
        try:
            area_of = {question.id: question.area for question in self._bank()}
        except InvalidQuestion:
            return {}
        return dict(Counter(area_of[item_id] for item_id, _right in self.responses if item_id in area_of))

    def _result_context(self) -> dict:
        retake_at = self._retake_at()
        items = self._items_per_area()
        rule = rules.stopping_rule()
        return {
            "areas": [{"name": self._area_name(area), "level": level, "items": items.get(area, 0)}
                      for area, level in sorted(self.levels.items())],
            # The stopping rule in words, so that a short run (a small bank) does not look like a fault.
            "items_text": self._gettext(
                "Each area is measured with at most %(max)s questions. It stops earlier once its level is "
                "precise enough, or when the test has no other question for that area."
            ) % {"max": rule.max_items},
            "track": self._gettext(TRACK_NAMES.get(self.track, self.track)),
            "courses": reports_link.describe_courses(list(self.recommended)),
            "not_saved_text": self._gettext(
                "Your account has no beneficiary profile in the programme, so these levels and this track were "
                "not saved to your programme record. Ask your programme contact to register you."
            ) if self._not_saved() else "",
            "may_retake": self._may_retake(),
            "retake_text": self._gettext("You can take the placement test again from %(date)s.") % {
                "date": retake_at.date().isoformat()} if retake_at is not None else "",
        }

    def _not_saved(self) -> bool:
        """Return whether the finished run is still missing from the programme's records.

        A run rejected for lack of a beneficiary profile is stored later when the operator registers
        the learner and imports the tracking log, and the notice then goes.
        """
        if not self.not_saved:
            return False
        user_id = self._user_id()
        return user_id is None or not reports_link.placement_recorded(
            user_id=user_id, usage_key=self._usage_key(), attempt=self.attempt)

    def _body_context(self, notice: str = "") -> dict:
        gettext = self._gettext
        status = self._status()
        content_lang, content_dir = self._content_attributes()
        context = {
            "status": status, "dom_id": self._dom_id(), "error_text": "", "notice_text": notice,
            "content_lang": content_lang, "content_dir": content_dir,
            "texts": {
                "intro": gettext("Answer one question at a time. The test adapts to your answers and finds your "
                                 "level in each area of digital competence."),
                "self_title": gettext("Your own estimate (optional)"),
                "self_help": gettext("Choose the level you think you have in each area, or leave it empty."),
                "unknown": gettext("I do not know"), "start": gettext("Start the test"),
                "next": gettext("Next"), "result_title": gettext("Your result"),
                "area": gettext("Area"), "level": gettext("Level (1 to 8)"), "items": gettext("Questions answered"),
                "track_label": gettext("Recommended track:"), "courses_title": gettext("Courses to take"),
                "no_courses": gettext("Your recommended courses will appear on your page."),
                "retake": gettext("Take the test again"),
                "item_removed": gettext("This question was removed from the test by the course team. "
                                        "Press Next to go on."),
            },
            "self_assessment": bool(self.self_assessment),
            "levels": list(PROFICIENCY_LEVELS),
        }
        try:
            areas = sorted({question.area for question in self._bank()})
        except InvalidQuestion:
            areas = []
            context["error_text"] = gettext("This placement test cannot be shown. Please tell the course team.")
        context["areas"] = [{"code": area, "name": self._area_name(area)} for area in areas]
        if status == "item":
            question = self._current_question()
            context["item"] = self._item_context(question) if question is not None else None
            context["progress"] = gettext("Question %(number)s") % {"number": len(self.responses) + 1}
        elif status == "result":
            context["result"] = self._result_context()
        return context

    def _body_html(self, notice: str = "") -> str:
        return render_template(__package__, "templates/body.html", self._body_context(notice))

    def _state(self, notice: str = "") -> dict:
        """Return every handler's reply: the status, the body's HTML with ``notice`` above it, the result so far."""
        return {"status": self._status(), "html": self._body_html(notice), "attempt": self.attempt,
                "item": self.current_item or None, "levels": dict(self.levels), "track": self.track or None,
                "recommended": list(self.recommended)}

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """Render the placement test in its current state."""
        lang, direction = self._language_attributes()
        html = render_template(__package__, "templates/placement.html", {
            "lang": lang, "dir": direction, "dom_id": self._dom_id(), "display_name": self.display_name,
            "body": self._body_html(),
        })
        fragment = Fragment(html)
        fragment.add_css_url(self.runtime.local_resource_url(self, "public/css/placement.css"))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "public/js/placement.js"))
        fragment.initialize_js("RaqmyaPlacement", {
            "error_text": self._gettext("Your answer could not be sent. Check your connection and try again."),
        })
        return fragment

    def student_view_data(self, context=None) -> dict:  # pylint: disable=unused-argument
        """Describe the current state for the mobile apps: the item shown (without correct flags) or the result."""
        data = {"display_name": self.display_name, "status": self._status(), "attempt": self.attempt,
                "content_language": self._content_attributes()[0] or None,
                "levels": dict(self.levels), "track": self.track or None, "recommended": list(self.recommended),
                "recommended_courses": reports_link.describe_courses(list(self.recommended)), "item": None,
                "not_saved": self._not_saved()}
        question = self._current_question() if self.current_item else None
        if question is not None:
            item = self._item_context(question)
            data["item"] = {"id": item["id"], "type": question.type.value, "stem": item["stem"],
                            "area": question.area,
                            "choices": [{"id": c["id"], "text": c["text"]} for c in item["choices"]]}
        return data
