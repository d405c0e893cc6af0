"""What the team lead's screens may ask of the vault; `desktop_app.review_services` answers.

Every method runs on the vault lane (`ui.widgets.background.op`), never on the UI
thread. The rows are the stored review index's: no flag is recomputed to draw a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from uuid import UUID

from records.case import Child
from records.case_notes import ConcernConsidered, Supervision
from records.contracts import Dashboard, QueueRow
from records.corrections import ReviewDecision
from records.flag_types import Flag, FlagCode
from records.thresholds import FlagThresholds
from records.visit import InjuryObservation
from ui.services import OpenedVisit


@dataclass(frozen=True)
class ReviewNote:
    """One pulled visit, read-only, with its flags and every decision on it."""

    opened: OpenedVisit
    row: QueueRow
    flags: list[Flag]
    decisions: list[ReviewDecision]


@dataclass(frozen=True)
class ChronologyEvent:
    day: date
    kind: str  # visit, injury, note (between visits), flag, review, addendum
    text: str
    red: bool = False


@dataclass(frozen=True)
class DatedInjury:
    day: date
    injury: InjuryObservation


@dataclass(frozen=True)
class Chronology:
    child: Child
    events: list[ChronologyEvent]
    injuries: list[DatedInjury]
    flags: list[Flag]
    case_reference: str = ""
    content_hash: str = ""
    """SHA-256 of what the chronology lists (records.canonical.chronology_hash), printed on
    every page of its PDF: two printouts with one hash list the same things."""
    concerns: dict[FlagCode, tuple[UUID, ...]] = field(default_factory=dict)
    """The visits and notes of each kind of pattern (`records.flags.PATTERN_CODES`) held
    here: what a team lead's decision on that pattern names (`ConcernConsidered.covered`)."""


class ReviewServices(Protocol):
    pdf_allowed: bool
    reviewer: str
    thresholds: FlagThresholds  # policy: caseload pressure among them (`over_caseload`)

    def record_oversight(self, note: Supervision | ConcernConsidered) -> Chronology: ...

    def refresh_review(self) -> int: ...

    def refresh_stale(self) -> int: ...

    def queue_count(self) -> int: ...

    def queue_page(self, offset: int, limit: int) -> list[QueueRow]: ...

    def review_note(self, visit_id: UUID) -> ReviewNote: ...

    def sign_off(self, visit_id: UUID, comment: str) -> QueueRow | None: ...

    def return_with_question(self, visit_id: UUID, question: str) -> QueueRow | None: ...

    def escalate(self, visit_id: UUID, escalation: str) -> QueueRow | None: ...

    def dashboard(self) -> Dashboard: ...

    def chronology(self, child_id: UUID) -> Chronology: ...

    def record_chronology_export(self, child_id: UUID) -> None: ...
