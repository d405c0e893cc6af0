"""Realistic synthetic caseloads, written through the real repositories.

Every name, address and note here is invented. The mix is chosen so that each screen has
something to show: children seen alone and not (with reasons), injuries with explanations
from different people, no-access visits, addenda, and a few drafts left half-written.

Two ways in. `make_demo_data` makes the families on the laptop itself (`homevisit
demo-data`, screenshots, benchmarks: a vault no central knows). For `make run`, the families
are central's, as in production: `demo_caseload_csv` writes them as the council's CSV that
central imports (`homevisit-central case import`), the laptop pulls them like any caseload,
and `make_demo_visits` records the visits over what it pulled, so a team lead's laptop
receives the same children with every visit.
"""

from __future__ import annotations

import csv
import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from records.body_regions import random_spot
from records.case import Case, Child, PlanType
from records.visit import (
    AdultsAndRisk,
    BodyRegion,
    BodySide,
    BodyView,
    ChildObservation,
    CommunicationMethod,
    Consistency,
    ExplanationSource,
    FoodConcern,
    HomeConditions,
    InjuryColour,
    InjuryObservation,
    InjuryType,
    Interpreter,
    InterpreterKind,
    PersonPresent,
    Visit,
    VisitOutcome,
    VisitType,
)
from storage.workspace import Workspace

GIVEN_NAMES = ["Ana", "Tomasz", "Zofia", "Leo", "Amira", "Kacper", "Maya", "Jayden", "Isla",
               "Yusuf", "Freya", "Oskar", "Nia", "Reuben", "Hana", "Dylan", "Lena", "Kofi"]
FAMILY_NAMES = ["Nowak", "Hughes", "Okonkwo", "Patel", "Kowalska", "Reid", "Haddad", "Lewis",
                "Marsh", "Begum", "Doyle", "Mensah"]
STREETS = ["Elm Row", "Foleshill Road", "Stoney Stanton Road", "Cedar Court", "Mill Lane"]
LANGUAGES = ["English", "English", "English", "Polish", "Romanian", "Arabic", "Urdu"]
WORDS = [
    "I like it at nan's because there's always toast.",
    "Mum shouts when she's tired. I go in my room.",
    "I want to stay at my school with my friends.",
    "I'm not allowed in the kitchen.",
    "My brother did it when we were playing.",
    "I'm hungry at night sometimes.",
]
NOT_ALONE_REASONS = [
    "Mother said Ana was shy and stayed in the room throughout.",
    "Child asleep on arrival; father would not wake her.",
    "Child refused to leave mother's side.",
]
EXPLANATIONS = [
    (ExplanationSource.PARENT, "She fell off the sofa onto the toy box."),
    (ExplanationSource.SIBLING, "He did it himself on the climbing frame."),
    (ExplanationSource.CHILD, "I banged it on the door."),
    (ExplanationSource.NO_EXPLANATION_GIVEN, ""),
]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    children: int
    submitted: int
    drafts: int
    addenda: int


def make_demo_data(workspace: Workspace, *, children: int, visits: int, seed: int = 2012,
                   worker: str = "Jo Okafor", today: date | None = None,
                   now: datetime | None = None) -> DemoSummary:
    """Add `children` children in households and `visits` submitted visits among them.

    Nothing happens after `now` (the clock's time by default): the drafts are being
    written today, or yesterday if it is early in the morning."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    now = now or datetime.now(UTC)
    today = today or now.date()
    caseload = _caseload(rng, children, worker, today, history_days=LAPTOP_HISTORY_DAYS)
    for case, members in caseload:
        workspace.cases.save_case(case)
        for child in members:
            workspace.cases.save_child(child)
    submitted, drafts, addenda = _record_visits(workspace, rng, caseload, visits=visits,
                                                worker=worker, today=today,
                                                within_days=LAPTOP_HISTORY_DAYS,
                                                now=now)
    return DemoSummary(len(caseload), sum(len(m) for _, m in caseload), submitted, drafts,
                       addenda)


LAPTOP_HISTORY_DAYS = 180
"""How far back the visits of a laptop-only demo vault go (`homevisit demo-data`)."""

CENTRAL_HISTORY_DAYS = 85
"""How far back `make run`'s visits go: within the policy's default days on device (90),
so none leaves the laptop at its first sync."""

SubmittingAt = Callable[[datetime], None]
"""Sets the clock the workspace submits with: the demo's worker submitted each visit on
the evening of its day, as a worker keeping up would (not all of them today, months late)."""


def make_demo_visits(workspace: Workspace, *, visits: int, worker: str, seed: int = 2012,
                     today: date | None = None, within_days: int = CENTRAL_HISTORY_DAYS,
                     submitting_at: SubmittingAt | None = None,
                     now: datetime | None = None) -> DemoSummary:
    """`visits` submitted visits (and a few drafts) over the caseload the vault holds.

    The caseload is whatever central allocated and the laptop pulled. Visits fall in the
    last `within_days` days: within the policy's default days on device (90), so none
    leaves the laptop at its first sync. With `submitting_at`, each is submitted the
    evening of its day, in the order of the days.
    """
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    now = now or datetime.now(UTC)
    today = today or now.date()
    caseload = [(case, workspace.cases.children(case.id, on_caseload_only=True))
                for case in workspace.cases.cases()]
    submitted, drafts, addenda = _record_visits(
        workspace, rng, caseload, visits=visits, worker=worker, today=today,
        within_days=within_days, submitting_at=submitting_at, now=now)
    return DemoSummary(len(caseload), sum(len(m) for _, m in caseload), submitted, drafts,
                       addenda)


# complexity: demo data only: submitted, addended and draft visits in one pass
def _record_visits(workspace: Workspace, rng: random.Random,
                   caseload: list[tuple[Case, list[Child]]], *, visits: int, worker: str,
                   today: date, within_days: int, now: datetime,
                   submitting_at: SubmittingAt | None = None) -> tuple[int, int, int]:
    """Submitted visits, their addenda and three drafts; (submitted, drafts, addenda)."""
    households = [h for h in caseload if h[1]]
    if not households:
        return 0, 0, 0
    made: list[tuple[Visit, bool]] = []
    visited: dict[int, set[int]] = {}
    marked: Marked = {}
    for number in range(visits):
        which = number % len(households)
        case, members = households[which]
        # One visit a day to a family at most: two on a day would list each flag twice.
        days_ago = _fresh_day(rng, visited.setdefault(which, set()), within_days, today)
        day = today - timedelta(days=days_ago)
        made.append((_visit(rng, case, members, worker, day, marked=marked),
                     rng.random() < 0.08))
    if submitting_at is not None:
        made.sort(key=lambda m: m[0].started_at or datetime.min.replace(tzinfo=UTC))
    addenda = 0
    for visit, with_addendum in made:
        if submitting_at is not None and visit.ended_at is not None:
            submitting_at(visit.ended_at + timedelta(hours=2))
        workspace.visits.submit(visit)
        if with_addendum:
            if submitting_at is not None and visit.ended_at is not None:
                submitting_at(visit.ended_at + timedelta(days=1))
            workspace.visits.add_addendum(
                visit.id, reason="Information from school after the visit",
                text="School reports the child arrived without breakfast twice this week.",
                author=worker)
            addenda += 1
    if submitting_at is not None:
        submitting_at(datetime.now(UTC))
    drafts = min(3, len(households))
    for case, members in households[:drafts]:
        draft = _visit(rng, case, members, worker, today, before=_latest(today, now),
                       marked=marked)
        workspace.visits.save_draft(draft.model_copy(update={"analysis": ""}))
    return len(made), drafts, addenda


def _fresh_day(rng: random.Random, taken: set[int], within_days: int, today: date) -> int:
    """Days ago (1 to `within_days`), a weekday not yet in `taken`, added to it (any day
    once all are taken)."""
    free = [d for d in range(1, within_days + 1)
            if d not in taken and (today - timedelta(days=d)).weekday() < 5]
    days_ago = rng.choice(free) if free else rng.randint(1, within_days)
    taken.add(days_ago)
    return days_ago


def _latest(today: date, now: datetime) -> datetime:
    """The latest moment of `today` that is not after `now`."""
    return min(now, datetime(today.year, today.month, today.day, 23, 59, tzinfo=UTC))


CENTRAL_DEMO_NAMES = frozenset({("Ana", "Nowak"), ("Tomasz", "Nowak"), ("Yusuf", "Begum"),
                                ("Mia", "Hughes"), ("Lena", "Kowalczyk")})
"""The children `homevisit-central demo` makes itself (central/services/admin.py
DEMO_CHILDREN): the invented caseload beside them gives no child the same name."""

REFERENCE_PREFIX = {PlanType.CHILD_PROTECTION: "CP", PlanType.CHILD_IN_NEED: "CIN",
                    PlanType.LOOKED_AFTER: "LAC"}
"""A case reference begins with its plan, as the council's do."""

CSV_HEADER = ("case_reference", "family_name", "address", "team", "child_reference",
              "given_name", "child_family_name", "date_of_birth", "plan_type",
              "plan_start_date", "placement_start_date", "long_term_placement",
              "first_language", "worker")
"""The columns of the council's CSV that central imports (docs/it-deployment.md)."""


def demo_caseload_csv(*, children: int, worker: str, team: str, seed: int = 2012,
                      today: date | None = None) -> str:
    """Invented families allocated to `worker` in `team`, as the council's CSV for central."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    today = today or datetime.now(UTC).date()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    references: set[str] = set()
    number = 0
    for case, members in _caseload(rng, children, worker, today,
                                   history_days=CENTRAL_HISTORY_DAYS,
                                   taken=CENTRAL_DEMO_NAMES):
        reference = case.reference
        while reference in references:  # two invented households drew the same number
            reference += "-2"
        references.add(reference)
        for child in members:
            number += 1
            writer.writerow((
                reference, case.family_name, case.address, team, f"DEMO-{number:03d}",
                child.given_name, child.family_name, _iso(child.date_of_birth),
                child.plan_type.value, _iso(child.plan_start_date),
                _iso(child.placement_start_date), "", "", worker))
    return out.getvalue()


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _caseload(rng: random.Random, children: int, worker: str, today: date, *,
              history_days: int, taken: frozenset[tuple[str, str]] = frozenset(),
              ) -> list[tuple[Case, list[Child]]]:
    """Households of one to three children, no two children of the caseload with the same
    name while there are names to go round (and never two in one household), nor one of
    the `taken` (given, family) names.

    Each household's plan began shortly before the `history_days` the invented visits
    cover: a plan of years with no visit before the last few months would flag every
    child's first visit as hundreds of days late."""
    households: list[tuple[Case, list[Child]]] = []
    made = 0
    named: set[tuple[str, str]] = set(taken)
    while made < children:
        family = rng.choice(FAMILY_NAMES)
        plan = rng.choice(list(PlanType))
        case = Case(
            id=uuid.uuid4(),
            reference=f"{REFERENCE_PREFIX[plan]}-{rng.randint(100000, 999999)}",
            family_name=family, address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Coventry",
            allocated_worker=worker, team="Team North",
        )
        plan_start = today - timedelta(days=history_days + rng.randint(3, 21))
        size = min(rng.randint(1, 3), children - made)
        members: list[Child] = []
        for _ in range(size):
            # Born before the earliest invented visit, some still babies.
            born = today - timedelta(days=rng.randint(history_days + 20, 16 * 365))
            given = _given_name(rng, family, named, {c.given_name for c in members})
            members.append(Child(
                id=uuid.uuid4(), case_id=case.id, given_name=given,
                family_name=family, date_of_birth=born, plan_type=plan,
                plan_start_date=plan_start,
                placement_start_date=plan_start if plan is PlanType.LOOKED_AFTER else None,
            ))
        households.append((case, members))
        made += size
    return households


def _given_name(rng: random.Random, family: str, named: set[tuple[str, str]],
                siblings: set[str]) -> str:
    """A given name no sibling has, and no child of the caseload with this family name
    while one is left; remembered in `named`."""
    unused = [g for g in GIVEN_NAMES if (g, family) not in named and g not in siblings]
    given = rng.choice(unused or [g for g in GIVEN_NAMES if g not in siblings])
    named.add((given, family))
    return given


# complexity: demo data only: each branch makes one plausible variant of a visit
def _visit(rng: random.Random, case: Case, members: list[Child], worker: str,
           day: date, *, before: datetime | None = None, marked: Marked) -> Visit:
    """A visit on `day` in working hours; with `before`, one that ended by then (a draft
    being written now), on the day before when `before` is too early in the morning."""
    started = datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.choice([0, 15, 30]),
                       tzinfo=UTC)
    if before is not None:
        latest_start = before - timedelta(minutes=120)
        if latest_start < started.replace(hour=9, minute=0):
            started = started - timedelta(days=1)
        started = min(started, latest_start.replace(minute=latest_start.minute // 15 * 15,
                                                    second=0, microsecond=0))
    no_access = rng.random() < 0.07
    language = rng.choice(LANGUAGES)
    interpreter = (Interpreter(kind=InterpreterKind.PROFESSIONAL_TELEPHONE, name="Interpreter 4021",
                               language=language) if language != "English" else None)
    return Visit(
        id=uuid.uuid4(), case_id=case.id, worker=worker,
        visit_type=VisitType.STATUTORY, announced=rng.random() < 0.5,
        started_at=started, ended_at=started + timedelta(minutes=rng.randint(30, 90)),
        location="Family home", purpose="Statutory visit under the child's plan.",
        outcome=VisitOutcome.NO_ACCESS if no_access else VisitOutcome.COMPLETED,
        no_access_reasons="No answer at the door; curtains drawn." if no_access else "",
        no_access_steps_taken=("Phoned mother twice, left a card, checked with school."
                               if no_access else ""),
        people_present=() if no_access else (
            PersonPresent(name=f"Parent {case.family_name}", relationship="mother"),),
        absent_fathers_or_partners_asked_about=None if no_access else True,
        language_of_children="" if no_access else "English",
        language_of_parents="" if no_access else language,
        interpreter=None if no_access else interpreter,
        children=tuple(_observation(rng, child, started, no_access, marked)
                       for child in members),
        home=HomeConditions(description="" if no_access else rng.choice([
            "Warm and tidy; food in the cupboards.",
            "Cold; little food seen; dog mess in the hallway.",
            "Cluttered but adequate; beds for each child."])),
        adults_and_risk=AdultsAndRisk(
            domestic_abuse_since_last_visit=None if no_access else rng.random() < 0.1,
            domestic_abuse_details="Police notification via Operation Encompass.",
            household_changes=None if no_access else False),
        analysis="Plan remains appropriate; discuss at supervision.",
    )


def _observation(rng: random.Random, child: Child, started: datetime,
                 no_access: bool, marked: Marked) -> ChildObservation:
    if no_access:
        return ChildObservation(child_id=child.id, plan_type=child.plan_type, seen=False)
    alone = rng.random() > 0.25
    months = child.age_in_months(started.date()) or 0
    injured = rng.random() < 0.12
    return ChildObservation(
        child_id=child.id, plan_type=child.plan_type, seen=True,
        seen_alone=alone, reason_not_seen_alone="" if alone else rng.choice(NOT_ALONE_REASONS),
        spoken_to_alone=alone,
        reason_not_spoken_to_alone="" if alone else "Not seen alone (see above).",
        baby_seen_awake=True if months < 12 else None,
        bedroom_seen=True, sleeping_arrangements="Own bed; clean bedding.",
        locks_on_outside_of_door=False,
        child_words=rng.choice(WORDS) if months >= 24 else "",
        wishes_and_feelings="" if months >= 24 else "Settled, smiled at worker.",
        communication_methods=((CommunicationMethod.SPOKEN,) if months >= 24
                               else (CommunicationMethod.OBSERVATION_PRE_VERBAL,)),
        demeanour="Quiet, watchful.", clothing_and_hygiene="Clean, weather-appropriate.",
        interaction_with_carers="Warm with mother.",
        food_concern=rng.choice([FoodConcern.NONE, FoodConcern.NONE, FoodConcern.POSSIBLE]),
        food_concern_details="Asked for food twice during the visit.",
        injuries_seen=injured,
        injuries=(_injury(rng, started, marked.setdefault(child.id, [])),) if injured else (),
    )


Spot = tuple[BodyView, Decimal, Decimal]
Marked = dict[uuid.UUID, list[Spot]]
"""Where each child's invented injuries are drawn so far."""

APART = Decimal("0.08")
"""Marks of one child at least this far apart across (half of it down): two marks drawn
on each other would read as one."""

INJURED_PARTS = [BodyRegion.UPPER_ARM, BodyRegion.FOREARM, BodyRegion.FACE,
                 BodyRegion.LOWER_LEG, BodyRegion.UPPER_BACK]


def _injury(rng: random.Random, seen_at: datetime, earlier: list[Spot]) -> InjuryObservation:
    """A bruise drawn inside the part its words name, on that side of the child, and apart
    from the child's earlier marks (on the team lead's cumulative map one would hide another)."""
    source, words = rng.choice(EXPLANATIONS)
    for _ in range(20):
        region = rng.choice(INJURED_PARTS)
        side = rng.choice([BodySide.LEFT, BodySide.RIGHT])
        view, x, y = random_spot(rng, region, side)
        if all(v is not view or abs(x - ex) > APART or abs(y - ey) > APART / 2
               for v, ex, ey in earlier):
            break
    earlier.append((view, x, y))
    return InjuryObservation(
        id=uuid.uuid4(), view=view, x=x, y=y, region=region, side=side,
        injury_type=InjuryType.BRUISE,
        length_cm=Decimal(rng.randint(5, 40)) / 10, width_cm=Decimal("1.0"),
        colours=(InjuryColour.PURPLE, InjuryColour.YELLOW), skin_broken=False,
        seen_at=seen_at, recorded_by="Jo Okafor", explanation_given_by=source,
        explanation_words=words, child_account="",
        consistent_with_explanation=rng.choice(list(Consistency)),
        independently_mobile=True, manager_informed=True, medical_referral=False,
    )
