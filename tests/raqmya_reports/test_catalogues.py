"""Every message that the reports app's Python code marks for translation has a French and an Arabic translation.

The messages are read from the source by GNU xgettext, with the keywords of Django's ``makemessages``
for Python, and looked up in the compiled catalogues that Django loads. Templates are not read here.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "raqmya_reports"
# The keywords of Django's makemessages for Python files.
KEYWORDS = ("_", "gettext", "gettext_lazy", "gettext_noop", "ngettext:1,2", "ngettext_lazy:1,2",
            "pgettext:1c,2", "pgettext_lazy:1c,2", "npgettext:1c,2,3", "npgettext_lazy:1c,2,3")
_ENTRY_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def _marked_messages() -> list[tuple[str, str, bool]]:
    """Return (context, message, plural) of each message marked in the package's Python files, migrations left out."""
    sources = sorted(str(path) for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)
    template = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--no-wrap", "--omit-header", "--output=-",
         *(f"--keyword={keyword}" for keyword in KEYWORDS), *sources],
        check=True, capture_output=True, text=True,
    ).stdout
    messages, entry, field = [], {}, ""
    for line in template.splitlines() + [""]:
        found = _ENTRY_LINE.match(line)
        if found:
            field = found.group(1)
            entry[field] = entry.get(field, "") + ast.literal_eval(found.group(2))
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        elif not line.strip():
            if entry.get("msgid"):
                messages.append((entry.get("msgctxt", ""), entry["msgid"], "msgid_plural" in entry))
            entry, field = {}, ""
    return messages


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_marked_message_translated(language):
    messages = _marked_messages()
    assert len(messages) > 400  # the reports app marks about 440 messages
    with (PACKAGE / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # pylint: disable=protected-access
    untranslated = []
    for context, message, plural in messages:
        key = f"{context}\x04{message}" if context else message
        if not catalogue.get((key, 0) if plural else key):
            untranslated.append(message)
    assert untranslated == []
