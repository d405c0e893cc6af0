"""Notes between visits in the vault: recorded here and signed, or pulled from central.

`record` signs a note's canonical JSON with this laptop's key and writes the note, its outbox
operation (`note.add`) and an audit entry (no record content) in one transaction, like an
addendum. A note is never changed; the schema's triggers refuse it (version 14), and allow a
delete only once central has receipted it. Notes made elsewhere (another laptop, or imported
at central from another agency's list) arrive by pull into `received_records` (kind 'note');
`notes_for_children` reads both, once each.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from uuid import UUID

from pydantic import TypeAdapter

from records.canonical import canonical_json, hash_bytes
from records.case_notes import (
    CaseNote,
    ConcernConsidered,
    Note,
)
from records.contracts import OperationKind, StoredNote
from records.flag_types import local_day
from records.note_rules import problems_in_note
from records.problems import Problem
from records.wording import counted
from storage.audit import AuditAction, AuditLog
from storage.device import DeviceIdentity, signature_is_valid
from storage.errors import VaultError
from storage.outbox import Outbox
from storage.refusals import SubmissionRefused
from storage.transactions import Connection, transaction

NOTE_ADAPTER: TypeAdapter[Note] = TypeAdapter(CaseNote)


class NoteAlreadyRecorded(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "note already recorded",
            user_message="This note is already recorded and cannot be changed. Nothing was "
                         "lost; to correct it, record a new note that says what was wrong.")


class NoteRefused(SubmissionRefused):
    """A note with something to put right; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        count = len(problems)
        self.user_message = (f"This note cannot be recorded yet: "
                             f"{counted(count, 'thing needs')} putting right. "
                             "Nothing was recorded.")


def note_entered_at(note: Note) -> datetime:
    """When the note says it was written (entered, or considered)."""
    return note.considered_at if isinstance(note, ConcernConsidered) else note.entered_at


def parse_note(record_json: str) -> Note:
    return NOTE_ADAPTER.validate_json(record_json)


class CaseNoteRepository:
    def __init__(self, conn: Connection, device: DeviceIdentity, audit: AuditLog, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._conn = conn
        self._device = device
        self._audit = audit
        self._outbox = Outbox(conn, clock)
        self._clock = clock

    def record(self, note: Note) -> StoredNote:
        """Check, sign and store the note with its outbox op and audit entry, all or nothing."""
        problems = problems_in_note(note, today=local_day(self._clock()))
        if problems:
            raise NoteRefused(problems)
        frozen = canonical_json(note)
        record_hash = hash_bytes(frozen)
        signature = self._device.sign(frozen)
        with transaction(self._conn):
            if self._conn.execute("SELECT 1 FROM case_notes WHERE id = ?",
                                  (str(note.id),)).fetchone():
                raise NoteAlreadyRecorded()
            self._conn.execute(
                "INSERT INTO case_notes (id, kind, case_id, record_json, record_hash, signature,"
                " created_at, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (str(note.id), note.note, str(note.case_id), frozen.decode(), record_hash,
                 signature, note_entered_at(note).isoformat(),
                 self._clock().astimezone(UTC).isoformat()),
            )
            self._outbox.enqueue(OperationKind.ADD_NOTE, note.id, {
                "kind": "note", "record": frozen.decode(), "record_hash": record_hash,
                "signature": base64.b64encode(signature).decode(),
                "device_id": str(self._device.device_id),
            })
            self._audit.record(AuditAction.NOTE_RECORDED, "case", note.case_id)
        return StoredNote(note, record_hash, signature, made_here=True)

    def get(self, note_id: UUID) -> StoredNote | None:
        found = self._all(None, str(note_id))
        return found[0] if found else None

    def all_notes(self) -> list[StoredNote]:
        """Every note on this laptop, made here or pulled, oldest first (an export)."""
        return sorted(self._all(None), key=lambda n: (note_entered_at(n.note), str(n.note.id)))

    def notes_for_children(self, child_ids: Iterable[UUID]) -> dict[UUID, list[StoredNote]]:
        """Each child's notes, made here or pulled, oldest first; a note naming two of the
        children is listed under both. A note both made here and pulled back counts once."""
        wanted = {str(c) for c in child_ids}
        by_child: dict[UUID, list[StoredNote]] = {UUID(c): [] for c in wanted}
        for stored in self._all(wanted):
            for child_id in stored.note.child_ids:
                if str(child_id) in wanted:
                    by_child[child_id].append(stored)
        for notes in by_child.values():
            notes.sort(key=lambda n: (note_entered_at(n.note), str(n.note.id)))
        return by_child

    def notes_for_child(self, child_id: UUID) -> list[StoredNote]:
        return self.notes_for_children([child_id])[child_id]

    def is_intact(self, note_id: UUID) -> bool:
        """True when a note made here still matches its hash and this laptop's signature."""
        row = self._conn.execute(
            "SELECT record_json, record_hash, signature FROM case_notes WHERE id = ?",
            (str(note_id),)).fetchone()
        if row is None:
            return False
        frozen = row[0].encode()
        return hash_bytes(frozen) == row[1] and signature_is_valid(
            self._device.public_key, frozen, bytes(row[2]))

    def _all(self, child_ids: set[str] | None, note_id: str | None = None,
             ) -> list[StoredNote]:
        return [StoredNote(parse_note(record), record_hash,
                           bytes(signature) if signature is not None else None,
                           made_here, submitted_by or "")
                for record, record_hash, signature, made_here, submitted_by
                in _note_rows(self._conn, child_ids, note_id)]


_MADE_HERE = "SELECT n.id, n.record_json, n.record_hash, n.signature, 1, NULL"
_PULLED = "SELECT n.id, n.record_json, n.record_hash, NULL, 0, n.submitted_by"
_EVERY_NOTE = (f"{_MADE_HERE} FROM case_notes AS n UNION ALL "
               f"{_PULLED} FROM received_records AS n WHERE n.kind = 'note'")
# Through `note_children` (kept by the vault's triggers, storage/migrations/0023), each note
# then read by its primary key (CROSS JOIN keeps that order; `+` keeps the kind index, a walk
# of every pulled note, out of the plan). A note naming two of the children comes twice.
_OF_CHILDREN = ("note_children AS c CROSS JOIN {table} AS n ON n.id = c.note_id"
                " WHERE c.child_id IN (SELECT value FROM json_each(?1))")
_CHILDREN_NOTES = (f"{_MADE_HERE} FROM {_OF_CHILDREN.format(table='case_notes')} UNION ALL "
                   f"{_PULLED} FROM {_OF_CHILDREN.format(table='received_records')}"
                   " AND +n.kind = 'note'")
_ONE_NOTE = (f"{_MADE_HERE} FROM case_notes AS n WHERE n.id = ?1 UNION ALL "
             f"{_PULLED} FROM received_records AS n WHERE n.id = ?1 AND +n.kind = 'note'")


def _note_rows(conn: Connection, child_ids: set[str] | None, note_id: str | None = None,
               ) -> list[tuple[str, str, bytes | None, bool, str | None]]:
    """(record, hash, signature, made here, submitted by) of the notes naming any of these
    children (all notes: None), or of the note with this id; a note made here and pulled
    back once, as made here."""
    if note_id is not None:
        rows = conn.execute(_ONE_NOTE, (note_id,))
    elif child_ids is not None:
        rows = conn.execute(_CHILDREN_NOTES, (json.dumps(sorted(child_ids)),))
    else:
        rows = conn.execute(_EVERY_NOTE)
    found: dict[str, tuple[str, str, bytes | None, bool, str | None]] = {}
    for found_id, record, record_hash, signature, made_here, submitted_by in rows:
        if found_id not in found:  # made here comes first
            found[found_id] = (record, record_hash, signature, bool(made_here), submitted_by)
    return list(found.values())


def notes_by_child(conn: Connection, child_ids: Iterable[UUID]) -> dict[UUID, tuple[Note, ...]]:
    """Only the notes, each child's oldest first (for the flags; no signing key needed)."""
    wanted = {str(c) for c in child_ids}
    by_child: dict[UUID, list[Note]] = {UUID(c): [] for c in wanted}
    if not wanted:
        return {}
    for record, *_ in _note_rows(conn, wanted):
        note = parse_note(record)
        for child_id in note.child_ids:
            if child_id in by_child:
                by_child[child_id].append(note)
    return {child_id: tuple(sorted(notes, key=lambda n: (note_entered_at(n), str(n.id))))
            for child_id, notes in by_child.items()}

