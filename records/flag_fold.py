"""A child's flag state: what the flags need from the child's visits, folded one visit at a
time, so a new visit costs itself, not the child's whole history.

`ChildFold` is small: the last visit where the child was seen, the run of visits since then
where they were not, the current run of each streak (not seen alone, bedroom, not spoken to
alone, voice missing) with the visit that broke it before, every injury, food concern and
visit not seeing the child alone (a pattern of them stays until considered,
`records.patterns`), the days the child was seen
(one date and a count each), the grades of graded visits, the agency notes a visit followed
up, and each visit still open to a team lead (not signed off or escalated, or returned
unanswered) with the flags that visit raised on its own
(`records.event_flags.fixed_event_flags`). Every part is ordered by the visit's
`order_key`, so folding the same visits in any order, in any pages, gives the same state,
and a late-synced older visit lands where it belongs. `records.flags.flags_of_fold` turns a
state into flags for a day; `records.flags.child_flags` is the same fold from an empty
state over the whole history, so there is one definition of every rule.

What a state does not absorb (it rebuilds from the history instead): a review decision or an
addendum on a visit already folded, a change to the child's record, other `FlagRules`
(`rules_identity`), and the same visit folded twice.
"""

from __future__ import annotations

import json
from bisect import insort
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from records.case import Child, PlanType
from records.corrections import ReviewOutcome
from records.event_flags import Seen, fixed_event_flags, gcp2_grades, late_if_red
from records.flag_types import Flag, FlagCode, FlagRules, Severity, VisitOnRecord, local_day
from records.last_seen import LastSeen
from records.visit import CommunicationMethod, FoodConcern, VisitOutcome, VisitType

OrderKey = tuple[int, int, int, str]
"""(day, started (or submitted), submitted, visit id): the order a child's visits are read
in, oldest first; the id breaks ties, so the order never depends on how visits arrived."""

Grades = tuple[int | None, ...]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FOOD = {FoodConcern.POSSIBLE, FoodConcern.CLEAR}
RUNS = ("alone", "bedroom", "private", "voice")
"""The streaks among visits where the child was seen: not seen alone, bedroom not seen, not
spoken to alone (flagged for a looked-after child), own words not recorded."""


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def order_key(record: VisitOnRecord, day: date | None = None) -> OrderKey:
    """`day` is `record.day` when the caller has it."""
    visit = record.visit
    return ((day or record.day).toordinal(),
            _micros(visit.started_at or record.submitted_at), _micros(record.submitted_at),
            str(visit.id))


@dataclass(frozen=True, slots=True)
class Mark:
    """One visit of this child, as the streaks and windows name it."""

    key: OrderKey
    visit_id: UUID
    day: date
    no_access: bool = False
    dated: bool = True
    """The visit has its own date (`Visit.visit_date`), as timeliness and the dashboard need."""

    @property
    def entered(self) -> datetime:
        """When the visit was submitted (`VisitOnRecord.submitted_at`, from its order key)."""
        return _EPOCH + timedelta(microseconds=self.key[2])


@dataclass
class Run:
    """A streak among the visits where the child was seen: the last visit that broke it, and
    the visits after that one (all of which continue it), oldest first."""

    broken_at: OrderKey | None = None
    marks: list[Mark] = field(default_factory=list)

    def add(self, mark: Mark, continues: bool) -> None:
        if self.broken_at is not None and mark.key <= self.broken_at:
            return  # older than the visit that broke the run: the run does not see it
        if continues:
            insort(self.marks, mark, key=lambda m: m.key)
        else:
            self.broken_at = mark.key
            self.marks = [m for m in self.marks if m.key > mark.key]


@dataclass(frozen=True)
class OpenVisit:
    """A visit a team lead has not decided on (or returned unanswered): what its own flags,
    its sign-off and its timeliness need."""

    key: OrderKey
    visit_id: UUID
    day: date
    submitted_at: datetime
    decided: bool
    returned_on: date | None
    seen_on: date | None
    """Its date when the child was seen at it: its timeliness is looked up by it."""
    grades: Grades | None
    fixed: tuple[Flag, ...]
    """`fixed_event_flags`, while it is not decided."""
    late_if_red: Flag | None = None
    """`records.event_flags.late_if_red`, when its own flags are not red already: a visit
    that makes a streak red (not seen alone twice, say) is late at the critical hours too."""
    plan: PlanType | None = None
    """The plan the visit was recorded under (the child's page on it): its timeliness is
    judged by it (`records.last_seen.as_it_was`)."""


@dataclass
class ChildFold:
    """See the module's docstring. Build one with `fold_visits(ChildFold(), ...)`."""

    rules: str = ""
    """`rules_identity` of the rules it was folded with."""
    any_home: bool = False
    last_seen: Mark | None = None
    unseen: list[Mark] = field(default_factory=list)
    runs: dict[str, Run] = field(default_factory=lambda: {name: Run() for name in RUNS})
    injured: list[Mark] = field(default_factory=list)
    food: list[Mark] = field(default_factory=list)
    not_alone: list[Mark] = field(default_factory=list)
    """Every visit that saw the child but not alone: a pattern of them stays until a team
    lead has considered it, even after a visit that saw the child alone (`records.flags`)."""
    followed: dict[UUID, date] = field(default_factory=dict)
    seen_days: dict[date, dict[PlanType, int]] = field(default_factory=dict)
    """The days the child was seen at dated visits, with how many of each day's visits were
    recorded under each plan: each visit's timeliness is judged by its own
    (`records.last_seen.as_it_was`)."""
    sighting: tuple[tuple[int, int, str], UUID, bool | None] | None = None
    """`records.last_seen.last_seen`'s pick (day, start, id), and seen alone then."""
    alone_day: date | None = None
    graded: list[tuple[OrderKey, date, Grades]] = field(default_factory=list)
    last_injury_day: date | None = None
    open: dict[UUID, OpenVisit] = field(default_factory=dict)


_IDENTITIES: dict[int, tuple[FlagRules, str]] = {}
"""`rules_identity` of the few rules objects in use (kept, so an id is never reused)."""


def rules_identity(rules: FlagRules) -> str:
    """`FlagRules.edition`, worked out once for each of the few rules objects in use: a state
    folded under another edition (other rules, thresholds or bank holidays) is refolded."""
    known = _IDENTITIES.get(id(rules))
    if known is not None and known[0] is rules:
        return known[1]
    if len(_IDENTITIES) > 8:
        _IDENTITIES.clear()
    found = rules.edition()
    _IDENTITIES[id(rules)] = (rules, found)
    return found


def seen_before(child: Child, seen: LastSeen) -> ChildFold:
    """A state to fold a child's visits into that starts from a sighting the laptop kept when
    the visit that says so left it (`storage.sightings`): their last sighting, its day among
    the days seen (under their plan now) and the last day seen alone; nothing else of that
    visit. An empty state when there is no such sighting."""
    state = ChildFold()
    if seen.day is None or seen.visit_id is None:
        return state
    moment = _micros(datetime.combine(seen.day, time(), UTC))  # the day's start
    state.any_home = True
    state.last_seen = Mark((seen.day.toordinal(), moment, moment, str(seen.visit_id)),
                           seen.visit_id, seen.day)
    state.seen_days[seen.day] = {child.plan_type: 1}
    state.sighting = ((seen.day.toordinal(), moment, str(seen.visit_id)), seen.visit_id,
                      seen.seen_alone)
    state.alone_day = seen.alone_day
    return state


# complexity: one visit's facts, each into its own part of the state
def fold_visits(state: ChildFold, child: Child, records: list[VisitOnRecord], today: date,
                rules: FlagRules) -> ChildFold:
    """Add these visits to `state` (in place; returned too). Visits not naming the child are
    ignored; any order (they are folded oldest first, so a streak broken again and again
    is cut once per visit, not scanned). Each visit must be folded once."""
    state.rules = state.rules or rules_identity(rules)
    thresholds = rules.thresholds  # read once: folded visits are many
    arrived = []
    for record in records:
        observation = record.visit.observation_for(child.id)
        if observation is not None:
            visited = record.visit.visit_date  # worked out once: it converts to England's time
            day = visited or local_day(record.submitted_at)
            arrived.append((order_key(record, day), visited, day, record, observation))
    arrived.sort(key=lambda a: a[0])
    for key, visited, day, record, observation in arrived:
        visit = record.visit
        this = Seen(record, observation, day)
        dated = visited is not None
        mark = Mark(key, visit.id, day, visit.outcome is VisitOutcome.NO_ACCESS, dated)
        home = visit.visit_type is not VisitType.CORE_GROUP
        seen = this.seen
        state.any_home |= home
        if seen:
            _fold_seen(state, child, this, mark, visited, thresholds.pre_verbal_under_months)
        elif home and (state.last_seen is None or key > state.last_seen.key):
            insort(state.unseen, mark, key=lambda m: m.key)
        # Every injury and food concern is kept: a pattern stays until a team lead has
        # considered it (records.patterns), however long ago it began.
        if observation.injuries:
            state.last_injury_day = max(day, state.last_injury_day or day)
            insort(state.injured, mark, key=lambda m: m.key)
        if observation.food_concern in _FOOD:
            insort(state.food, mark, key=lambda m: m.key)
        grades = gcp2_grades(visit)
        graded = any(g is not None for g in grades)
        if graded:
            insort(state.graded, (key, day, grades), key=lambda g: g[0])
        _fold_open(state, child, this, key, grades, graded,
                   visited if seen else None, rules)
    return state


def _fold_seen(state: ChildFold, child: Child, this: Seen, mark: Mark, day: date | None,
               talking_from_months: int) -> None:
    observation, visit = this.child, this.record.visit
    # Last seen counts dated visits only, as `records.last_seen.last_seen` does: a visit
    # with no date of its own (an incomplete record) must not stand in as a sighting.
    if day is not None and (state.last_seen is None or mark.key > state.last_seen.key):
        state.last_seen = mark
        state.unseen = [m for m in state.unseen if m.key > mark.key]
    # "Observed (pre-verbal)" excuses missing words only for a child young enough not to
    # talk yet: ticked for a nine-year-old, it would silence the flag visit after visit.
    pre_verbal = (CommunicationMethod.OBSERVATION_PRE_VERBAL in observation.communication_methods
                  and (months := child.age_in_months(this.day)) is not None
                  and months < talking_from_months)
    voiceless = not observation.child_words.strip() and not pre_verbal
    # A blank answer (an incomplete record central kept and flagged) says nothing either
    # way: it neither breaks a streak, as "seen alone" would, nor adds to it.
    for name, answer in (("alone", observation.seen_alone),
                         ("bedroom", observation.bedroom_seen),
                         ("private", observation.spoken_to_alone)):
        if answer is not None:
            state.runs[name].add(mark, answer is False)
    state.runs["voice"].add(mark, voiceless)
    if observation.seen_alone is False:
        insort(state.not_alone, mark, key=lambda m: m.key)
    if observation.seen_alone is True:
        for note in observation.notifications_followed_up:
            state.followed[note] = max(mark.day, state.followed.get(note, mark.day))
    if day is None:
        return
    plans = state.seen_days.setdefault(day, {})
    plans[observation.plan_type] = plans.get(observation.plan_type, 0) + 1
    started = _micros(visit.started_at) if visit.started_at else -1
    pick = (day.toordinal(), started, str(visit.id))
    if state.sighting is None or pick > state.sighting[0]:
        state.sighting = (pick, visit.id, observation.seen_alone)
    if observation.seen_alone is True:
        state.alone_day = max(day, state.alone_day or day)


def _fold_open(state: ChildFold, child: Child, this: Seen, key: OrderKey, grades: Grades,
               graded: bool, seen_on: date | None, rules: FlagRules) -> None:
    record = this.record
    returned_on = None
    if record.reviews:
        latest = max(record.reviews, key=lambda r: r.decided_at)
        answered = any(a.answers_review_id == latest.id for a in record.addenda)
        if latest.outcome is ReviewOutcome.RETURNED and not answered:
            returned_on = local_day(latest.decided_at)
    decided = record.decided
    if decided and returned_on is None:
        return
    fixed = () if decided else tuple(fixed_event_flags(child, this, rules, grades))
    late = None if decided or any(f.code is FlagCode.LATE_RECORDING
                                  and f.severity is Severity.RED for f in fixed) else (
        late_if_red(child, record, this.day, rules))
    state.open[record.visit.id] = OpenVisit(key, record.visit.id, this.day,
                                            record.submitted_at, decided, returned_on, seen_on,
                                            grades if graded else None, fixed, late,
                                            this.child.plan_type)


# --- stored as JSON ---------------------------------------------------------------------


def _seen_days_of(rows: list[list[Any]]) -> dict[date, dict[PlanType, int]]:
    """`ChildFold.seen_days` from its rows (day, plan, count). A state written before the
    plan was kept has (day, count) rows: its rules edition is older, so it is folded again;
    it is read, then set aside."""
    found: dict[date, dict[PlanType, int]] = {}
    for row in rows:
        if len(row) == 3:
            day, plan, count = row
            found.setdefault(date.fromordinal(day), {})[PlanType(plan)] = count
    return found


def _mark_json(m: Mark) -> list[Any]:
    return [list(m.key), m.day.toordinal(), int(m.no_access), int(m.dated)]


def _mark_of(row: list[Any]) -> Mark:
    key = tuple(row[0])
    return Mark((key[0], key[1], key[2], key[3]), UUID(key[3]), date.fromordinal(row[1]),
                bool(row[2]), bool(row[3]))


def _flag_json(f: Flag) -> list[Any]:
    return [f.code.value, f.severity.value, f.reason, f.since.toordinal(),
            [str(v) for v in f.visit_ids], f.for_worker, f.source]


def _flag_of(row: list[Any], child_id: UUID) -> Flag:
    return Flag(FlagCode(row[0]), Severity(row[1]), child_id, row[2], row[6],
                tuple(UUID(v) for v in row[4]), date.fromordinal(row[3]), row[5])


def _day_json(day: date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _day_of(value: int | None) -> date | None:
    return date.fromordinal(value) if value is not None else None


_LISTS = ("unseen", "injured", "food", "not_alone", "seen_days", "graded", "open")
"""The parts that grow with a child's visits: written a `_CHUNK` of items a line, so a
state of thousands of visits is never one long call of the JSON codec (which holds the
GIL throughout: a frozen window while the sync thread indexes)."""

_CHUNK = 200


def fold_to_json(state: ChildFold) -> str:
    """The state as text: a line of its small parts, then its long lists a chunk a line;
    the same state always gives the same text, whatever order its visits came in."""
    data = _as_json(state)
    lines = [json.dumps({k: v for k, v in data.items() if k not in _LISTS},
                        separators=(",", ":"))]
    for key in _LISTS:
        items = data[key]
        lines += [f"{key} {json.dumps(items[at:at + _CHUNK], separators=(',', ':'))}"
                  for at in range(0, len(items), _CHUNK)]
    return "\n".join(lines)


def _as_json(state: ChildFold) -> dict[str, Any]:
    return {
        "rules": state.rules, "home": int(state.any_home),
        "last_seen": _mark_json(state.last_seen) if state.last_seen else None,
        "unseen": [_mark_json(m) for m in state.unseen],
        "runs": {name: [list(run.broken_at) if run.broken_at else None,
                        [_mark_json(m) for m in run.marks]]
                 for name, run in state.runs.items()},
        "injured": [_mark_json(m) for m in state.injured],
        "food": [_mark_json(m) for m in state.food],
        "not_alone": [_mark_json(m) for m in state.not_alone],
        "followed": {str(k): v.toordinal() for k, v in sorted(state.followed.items())},
        "seen_days": [[d.toordinal(), p.value, n] for d, plans in sorted(state.seen_days.items())
                      for p, n in sorted(plans.items(), key=lambda pn: pn[0].value)],
        "sighting": ([list(state.sighting[0]), str(state.sighting[1]), state.sighting[2]]
                     if state.sighting else None),
        "alone_day": _day_json(state.alone_day),
        "graded": [[list(k), d.toordinal(), list(g)] for k, d, g in state.graded],
        "last_injury_day": _day_json(state.last_injury_day),
        "open": [[list(o.key), o.day.toordinal(), o.submitted_at.isoformat(), int(o.decided),
                  _day_json(o.returned_on), _day_json(o.seen_on),
                  list(o.grades) if o.grades is not None else None,
                  [_flag_json(f) for f in o.fixed],
                  _flag_json(o.late_if_red) if o.late_if_red else None,
                  o.plan.value if o.plan else None]
                 for o in sorted(state.open.values(), key=lambda o: o.key)],
    }


def _key_of(row: list[Any]) -> OrderKey:
    return (row[0], row[1], row[2], row[3])


def fold_from_json(text: str, child_id: UUID) -> ChildFold:
    """The state `fold_to_json` wrote."""
    first, *rest = text.split("\n")
    data: dict[str, Any] = {key: [] for key in _LISTS}
    data.update(json.loads(first))
    for line in rest:
        key, _, items = line.partition(" ")
        data[key] += json.loads(items)
    runs = {name: Run(_key_of(broken) if broken else None, [_mark_of(m) for m in marks])
            for name, (broken, marks) in data["runs"].items()}
    sighting = data["sighting"]
    opened = {}
    # A state written before `late_if_red` has eight fields a row, before `plan` nine (its
    # rules edition is older too, so it is folded again; it is read, then set aside).
    for key, day, submitted, decided, returned, seen_on, grades, fixed, *rest in data["open"]:
        visit_id = UUID(key[3])
        late, plan = [*rest, None, None][:2]
        opened[visit_id] = OpenVisit(
            _key_of(key), visit_id, date.fromordinal(day), datetime.fromisoformat(submitted),
            bool(decided), _day_of(returned), _day_of(seen_on),
            tuple(grades) if grades is not None else None,
            tuple(_flag_of(f, child_id) for f in fixed),
            _flag_of(late, child_id) if late else None,
            PlanType(plan) if plan else None)
    return ChildFold(
        rules=data["rules"], any_home=bool(data["home"]),
        last_seen=_mark_of(data["last_seen"]) if data["last_seen"] else None,
        unseen=[_mark_of(m) for m in data["unseen"]], runs=runs,
        injured=[_mark_of(m) for m in data["injured"]],
        food=[_mark_of(m) for m in data["food"]],
        not_alone=[_mark_of(m) for m in data["not_alone"]],
        followed={UUID(k): date.fromordinal(v) for k, v in data["followed"].items()},
        seen_days=_seen_days_of(data["seen_days"]),
        sighting=((sighting[0][0], sighting[0][1], sighting[0][2]), UUID(sighting[1]),
                  sighting[2]) if sighting else None,
        alone_day=_day_of(data["alone_day"]),
        graded=[(_key_of(k), date.fromordinal(d), tuple(g)) for k, d, g in data["graded"]],
        last_injury_day=_day_of(data["last_injury_day"]),
        open=opened)
