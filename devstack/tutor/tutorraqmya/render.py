"""Template filters that write configuration values safely into Python settings and Dockerfiles."""

from __future__ import annotations

import shlex
from gettext import gettext as _
from typing import Any

from .errors import RaqmyaRenderError


def python_literal(value: Any) -> str:
    """Return ``value`` as a Python literal, so that quotes or backslashes cannot break a settings file."""
    # repr() of these types is a literal that evaluates back to the same value. Floats are left
    # out because repr(nan) and repr(inf) are names, not literals.
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    raise RaqmyaRenderError(
        value,
        _("a Python settings file"),
        _("set it to a string, a whole number, true or false"),
    )


def shell_quote(value: Any) -> str:
    """Return ``value`` quoted as one word for the POSIX shell that runs a Dockerfile ``RUN`` line."""
    if not isinstance(value, str):
        raise RaqmyaRenderError(value, _("a Dockerfile RUN line"), _("set it to a string"))
    return shlex.quote(value)
