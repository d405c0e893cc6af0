"""One child's state as a manager sees it (records.child_state), from the same history and
flags the team lead's screens use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from records.child_state import child_state
from records.flag_types import FlagCode, FlagRules, VisitOnRecord
from records.flags import child_flags
from records.visit import VisitType
from tests.factories import make_case, make_child, make_visit

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
RULES = FlagRules()


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=UTC)


def test_a_core_group_meeting_is_not_a_visit_and_does_not_reset_the_clock() -> None:
    case = make_case()
    ana = make_child(case)  # child protection from 1 Sep 2026
    meeting = make_visit(case, [ana], visit_type=VisitType.CORE_GROUP,
                         started_at=on(date(2026, 11, 12)),
                         ended_at=on(date(2026, 11, 12)) + timedelta(hours=1))
    history = [VisitOnRecord(meeting, NOW)]
    flags = child_flags(ana, history, now=NOW, rules=RULES)
    state = child_state(ana, history, flags, NOW.date(), RULES)
    assert state.never_visited and state.seen.day is None
    assert (state.next_due, state.days_overdue) == (date(2026, 9, 15), 62)
    assert state.headline is not None and state.headline == min(flags, key=lambda f: f.sort_key)
    assert state.red + state.amber == len(flags)
    assert FlagCode.VISIT_OVERDUE in {f.code for f in flags}


def test_a_visit_on_time_counts_among_the_recent_ones_seen_within_timescale() -> None:
    case = make_case()
    ana = make_child(case)
    first, second = (make_visit(case, [ana], started_at=on(d), ended_at=on(d) + timedelta(hours=1))
                     for d in (date(2026, 10, 1), date(2026, 10, 8)))
    history = [VisitOnRecord(first, on(date(2026, 10, 1))),
               VisitOnRecord(second, on(date(2026, 10, 8)))]
    flags = child_flags(ana, history, now=NOW, rules=RULES)
    state = child_state(ana, history, flags, NOW.date(), RULES)
    # 1 Oct was late (due 15 Sep), 8 Oct on time (due 15 Oct); both within three months.
    assert (state.seen_recently, state.seen_on_time_recently) == (2, 1)
    assert (state.seen.day, state.seen.seen_alone, state.never_visited) == (
        date(2026, 10, 8), True, False)
    assert (state.next_due, state.days_overdue) == (date(2026, 10, 22), 25)
