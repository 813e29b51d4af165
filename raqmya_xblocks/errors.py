"""Domain exceptions of the Raqmya XBlocks, each naming the bad value and how to fix it."""

from __future__ import annotations


class RaqmyaXBlockError(Exception):
    """Base class of the errors raised by the Raqmya XBlocks."""


class InvalidQuestion(RaqmyaXBlockError, ValueError):
    """A question of an assessment's JSON list is malformed.

    ``position`` is the question's 0-based index in the list and ``question_id`` its id when
    the id itself could be read, so an author can find the question in the OLX. ``field`` names
    the faulty part: a key such as ``"stem"`` or ``"competence"``, a choice's key such as
    ``"choices[1].id"``, ``"choices.correct"`` for the correct flags taken together, or ``"questions"``.
    ``detail`` is the fault and its fix without the question's name, for a caller that names the
    question's source itself (a spreadsheet row, an Open edX problem); it is the message when not given.
    """

    def __init__(self, message: str, *, position: int | None = None, question_id: str | None = None,
                 field: str | None = None, detail: str | None = None):
        self.position = position
        self.question_id = question_id
        self.field = field
        self.detail = message if detail is None else detail
        super().__init__(message)


class UnknownChoice(RaqmyaXBlockError, ValueError):
    """An answer names a choice id that the question does not have."""

    def __init__(self, question_id: str, choice_id: object, known_ids: list[str]):
        self.question_id = question_id
        self.choice_id = choice_id
        self.known_ids = known_ids
        super().__init__(
            f"Question {question_id!r} has no choice {choice_id!r}; "
            f"answer with one of its choice ids: {', '.join(known_ids)}."
        )


class UnknownTrack(RaqmyaXBlockError, ValueError):
    """A track code is not one of the programme's tracks."""

    def __init__(self, track: object, known_tracks: list[str]):
        self.track = track
        super().__init__(f"Unknown track {track!r}; use one of: {', '.join(known_tracks)}.")


class MissingAnswer(RaqmyaXBlockError, ValueError):
    """A submission leaves a served question unanswered."""

    def __init__(self, question_id: str):
        self.question_id = question_id
        super().__init__(f"Question {question_id!r} has no answer; choose one of its choices and submit again.")


class UnexpectedAnswer(RaqmyaXBlockError, ValueError):
    """A submission answers a question that was not served to the learner."""

    def __init__(self, question_id: object):
        self.question_id = question_id
        super().__init__(
            f"Question {question_id!r} is not part of this assessment for this learner; "
            "remove its answer and submit again."
        )


class InvalidAnswer(RaqmyaXBlockError, ValueError):
    """An answer has the wrong shape for its question type (a list for one choice, a repeated id...)."""

    def __init__(self, question_id: str, answer: object, expected: str):
        self.question_id = question_id
        self.answer = answer
        super().__init__(f"Answer {answer!r} to question {question_id!r} is not valid; send {expected}.")


class InvalidSpreadsheet(RaqmyaXBlockError, ValueError):
    """A file to import cannot be read at all (wrong format or encoding); rows are checked one by one."""


class InvalidProblem(RaqmyaXBlockError, ValueError):
    """An Open edX problem's OLX cannot be read at all (not XML, no ``<problem>``)."""


class InvalidPlacementSetting(RaqmyaXBlockError, ValueError):
    """A ``RAQMYA_PLACEMENT_*`` Django setting has a value the placement test cannot use."""

    def __init__(self, name: str, value: object, expected: str):
        self.name = name
        self.value = value
        super().__init__(f"Setting {name} is {value!r}; set it to {expected}.")
