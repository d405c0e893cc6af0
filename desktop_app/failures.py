"""How failure reaches a person: a calm sentence, never a traceback or a record's content.

An unexpected exception is written to the log as its type and the code locations it
passed through, never its message: a message can quote a record (a validation error
repeats the value it refused), and nothing about a child may reach a log file.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from storage.errors import VaultError

log = logging.getLogger("homevisit.crash")


class UserFacingError(Exception):
    """A refusal the person at the keyboard caused and can put right."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def as_user_facing(error: VaultError) -> UserFacingError:
    return UserFacingError(error.user_message)


def content_free_trace(error: BaseException) -> str:
    """The exception's type and where it went, with no message and no local values."""
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})"
                        for f in reversed(frames))
    return f"{type(error).__name__} at {where or 'unknown location'}"


def _hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.error("unexpected failure: %s", content_free_trace(error))
    print(
        "homevisit: something unexpected went wrong and this was stopped. Nothing already "
        "saved was lost. If it happens again, contact IT and quote: "
        f"{type(error).__name__}.",
        file=sys.stderr,
    )


def install_crash_handler() -> None:
    """Replace Python's traceback printer with a content-free log line and a calm message."""
    sys.excepthook = _hook
