"""The question model of Raqmya assessments: parsing, HTML sanitising and track selection.

Pure Python (no XBlock or Django import), shared by every block of the programme; grading is in ``scoring``.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import nh3

from .errors import InvalidQuestion, UnknownChoice, UnknownTrack

# Track codes of the programme: "Perfectionnement digital" (employees of administrations and
# companies) and "Acculturation digitale" (general public).
TRACKS = ("perfectionnement", "acculturation")
# The name of each track, as the catalogues translate it; menus and titles show it in place of the code.
TRACK_NAMES = {"perfectionnement": "Perfectionnement digital", "acculturation": "Acculturation digitale"}

# The 21 competence codes of DigComp 2.2 (JRC, 2022): the area number, a dot, the competence number.
DIGCOMP_COMPETENCES = frozenset(
    [f"1.{n}" for n in range(1, 4)]
    + [f"2.{n}" for n in range(1, 7)]
    + [f"3.{n}" for n in range(1, 5)]
    + [f"4.{n}" for n in range(1, 5)]
    + [f"5.{n}" for n in range(1, 5)]
)

# HTML that stems, choices and feedback may contain. Everything else is removed, and the
# content of <script> and <style> goes with the tag (nh3's default ``clean_content_tags``).
ALLOWED_TAGS = frozenset({"b", "i", "em", "strong", "p", "br", "ul", "ol", "li", "code", "span"})
_SPAN_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Characters that XML 1.0 does not allow (its "Char" production): C0 controls other than tab, line feed
# and carriage return, lone surrogates, U+FFFE and U+FFFF. OLX export cannot write them.
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Vertical tab and form feed separate words, as in text pasted from a PDF, so they become spaces.
_XML_SPACE_FOR = str.maketrans({"\v": " ", "\f": " "})
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")

# DigComp 2.2 proficiency levels: 1-2 foundation, 3-4 intermediate, 5-6 advanced, 7-8 highly specialised.
PROFICIENCY_LEVELS = range(1, 9)

# Item parameters of the placement test's response model, on the ability scale in logits: a
# difficulty in this range (None: derived from the proficiency level) and a discrimination above 0.
DIFFICULTY_RANGE = (-6.0, 6.0)
DISCRIMINATION_RANGE = (0.2, 4.0)

_QUESTION_KEYS = frozenset(
    {"id", "type", "stem", "choices", "competence", "level", "tracks", "points", "explanation", "tags",
     "difficulty", "discrimination"}
)
_REQUIRED_QUESTION_KEYS = frozenset({"id", "stem", "choices", "competence", "tracks"})
_CHOICE_KEYS = frozenset({"id", "text", "correct", "feedback"})
_REQUIRED_CHOICE_KEYS = frozenset({"id", "text", "correct"})


class QuestionType(str, enum.Enum):
    """Kind of question, which sets the answer shape and the grading rule."""

    SINGLE = "single"  # one correct choice among two or more; the answer is one choice id
    MULTIPLE = "multiple"  # one or more correct choices; the answer is a list of choice ids
    TRUE_FALSE = "true_false"  # exactly two choices, one correct; the answer is one choice id


@dataclass(frozen=True)
class Choice:
    """One choice of a question; ``text`` and ``feedback`` are sanitised HTML."""

    id: str
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One question; ``stem`` and ``explanation`` are sanitised HTML, ``points`` raw points above 0."""

    id: str
    type: QuestionType
    stem: str
    choices: tuple[Choice, ...]
    competence: str
    tracks: frozenset[str]
    points: int | float = 1
    level: int = 1
    explanation: str = ""
    tags: tuple[str, ...] = ()  # plain text labels for authors and reports, never HTML
    difficulty: float | None = None  # logits; None lets the placement test derive it from ``level``
    discrimination: float = 1.0  # the slope of the two-parameter logistic model; 1 for every item is Rasch

    @property
    def area(self) -> str:
        """The DigComp 2.2 competence area, the number before the dot: ``"4"`` for ``"4.2"``."""
        return self.competence.split(".", 1)[0]

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the choices marked correct."""
        return frozenset(choice.id for choice in self.choices if choice.correct)

    def choice(self, choice_id: object) -> Choice:
        """Return the choice with id ``choice_id``, or raise ``UnknownChoice``."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise UnknownChoice(self.id, choice_id, [choice.id for choice in self.choices])


def _filter_span_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "span" and attribute == "lang" and _LANGUAGE_TAG.match(value):
        return value
    if tag == "span" and attribute == "dir" and value in _SPAN_DIRECTIONS:
        return value
    return None


def xml_text(text: str) -> str:
    """Return ``text`` without the characters that XML 1.0 does not allow, vertical tab and form feed as spaces."""
    return _NOT_XML_CHARACTER.sub("", text.translate(_XML_SPACE_FOR))


def xml_safe(value: object) -> object:
    """Return a copy of decoded JSON ``value`` whose strings, keys included, went through ``xml_text``."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {xml_safe(key): xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    return value


def sanitize_html(html: str) -> str:
    """Return ``html`` with only the allowed tags, only ``lang``/``dir`` on ``<span>``, and only XML 1.0 characters."""
    return nh3.clean(
        xml_text(html),
        tags=set(ALLOWED_TAGS),
        attributes={"span": {"lang", "dir"}},
        attribute_filter=_filter_span_attribute,
        link_rel=None,
    )


def _has_text(html: str) -> bool:
    return bool(nh3.clean(html, tags=set()).strip())


def _(text: str) -> str:
    """Mark ``text`` for extraction; the checker translates it when it builds a message."""
    return text


def _identity(text: str) -> str:
    return text


class _Checker:
    """Collector of the faults of one question, each naming its position, its id once read, and the field.

    Messages are built from the marked templates with ``gettext``: the author's language in Studio,
    English (the templates themselves) where no catalogue is given.
    """

    def __init__(self, position: int, question_id: str | None = None, gettext: Callable[[str], str] = _identity):
        self.position = position
        self.question_id = question_id
        self.gettext = gettext
        self.errors: list[InvalidQuestion] = []

    def word(self, text: str) -> str:
        """Return the translation of a marked word, such as the name of a field."""
        return self.gettext(text)

    def fail(self, field: str, problem: str, fix: str, **values: object) -> None:
        """Record that ``field`` has ``problem``, with the ``fix`` that an author can apply.

        ``problem`` and ``fix`` are marked templates, filled with ``values``.
        """
        # Questions are numbered from 1, as the Studio editor numbers them.
        if self.question_id is None:
            name = self.gettext(_("question %(number)s")) % {"number": self.position + 1}
        else:
            name = self.gettext(_("question %(number)s (%(id)s)")) % {
                "id": repr(self.question_id), "number": self.position + 1}
        problem, fix = self.gettext(problem) % values, self.gettext(fix) % values
        message = self.gettext(_("Invalid %(name)s: %(problem)s; %(fix)s.")) % {
            "name": name, "problem": problem, "fix": fix}
        detail = self.gettext(_("%(problem)s; %(fix)s.")) % {"problem": problem, "fix": fix}
        self.errors.append(InvalidQuestion(message, position=self.position, question_id=self.question_id,
                                           field=field, detail=detail))


def _check_keys(data: Mapping, allowed: frozenset, required: frozenset, *, what: str, prefix: str,
                check: _Checker) -> None:
    for key in sorted(set(data) - allowed, key=str):
        check.fail(f"{prefix}{key}", _("%(what)s has unknown keys %(keys)s"), _("use only %(allowed)s"),
                   what=what, keys=[key], allowed=sorted(allowed))
    for key in sorted(required - set(data)):
        check.fail(f"{prefix}{key}", _("%(what)s is missing %(keys)s"), _("add %(key)s"),
                   what=what, keys=[key], key=key)


def _parse_id(value: object, what: str, field: str, check: _Checker) -> str:
    if not isinstance(value, str) or not _ID_PATTERN.match(value):
        check.fail(field, _("%(what)s id %(value)s is not a valid id"),
                   _("use 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit"),
                   what=what, value=repr(value))
        return ""
    return value


def _parse_html(value: object, what: str, field: str, check: _Checker, *, required: bool = True) -> str:
    if not isinstance(value, str):
        check.fail(field, _("%(what)s %(value)s is not a string"), _("write the %(what)s as an HTML string"),
                   what=what, value=repr(value))
        return ""
    html = sanitize_html(value)
    if required and not _has_text(html):
        check.fail(field, _("%(what)s %(value)s has no text once disallowed HTML is removed"),
                   _("write the %(what)s with text and only these tags: %(tags)s"),
                   what=what, value=repr(value), tags=", ".join(sorted(ALLOWED_TAGS)))
    return html


def _parse_type(value: object, check: _Checker) -> QuestionType | None:
    try:
        return QuestionType(value)
    except ValueError:
        check.fail("type", _("type %(value)s is not supported"), _("use one of: %(types)s"),
                   value=repr(value), types=", ".join(kind.value for kind in QuestionType))
        return None


def _parse_points(value: object, check: _Checker) -> int | float:
    if value == "":  # The Studio editor sends a cleared field as an empty string.
        check.fail("points", _("points is empty"), _("fill it in with a number greater than 0, such as 1"))
        return 1
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        check.fail("points", _("points %(value)s is not a number greater than 0"),
                   _("set points to a number such as 1"), value=repr(value))
        return 1
    return value


def _parse_competence(value: object, check: _Checker) -> str:
    if not isinstance(value, str) or value not in DIGCOMP_COMPETENCES:
        check.fail("competence", _("competence %(value)s is not a DigComp 2.2 competence code"),
                   _("use a code from 1.1 to 1.3, 2.1 to 2.6, 3.1 to 3.4, 4.1 to 4.4 or 5.1 to 5.4, as a string"),
                   value=repr(value))
        return ""
    return value


def _parse_tracks(value: object, check: _Checker) -> frozenset[str]:
    fix = _("list one or more of: %(tracks)s")
    if not isinstance(value, list) or not value:
        check.fail("tracks", _("tracks %(value)s is not a non-empty list"), fix,
                   value=repr(value), tracks=", ".join(TRACKS))
        return frozenset()
    unknown = [track for track in value if track not in TRACKS]
    if unknown:
        check.fail("tracks", _("tracks %(value)s are not track codes"), fix,
                   value=repr(unknown), tracks=", ".join(TRACKS))
    return frozenset(track for track in value if track in TRACKS)


def _parse_choice(data: object, index: int, check: _Checker) -> Choice | None:
    prefix = f"choices[{index}]"
    if not isinstance(data, dict):
        check.fail(prefix, _("choice %(number)s is not an object"), _("write each choice as a JSON object"),
                   number=index + 1)
        return None
    what = check.word(_("choice %(number)s")) % {"number": index + 1}
    _check_keys(data, _CHOICE_KEYS, _REQUIRED_CHOICE_KEYS, what=what, prefix=f"{prefix}.", check=check)
    choice_id = _parse_id(data["id"], check.word(_("choice")), f"{prefix}.id", check) if "id" in data else ""
    correct = data.get("correct", False)
    if not isinstance(correct, bool):
        check.fail(f"{prefix}.correct", _("choice %(id)s has correct=%(value)s"), _("set correct to true or false"),
                   id=repr(choice_id or index + 1), value=repr(correct))
        correct = False
    text = ""
    if "text" in data:
        text = _parse_html(data["text"], check.word(_("choice text")), f"{prefix}.text", check)
    return Choice(
        id=choice_id,
        text=text,
        correct=correct,
        feedback=_parse_html(data.get("feedback", ""), check.word(_("feedback")), f"{prefix}.feedback", check,
                             required=False),
    )


def _check_choice_ids(parsed: list[tuple[int, Choice | None]], check: _Checker) -> None:
    first_index: dict[str, int] = {}
    for index, choice in parsed:
        if choice is None or not choice.id:
            continue
        if choice.id in first_index:
            check.fail(f"choices[{index}].id", _("choice ids %(ids)s are repeated"),
                       _("give every choice of a question its own id (choice %(number)s has it too)"),
                       ids=[choice.id], number=first_index[choice.id] + 1)
        first_index.setdefault(choice.id, index)


def _parse_choices(value: object, question_type: QuestionType | None, check: _Checker) -> tuple[Choice, ...]:
    if not isinstance(value, list) or len(value) < 2:
        check.fail("choices", _("choices %(value)s is not a list of 2 or more choices"), _("give at least 2 choices"),
                   value=repr(value))
        if not isinstance(value, list):
            return ()
    if question_type is QuestionType.TRUE_FALSE and len(value) != 2:
        check.fail("choices", _("a 'true_false' question has %(count)s choices"), _("give exactly 2 choices"),
                   count=len(value))
    parsed = [(index, _parse_choice(data, index, check)) for index, data in enumerate(value)]
    _check_choice_ids(parsed, check)
    choices = tuple(choice for _index, choice in parsed if choice is not None)
    correct_count = sum(choice.correct for choice in choices)
    if question_type is QuestionType.MULTIPLE and correct_count < 1:
        check.fail("choices.correct", _("no choice is marked correct"),
                   _("mark at least one choice correct in a 'multiple' question"))
    elif question_type is not None and question_type is not QuestionType.MULTIPLE and correct_count != 1:
        check.fail("choices.correct", _("%(count)s choices are marked correct"),
                   _("mark exactly one choice correct in a %(type)s question"),
                   count=correct_count, type=repr(question_type.value))
    return choices


def _parse_tags(value: object, check: _Checker) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
        check.fail("tags", _("tags %(value)s is not a list of non-empty strings"), _('write tags as ["tag", "tag"]'),
                   value=repr(value))
        return ()
    return tuple(value)


def _parse_level(value: object, check: _Checker) -> int:
    if value == "":  # The Studio editor sends a cleared field as an empty string.
        check.fail("level", _("level is empty"), _("fill it in with a whole number from 1 to 8"))
        return 1
    if isinstance(value, bool) or not isinstance(value, int) or value not in PROFICIENCY_LEVELS:
        check.fail("level", _("level %(value)s is not a DigComp 2.2 proficiency level"),
                   _("set level to a whole number from 1 to 8"), value=repr(value))
        return 1
    return value


def _parse_parameter(value: object, name: str, bounds: tuple[float, float], check: _Checker) -> float | None:
    if value is None:
        return None
    low, high = bounds
    if (not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value)
            or not low <= value <= high):
        check.fail(name, _("%(name)s %(value)s is not a number from %(low)s to %(high)s"),
                   _("set %(name)s to a number in that range, such as 1, or leave it out"),
                   name=name, value=repr(value), low=f"{low:g}", high=f"{high:g}")
        return None
    return float(value)


def _read_question(data: object, position: int,
                   gettext: Callable[[str], str] = _identity) -> tuple[Question | None, list[InvalidQuestion]]:
    """Build the question of ``data``, or return None with every fault found in it."""
    if not isinstance(data, dict):
        check = _Checker(position, gettext=gettext)
        check.fail("question", _("%(type)s %(value)s is not an object"),
                   _("write each question as a JSON object with the keys %(keys)s"),
                   type=type(data).__name__, value=repr(data), keys=sorted(_QUESTION_KEYS))
        return None, check.errors
    check = _Checker(position, data.get("id") if isinstance(data.get("id"), str) else None, gettext)
    _check_keys(data, _QUESTION_KEYS, _REQUIRED_QUESTION_KEYS, what=check.word(_("question")), prefix="", check=check)
    question_type = _parse_type(data.get("type", QuestionType.SINGLE.value), check)
    question_id = _parse_id(data["id"], check.word(_("question")), "id", check) if "id" in data else ""
    stem = _parse_html(data["stem"], check.word(_("stem")), "stem", check) if "stem" in data else ""
    choices = _parse_choices(data["choices"], question_type, check) if "choices" in data else ()
    competence = _parse_competence(data["competence"], check) if "competence" in data else ""
    tracks = _parse_tracks(data["tracks"], check) if "tracks" in data else frozenset()
    points = _parse_points(data.get("points", 1), check)
    level = _parse_level(data.get("level", 1), check)
    explanation = _parse_html(data.get("explanation", ""), check.word(_("explanation")), "explanation", check,
                              required=False)
    tags = _parse_tags(data.get("tags", []), check)
    difficulty = _parse_parameter(data.get("difficulty"), "difficulty", DIFFICULTY_RANGE, check)
    discrimination = _parse_parameter(data.get("discrimination"), "discrimination", DISCRIMINATION_RANGE, check)
    if check.errors or question_type is None:
        return None, check.errors
    return Question(
        id=question_id, type=question_type, stem=stem, choices=choices, competence=competence, tracks=tracks,
        points=points, level=level, explanation=explanation, tags=tags, difficulty=difficulty,
        discrimination=1.0 if discrimination is None else discrimination,
    ), []


def question_faults(data: object, position: int = 0,
                    gettext: Callable[[str], str] = _identity) -> list[InvalidQuestion]:
    """Return every fault of one question's JSON object, each naming the question and the field; [] if valid.

    Messages are in the language of ``gettext``, English without it.
    """
    return _read_question(data, position, gettext)[1]


def parse_question(data: object, position: int = 0) -> Question:
    """Build a ``Question`` from its JSON object, or raise the first ``InvalidQuestion`` found in it."""
    question, errors = _read_question(data, position)
    if question is None:
        raise errors[0]
    return question


def _read_questions(data: object, gettext: Callable[[str], str]) -> tuple[list[Question], list[InvalidQuestion]]:
    """Build the questions of a decoded JSON list in one pass, and return them with every fault found, in order."""
    if not isinstance(data, list):
        return [], [InvalidQuestion(
            f"Invalid questions: {type(data).__name__} {data!r:.80} is not a list; "
            "write the questions as a JSON list of objects.", field="questions"
        )]
    questions, errors = [], []
    seen: dict[str, int] = {}
    for position, item in enumerate(data):
        question, faults = _read_question(item, position, gettext)
        errors.extend(faults)
        if question is not None:
            questions.append(question)
        question_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(question_id, str) or not _ID_PATTERN.match(question_id):
            continue
        if question_id in seen:
            check = _Checker(position, question_id, gettext)
            check.fail("id", _("id is already used by question %(number)s"),
                       _("give every question its own id"), number=seen[question_id] + 1)
            errors.extend(check.errors)
        seen.setdefault(question_id, position)
    return questions, errors


def questions_faults(data: object, gettext: Callable[[str], str] = _identity) -> list[InvalidQuestion]:
    """Return every fault of a decoded JSON list of questions, repeated question ids included; [] if valid."""
    return _read_questions(data, gettext)[1]


# Parsed banks, by a digest of their JSON text, the most recently used last. Blocks parse their
# questions field on every render and every handler call, while authors change it seldom.
BANK_CACHE_SIZE = 128
_bank_cache: OrderedDict[bytes, tuple[Question, ...]] = OrderedDict()
_bank_cache_lock = threading.Lock()
_JSON_LEAF_TYPES = frozenset({str, int, float, bool, type(None)})


def _is_plain_json(value: object) -> bool:
    """Return whether ``value`` is made only of the exact types that ``json.loads`` returns.

    Two such values have the same JSON text only when they have the same types and values. A tuple,
    a subclass or a non-text key could share its text with plain values, so such data skip the cache.
    """
    stack, containers = [value], set()
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in (dict, list):
            if id(item) in containers:
                return False  # a container seen twice is shared or cyclic, and JSON text cannot show either
            containers.add(id(item))
        if kind is dict:
            if not all(type(key) is str for key in item):  # pylint: disable=unidiomatic-typecheck
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind not in _JSON_LEAF_TYPES:
            return False
    return True


def _bank_digest(data: object) -> bytes | None:
    """Return a SHA-256 of the JSON text of ``data``, or None when ``data`` is not plain JSON."""
    if not _is_plain_json(data):
        return None
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8")).digest()


def bank_cache_size() -> int:
    """Return how many parsed banks the process keeps."""
    return len(_bank_cache)


def clear_bank_cache() -> None:
    """Forget every parsed bank."""
    with _bank_cache_lock:
        _bank_cache.clear()


def parse_questions(data: object) -> list[Question]:
    """Build the questions of a decoded JSON list; question ids must be unique. Raise the first fault.

    A valid bank is parsed once per distinct content, then served from a bounded cache. The list
    is new on every call; the questions in it are frozen, so callers share them safely.
    """
    digest = _bank_digest(data)
    if digest is not None:
        with _bank_cache_lock:
            cached = _bank_cache.get(digest)
            if cached is not None:
                _bank_cache.move_to_end(digest)
                return list(cached)
    questions, errors = _read_questions(data, _identity)
    if errors:
        raise errors[0]
    if digest is not None:
        with _bank_cache_lock:
            _bank_cache[digest] = tuple(questions)
            _bank_cache.move_to_end(digest)
            while len(_bank_cache) > BANK_CACHE_SIZE:
                _bank_cache.popitem(last=False)
    return questions


def parse_questions_json(text: str) -> list[Question]:
    """Build the questions of a JSON document, or raise ``InvalidQuestion`` for bad JSON or a bad question."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidQuestion(
            f"Invalid questions: not JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
            "fix the JSON syntax there."
        ) from error
    return parse_questions(data)


def select_for_track(questions: Iterable[Question], track: str | None) -> list[Question]:
    """Return the questions of ``track`` in their order, or all of them when ``track`` is None."""
    if track is None:
        return list(questions)
    if track not in TRACKS:
        raise UnknownTrack(track, list(TRACKS))
    return [question for question in questions if track in question.tracks]


def total_points(questions: Iterable[Question]) -> int | float:
    """Return the points that ``questions`` are worth together (0 for none)."""
    return sum(question.points for question in questions)
