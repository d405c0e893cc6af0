"""Errors a user can meet when opening or changing the vault.

Each error carries ``user_message``: one or two plain sentences saying what happened,
whether anything was lost, and what to do. The UI shows it as is. ``str(error)`` is a
short technical line for the log. Neither ever contains record content, a passphrase or
a key.
"""

from __future__ import annotations

from pathlib import Path

from records.wording import counted, plural


class VaultError(Exception):
    """Base class of every vault failure that storage/ lets out."""

    default_user_message = (
        "Homevisit could not open or change your vault because of an unexpected problem. "
        "Nothing you saved has been changed; contact IT if it happens again."
    )

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        self.user_message: str = user_message or self.default_user_message
        super().__init__(detail or self.user_message)


class VaultMissing(VaultError):
    def __init__(self, directory: Path) -> None:
        super().__init__(
            f"no vault in {directory}",
            user_message=(
                f"There is no Homevisit vault in {directory}. "
                "Check the folder, or set up a new vault if this is a new laptop."
            ),
        )
        self.directory = directory


class VaultAlreadyExists(VaultError):
    def __init__(self, directory: Path) -> None:
        super().__init__(
            f"a vault (or part of one) already exists in {directory}",
            user_message=(
                f"A Homevisit vault already exists in {directory}, so a new one was not made. "
                "Nothing was changed; unlock the existing vault or contact IT."
            ),
        )
        self.directory = directory


class WrongPassphrase(VaultError):
    """The passphrase did not open the passphrase slot.

    ``attempts_left`` is how many more wrong tries are allowed before the passphrase is
    turned off, or ``None`` when the check does not count towards that limit (for
    example confirming the old passphrase in an already unlocked vault).
    """

    def __init__(self, attempts_left: int | None = None) -> None:
        if attempts_left is None:
            message = "That passphrase is not right. Nothing was changed; please try again."
        else:
            message = (
                "That passphrase is not right. Nothing was changed; you have "
                f"{attempts_left} more {plural('try', attempts_left)} before the passphrase is "
                "turned off and IT "
                "has to unlock the vault for you."
            )
        super().__init__(f"wrong passphrase (attempts left: {attempts_left})", user_message=message)
        self.attempts_left = attempts_left


class UnlockThrottled(VaultError):
    def __init__(self, wait_seconds: float) -> None:
        seconds = max(1, round(wait_seconds + 0.49))
        super().__init__(
            f"unlock throttled for {wait_seconds:.1f} s",
            user_message=(
                "There have been several wrong passphrases in a row, so Homevisit is pausing. "
                f"Nothing was lost; wait {counted(seconds, 'second')} and try again."
            ),
        )
        self.wait_seconds = wait_seconds


class PassphraseDisabled(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "passphrase slot disabled after too many failed unlocks",
            user_message=(
                "The passphrase has been turned off after too many wrong tries. Nothing has "
                "been deleted; contact IT, who can unlock the vault with the recovery key "
                "and let you set a new passphrase."
            ),
        )


class KeyFileDamaged(VaultError):
    def __init__(self, key_file: Path, reason: str) -> None:
        super().__init__(
            f"key file {key_file} is damaged: {reason}",
            user_message=(
                f"The vault's key file ({key_file}) is damaged or has been altered, so the "
                "vault cannot be opened. Do not delete anything; contact IT, who can reopen it "
                "with the recovery key or a backup."
            ),
        )
        self.key_file = key_file
        self.reason = reason


class KeyFileMissing(KeyFileDamaged):
    """The database is there but its key file is not: the recovery key's slot was in it."""

    def __init__(self, key_file: Path) -> None:
        super().__init__(key_file, "the key file is missing")
        self.user_message = (
            f"The vault's key file ({key_file}) is missing, so the vault cannot be opened. "
            "Do not delete anything; contact IT, who can put back the key file from a backup "
            "of this folder.")


class VaultErasureUnfinished(VaultError):
    """An erase (central's order) was interrupted after the key slots were destroyed."""

    def __init__(self, directory: Path) -> None:
        super().__init__(
            f"an ordered erase of the vault in {directory} did not finish",
            user_message=(
                "This vault cannot be opened: its keys were destroyed by an erase that did "
                "not finish (Homevisit erases a vault when central reports the laptop lost), "
                "so nobody can read what is left. Start Homevisit again to finish erasing "
                f"it; if that fails, delete the folder {directory} and tell IT."
            ),
        )
        self.directory = directory


class VaultDamaged(VaultError):
    def __init__(self, database: Path, problems: list[str]) -> None:
        summary = "; ".join(problems[:3])
        super().__init__(
            f"vault database {database} failed its integrity check: {summary}",
            user_message=(
                f"The vault's database ({database}) is damaged, so Homevisit has not opened "
                "it. The encrypted file has been left untouched; do not delete anything and "
                "contact IT, who can check it and restore it from a backup or from central."
            ),
        )
        self.database = database
        self.problems = problems


class NoRecoverySlot(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "vault has no recovery slot",
            user_message=(
                "This vault was set up without an IT recovery key, so the recovery key cannot "
                "open it. Nothing was changed; the vault can still be opened with its passphrase."
            ),
        )


class WrongRecoveryKey(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "recovery key does not open the recovery slot",
            user_message=(
                "That recovery key does not belong to this vault. Nothing was changed; check "
                "that it is the organisation's current recovery key."
            ),
        )


class SchemaTooNew(VaultError):
    def __init__(self, found: int, supported: int, what: str = "database") -> None:
        super().__init__(
            f"vault {what} version {found} is newer than this Homevisit supports ({supported})",
            user_message=(
                "This vault was written by a newer version of Homevisit. Nothing was changed; "
                "ask IT to update Homevisit on this laptop."
            ),
        )
        self.found = found
        self.supported = supported


class MigrationFailed(VaultError):
    def __init__(self, version: int, reason: str) -> None:
        super().__init__(
            f"migration to schema version {version} failed: {reason}",
            user_message=(
                "Homevisit could not update the vault to this version. Nothing was lost and "
                "your records are as they were; contact IT."
            ),
        )
        self.version = version


class VaultNotWritable(VaultError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot write to {path}: {reason}",
            user_message=(
                f"Homevisit cannot write to {path}: the disk may be full or the folder "
                "read-only. Nothing already saved was lost; free some space or contact IT."
            ),
        )
        self.path = path


class VaultBusy(VaultError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"vault busy: {reason}",
            user_message=(
                "The vault is in use by another part of Homevisit, so this was not done. "
                "Nothing was changed; try again when syncing has finished."
            ),
        )


class PassphraseTooShort(VaultError):
    def __init__(self, minimum_length: int) -> None:
        super().__init__(
            f"passphrase shorter than {minimum_length} characters",
            user_message=(
                f"The passphrase must be at least {minimum_length} characters long. "
                "Nothing was changed; a few ordinary words in a row make a good passphrase."
            ),
        )
        self.minimum_length = minimum_length


class ChangesMissing(VaultError):
    """The database holds fewer changes than the vault acknowledged (``vault.commits``).

    ``missing`` is how many acknowledged changes are gone, or ``None`` when it cannot be
    counted (the seal file is missing or damaged, or the database lost its own count).
    ``problem`` is the one line ``homevisit vault check`` prints.
    """

    def __init__(self, database: Path, missing: int | None, problem: str,
                 user_message: str) -> None:
        super().__init__(f"vault database {database}: {problem}", user_message=user_message)
        self.database = database
        self.missing = missing
        self.problem = problem

    @classmethod
    def behind_seal(cls, database: Path, missing: int | None) -> ChangesMissing:
        wal = database.name + "-wal"
        counted_changes = "changes" if missing is None else counted(missing, "change")
        return cls(
            database, missing,
            f"the database is missing {counted_changes} it had saved (vault.commits records more "
            f"than the database holds: {wal} deleted, cut short or damaged?)",
            f"The vault is missing {counted_changes} it had saved (submitted visits, drafts or "
            "other records), so Homevisit has not opened it. Nothing has been changed. "
            f"Restore the missing file {wal} in the folder {database.parent} as it was "
            "(from a backup of that folder), or ask IT; if the changes cannot be found, IT "
            "can accept their loss with 'homevisit vault accept-rollback'.",
        )

    @classmethod
    def seal_unreadable(cls, database: Path, seal: Path, reason: str) -> ChangesMissing:
        return cls(
            database, None,
            f"{seal.name} {reason}, so missing changes cannot be ruled out",
            f"The vault's record of its saved changes ({seal.name}) {reason}, so Homevisit "
            "cannot tell whether changes you saved are missing and has not opened the vault. "
            f"Nothing has been changed. Put back {seal.name} in the folder {seal.parent} as "
            "it was (from a backup of that folder), or ask IT; IT can accept the vault as it "
            "is with 'homevisit vault accept-rollback'.",
        )
