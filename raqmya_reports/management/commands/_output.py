"""Output of the raqmya_* commands: their own translated lines, not the English log of the modules they call."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def operator_log_quieted(verbosity: int, name: str = "raqmya_reports") -> Iterator[None]:
    """Keep the English log records of ``name`` below ERROR off the terminal while a command runs.

    The command prints the same facts as translated sentences. At ``--verbosity 2`` or more the log
    shows too, for an operator who wants the ids and file lines it gives.
    """
    if verbosity >= 2:
        yield
        return
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)
