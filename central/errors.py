"""The one kind of error central answers with: a status, a code for programs, a sentence."""

from __future__ import annotations

from typing import Any


class CentralError(Exception):
    """Raised by services; the API turns it into `{"error": code, "message": sentence}`."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}
