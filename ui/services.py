"""What the screens may ask of the vault: a typed list of operations, no SQL.

`desktop_app.services` implements this over an open session. Every method is called on
the vault lane (`ui.widgets.background.op`), never on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol
from uuid import UUID

from records.case import Case, Child
from records.case_notes import AgencyNotification, Note
from records.contracts import (
    AddendumDraft,
    CaseloadRow,
    ReturnedQuestion,
    StoredAddendum,
    StoredNote,
    StoredVisit,
)
from records.corrections import ReviewDecision
from records.flag_types import Flag
from records.visit import InjuryObservation, Visit

RecoveryChange = Literal["add", "replace"]
"""What following IT's recovery key would do to the vault: give a vault without a recovery
slot one ("add"), or re-wrap a slot made for another key to the policy's ("replace")."""


YOU_ELSEWHERE = "you, on another laptop"
"""`OpenedVisit.recorded_by` of a visit this worker made on another laptop, sent back from
central with a child allocated to them again (or to a new laptop)."""


@dataclass(frozen=True)
class OpenedVisit:
    """Everything the editor needs to show one visit, read in one trip to the vault."""

    visit: Visit
    case: Case
    children: list[Child]
    submitted: bool
    earlier_injuries: dict[UUID, list[InjuryObservation]] = field(default_factory=dict)
    addenda: list[StoredAddendum] = field(default_factory=list)
    submitted_at: datetime | None = None
    record_hash: str | None = None
    open_question: ReturnedQuestion | None = None  # the team lead's, until an addendum answers
    notifications: dict[UUID, list[AgencyNotification]] = field(default_factory=dict)
    """Per child, what other agencies told us that no other visit has yet followed up (and
    what this visit did), to discuss with the child alone."""
    addendum_draft: AddendumDraft | None = None  # being written when the vault last locked
    escalations: list[ReviewDecision] = field(default_factory=list)
    """The team lead's escalations of this visit, oldest first: who, when, and to what."""
    recorded_by: str = ""
    """Another worker's name on a visit pulled from central, made about a child now allocated
    to this one: read-only, with nothing to add ("": this laptop's own visit)."""


@dataclass(frozen=True)
class VisitListing:
    """One line in a list of visits: no names, so it can be shown anywhere in the window."""

    visit_id: UUID
    case_reference: str
    started_at: datetime | None
    updated_at: datetime
    submitted: bool
    children: str
    answer_needed: bool = False  # the team lead returned it and no addendum answers it yet
    sync_status: str | None = None  # waiting, sent, synced or quarantined; None: a draft
    sync_reason: str | None = None  # central's reason, when it refused (quarantined)
    recorded_by: str = ""  # another worker's visit, pulled from central ("": this laptop's)


@dataclass(frozen=True)
class SyncState:
    """Where sync stands, read from the vault: what the status bar tells the worker."""

    unsent: int  # operations central has not receipted yet (waiting or sent)
    quarantined: int  # refused by central; kept on the laptop, never dropped
    oldest_unsent_at: datetime | None
    last_synced_at: datetime | None  # the last run that left nothing waiting
    revoked: bool = False

    @property
    def everything_synced(self) -> bool:
        """Every operation has central's verified receipt (and none was refused)."""
        return self.unsent == 0 and self.quarantined == 0


@dataclass(frozen=True)
class InterruptedDraft:
    """A draft that was being written when the app last stopped without locking."""

    visit_id: UUID
    started_at: datetime


@dataclass(frozen=True)
class Connected:
    """Where and as whom central enrolled this laptop."""

    server_url: str
    display_name: str


class VisitServices(Protocol):
    def caseload(self) -> list[CaseloadRow]: ...

    def household_of(self, child_id: UUID) -> tuple[Case, list[Child]]: ...

    def start_visit(self, case_id: UUID, child_ids: list[UUID]) -> OpenedVisit: ...

    def open_visit(self, visit_id: UUID) -> OpenedVisit: ...

    def save_draft(self, visit: Visit) -> datetime: ...

    def discard_draft(self, visit_id: UUID) -> None: ...

    def submit(self, visit: Visit) -> StoredVisit: ...

    def next_visit_due(self, visit: Visit) -> date | None: ...

    def flags_if_submitted(self, visit: Visit) -> list[Flag]: ...

    def record_note(self, note: Note) -> StoredNote: ...

    def notes_for_child(self, child_id: UUID) -> list[StoredNote]: ...

    def add_addendum(self, visit_id: UUID, reason: str, text: str, *,
                     answers_review_id: UUID | None = None) -> list[StoredAddendum]: ...

    def save_addendum_draft(self, visit_id: UUID, reason: str, text: str) -> None:
        """At lock: the addendum being written, offered back when the visit is next opened."""
        ...

    def discard_addendum_draft(self, visit_id: UUID) -> None: ...

    def open_questions(self) -> list[ReturnedQuestion]: ...

    def pull_position(self) -> int | None: ...

    def resend_refused(self) -> int:
        """Queue every record central refused to be sent again, once IT has put the cause
        right; how many were queued (the next sync sends them)."""
        ...

    def recovery_key_change(self) -> RecoveryChange | None:
        """Whether IT's policy names a recovery key the vault is not wrapped to (None: no)."""
        ...

    def add_recovery_key(self) -> None:
        """Wrap the open vault to IT's recovery key in the policy (the records are untouched)."""
        ...

    def add_photo(self, content: bytes, visit_id: UUID) -> UUID: ...

    def photo(self, photo_id: UUID) -> bytes | None: ...

    def record_pdf_export(self, visit_id: UUID) -> None: ...

    def signed_in_name(self) -> str:
        """Who is using this laptop: the name a printout says it was printed by."""
        ...

    def visits(self, *, drafts: bool, child_id: UUID | None = None) -> list[VisitListing]: ...

    def interrupted_draft(self) -> InterruptedDraft | None: ...

    def enroll(self, server_url: str, code: str, *, managed: bool) -> Connected:
        """Connect this open vault to central with IT's one-time code (`managed`: IT set the
        address, which must then be the one used)."""
        ...

    def lock(self) -> None: ...
