"""Every page names a track or a DigComp area as the reference data does, in French and in Arabic.

The reports read ``raqmya_reports/data``; the blocks, which may not import the reports' internals,
keep their own gettext and JavaScript catalogues, and these tests keep both equal to the data.
"""

import csv
import gettext
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from raqmya_reports.registry.choices import Track
from raqmya_xblocks.placement.learner_view import AREA_NAMES, TRACK_NAMES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "raqmya_reports" / "data"
BLOCK_LOCALE = ROOT / "raqmya_xblocks" / "conf" / "locale"
BLOCK_JS = ROOT / "raqmya_xblocks" / "assessment" / "public" / "js" / "translations"
LANGUAGES = ("fr", "ar")


def _rows(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _tracks(language):
    return {row["code"]: row[f"name_{language}"] for row in _rows("tracks.csv")}


def _areas(language):
    return {row["area_code"]: row[f"area_name_{language}"] for row in _rows("digcomp_2_2.csv")}


def _block_gettext(language):
    return gettext.translation("text", localedir=str(BLOCK_LOCALE), languages=[language]).gettext


def _block_js(language):
    text = (BLOCK_JS / language / "text.js").read_text(encoding="utf-8")
    messages = json.loads(re.search(r"\}\)\((\{.*\})\);\s*$", text, re.S).group(1))
    return lambda message: messages.get(message, message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_track_labels_equal_reference_data(language):
    with translation.override(language):
        labels = {code: str(label) for code, label in Track.choices}
    assert labels == _tracks(language)


@pytest.mark.parametrize("catalogue", [_block_gettext, _block_js], ids=["gettext", "javascript"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_block_track_names_equal_reference_data(language, catalogue):
    translate = catalogue(language)
    assert {code: translate(name) for code, name in TRACK_NAMES.items()} == _tracks(language)


@pytest.mark.parametrize("catalogue", [_block_gettext, _block_js], ids=["gettext", "javascript"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_block_area_names_equal_reference_data(language, catalogue):
    translate = catalogue(language)
    assert {code: translate(name) for code, name in AREA_NAMES.items()} == _areas(language)


def test_block_area_names_english():
    assert {row["area_code"]: row["area_name_en"] for row in _rows("digcomp_2_2.csv")} == AREA_NAMES
