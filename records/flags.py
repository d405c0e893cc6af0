"""Team-lead alerts: what in one child's visit history a team lead must look at first.

How callers use it
------------------
`child_flags(child, history, now=..., rules=...)` is a pure function of one child's
submitted visits (with their addenda and review decisions), the child, the time and the
rules (visiting standards, `FlagThresholds`, the working calendar). It reads nothing and
stores nothing. It is a fold (`records.flag_fold`): the history is folded into a small
per-child state, and the flags are read from the state and the date (`flags_of_fold`), so
flags are kept incrementally:

* when visits arrive (by sync), fold just those into each child's stored state and read its
  flags again; when an addendum or review decision arrives, or the child's record changes,
  fold that child's history again;
* once a day (or when a queue is opened), read every child's flags from its state again,
  because some flags depend on the date alone: visit overdue, sign-off pending, device not
  synced;
* order a review queue as the team lead's index keeps it (`storage.review_queries`): red
  before amber, then the domain's order of flags (`Flag.sort_key`), then the oldest fact
  first, so the visit waiting longest for a decision comes up first among equals.

The worker sees the same rules before submitting: `flags_left_by(visit_id, flags)` keeps
the flags a draft visit would leave, computed with the draft appended to the history as
if submitted now. Pass the child's whole history: a child has tens of visits a year, and
streaks and repeat injuries look back across them.

Two kinds of flag. State flags describe the child now and last until the facts change:
overdue, not seen, not seen alone, bedroom, own words, repeat injuries, sign-off pending,
returned unanswered, device not synced. Event flags belong to one visit (injury, domestic
abuse, new adult, food or neglect, interpreter, low risk score, late recording) and stay
until a team lead signs that visit off or escalates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from records.between_visits import between_visits, food_concerns
from records.case import Child, PlanType
from records.case_notes import AgencyNotification, CaseNote
from records.event_flags import flag, neglect_grades, seen_late
from records.flag_fold import ChildFold, Mark, OpenVisit, fold_visits
from records.flag_types import (
    SOURCES,
    Flag,
    FlagCode,
    FlagRules,
    Severity,
    VisitOnRecord,
    day_text,
    listed,
    local_day,
)
from records.last_seen import timeliness_after
from records.patterns import Concern, considered, unconsidered_pattern
from records.schedule import looked_after_from, next_visit_due
from records.thresholds import FlagThresholds
from records.visit import ENGLAND
from records.wording import counted, hours_taken

__all__ = [
    "SOURCES",
    "Flag",
    "FlagCode",
    "FlagRules",
    "Severity",
    "VisitOnRecord",
    "child_flags",
    "device_not_synced",
    "flags_left_by",
    "flags_of_fold",
    "unsynced_hours",
]


def child_flags(
    child: Child,
    history: Iterable[VisitOnRecord],
    *,
    now: datetime,
    rules: FlagRules,
    device_last_contact: datetime | None = None,
    notes: Sequence[CaseNote] = (),
    start: ChildFold | None = None,
) -> list[Flag]:
    """Every flag for one child, most serious first (`Flag.sort_key`).

    `history` is the child's submitted visits in any order; visits without this child are
    ignored. `now` must be aware; "today" is its date in England. `device_last_contact` is
    when central last heard from the worker's laptop, if known. `notes` are the facts
    recorded between visits (agency notifications, supervision, concerns considered);
    notes about other children are ignored. The same as folding the history into an empty
    state (`records.flag_fold`) and reading its flags: there is one definition. `start`
    is the state to fold into (in place) instead of an empty one: a laptop's, from the
    sighting it kept when its purge took the visit (`records.flag_fold.seen_before`).
    """
    state = fold_visits(start or ChildFold(), child, list(history), local_day(now), rules)
    return flags_of_fold(state, child, now=now, rules=rules,
                         device_last_contact=device_last_contact, notes=notes)


# complexity: the list of rules for one child, called in order; each line is one rule
def flags_of_fold(
    state: ChildFold,
    child: Child,
    *,
    now: datetime,
    rules: FlagRules,
    device_last_contact: datetime | None = None,
    notes: Sequence[CaseNote] = (),
) -> list[Flag]:
    """Every flag for one child from their state (`records.flag_fold.fold_visits`), most
    serious first; see `child_flags`."""
    today = local_day(now)
    thresholds = rules.thresholds
    found: list[Flag] = []
    # The one rule (records.last_seen): only a visit where the child was seen resets it.
    due = next_visit_due(child, state.last_seen.day if state.last_seen else None,
                         rules.standards, rules.calendar)
    found += _overdue(child, state, today, rules, due)
    found += _not_seen(child, state, today, thresholds, due)
    mine = [n for n in notes if child.id in n.child_ids]
    found += _seen_streaks(child, state, mine, thresholds)
    found += _repeat_injuries(child, state.injured, mine, thresholds)
    found += between_visits(child, state.food, state.followed,
                            state.last_seen.day if state.last_seen else None, mine, today,
                            rules,
                            last_seen_visit=state.last_seen.visit_id if state.last_seen
                            else None,
                            last_seen_entered=state.last_seen.entered if state.last_seen
                            else None)
    seen_days = sorted(state.seen_days)
    for visit in sorted(state.open.values(), key=lambda o: o.key):
        found += _time_per_visit(child, visit, today, rules)
        if visit.decided:
            continue
        found += visit.fixed
        if visit.seen_on is not None:
            found += seen_late(child, visit.visit_id, visit.day,
                               timeliness_after(child, seen_days, visit.seen_on, rules.standards,
                                                rules.calendar, visit.plan))
        if visit.grades is not None:
            earlier = [g for _, day, g in state.graded if day < visit.day]
            found += neglect_grades(child, visit.visit_id, visit.day, visit.grades, earlier,
                                    thresholds)
    found = _late_when_a_streak_turned_red(found, state, thresholds)
    if device_last_contact is not None:
        found += device_not_synced(child, device_last_contact, now, thresholds)
    return sorted(found, key=_total_order)


_RED_FROM = {
    FlagCode.NOT_SEEN_ALONE: "not_seen_alone_red_streak",
    FlagCode.NOT_SPOKEN_TO_ALONE: "not_seen_alone_red_streak",
    FlagCode.VOICE_MISSING: "voice_missing_red_streak",
    FlagCode.CHILD_NOT_SEEN: "not_seen_red_streak",
    FlagCode.BEDROOM_NOT_SEEN: "bedroom_not_seen_streak",
}
"""Streaks that turn red at a count of visits, and the threshold that counts them."""


def _red_from(code: FlagCode, thresholds: FlagThresholds) -> int | None:
    """The count of visits at which this flag turns red, for a flag red by count: its
    visits from that one on raised it."""
    if code is FlagCode.NOT_SEEN_ALONE_PATTERN:  # `_not_alone_pattern`'s count
        return max(2, thresholds.not_seen_alone_red_streak)
    name = _RED_FROM.get(code)
    return None if name is None else int(getattr(thresholds, name))


def _late_when_a_streak_turned_red(found: list[Flag], state: ChildFold,
                                   thresholds: FlagThresholds) -> list[Flag]:
    """A visit that raises a red flag is late at the critical hours (`late_if_red`), and a
    visit that makes a streak red raises one, as its own red flags do: the second visit
    running without seeing the child alone is as urgent to record as an injury. The visits
    from the count that turned the streak red on (a streak's ids are oldest first) raised
    it; the ones before did not, at the time. So it is for the pattern of visits not seeing
    the child alone (`_not_alone_pattern`). A visit that did not see a child unseen for
    longer than `not_seen_red_days` raised "not seen" red by time, as `_not_seen` says it."""
    raised = {visit_id for f in found if f.severity is Severity.RED
              and (count := _red_from(f.code, thresholds)) is not None
              for visit_id in f.visit_ids[count - 1:]}
    # "Not seen" is also red by time: a visit that did not see a child already unseen for
    # longer than the threshold (or never seen) raised it, whatever the count.
    last_seen = state.last_seen.day if state.last_seen else None
    raised |= {m.visit_id for m in state.unseen
               if last_seen is None or (m.day - last_seen).days > thresholds.not_seen_red_days}
    late = {o.visit_id: o.late_if_red for o in state.open.values()
            if not o.decided and o.late_if_red is not None and o.visit_id in raised}
    if not late:
        return found
    return [f for f in found if not (f.code is FlagCode.LATE_RECORDING
                                     and f.visit_ids and f.visit_ids[0] in late)
            ] + list(late.values())


def _total_order(f: Flag) -> tuple[object, ...]:
    # Flags of equal rank read in one order however the visits arrived.
    return (*f.sort_key, f.code.value, f.reason, f.visit_ids, f.for_worker)


def flags_left_by(visit_id: UUID, flags: Iterable[Flag]) -> list[Flag]:
    """The flags a visit takes part in: what submitting it would show the team lead."""
    return [f for f in flags if visit_id in f.visit_ids]


# --- state flags --------------------------------------------------------------------


# complexity: the overdue rule as stated: no start date, never visited, late, nearly late
def _overdue(child: Child, state: ChildFold, today: date, rules: FlagRules,
             due: date | None) -> list[Flag]:
    """`due`: the next visit's day, counted from the last sighting (`next_visit_due`)."""
    last = state.last_seen
    last_day = last.day if last else None
    start = _clock_start(child, last_day)
    if due is None or start is None:
        # Never seen (no-access visits do not count) and nothing to count from: a data
        # problem to put right, never a silent "not overdue".
        return [_no_start_date(child, today, state.any_home)] if last is None else []
    working = child.plan_type is not PlanType.LOOKED_AFTER
    unit = "working day" if working else "day"

    def span(a: date, b: date) -> int:
        return rules.calendar.working_days_between(a, b) if working else max((b - a).days, 0)

    length, elapsed = span(start, due), span(start, today)
    never = "not seen at any visit yet" if state.any_home else "no visit yet"
    since_what = (f"last seen {_day(last_day)}" if last_day
                  else f"{never}, counted from {_day(start)}{_no_placement_date(child)}")
    ids = (last.visit_id,) if last else ()
    if today > due:
        late = (today - due).days
        return [flag(FlagCode.VISIT_OVERDUE, Severity.RED, child, ids, start,
                     f"{child.given_name}'s visit was due by {_day(due)} and is "
                     f"{counted(late, 'day')} overdue ({since_what}).")]
    if length > 0 and elapsed * 100 >= length * rules.thresholds.overdue_amber_percent:
        return [flag(FlagCode.VISIT_OVERDUE, Severity.AMBER, child, ids, start,
                     f"{child.given_name}'s visit is due by {_day(due)}: {elapsed} of {length} "
                     f"{unit}s have passed ({since_what}).")]
    return []


def _no_placement_date(child: Child) -> str:
    """Said where a looked-after child's clock runs from the plan's start instead."""
    if child.plan_type is PlanType.LOOKED_AFTER and child.placement_start_date is None:
        return ", the plan's start: no placement start date is recorded"
    return ""


def _no_start_date(child: Child, today: date, tried: bool = False) -> Flag:
    """Never seen, and nothing says since when they should have been: a data problem.
    `tried`: there were visits, but the child was seen at none of them."""
    what = ("placement or plan start date" if child.plan_type is PlanType.LOOKED_AFTER
            else "plan start date")
    red = child.plan_type is PlanType.CHILD_PROTECTION
    record = ("has not been seen at any visit on record" if tried
              else "has no visit on record")
    return flag(FlagCode.NO_START_DATE, Severity.RED if red else Severity.AMBER, child, (),
                today,
                f"{child.given_name} {record} and no {what}, so nobody can "
                f"tell when {child.given_name} must be seen: record the {what}.")


def _clock_start(child: Child, last_seen: date | None) -> date | None:
    if child.plan_type is not PlanType.LOOKED_AFTER:
        return last_seen or child.plan_start_date
    placed = looked_after_from(child)
    if placed is not None and (last_seen is None or last_seen < placed):
        return placed
    return last_seen


# complexity: the not-seen rule and its streak, worded for team lead and worker
def _not_seen(child: Child, state: ChildFold, today: date, thresholds: FlagThresholds,
              due: date | None) -> list[Flag]:
    streak = state.unseen  # every home visit since the last one where the child was seen
    if not streak:
        return _unseen_for_weeks(child, state, today, thresholds, due)
    last_seen = state.last_seen.day if state.last_seen else None
    long_unseen = last_seen is None or (today - last_seen).days > thresholds.not_seen_red_days
    red = long_unseen or len(streak) >= thresholds.not_seen_red_streak
    dates = [f"{_day(v.day)} ("
             f"{'no access' if v.no_access else 'not seen'})"
             for v in streak]
    reason, worker = _streak_sentences(f"{child.given_name} was not seen", dates)
    if last_seen is None:
        reason += " Not seen at any visit on record."
    elif long_unseen:
        reason += f" Last seen {_day(last_seen)}, {counted((today - last_seen).days, 'day')} ago."
    return [flag(FlagCode.CHILD_NOT_SEEN, Severity.RED if red else Severity.AMBER, child,
                 _ids(streak), streak[0].day, reason, worker)]


def _unseen_for_weeks(child: Child, state: ChildFold, today: date,
                      thresholds: FlagThresholds, due: date | None) -> list[Flag]:
    """Red once a child has gone unseen by their social worker for longer than
    `not_seen_red_days` (4 weeks), counted from the last visit that saw them or, never seen,
    from the plan's start, with no visit since to say so (domain.md: "not seen by SW 4 wk
    -> escalate"; a visit since that did not see them is `_not_seen`'s streak), and past
    the due date: a child in need within a standard longer than 4 weeks (20 working days
    over Christmas, a council's 6 weeks) is not yet late. Not for a looked-after child: a
    settled placement is visited 3-monthly, and the visiting standard (`_overdue`) governs
    it, as it does for the any-agency rule (`records.between_visits`). With no plan start
    and no visit, `NO_START_DATE` says that nothing can be counted."""
    if child.plan_type is PlanType.LOOKED_AFTER:
        return []
    last_seen = state.last_seen.day if state.last_seen else None
    start = _clock_start(child, last_seen)
    if start is None:
        return []
    days = (today - start).days
    if days <= thresholds.not_seen_red_days or (due is not None and today <= due):
        return []
    since = (f"last seen {_day(last_seen)}" if last_seen
             else f"not seen at any visit since the plan began on {_day(start)}")
    return [flag(FlagCode.CHILD_NOT_SEEN, Severity.RED, child, (), start,
                 f"{child.given_name} has not been seen by their social worker for "
                 f"{counted(days, 'day')} ({since}).")]


def _seen_streaks(child: Child, state: ChildFold, notes: Sequence[CaseNote],
                  thresholds: FlagThresholds) -> list[Flag]:
    name = child.given_name
    protection = child.plan_type is PlanType.CHILD_PROTECTION
    found: list[Flag] = []
    alone = state.runs["alone"].marks
    if alone:
        # Every plan: a child not seen alone visit after visit is the pattern the joined-up
        # rule escalates (domain.md); Daniel Pelka was never on a child protection plan.
        red = len(alone) >= thresholds.not_seen_alone_red_streak
        found.append(_streak_flag(FlagCode.NOT_SEEN_ALONE, red, child, alone,
                                  f"{name} was not seen alone"))
    found += _not_alone_pattern(child, state, notes, thresholds)
    bedroom = state.runs["bedroom"].marks
    if len(bedroom) >= thresholds.bedroom_not_seen_streak:
        found.append(_streak_flag(FlagCode.BEDROOM_NOT_SEEN, protection, child, bedroom,
                                  f"Where {name} sleeps was not seen"))
    if child.plan_type is PlanType.LOOKED_AFTER:
        private = state.runs["private"].marks
        if private:
            red = len(private) >= thresholds.not_seen_alone_red_streak
            found.append(_streak_flag(FlagCode.NOT_SPOKEN_TO_ALONE, red, child, private,
                                      f"{name}, who is looked after, was not spoken to alone"))
    voice = state.runs["voice"].marks
    if voice:
        red = len(voice) >= thresholds.voice_missing_red_streak
        found.append(_streak_flag(FlagCode.VOICE_MISSING, red, child, voice,
                                  f"{name}'s own words were not recorded"))
    return found


PATTERN_CODES = (FlagCode.REPEAT_INJURIES, FlagCode.REPEATED_FOOD_CONCERN,
                 FlagCode.NOT_SEEN_ALONE_PATTERN)
"""The flags a team lead's `ConcernConsidered` settles: patterns of concerns
(`records.patterns`), each found among `pattern_concerns`."""


def pattern_concerns(code: FlagCode, state: ChildFold,
                     notes: Sequence[CaseNote]) -> list[Concern]:
    """Every concern on record that a pattern of this kind is found among: what the flag
    reads, and what a team lead's decision on it names (`ConcernConsidered.covered`)."""
    if code is FlagCode.REPEAT_INJURIES:
        return _injury_concerns(state.injured, notes)
    if code is FlagCode.REPEATED_FOOD_CONCERN:
        return food_concerns(state.food, notes)
    if code is FlagCode.NOT_SEEN_ALONE_PATTERN:
        return [Concern(m.day, m.entered, _day(m.day), m.visit_id) for m in state.not_alone]
    return []


def _injury_concerns(injured: list[Mark], notes: Sequence[CaseNote]) -> list[Concern]:
    """Injuries seen at visits, and reported by another agency (`about_injury`); a report
    about several children may name an injury on one of them: it says so."""
    return ([Concern(m.day, m.entered, _day(m.day), m.visit_id) for m in injured]
            + [Concern(n.received_on, n.entered_at,
                       f"{n.source} on {_day(n.received_on)}"
                       + (" (a report about more than one child)" if len(n.child_ids) > 1
                          else ""), note_id=n.id)
               for n in notes if isinstance(n, AgencyNotification) and n.about_injury])


def _not_alone_pattern(child: Child, state: ChildFold, notes: Sequence[CaseNote],
                       thresholds: FlagThresholds) -> list[Flag]:
    """Red while visits that did not see the child alone, within the window of each other,
    make a pattern no team lead has recorded as considered (`records.patterns`): a visit that
    sees the child alone does not settle it (domain.md, "Joined up"). Not raised while the
    pattern is only the visits running now: the streak's own flag says that."""
    window = thresholds.not_seen_alone_window_days
    pattern = unconsidered_pattern(
        pattern_concerns(FlagCode.NOT_SEEN_ALONE_PATTERN, state, notes),
        considered(notes, FlagCode.NOT_SEEN_ALONE_PATTERN),
        count=max(2, thresholds.not_seen_alone_red_streak), window_days=window)
    running = {m.visit_id for m in state.runs["alone"].marks}
    if not pattern or {c.visit_id for c in pattern} <= running:
        return []
    name, seen = child.given_name, _listed([c.what for c in pattern])
    reason = (f"{name} was not seen alone at {counted(len(pattern), 'visit')}, each within "
              f"{counted(window, 'day')} of another: {seen}")
    if not running:
        reason += f"; {name} has been seen alone since, which does not settle it"
    return [flag(FlagCode.NOT_SEEN_ALONE_PATTERN, Severity.RED, child,
                 tuple(c.visit_id for c in pattern if c.visit_id is not None), pattern[0].day,
                 reason + "; a team lead has not recorded that they were considered together.",
                 f"{name} was not seen alone at {counted(len(pattern), 'visit')} close "
                 f"together ({seen}): see {name} alone at every visit.")]


def _repeat_injuries(child: Child, injured: list[Mark], notes: Sequence[CaseNote],
                     thresholds: FlagThresholds) -> list[Flag]:
    """Red while injuries within the window of each other — seen at visits, or reported by
    another agency (`AgencyNotification.about_injury`) — make a pattern no team lead has
    recorded as considered (`records.patterns`): explained one at a time, they are the
    pattern the Daniel Pelka review found nobody joined up."""
    window = thresholds.repeat_injury_window_days
    hurt = unconsidered_pattern(
        _injury_concerns(injured, notes), considered(notes, FlagCode.REPEAT_INJURIES),
        count=thresholds.repeat_injury_count, window_days=window)
    if not hurt:
        return []
    visit_ids = tuple(c.visit_id for c in hurt if c.visit_id is not None)
    only_visits = len(visit_ids) == len(hurt)
    how_often = counted(len(hurt), "visit") if only_visits else counted(len(hurt), "time")
    how_often = f"at {how_often}" if only_visits else how_often
    seen = [c.what if only_visits or c.visit_id is None else f"visit on {c.what}"
            for c in hurt]
    return [flag(FlagCode.REPEAT_INJURIES, Severity.RED, child, visit_ids, hurt[0].day,
                 f"{child.given_name} had injuries recorded {how_often}, "
                 f"each within {counted(window, 'day')} of another: "
                 f"{_listed(seen)}; a team lead has not recorded that they "
                 "were considered together.",
                 f"Injuries have now been recorded on {child.given_name} {how_often}, "
                 f"each within {counted(window, 'day')} of another: {_listed(seen)}.")]


def _time_per_visit(child: Child, record: OpenVisit, today: date,
                    rules: FlagRules) -> list[Flag]:
    found: list[Flag] = []
    when = _day(record.day)
    submitted = local_day(record.submitted_at)
    limit = rules.thresholds.sign_off_working_days
    # Working days never outnumber calendar days: skip the count when it cannot matter.
    pending = not record.decided and (today - submitted).days > limit
    waited = rules.calendar.working_days_between(submitted, today) if pending else 0
    if waited > limit:
        found.append(flag(FlagCode.SIGN_OFF_PENDING, Severity.AMBER, child,
                          (record.visit_id,), submitted,
                          f"The visit on {when} has waited {counted(waited, 'working day')} "
                          f"for sign-off (submitted {_day(submitted)})."))
    if record.returned_on is not None:
        returned = record.returned_on
        found.append(flag(FlagCode.RETURNED_UNANSWERED, Severity.AMBER, child,
                          (record.visit_id,), returned,
                          f"The visit on {when} was returned on {_day(returned)} and has "
                          "not been answered with an addendum."))
    return found


def device_not_synced(child: Child, last_contact: datetime, now: datetime,
                      thresholds: FlagThresholds) -> list[Flag]:
    """Amber once the worker's laptop has not reached central for more than the threshold.

    It moves with the clock alone, so the review screens work it out when they are read
    (from the contact time central last sent) rather than storing it with the other flags.
    """
    hours = unsynced_hours(last_contact, now, thresholds)
    if hours is None:
        return []
    local = last_contact.astimezone(ENGLAND)
    return [flag(FlagCode.DEVICE_NOT_SYNCED, Severity.AMBER, child, (), local.date(),
                 f"The worker's laptop has not synced for {hours_taken(hours)} (last contact "
                 f"{_day(local.date())} at {local:%H:%M}); newer visits may not be here.")]


def unsynced_hours(last_contact: datetime, now: datetime,
                   thresholds: FlagThresholds) -> int | None:
    """Whole hours since a laptop's last contact with central, once over the threshold."""
    if now - last_contact <= timedelta(hours=thresholds.device_unsynced_hours):
        return None
    return int((now - last_contact).total_seconds() // 3600)


# --- sentences and helpers ----------------------------------------------------------


def _streak_flag(code: FlagCode, red: bool, child: Child, streak: list[Mark],
                 what: str) -> Flag:
    reason, worker = _streak_sentences(what, [_day(v.day) for v in streak])
    return flag(code, Severity.RED if red else Severity.AMBER, child, _ids(streak),
                streak[0].day, reason, worker)


def _streak_sentences(what: str, dates: Sequence[str]) -> tuple[str, str]:
    """The team lead's sentence (dates) and the worker's ("at the last visit either")."""
    if len(dates) == 1:
        return f"{what} at the visit on {dates[0]}.", f"{what} at this visit."
    before = "the last visit" if len(dates) == 2 else f"the last {len(dates) - 1} visits"
    return (f"{what} at {len(dates)} visits running: {_listed(dates)}.",
            f"{what} at {before} either.")


def _ids(visits: list[Mark]) -> tuple[UUID, ...]:
    return tuple(v.visit_id for v in visits)


_listed = listed
_day = day_text
