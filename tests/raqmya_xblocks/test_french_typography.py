"""French typography of the blocks' compiled catalogue: a no-break space before ":", ";", "?" and "!"."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

import raqmya_xblocks
from devstack.services import DevstackI18nService
from raqmya_xblocks.placement.scenarios import workbench_scenarios

from .conftest import RecordingRuntime, load_block
from .placement.test_block import take_test

CATALOGUE = Path(raqmya_xblocks.__file__).parent / "conf" / "locale" / "fr" / "LC_MESSAGES" / "text.mo"
NO_BREAK_SPACES = ("\u00a0", "\u202f")
# Placeholders, URLs and one character between quotes, such as ':' in a list of allowed characters.
EXEMPT = re.compile(r"%\([^)]*\)[a-z]|[a-z][a-z0-9+.-]*://\S+|'.'|\".\"")


def missing_spaces(text: str) -> list[str]:
    """Return each ":", ";", "?" or "!" of ``text`` not preceded by a no-break space, with its context."""
    masked = EXEMPT.sub(lambda match: "x" * len(match.group()), text)
    return [text[max(match.start() - 12, 0):match.end()] for match in re.finditer(r"[:;?!]", masked)
            if match.start() == 0 or masked[match.start() - 1] not in NO_BREAK_SPACES]


def french_messages() -> dict[str, str]:
    with CATALOGUE.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    # pylint: disable=protected-access  # GNUTranslations exposes its messages only as _catalog
    # Plural forms are keyed by (msgid, form number), and each form is checked under "msgid [form]".
    return {key if isinstance(key, str) else f"{key[0]} [{key[1]}]": value
            for key, value in translations._catalog.items() if key}


def test_rule_finds_a_missing_space():
    assert missing_spaces("Parcours recommandé:") == ["s recommandé:"]
    assert missing_spaces("Vide : 1 ; sinon ?") == ["Vide :", "Vide : 1 ;", ": 1 ; sinon ?"]
    assert missing_spaces("Vide\u00a0: 1\u202f; sinon\u00a0?") == []
    assert missing_spaces("%(name)s\u00a0: voir https://example.org/a?b=1 ou ':'") == []


def test_french_catalogue_has_a_no_break_space_before_high_punctuation():
    messages = french_messages()
    assert len(messages) > 200
    assert "You have used your one attempt, so this answer was not graded. [0]" in messages
    faults = {msgid: found for msgid, text in messages.items() if (found := missing_spaces(text))}
    assert faults == {}


def test_recommended_track_label_in_french(db):  # pylint: disable=unused-argument
    assert french_messages()["Recommended track:"] == "Parcours recommandé\u00a0:"
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), workbench_scenarios()[0][1])
    with translation.override("fr"):
        _served, body = take_test(block)
    assert ">Parcours recommandé\u00a0: <strong>Perfectionnement digital</strong></p>" in body["html"]
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    assert ">المسار الموصى به: <strong>" in html
