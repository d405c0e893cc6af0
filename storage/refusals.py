"""Why the vault refused to change a record: the messages the worker reads."""

from __future__ import annotations

from records.problems import Problem
from records.wording import counted
from storage.errors import VaultError


class SubmissionRefused(VaultError):
    """The record is not complete; `problems` lists every field to put right."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"submission refused: {count} problems",
            user_message=(
                f"This cannot be submitted yet: {counted(count, 'thing needs')} putting right. "
                "Nothing was lost: it is still saved as a draft."
            ),
        )


class VisitAlreadySubmitted(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "visit already submitted",
            user_message=(
                "This visit has already been submitted and cannot be changed. "
                "Nothing was lost; to correct or add to it, add an addendum."
            ),
        )


class VisitNotFound(VaultError):
    def __init__(self, *, submitted_only: bool = False) -> None:
        super().__init__(
            "visit not found",
            user_message=(
                "An addendum can only be added to a submitted visit. Nothing was changed."
                if submitted_only
                else "That visit is not in this vault. Nothing was changed."
            ),
        )


class ChildNotOnLaptop(VaultError):
    """A pulled visit whose children's records central has not sent this laptop (yet)."""

    def __init__(self) -> None:
        super().__init__(
            "child of visit not on this laptop",
            user_message=(
                "This visit cannot be reviewed yet: central has not sent this laptop the "
                "record of the child it is about. Nothing was changed. Sync now (Vault › "
                "Sync now); if it still will not open, ask IT to check that the child is "
                "allocated to someone in your team."
            ),
        )


class AttachmentRefused(VaultError):
    def __init__(self, user_message: str) -> None:
        super().__init__(user_message, user_message=user_message)
