"""How the blocks' error messages quote a learner's input: cut between escapes, bidirectional text isolated."""

import json

import pytest

from raqmya_xblocks.json_requests import quoted_input

FSI, PDI = "\u2068", "\u2069"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9, "9"),
        (True, "true"),
        ("3", '"3"'),
        # Arabic input keeps its own direction inside a French message.
        ("مرحبا", '"مرحبا"'),
        # The learner's right-to-left override is shown as an escape, not applied to the message.
        ("\u202eabc", '"\\u202eabc"'),
        ("a\u2069\u200fb", '"a\\u2069\\u200fb"'),
        # A paragraph separator or a next line would end the isolate and the message's paragraph.
        ("x\u2029abc", '"x\\u2029abc"'),
        ("x\u0085\u2028", '"x\\u0085\\u2028"'),
    ],
)
def test_quote_isolated(value, expected):
    assert quoted_input(value) == FSI + expected + PDI


def test_cut_before_escape():
    # The JSON text is '"' + 37 letters + '\\n"', 41 characters. Cut at 39, it would end in a lone backslash.
    assert quoted_input("a" * 37 + "\n") == FSI + '"' + "a" * 37 + "…" + PDI


def test_cut_between_surrogate_escapes():
    # Lone surrogates keep JSON's ASCII escapes, six characters each: six fit after the quote mark.
    assert quoted_input("\ud800" * 10) == FSI + '"' + "\\ud800" * 6 + "…" + PDI


def test_cut_keeps_surrogate_pair():
    # With a lone surrogate, JSON is written in ASCII and an emoji takes two escapes, kept together.
    assert quoted_input("\ud800" + "\U0001F600" * 10) == FSI + '"\\ud800' + "\\ud83d\\ude00" * 2 + "…" + PDI


@pytest.mark.parametrize("value", ["\n" * 30, "é\t" * 25, "\u202e" * 12, '"\\' * 30, "\x01" * 20,
                                   "\ud800" + "\U0001F600" * 10, "\ud800a" + "\U0001F600" * 10])
def test_cut_keeps_json_prefix(value):
    quote = quoted_input(value)
    assert quote[0] == FSI
    assert quote[-1] == PDI
    inner = quote[1:-1]
    assert inner.endswith("…")
    assert len(inner) <= 40
    # What is kept ends on a whole unit: the JSON text with a closing quote mark added decodes.
    decoded = json.loads(inner[:-1] + '"')
    assert value.startswith(decoded)
    assert "\u202e" not in quote
