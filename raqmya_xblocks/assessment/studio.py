"""The author side of the assessment block: Studio editor, save handler, imports and the per-track preview.

Who may call these handlers is the runtime's business (Studio lets only the course's authors in,
and the devstack does the same); the block also refuses learners in case a runtime routes them here.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging

from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.utils.resources import ResourceLoader

from ..content_language import LANGUAGE_TAG, RTL_LANGUAGES, RTL_SCRIPTS
from ..errors import InvalidProblem, InvalidQuestion, InvalidSpreadsheet
from ..imports import confirmed_faults
from ..json_requests import JsonRequestMixin, json_response, post_handler
from ..problem_import import preview_problems
from ..questions import (
    DIGCOMP_COMPETENCES,
    TRACK_NAMES,
    TRACKS,
    QuestionType,
    parse_questions,
    select_for_track,
    xml_safe,
)
from ..spreadsheet import COLUMNS, preview_spreadsheet, template_csv
from .validation import EDITABLE_SETTINGS, question_errors, settings_errors

log = logging.getLogger(__name__)


def _(text: str) -> str:
    """Mark ``text`` for extraction; it is translated with the author's catalogue where it is shown."""
    return text


loader = ResourceLoader(__name__)

# Request bodies above these sizes are refused before they are decoded.
MAX_SAVE_BYTES = 2 * 1024 * 1024
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _for_script(value: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` as such."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class StudioMixin(JsonRequestMixin):
    """Studio view, ``studio_save``, spreadsheet and problem imports, template download and ``author_view``.

    A block that edits other settings overrides ``_editable_settings``, ``_settings_errors`` and
    ``_studio_fields``; the question editor, imports and preview stay the same for every block.
    """

    def _editable_settings(self) -> tuple[str, ...]:
        return EDITABLE_SETTINGS

    def _settings_errors(self, values: object) -> list[dict]:
        return settings_errors(values, self._gettext, self._field_labels())

    def _field_labels(self) -> dict[str, str]:
        """Return the label of each settings input, as the editor shows it, by setting name."""
        return {field["name"]: field["label"] for field in self._studio_fields()}

    def _studio_fields(self) -> list[dict]:
        """Describe each settings input of the editor: name, label, input type, bounds and options."""
        gettext = self._gettext
        tracks = [{"value": "", "label": gettext("All questions")}] + [
            {"value": code, "label": label} for code, label in self._track_labels().items()]
        policies = []
        for option in type(self).show_answer.values:
            # The display names are marked with ``_`` where the block declares the field, and are in the catalogues.
            label = gettext(option["display_name"])  # pylint: disable=translation-of-non-string
            policies.append({"value": option["value"], "label": label})
        return [
            {"name": "display_name", "label": gettext("Display name"), "type": "text"},
            self._content_language_input(),
            {"name": "weight", "label": gettext("Problem weight"), "type": "number", "min": "0", "step": "any",
             "optional": True},
            {"name": "preview_track", "label": gettext("Preview track"), "type": "select", "options": tracks},
            {"name": "pool_size", "label": gettext("Questions per attempt"), "type": "number", "min": "0",
             "step": "1"},
            {"name": "max_attempts", "label": gettext("Maximum attempts"), "type": "number", "min": "0", "step": "1"},
            {"name": "pass_mark", "label": gettext("Pass mark"), "type": "number", "min": "0", "max": "100",
             "step": "any"},
            {"name": "show_answer", "label": gettext("Show answers"), "type": "select", "options": policies},
        ]

    def _track_labels(self) -> dict[str, str]:
        """Return the name of each track code in the author's language, in the programme's order."""
        return {code: self._gettext(TRACK_NAMES[code]) for code in TRACKS}

    def _type_labels(self) -> dict[str, str]:
        """Return the name of each question type code in the author's language."""
        names = {QuestionType.SINGLE: _("One correct choice"), QuestionType.MULTIPLE: _("One or more correct choices"),
                 QuestionType.TRUE_FALSE: _("True or false")}
        return {kind.value: self._gettext(names[kind]) for kind in QuestionType}

    def _author_refused(self) -> Response | None:
        """Reject a learner (the LMS marks them ``student``); Studio and the devstack check authors first."""
        user = self._current_user()
        if user is not None and user.opt_attrs.get("edx-platform.user_role") == "student":
            log.warning("Assessment %s: user %s, a learner, called an author handler; rejected.",
                        self._usage_key(), self._user_id())
            return json_response(403, {"error": self._gettext("Only the course's authors can edit this assessment.")})
        return None

    @post_handler
    def studio_save(self, request, suffix=""):  # pylint: disable=unused-argument
        """Save ``{"settings": {...}, "questions": [...]}`` when all of it is valid; else list every error."""
        refusal = self._author_refused()
        if refusal is not None:
            return refusal
        data, error = self._read_json(request, MAX_SAVE_BYTES)
        if error is not None:
            return error
        if not isinstance(data, dict) or set(data) - {"settings", "questions"}:
            return json_response(400, {"error": self._gettext(
                'Send a JSON object with "settings" and "questions" only.')})
        # Text pasted from a PDF may carry control characters, which OLX export cannot write.
        settings = xml_safe(data.get("settings", {}))
        if "questions" in data:
            data["questions"] = xml_safe(data["questions"])
        errors = self._settings_errors(settings) + question_errors(data.get("questions", self.questions), self._gettext)
        if errors:
            log.info("Assessment %s: save by user %s rejected with %s errors.", self._usage_key(), self._user_id(),
                     len(errors))
            return json_response(400, {"error": self._gettext(
                "Nothing was saved: correct the errors listed and save again."), "errors": errors})
        for name, value in settings.items():
            setattr(self, name, value)
        if "questions" in data:
            self.questions = data["questions"]
        self.save()
        log.info("Assessment %s saved by user %s with %s questions.", self._usage_key(), self._user_id(),
                 len(self.questions))
        return json_response(200, {"saved": True, "questions": len(self.questions)})

    def _existing_ids(self, data: dict) -> set[str]:
        ids = data.get("existing_ids", [])
        return {value for value in ids if isinstance(value, str)} if isinstance(ids, list) else set()

    @post_handler
    def import_preview(self, request, suffix=""):  # pylint: disable=unused-argument
        """Preview a spreadsheet (``filename``, base64 ``content``) or problem OLX (``olx``); save nothing."""
        refusal = self._author_refused()
        if refusal is not None:
            return refusal
        data, error = self._read_json(request, MAX_IMPORT_BYTES)
        if error is not None:
            return error
        if not isinstance(data, dict):
            return json_response(400, {"error": self._gettext("Send a JSON object.")})
        tracks = data.get("tracks") or list(TRACKS)
        if not isinstance(tracks, list) or not all(isinstance(track, str) for track in tracks):
            return json_response(400, {"error": self._gettext(
                '"tracks" must be a list of track codes, such as ["perfectionnement", "acculturation"].')})
        try:
            if isinstance(data.get("olx"), str):
                defaults = {"competence": str(data.get("competence", "")), "level": data.get("level", 1),
                            "tracks": tracks, "points": data.get("points", 1)}
                preview = preview_problems(data["olx"], defaults, self._existing_ids(data), self._gettext)
            else:
                content = base64.b64decode(str(data.get("content", "")), validate=True)
                preview = preview_spreadsheet(str(data.get("filename", "")), content, self._existing_ids(data),
                                              self._gettext)
        except (InvalidSpreadsheet, InvalidProblem) as problem:
            log.info("Assessment %s: import by user %s rejected: %s", self._usage_key(), self._user_id(), problem)
            return json_response(400, {"error": str(problem)})
        except (binascii.Error, ValueError):  # ValueError: characters that are not ASCII at all
            log.info("Assessment %s: import by user %s rejected: content not base64.", self._usage_key(),
                     self._user_id())
            return json_response(400, {"error": self._gettext("The file content is not base64; upload it again.")})
        return json_response(200, preview.to_json())

    def _source_label(self, source: dict) -> str:
        """Name the row or problem that a confirmed question came from, in the author's language."""
        if "row" in source:
            return self._gettext("Row %(row)s") % {"row": source["row"]}
        if "problem" in source:
            return self._gettext("Problem %(name)s") % {"name": source["problem"]}
        return self._gettext("Imported question %(number)s") % {"number": source["item"]}

    @post_handler
    def import_confirm(self, request, suffix=""):  # pylint: disable=unused-argument
        """Check the previewed questions with the values the author set for each; store nothing.

        The body is ``{"questions": [...], "sources": [...], "existing_ids": [...]}`` as the preview
        gave them, each question with its own competence, level, tracks and points. The reply lists
        the questions to add to the editor, or every fault, each naming its row or problem.
        """
        refusal = self._author_refused()
        if refusal is not None:
            return refusal
        data, error = self._read_json(request, MAX_IMPORT_BYTES)
        if error is not None:
            return error
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            return json_response(400, {"error": self._gettext(
                'Send a JSON object with "questions", the list of previewed questions, and their "sources".')})
        faults = confirmed_faults(data["questions"], data.get("sources"), self._existing_ids(data), self._gettext)
        if faults:
            log.info("Assessment %s: import by user %s rejected with %s errors.", self._usage_key(), self._user_id(),
                     len(faults))
            return json_response(400, {
                "error": self._gettext("Nothing was added: correct the errors listed and confirm again."),
                "errors": [{**source, "position": fault.position, "question_id": fault.question_id,
                            "field": fault.field, "message": f"{self._source_label(source)}: {fault.detail}"}
                           for source, fault in faults],
            })
        return json_response(200, {"questions": data["questions"]})

    @XBlock.handler
    def import_template(self, request, suffix=""):  # pylint: disable=unused-argument
        """Download the CSV template of the spreadsheet import."""
        response = Response(template_csv(), content_type="text/csv", charset="utf-8")
        response.content_disposition = 'attachment; filename="raqmya-questions.csv"'
        return response

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """Render the question editor; the bank travels as JSON and is drawn by the script with text nodes."""
        lang, direction = self._language_attributes()
        settings = {name: getattr(self, name) for name in self._editable_settings()}
        template_context = {
            "lang": lang, "dir": direction, "dom_id": self._dom_id() + "-studio",
            "data": _for_script({
                "settings": settings, "questions": self.questions, "tracks": list(TRACKS),
                "track_labels": self._track_labels(), "type_labels": self._type_labels(),
                "competences": sorted(DIGCOMP_COMPETENCES, key=lambda code: [int(p) for p in code.split(".")]),
                "columns": list(COLUMNS),
                "language_tag": LANGUAGE_TAG.pattern, "rtl_languages": sorted(RTL_LANGUAGES),
                "rtl_scripts": sorted(RTL_SCRIPTS),
            }),
            "texts": self._studio_texts(), "fields": self._studio_fields(),
        }
        fragment = Fragment(loader.render_django_template("templates/studio.html", template_context))
        fragment.add_css_url(self.runtime.local_resource_url(self, "public/css/assessment.css"))
        self._add_js_catalogue(fragment)
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "public/js/studio.js"))
        fragment.initialize_js("RaqmyaAssessmentStudio", {
            "template_url": self.runtime.handler_url(self, "import_template"),
        })
        return fragment

    def _studio_texts(self) -> dict:
        gettext = self._gettext
        return {
            "title": gettext("Edit the assessment"), "settings": gettext("Settings"),
            "questions": gettext("Questions"),
            "save": gettext("Save"), "import": gettext("Import from a spreadsheet"),
            "import_problems": gettext("Import Open edX problems"), "template": gettext("Download the template"),
        }

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Preview the questions each track would be served, with the correct choices marked for authors."""
        lang, direction = self._language_attributes()
        try:
            pool = parse_questions(self.questions)
            error_text = ""
        except InvalidQuestion as error:
            pool, error_text = [], str(error)
        tracks = []
        for track, label in self._track_labels().items():
            questions = select_for_track(pool, track)
            title = self._ngettext("Track %(track)s: %(count)s question", "Track %(track)s: %(count)s questions",
                                   len(questions))
            tracks.append({"code": track, "questions": questions,
                           "title": title % {"track": label, "count": len(questions)}})
        content_lang, content_dir = self._content_attributes()
        html = loader.render_django_template("templates/author.html", {
            "lang": lang, "dir": direction, "content_lang": content_lang, "content_dir": content_dir,
            "display_name": self.display_name, "tracks": tracks,
            "error_text": error_text, "answer_text": self._gettext("Correct answer"),
        })
        return Fragment(html)
