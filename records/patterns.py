"""Joined-up concerns: the same worry recorded again and again, at visits or by agencies.

domain.md, "Joined up": a concern repeated across visits or agencies (food or weight,
injuries) escalates, and stays visible until a team lead records that it was considered;
signing off a single visit does not clear the pattern. So a pattern is found among the
concerns themselves, `count` or more whose days lie within `window_days` of each other,
never counted back from today: two injuries 89 days apart stay a pattern on day 200 as on
day 90 until someone has looked at them together.

A team lead's `ConcernConsidered` settles the concerns entered before it was made (by when
each was entered, not the day it happened: a school's report of last week, typed in after
the decision, was not part of it). A concern entered after it raises the pattern again,
with the earlier concerns it joins. Known gap: a concern entered before the decision but
not yet on the team lead's laptop (it had not synced) counts as considered too; the note
does not yet name the concerns it covered.
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


def last_considered(notes: Sequence[CaseNote], code: FlagCode) -> datetime | None:
    """When a team lead last recorded that this pattern was considered (None: never)."""
    return max((n.considered_at for n in notes
                if isinstance(n, ConcernConsidered) and n.flag_code == code.value),
               default=None)


def unconsidered_pattern(concerns: Sequence[Concern], considered: datetime | None, *,
                         count: int, window_days: int) -> list[Concern]:
    """The concerns making a pattern a team lead has yet to consider, oldest first: every
    group of `count` or more whose days lie within `window_days` of each other and of which
    at least one was entered after `considered`. Empty when there is none."""
    ordered = sorted(concerns, key=lambda c: (c.day, c.entered, c.what))
    members: dict[int, Concern] = {}
    for start, first in enumerate(ordered):
        group = [c for c in ordered[start:] if (c.day - first.day).days <= window_days]
        if len(group) >= count and any(considered is None or c.entered > considered
                                       for c in group):
            members.update((id(c), c) for c in group)
    return sorted(members.values(), key=lambda c: (c.day, c.entered, c.what))
