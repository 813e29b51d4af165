"""Errors of the Tutor plugin: each names the bad value and the command that fixes it."""

from __future__ import annotations

import shlex
from gettext import gettext as _
from typing import Any

from tutor.exceptions import TutorError


class RaqmyaConfigError(TutorError):
    """A ``RAQMYA_*`` Tutor setting contains a value that the platform cannot use."""

    def __init__(self, name: str, value: Any, expected: str, example: str) -> None:
        self.name = name
        self.value = value
        message = _(
            "{name} is {value!r} ({type_name}), but it must be {expected}. "
            "Fix it with: tutor config save --set {assignment}"
        ).format(
            name=name,
            value=value,
            type_name=type(value).__name__,
            expected=expected,
            # Quoted as one shell word, so that an example with spaces can be pasted as it is.
            assignment=shlex.quote(f"{name}={example}"),
        )
        super().__init__(message)


class RaqmyaConfigErrors(TutorError):
    """Several ``RAQMYA_*`` Tutor settings contain bad values, and the message lists each one with its fix."""

    def __init__(self, errors: list[RaqmyaConfigError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


class RaqmyaRenderError(TutorError):
    """A value cannot be written into a rendered file without changing its meaning."""

    def __init__(self, value: Any, target: str, fix: str) -> None:
        self.value = value
        message = _("Cannot write {value!r} ({type_name}) into {target}: {fix}").format(
            value=value,
            type_name=type(value).__name__,
            target=target,
            fix=fix,
        )
        super().__init__(message)
