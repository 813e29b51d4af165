"""JSON requests and responses of the Raqmya blocks' handlers, with a size limit checked before decoding.

Every handler that takes a JSON body accepts POST only. ``post_handler`` rejects any other method
with 405 and ``Allow: POST``, in the learner's language, before the handler runs.
"""

from __future__ import annotations

import functools
import json
import logging
import re

from webob import Response
from xblock.core import XBlock

log = logging.getLogger(__name__)
# Unicode's bidirectional controls (the Arabic letter mark, the left-to-right and right-to-left
# marks, the embeddings and overrides, the isolates), the paragraph separators of its bidirectional
# algorithm that JSON leaves as they are (next line, paragraph separator) and the line separator.
# In a learner's input they would reorder the message around it, and an isolate ends at the end of
# a paragraph. JSON escapes the other separators, the control characters below U+0020.
_BIDI_CONTROLS = re.compile("[\u0085\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# One unit of JSON text: the two escapes of a character past U+FFFF (a surrogate pair, in ASCII
# JSON), another escape ("\\u00e9", "\\n") or one character.
_JSON_UNIT = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.|.",
                        re.DOTALL)


def json_response(status: int, body: dict) -> Response:
    """Return ``body`` as a UTF-8 JSON response with HTTP ``status``.

    Text that UTF-8 cannot encode, such as a lone surrogate echoed from a learner's request, is
    written as JSON's ASCII escapes, which every JSON reader decodes.
    """
    try:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(body).encode("ascii")
    return Response(body=data, status=status, content_type="application/json", charset="utf8")


def quoted_input(value: object, limit: int = 40) -> str:
    """Return ``value`` as an error message quotes a learner's input: its JSON text, cut to ``limit`` characters.

    Text that UTF-8 cannot encode (a lone surrogate) keeps JSON's ASCII escapes, so that the
    response can be sent. The learner's own bidirectional controls and paragraph separators are
    shown as escapes too, and the quote is cut between two characters or escapes, never inside an
    escape or between the two escapes of one character. The quote is put
    between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (Unicode's bidirectional algorithm,
    UAX #9), so that Arabic input in a French message, or Latin input in an Arabic one, keeps its
    own direction without moving the words and punctuation around it.
    """
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value)
    text = _BIDI_CONTROLS.sub(_escaped, text)
    if len(text) > limit:
        prefix = ""
        # A unit is at most 12 characters long, so the units of the first ``limit`` + 12 characters suffice.
        for unit in _JSON_UNIT.findall(text[:limit + 12]):
            if len(prefix) + len(unit) > limit - 1:
                break
            prefix += unit
        text = prefix + "…"
    return f"\u2068{text}\u2069"


def _escaped(match: re.Match) -> str:
    """Return the matched character as a JSON escape, such as a backslash, "u" and four hex digits."""
    return f"\\u{ord(match.group()):04x}"


def post_handler(method):
    """Make ``method(self, request, suffix)`` an XBlock handler that runs for a POST only.

    Any other method gets 405 with ``Allow: POST`` and a message from the block's ``_gettext``.
    The method's own checks run after this one, unchanged.
    """
    @functools.wraps(method)
    def handle(self, request, suffix=""):
        if request.method != "POST":
            # pylint: disable=protected-access  # ``self`` is the block, whose catalogue the reply uses
            log.info("Block %s: %s request to handler %s from user %s rejected; only POST is accepted.",
                     self._usage_key(), request.method, method.__name__, self._user_id())
            response = json_response(405, {"error": self._gettext("Send this request with the POST method.")})
            response.allow = ("POST",)
            return response
        return method(self, request, suffix)
    return XBlock.handler(handle)


class JsonRequestMixin:
    """Handler support: ``_read_json`` returns the decoded body, or the 400 response that gives the reason."""

    def _read_json(self, request, limit: int) -> tuple[object, Response | None]:
        """Decode the JSON body of at most ``limit`` bytes, and reject a larger body before decoding it.

        The declared ``Content-Length`` is checked first, so a huge declared body is never read.
        The body's real length is checked too, for a request sent without that header.
        """
        declared = request.content_length or 0
        size = declared if declared > limit else len(request.body)
        if size > limit:
            log.info("Block %s: body of %s bytes from user %s rejected; the limit is %s.", self._usage_key(), size,
                     self._user_id(), limit)
            return None, json_response(400, {"error": self._gettext(
                "The request is %(size)s bytes; send at most %(limit)s bytes."
            ) % {"size": size, "limit": limit}})
        try:
            return json.loads(request.body.decode("utf-8")), None
        except (ValueError, RecursionError) as error:
            # Decoding and JSON errors are ValueErrors, and so is an integer of more than 4,300 digits
            # (``sys.get_int_max_str_digits``). Nested brackets pass the size limit but exceed Python's recursion limit.
            log.info("Block %s: body from user %s rejected, not UTF-8 JSON: %.200s", self._usage_key(), self._user_id(),
                     error)
            return None, json_response(400, {"error": self._gettext("The request is not UTF-8 JSON; send JSON.")})
