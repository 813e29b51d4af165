"""The learner side of the assessment block: the form of the drawn questions, results and the mobile data."""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils import translation
from web_fragments.fragment import Fragment

from ..draw import choice_order
from ..errors import InvalidQuestion
from ..questions import Question
from ..rendering import html_id, render_template
from ..scoring import percent
from . import results
from .policy import ShowAnswer

log = logging.getLogger(__name__)


class LearnerViewMixin:
    """``student_view`` and ``student_view_data``; correct answers appear only when the policy allows."""

    def _dom_id(self) -> str:
        """Return an HTML id prefix unique to this block on a page."""
        return html_id("raqmya-assessment-", self._usage_key())

    def _question_context(self, question: Question, number: int, total: int, review: dict | None) -> dict:
        """Describe one question for the template; correct flags only when the policy lets them out."""
        # Ids by position: question and choice ids may contain "-", so "q1" with choice "a-stem" and
        # "q1-a" would both give "...-q1-a-stem", and a choice "stem" would take its stem's id.
        dom_id = f"{self._dom_id()}-q{number}"
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
                "input_id": f"{dom_id}-c{position}",
                "checked": choice_id in chosen,
                "is_answer": reveal and by_id[choice_id].correct,
            }
            for position, choice_id in enumerate(order, 1)
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
        content_lang, content_dir = self._content_attributes()
        locked = self._attempts_remaining() == 0
        context = {
            "lang": lang, "dir": direction, "content_lang": content_lang, "content_dir": content_dir,
            "dom_id": self._dom_id(), "display_name": self.display_name,
            "error_text": "", "empty_text": "", "questions": [], "locked": locked,
            "attempt": self._shown_attempt(), "form_token": self._served_form_token(),
            "submit_text": self._gettext("Submit"),
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
        html = render_template(__package__, "templates/assessment.html", self._view_context())
        fragment = Fragment(html)
        fragment.add_css_url(self.runtime.local_resource_url(self, "public/css/assessment.css"))
        # The catalogue, not the page, carries the review labels: the page shows no answer text before the policy.
        self._add_js_catalogue(fragment)
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "public/js/assessment.js"))
        fragment.initialize_js("RaqmyaAssessment", {
            "error_text": self._gettext("Your answers could not be submitted. Check your connection and try again."),
            "sending_text": self._gettext("Submitting your answers…"),
            "retry_text": self._gettext("Try again"),
            "lang": self._language_attributes()[0], "dir": self._language_attributes()[1],
        })
        return fragment

    def student_view_data(self, context=None) -> dict:  # pylint: disable=unused-argument
        """Describe the drawn questions for the mobile apps, without correct flags; ``form`` goes back with answers."""
        try:
            questions = self._view_questions(self._user_id())
        except InvalidQuestion:
            questions = []
        attempt = self._shown_attempt()
        return {
            "display_name": self.display_name,
            "attempt": attempt,
            "form": self._served_form_token(),
            "content_language": self._content_attributes()[0] or None,
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
