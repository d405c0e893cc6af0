"""What the screens are handed: read models and the enums both ends share.

storage/ builds these rows from the vault, sync/ names operations with `OperationKind` on
the wire, and ui/ imports them from here — never from storage, sync or central
(../shared/DESIGN.md; tests/test_layering.py holds it). Nothing here runs SQL or touches Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable
from uuid import UUID

from records.case import PlanType
from records.case_notes import Note
from records.corrections import Addendum
from records.problems import Problem
from records.visit import Visit


class OperationKind(StrEnum):
    """What an outbox operation carries to central, as named on the wire."""

    SUBMIT_VISIT = "visit.submit"
    ADD_ADDENDUM = "addendum.add"
    DECIDE_REVIEW = "review.decide"
    ADD_NOTE = "note.add"
    """A note between visits (records.case_notes): agency information, supervision, a
    concern considered. A central that does not know it rejects the op (`unknown_op_kind`)."""


@runtime_checkable
class ListsProblems(Protocol):
    """A refusal that names every field to put right (a visit, an addendum or a note that
    is not complete yet); the editor lists `problems` and shows `user_message`."""

    problems: list[Problem]
    user_message: str


# The worker's visits, addenda and notes.

class VisitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class StoredVisit:
    visit: Visit
    status: VisitStatus
    created_at: datetime
    updated_at: datetime
    record_hash: str | None
    signature: bytes | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class VisitSummary:
    id: UUID
    case_id: UUID
    status: VisitStatus
    started_at: datetime | None
    updated_at: datetime
    child_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class StoredAddendum:
    addendum: Addendum
    sequence: int
    record_hash: str
    signature: bytes


@dataclass(frozen=True)
class AddendumDraft:
    """An addendum the worker was writing when the vault locked, kept to be carried on."""

    visit_id: UUID
    reason: str
    text: str
    saved_at: datetime


@dataclass(frozen=True)
class Enrollment:
    """Whether and how this laptop is connected to central, as the window needs it."""

    server_url: str
    team_lead: bool


@dataclass(frozen=True)
class StoredNote:
    note: Note
    record_hash: str
    signature: bytes | None
    made_here: bool
    """True for a note recorded on this laptop; False for one pulled from central."""
    submitted_by: str = ""


@dataclass(frozen=True)
class CaseloadRow:
    child_id: UUID
    case_reference: str
    child_name: str
    plan_type: PlanType
    last_seen: date | None
    """The last visit where the child was actually seen (`records.last_seen`)."""
    next_visit_due: date | None
    """Counted from `last_seen`, or from the plan's start or placement if never seen."""
    seen_alone_when_last_seen: bool | None


@dataclass(frozen=True)
class ReturnedQuestion:
    """A team lead's question on one of this worker's visits, not yet answered."""

    review_id: UUID
    visit_id: UUID
    question: str
    reviewer: str
    returned_at: datetime
    child_ids: tuple[UUID, ...]


# The team lead's queue and dashboard.

@dataclass(frozen=True)
class QueueRow:
    """One visit waiting for the team lead, with the worst flag that names it."""

    visit_id: UUID
    child_names: str
    worker: str
    worker_name: str
    visit_day: date
    decision: str
    rank: int
    since: date
    """The day of the oldest fact behind its worst flag (the queue's order)."""
    red_count: int
    amber_count: int
    headline: str
    received_on: date | None = None
    """The day central received the visit, which sign-off waits from; None: not known."""

    @property
    def waiting_since(self) -> date:
        """Since when the visit has waited for the team lead: central's receipt, or, for a
        visit received before central said, its own day. Never a flag's older facts."""
        return self.received_on or self.visit_day


@dataclass(frozen=True)
class WorkerLoad:
    """One worker's line on the dashboard."""

    worker: str
    children: int
    child_protection: int
    child_in_need: int
    looked_after: int
    overdue: int
    awaiting_sign_off: int
    last_device_contact: datetime | None
    """The latest contact with central of any of the worker's laptops, as central said."""
    seen_recently: int = 0
    """Visits in the last three months where a child of theirs was seen."""
    seen_on_time_recently: int = 0
    """Of those, the visits within the visiting standard (`records.last_seen.timeliness`)."""
    unsynced_hours: int | None = None
    """Hours since then, when over the policy's threshold (`records.flags.unsynced_hours`)."""
    refused_laptops: int = 0
    """The worker's laptops central refuses (revoked or reported lost), as central said."""
    waiting_on_refused: int = 0
    """Records those laptops said wait on them, unsent (0 when none said)."""
    laptop_wipes: tuple[LaptopWipe, ...] = ()
    """What became of the wipe order of each of them reported lost, when central said."""
    worker_name: str = ""
    """The worker's name as their visits give it ("J. Okafor"); empty before any visit."""

    @property
    def who(self) -> str:
        """The worker as a team lead knows them: their name, or their username."""
        return self.worker_name or self.worker


@dataclass(frozen=True)
class LaptopWipe:
    """A lost laptop's wipe, as central last said: done (with its cost) or not yet."""

    wiped_at: datetime | None
    """When its signed receipt says it erased; None: the wipe is ordered, not yet done."""
    recovered: int
    """Records central got from it after it was reported lost, before the erase."""
    lost: int | None
    """Records its receipt says were erased without reaching central; None: no receipt."""


@dataclass(frozen=True)
class ChildAlert:
    child_id: UUID
    name: str
    worker: str
    detail: str
    worker_name: str = ""

    @property
    def who(self) -> str:
        return self.worker_name or self.worker


@dataclass(frozen=True)
class ChildToSee:
    """A child of the team whose most serious flag is red, named, visited or not."""

    child_id: UUID
    name: str
    worker: str
    headline: str
    last_seen: date | None
    seen_alone_when_last_seen: bool | None
    worker_name: str = ""


@dataclass(frozen=True)
class Dashboard:
    workers: list[WorkerLoad]
    not_seen_alone_in_a_row: list[ChildAlert]
    """Children not seen alone at their last `not_seen_alone_visits` visits or more."""
    injured_recently: list[ChildAlert]
    red_children: list[ChildToSee] = field(default_factory=list)
    """Every child whose worst flag is red, the most serious first: never-visited and
    overdue children by name, not only as a count."""
    injury_window_days: int = 90
    """The days `injured_recently` looks back: the policy's `repeat_injury_window_days`."""
    not_seen_alone_visits: int = 2
    """The visits in a row `not_seen_alone_in_a_row` counts: the policy's
    `not_seen_alone_red_streak`, at which the flag turns red."""
