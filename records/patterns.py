"""Joined-up concerns: the same worry recorded again and again, at visits or by agencies.

domain.md, "Joined up": a concern repeated across visits or agencies (food or weight,
injuries) escalates, and stays visible until a team lead records that it was considered;
signing off a single visit does not clear the pattern. So a pattern is found among the
concerns themselves, `count` or more whose days lie within `window_days` of each other,
never counted back from today: two injuries 89 days apart stay a pattern on day 200 as on
day 90 until someone has looked at them together.

A team lead's `ConcernConsidered` settles the concerns it names (`covered`: every concern of
that kind their laptop held for the child when they decided, `records.flags.
pattern_concerns`). Any other concern raises the pattern again, with the earlier concerns it
joins: one entered after the decision, and one entered before it that had not reached the
team lead's laptop (a worker's visit not yet synced, a school's report not yet pulled), which
they never saw. A decision recorded before decisions named their concerns (`covered` empty)
settles every concern entered before it was made (by when each was entered, not the day it
happened: a school's report of last week, typed in after the decision, was not part of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from records.case_notes import CaseNote, ConcernConsidered
from records.flag_types import FlagCode


@dataclass(frozen=True)
class Concern:
    """One recorded concern: a visit that recorded it, or an agency's report of it."""

    day: date
    """When it happened: the visit's day, or the day the agency's report was received."""
    entered: datetime
    """When it reached the record: the visit submitted (on a team lead's laptop and at
    central, central's receipt), the agency's report entered."""
    what: str
    """How a flag names it: "visit on 2 Nov 2026", "Elm Primary on 2 Nov 2026"."""
    visit_id: UUID | None = None
    note_id: UUID | None = None
    """The agency's note, for a concern another agency reported."""

    @property
    def record_id(self) -> UUID | None:
        """The visit or note that recorded it: what a decision names (`covered`)."""
        return self.visit_id or self.note_id


@dataclass(frozen=True)
class Considered:
    """What a team lead's decisions on one kind of pattern settled (`considered`)."""

    covered: frozenset[UUID] = frozenset()
    """The concerns decisions named."""
    until: datetime | None = None
    """The latest decision that named none: it settles every concern entered before it."""

    def settles(self, concern: Concern) -> bool:
        if concern.record_id is not None and concern.record_id in self.covered:
            return True
        return self.until is not None and concern.entered <= self.until


def considered(notes: Sequence[CaseNote], code: FlagCode) -> Considered:
    """What team leads' decisions on this kind of pattern settled (nothing: never decided)."""
    decisions = [n for n in notes if isinstance(n, ConcernConsidered) and n.flag_code == code.value]
    return Considered(
        frozenset(record for n in decisions for record in n.covered),
        max((n.considered_at for n in decisions if not n.covered), default=None))


def unconsidered_pattern(concerns: Sequence[Concern], settled: Considered, *,
                         count: int, window_days: int) -> list[Concern]:
    """The concerns making a pattern a team lead has yet to consider, oldest first: every
    group of `count` or more whose days lie within `window_days` of each other and of which
    at least one is not `settled`. Empty when there is none."""
    ordered = sorted(concerns, key=lambda c: (c.day, c.entered, c.what))
    members: dict[int, Concern] = {}
    for start, first in enumerate(ordered):
        group = [c for c in ordered[start:] if (c.day - first.day).days <= window_days]
        if len(group) >= count and any(not settled.settles(c) for c in group):
            members.update((id(c), c) for c in group)
    return sorted(members.values(), key=lambda c: (c.day, c.entered, c.what))
