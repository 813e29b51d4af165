"""Hypothesis strategies shared by the property tests: any JSON value, and near-valid questions and answers."""

from __future__ import annotations

from hypothesis import strategies as st

# Text a learner or an author could type, markup and right-to-left scripts included.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
MARKUP = st.sampled_from(["<b>ok</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                          '"><svg onload=alert(1)>', "صحيح", "Zoé Aït-Lahcen", "=HYPERLINK(\"x\")", "😀", ""])
SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | \
    st.floats(allow_nan=False) | TEXT | MARKUP
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)


def question_strategy(question_id: str) -> st.SearchStrategy[dict]:
    """Return questions that are valid, or wrong in one or a few fields, with the given id."""
    choice = st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "c"]) | TEXT, "text": TEXT | MARKUP},
        optional={"correct": st.booleans() | JSON, "feedback": TEXT | MARKUP},
    )
    return st.fixed_dictionaries(
        {
            "id": st.just(question_id) | TEXT,
            "type": st.sampled_from(["single", "multiple", "true_false"]) | TEXT,
            "stem": TEXT | MARKUP,
            "choices": st.lists(choice, max_size=5) | JSON,
            "competence": st.sampled_from(["1.1", "4.2", "5.4", "9.9", ""]) | TEXT,
            "tracks": st.lists(st.sampled_from(["perfectionnement", "acculturation", "expert"]), max_size=3) | JSON,
        },
        optional={"points": st.integers(min_value=-3, max_value=10) | JSON, "tags": st.lists(TEXT | MARKUP),
                  "feedback": TEXT | MARKUP | JSON, "level": st.integers(min_value=-1, max_value=9) | JSON},
    )
