"""Team-lead alerts: what in one child's visit history a team lead must look at first.

How callers use it
------------------
`child_flags(child, history, now=..., rules=...)` is a pure function of one child's
submitted visits (with their addenda and review decisions), the child, the time and the
rules (visiting standards, `FlagThresholds`, the working calendar). It reads nothing and
stores nothing. Because it depends on one child only, flags are recomputed incrementally:

* when a visit, addendum or review decision arrives (by sync or on submit), re-run
  `child_flags` for just the children on that visit and replace their stored flags;
* once a day (or when a queue is opened), re-run it for every child, because some flags
  depend on the date alone: visit overdue, sign-off pending, device not synced;
* order a review queue by `queue_key(flags)`: red before amber, then the oldest first.
  The key is a small tuple, cheap to keep beside each child or visit in a list.

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

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from records.between_visits import between_visits
from records.case import Child, PlanType
from records.case_notes import CaseNote
from records.corrections import ReviewOutcome
from records.event_flags import Seen, event_flags, flag
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
from records.last_seen import Timeliness, timeliness_of_each
from records.schedule import looked_after_from, next_visit_due
from records.thresholds import FlagThresholds
from records.visit import (
    ENGLAND,
    CommunicationMethod,
    VisitOutcome,
    VisitType,
)
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
    "queue_key",
    "unsynced_hours",
]


# complexity: the list of rules for one child, called in order; each line is one rule
def child_flags(
    child: Child,
    history: Iterable[VisitOnRecord],
    *,
    now: datetime,
    rules: FlagRules,
    device_last_contact: datetime | None = None,
    notes: Sequence[CaseNote] = (),
    timeliness: Mapping[UUID, Timeliness] | None = None,
) -> list[Flag]:
    """Every flag for one child, most serious first (`Flag.sort_key`).

    `history` is the child's submitted visits in any order; visits without this child are
    ignored. `now` must be aware; "today" is its date in England. `device_last_contact` is
    when central last heard from the worker's laptop, if known. `notes` are the facts
    recorded between visits (agency notifications, supervision, concerns considered);
    notes about other children are ignored. `timeliness` is `timeliness_of_each` for this
    child and history when the caller has it already (the review index shares it with
    `child_state`); it is computed here otherwise.
    """
    today = local_day(now)
    visits = sorted(
        (Seen(r, obs, r.day) for r in history if (obs := r.visit.observation_for(child.id))),
        key=lambda v: (v.day, v.record.visit.started_at or v.record.submitted_at,
                       v.record.submitted_at),
    )
    home = [v for v in visits if v.record.visit.visit_type is not VisitType.CORE_GROUP]
    found: list[Flag] = []
    found += _overdue(child, home, today, rules)
    found += _not_seen(child, home, today, rules.thresholds)
    found += _seen_streaks(child, [v for v in home if v.seen], rules.thresholds)
    found += _repeat_injuries(child, visits, today, rules.thresholds)
    on_time = timeliness if timeliness is not None else timeliness_of_each(
        child, [v.record.visit for v in visits], rules.standards, rules.calendar)
    mine = [n for n in notes if child.id in n.child_ids]
    found += between_visits(child, [(v.record, v.child) for v in visits], mine, today, rules)
    for position, visit in enumerate(visits):
        found += _time_per_visit(child, visit.record, today, rules)
        if not visit.record.decided:
            found += event_flags(child, visit, visits[:position], rules,
                             on_time.get(visit.record.visit.id))
    if device_last_contact is not None:
        found += device_not_synced(child, device_last_contact, now, rules.thresholds)
    return sorted(found, key=lambda f: f.sort_key)


def flags_left_by(visit_id: UUID, flags: Iterable[Flag]) -> list[Flag]:
    """The flags a visit takes part in: what submitting it would show the team lead."""
    return [f for f in flags if visit_id in f.visit_ids]


def queue_key(flags: Iterable[Flag]) -> tuple[int, date]:
    """Sort key for a review queue: red before amber before none, then the oldest first."""
    keys = [(f.severity.rank, f.since) for f in flags]
    return min(keys) if keys else (2, date.max)


# --- state flags --------------------------------------------------------------------


# complexity: the overdue rule as stated: no start date, never visited, late, nearly late
def _overdue(child: Child, home: list[Seen], today: date, rules: FlagRules) -> list[Flag]:
    # The one rule (records.last_seen): only a visit where the child was seen resets it.
    seen = [v for v in home if v.seen]
    last = seen[-1] if seen else None
    last_day = last.day if last else None
    due = next_visit_due(child, last_day, rules.standards, rules.calendar)
    start = _clock_start(child, last_day)
    if due is None or start is None:
        if last is None and not home:
            return [_no_start_date(child, today)]
        return []
    working = child.plan_type is not PlanType.LOOKED_AFTER
    unit = "working day" if working else "day"

    def span(a: date, b: date) -> int:
        return rules.calendar.working_days_between(a, b) if working else max((b - a).days, 0)

    length, elapsed = span(start, due), span(start, today)
    since_what = (f"last seen {_day(last_day)}" if last_day
                  else f"no visit yet, counted from {_day(start)}{_no_placement_date(child)}")
    ids = (last.record.visit.id,) if last else ()
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


def _no_start_date(child: Child, today: date) -> Flag:
    """Never visited, and nothing says since when they should have been: a data problem."""
    what = ("placement or plan start date" if child.plan_type is PlanType.LOOKED_AFTER
            else "plan start date")
    red = child.plan_type is PlanType.CHILD_PROTECTION
    return flag(FlagCode.NO_START_DATE, Severity.RED if red else Severity.AMBER, child, (),
                today,
                f"{child.given_name} has no visit on record and no {what}, so nobody can "
                f"tell when {child.given_name} must be seen: record the {what}.")


def _clock_start(child: Child, last_seen: date | None) -> date | None:
    if child.plan_type is not PlanType.LOOKED_AFTER:
        return last_seen or child.plan_start_date
    placed = looked_after_from(child)
    if placed is not None and (last_seen is None or last_seen < placed):
        return placed
    return last_seen


# complexity: the not-seen rule and its streak, worded for team lead and worker
def _not_seen(child: Child, home: list[Seen], today: date,
              thresholds: FlagThresholds) -> list[Flag]:
    streak = _trailing(home, lambda v: not v.seen)
    if not streak:
        return []
    ever_seen = [v for v in home if v.seen]
    last_seen = ever_seen[-1].day if ever_seen else None
    long_unseen = last_seen is None or (today - last_seen).days > thresholds.not_seen_red_days
    red = long_unseen or len(streak) >= thresholds.not_seen_red_streak
    dates = [f"{_day(v.day)} ("
             f"{'no access' if v.record.visit.outcome is VisitOutcome.NO_ACCESS else 'not seen'})"
             for v in streak]
    reason, worker = _streak_sentences(f"{child.given_name} was not seen", dates)
    if last_seen is None:
        reason += " Not seen at any visit on record."
    elif long_unseen:
        reason += f" Last seen {_day(last_seen)}, {counted((today - last_seen).days, 'day')} ago."
    return [flag(FlagCode.CHILD_NOT_SEEN, Severity.RED if red else Severity.AMBER, child,
                 _ids(streak), streak[0].day, reason, worker)]


def _seen_streaks(child: Child, seen: list[Seen], thresholds: FlagThresholds) -> list[Flag]:
    name = child.given_name
    protection = child.plan_type is PlanType.CHILD_PROTECTION
    found: list[Flag] = []
    alone = _trailing(seen, lambda v: v.child.seen_alone is False)
    if alone:
        # Every plan: a child not seen alone visit after visit is the pattern the joined-up
        # rule escalates (domain.md); Daniel Pelka was never on a child protection plan.
        red = len(alone) >= thresholds.not_seen_alone_red_streak
        found.append(_streak_flag(FlagCode.NOT_SEEN_ALONE, red, child, alone,
                                  f"{name} was not seen alone"))
    bedroom = _trailing(seen, lambda v: v.child.bedroom_seen is False)
    if len(bedroom) >= thresholds.bedroom_not_seen_streak:
        found.append(_streak_flag(FlagCode.BEDROOM_NOT_SEEN, protection, child, bedroom,
                                  f"Where {name} sleeps was not seen"))
    if child.plan_type is PlanType.LOOKED_AFTER:
        private = _trailing(seen, lambda v: v.child.spoken_to_alone is False)
        if private:
            red = len(private) >= thresholds.not_seen_alone_red_streak
            found.append(_streak_flag(FlagCode.NOT_SPOKEN_TO_ALONE, red, child, private,
                                      f"{name}, who is looked after, was not spoken to alone"))
    voice = _trailing(seen, _voice_missing)
    if voice:
        red = len(voice) >= thresholds.voice_missing_red_streak
        found.append(_streak_flag(FlagCode.VOICE_MISSING, red, child, voice,
                                  f"{name}'s own words were not recorded"))
    return found


def _voice_missing(visit: Seen) -> bool:
    words = visit.child
    return (not words.child_words.strip()
            and CommunicationMethod.OBSERVATION_PRE_VERBAL not in words.communication_methods)


def _repeat_injuries(child: Child, visits: list[Seen], today: date,
                     thresholds: FlagThresholds) -> list[Flag]:
    window = thresholds.repeat_injury_window_days
    hurt = [v for v in visits if v.child.injuries
            and today - timedelta(days=window) <= v.day <= today]
    if len(hurt) < thresholds.repeat_injury_count:
        return []
    return [flag(FlagCode.REPEAT_INJURIES, Severity.RED, child, _ids(hurt), hurt[0].day,
                 f"{child.given_name} had injuries recorded at {counted(len(hurt), 'visit')} in "
                 f"the last {counted(window, 'day')}: {_listed([_day(v.day) for v in hurt])}.")]


def _time_per_visit(child: Child, record: VisitOnRecord, today: date,
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
                          (record.visit.id,), submitted,
                          f"The visit on {when} has waited {counted(waited, 'working day')} "
                          f"for sign-off (submitted {_day(submitted)})."))
    if record.reviews:
        latest = max(record.reviews, key=lambda r: r.decided_at)
        answered = any(a.answers_review_id == latest.id for a in record.addenda)
        if latest.outcome is ReviewOutcome.RETURNED and not answered:
            returned = local_day(latest.decided_at)
            found.append(flag(FlagCode.RETURNED_UNANSWERED, Severity.AMBER, child,
                              (record.visit.id,), returned,
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


def _streak_flag(code: FlagCode, red: bool, child: Child, streak: list[Seen],
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


def _trailing(visits: list[Seen], matches: Callable[[Seen], bool]) -> list[Seen]:
    """The run of most recent visits for which `matches` holds, oldest first."""
    run: list[Seen] = []
    for visit in reversed(visits):
        if not matches(visit):
            break
        run.append(visit)
    return run[::-1]


def _ids(visits: list[Seen]) -> tuple[UUID, ...]:
    return tuple(v.record.visit.id for v in visits)


_listed = listed
_day = day_text
