"""The vault's audit log: who did what to which record, and when — never what it said.

Each entry carries the hash of the one before it, so an entry that is removed or altered
breaks the chain and `verify_chain` reports where. Entries hold actions and record ids only:
no names, no note text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from storage.transactions import Connection, transaction

GENESIS = "0" * 64


class AuditAction(StrEnum):
    VAULT_CREATED = "vault_created"
    UNLOCKED = "unlocked"
    UNLOCK_FAILED = "unlock_failed"
    RECOVERED = "recovered"
    PASSPHRASE_CHANGED = "passphrase_changed"
    RECOVERY_KEY_SET = "recovery_key_set"
    DATA_KEY_ROTATED = "data_key_rotated"
    LOCKED = "locked"
    CASE_SAVED = "case_saved"
    VISIT_CREATED = "visit_created"
    DRAFT_DISCARDED = "draft_discarded"
    VISIT_VIEWED = "visit_viewed"
    VISIT_SUBMITTED = "visit_submitted"
    ADDENDUM_ADDED = "addendum_added"
    ATTACHMENT_ADDED = "attachment_added"
    EXPORTED = "exported"
    ENROLLED = "enrolled"
    VISIT_PURGED = "visit_purged"
    REVIEW_DECIDED = "review_decided"
    NOTE_RECORDED = "note_recorded"
    # IT accepted that changes the vault had acknowledged are lost (subject_id: how many,
    # or "unknown"); see storage.commit_seal.
    LOSS_ACCEPTED = "loss_accepted"


@dataclass(frozen=True)
class AuditEntry:
    sequence: int
    at: datetime
    action: AuditAction
    subject_kind: str
    subject_id: str
    actor: str
    previous_hash: str
    entry_hash: str


def _entry_hash(previous_hash: str, sequence: int, at: str, action: str, subject_kind: str,
                subject_id: str, actor: str) -> str:
    body = json.dumps(
        [sequence, at, action, subject_kind, subject_id, actor], separators=(",", ":")
    ).encode()
    return hashlib.sha256(previous_hash.encode() + body).hexdigest()


class AuditLog:
    def __init__(self, conn: Connection, actor: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._actor = actor
        self._clock = clock

    def record(self, action: AuditAction, subject_kind: str = "vault",
               subject_id: UUID | str = "") -> None:
        """Append an entry; joins the caller's transaction when there is one."""
        with transaction(self._conn):
            last = self._conn.execute(
                "SELECT sequence, entry_hash FROM audit_log ORDER BY sequence DESC LIMIT 1"
            ).fetchone()
            sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
            at = self._clock().astimezone(UTC).isoformat()
            subject = str(subject_id)
            entry_hash = _entry_hash(previous, sequence, at, action.value, subject_kind,
                                     subject, self._actor)
            self._conn.execute(
                "INSERT INTO audit_log (sequence, at, action, subject_kind, subject_id, actor,"
                " previous_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sequence, at, action.value, subject_kind, subject, self._actor, previous,
                 entry_hash),
            )

    def entries(self, limit: int = 1000) -> list[AuditEntry]:
        rows = self._conn.execute(
            "SELECT sequence, at, action, subject_kind, subject_id, actor, previous_hash,"
            " entry_hash FROM audit_log ORDER BY sequence DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            AuditEntry(r[0], datetime.fromisoformat(r[1]), AuditAction(r[2]), r[3], r[4], r[5],
                       r[6], r[7])
            for r in rows
        ]


def verify_chain(conn: Connection) -> list[str]:
    """Every break in the audit chain, in plain words; empty when the log is whole."""
    problems: list[str] = []
    expected_sequence, previous = 1, GENESIS
    for row in conn.execute(
        "SELECT sequence, at, action, subject_kind, subject_id, actor, previous_hash, entry_hash"
        " FROM audit_log ORDER BY sequence"
    ):
        sequence, at, action, kind, subject, actor, stored_previous, stored_hash = row
        if sequence != expected_sequence:
            problems.append(f"audit entries {expected_sequence} to {sequence - 1} are missing")
        if stored_previous != previous:
            problems.append(f"audit entry {sequence} does not follow the entry before it")
        if _entry_hash(stored_previous, sequence, at, action, kind, subject, actor) != stored_hash:
            problems.append(f"audit entry {sequence} has been altered")
        expected_sequence, previous = sequence + 1, stored_hash
    return problems
