"""XBlock field types of the assessment block."""

from __future__ import annotations

import json

from xblock.fields import List

from ..errors import InvalidQuestion
from ..questions import xml_safe


class QuestionListField(List):
    r"""A JSON list of question objects, written to OLX as readable UTF-8 JSON in key order.

    XBlock's own ``List`` writes ``\uXXXX`` escapes for non-ASCII text and reads any YAML;
    authors of French and Arabic questions need to read the OLX, and only JSON is accepted.
    """

    def to_string(self, value) -> str:
        """Serialise the list as indented JSON that keeps non-ASCII characters, less those XML 1.0 does not allow."""
        return json.dumps(xml_safe(self.to_json(value)), ensure_ascii=False, indent=2)

    def from_string(self, serialized: str) -> list:
        """Decode the JSON list of an OLX attribute or element, or raise ``InvalidQuestion``."""
        try:
            value = json.loads(serialized)
        except json.JSONDecodeError as error:
            raise InvalidQuestion(
                f"Invalid {self.name}: not JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
                "fix the JSON syntax there."
            ) from error
        return self.enforce_type(value)
