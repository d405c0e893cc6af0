"""What a team-lead flag is: its code, severity, sentence, source and the visits behind it.

The rules that raise flags are in `records.flags`; this module holds the values they
produce and consume, so storage, sync and the screens can name them without the rules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from records.corrections import Addendum, ReviewDecision, ReviewOutcome
from records.schedule import VisitStandards, WorkingCalendar
from records.thresholds import FlagThresholds
from records.visit import ENGLAND, Visit


class Severity(StrEnum):
    RED = "red"
    AMBER = "amber"

    @property
    def rank(self) -> int:
        """0 for red, 1 for amber: sorts red first."""
        return 0 if self is Severity.RED else 1


class FlagCode(StrEnum):
    """Stable codes: stored, synced and compared; never renamed."""

    VISIT_OVERDUE = "visit_overdue"
    CHILD_NOT_SEEN = "child_not_seen"
    NOT_SEEN_ALONE = "not_seen_alone"
    NOT_SEEN_ALONE_PATTERN = "not_seen_alone_pattern"
    BEDROOM_NOT_SEEN = "bedroom_not_seen"
    VOICE_MISSING = "voice_missing"
    INTERPRETER_PROBLEM = "interpreter_problem"
    INJURY_RECORDED = "injury_recorded"
    INJURY_NON_MOBILE = "injury_non_mobile"
    REPEAT_INJURIES = "repeat_injuries"
    DOMESTIC_ABUSE = "domestic_abuse"
    NEW_ADULT = "new_adult"
    FOOD_OR_WEIGHT = "food_or_weight"
    NEGLECT_GRADE = "neglect_grade"
    LOW_RISK_SCORE = "low_risk_score"
    LATE_RECORDING = "late_recording"
    SIGN_OFF_PENDING = "sign_off_pending"
    RETURNED_UNANSWERED = "returned_unanswered"
    DEVICE_NOT_SYNCED = "device_not_synced"
    AGENCY_NOT_FOLLOWED_UP = "agency_not_followed_up"
    REPEATED_FOOD_CONCERN = "repeated_food_concern"
    CASE_NOT_SUPERVISED = "case_not_supervised"
    NOT_SEEN_BY_ANY_AGENCY = "not_seen_by_any_agency"
    NOT_SPOKEN_TO_ALONE = "not_spoken_to_alone"
    BABY_NOT_SEEN_AWAKE = "baby_not_seen_awake"
    LOCKED_IN = "locked_in"
    NO_START_DATE = "no_start_date"
    SEEN_LATE = "seen_late"


SOURCES: dict[FlagCode, str] = {
    FlagCode.VISIT_OVERDUE: "Care Planning Regulations 2010 reg 28; local CP visiting standards",
    FlagCode.CHILD_NOT_SEEN: "Southwark CP procedures: monitoring visits",
    FlagCode.NOT_SEEN_ALONE: "Southwark and Bolton CP procedures: child seen alone",
    FlagCode.NOT_SEEN_ALONE_PATTERN:
        "Daniel Pelka serious case review: never spoken to alone, and nobody joined it up",
    FlagCode.BEDROOM_NOT_SEEN: "Southwark and Central Bedfordshire: bedroom at alternate visits",
    FlagCode.VOICE_MISSING: "Daniel Pelka serious case review: the child's voice not heard",
    FlagCode.INTERPRETER_PROBLEM: "Doncaster procedures: use of interpreters",
    FlagCode.INJURY_RECORDED: "Daniel Pelka serious case review: injuries explained away",
    FlagCode.INJURY_NON_MOBILE: "NICE CG89; non-mobile bruising protocols",
    FlagCode.REPEAT_INJURIES: "Daniel Pelka serious case review: pattern of injuries",
    FlagCode.DOMESTIC_ABUSE: "Daniel Pelka serious case review: domestic abuse notifications",
    FlagCode.NEW_ADULT: "Daniel Pelka serious case review: changes in the household",
    FlagCode.FOOD_OR_WEIGHT: "Daniel Pelka serious case review: hunger not joined up",
    FlagCode.NEGLECT_GRADE: "Graded Care Profile 2 (NSPCC)",
    FlagCode.LOW_RISK_SCORE: "Daniel Pelka serious case review: high risk not acted on",
    FlagCode.LATE_RECORDING: "Liverpool CSC recording timescales",
    FlagCode.SIGN_OFF_PENDING: "Manager oversight of every visit record",
    FlagCode.RETURNED_UNANSWERED: "Manager oversight of every visit record",
    FlagCode.DEVICE_NOT_SYNCED: "Ofsted 2014: managers must know whether children were seen",
    FlagCode.AGENCY_NOT_FOLLOWED_UP:
        "Daniel Pelka serious case review: police domestic abuse reports not shared or acted on",
    FlagCode.REPEATED_FOOD_CONCERN: "Daniel Pelka serious case review: hunger not joined up",
    FlagCode.CASE_NOT_SUPERVISED: "Bolton and Liverpool CSC procedures: case supervision",
    FlagCode.NOT_SEEN_BY_ANY_AGENCY: "Southwark CP procedures: not seen by any agency",
    FlagCode.NOT_SPOKEN_TO_ALONE: "Care Planning Regulations 2010 reg 29: speaking to the child "
                                  "in private",
    FlagCode.BABY_NOT_SEEN_AWAKE: "Southwark CP procedures: babies seen awake",
    FlagCode.LOCKED_IN: "Daniel Pelka serious case review: a child confined in the home",
    FlagCode.NO_START_DATE: "Ofsted 2014: managers must know whether all children have been seen",
    FlagCode.SEEN_LATE: "Care Planning Regulations 2010 reg 28; local CP visiting standards",
}

HEADLINE_ORDER: tuple[FlagCode, ...] = (
    FlagCode.INJURY_NON_MOBILE,
    FlagCode.INJURY_RECORDED,
    FlagCode.REPEAT_INJURIES,
    FlagCode.LOCKED_IN,
    FlagCode.AGENCY_NOT_FOLLOWED_UP,
    FlagCode.DOMESTIC_ABUSE,
    FlagCode.CHILD_NOT_SEEN,
    FlagCode.NOT_SEEN_BY_ANY_AGENCY,
    FlagCode.NOT_SEEN_ALONE,
    FlagCode.NOT_SEEN_ALONE_PATTERN,
    FlagCode.NOT_SPOKEN_TO_ALONE,
    FlagCode.BABY_NOT_SEEN_AWAKE,
    FlagCode.VISIT_OVERDUE,
    FlagCode.NO_START_DATE,
    FlagCode.REPEATED_FOOD_CONCERN,
    FlagCode.NEGLECT_GRADE,
    FlagCode.FOOD_OR_WEIGHT,
    FlagCode.LOW_RISK_SCORE,
    FlagCode.VOICE_MISSING,
    FlagCode.INTERPRETER_PROBLEM,
    FlagCode.NEW_ADULT,
    FlagCode.BEDROOM_NOT_SEEN,
    FlagCode.SEEN_LATE,
    FlagCode.LATE_RECORDING,
    FlagCode.CASE_NOT_SUPERVISED,
    FlagCode.RETURNED_UNANSWERED,
    FlagCode.SIGN_OFF_PENDING,
    FlagCode.DEVICE_NOT_SYNCED,
)
"""How serious each kind of flag is, most serious first (domain.md, "Headline severity"):
a visit's or child's headline is its red flag highest here, then its amber flag highest
here; ties go to the most recent fact. Docs: user-guide.md "Which flag comes first"."""

_HEADLINE_POSITION = {code: position for position, code in enumerate(HEADLINE_ORDER)}

NO_HEADLINE = len(HEADLINE_ORDER)
"""The position stored for a visit or child with no flag: after every flag."""


def headline_position(flag: Flag) -> int:
    """Where a flag's kind stands in `HEADLINE_ORDER` (0 is the most serious)."""
    return _HEADLINE_POSITION[flag.code]


@dataclass(frozen=True)
class Flag:
    """One alert about one child, with the visits behind it and a sentence that says why."""

    code: FlagCode
    severity: Severity
    child_id: UUID
    reason: str
    """One line for the team lead, naming the visits by date."""
    source: str
    visit_ids: tuple[UUID, ...]
    since: date
    """The day of the oldest fact behind the flag: how long it has been waiting."""
    for_worker: str = ""
    """The same, said to the worker about the visit they are writing."""

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Most serious first: red before amber, then `HEADLINE_ORDER`, then most recent."""
        return (self.severity.rank, _HEADLINE_POSITION[self.code], -self.since.toordinal())

    @property
    def worker_sentence(self) -> str:
        return self.for_worker or self.reason


@dataclass(frozen=True)
class VisitOnRecord:
    """A submitted visit with everything written about it since."""

    visit: Visit
    submitted_at: datetime
    addenda: tuple[Addendum, ...] = ()
    reviews: tuple[ReviewDecision, ...] = ()
    device_submitted_at: datetime | None = None
    """On a team lead's laptop, where `submitted_at` is central's receipt (sign-off waits from
    it): when the worker's laptop submitted the visit, as central kept that claim."""

    @property
    def recorded_at(self) -> datetime:
        """When the worker submitted it, which late recording counts to."""
        return self.device_submitted_at or self.submitted_at

    @property
    def day(self) -> date:
        return self.visit.visit_date or local_day(self.submitted_at)

    @property
    def decided(self) -> bool:
        """A team lead has signed it off or escalated it: its event flags are dealt with."""
        return any(r.outcome in _DECIDED for r in self.reviews)


_DECIDED = {ReviewOutcome.SIGNED_OFF, ReviewOutcome.ESCALATED}


class Decision:
    """Where a visit stands with the team lead (`decision_of`): the laptop's queue stores it
    (`review_visits.decision`), central's pages name it."""

    AWAITING = "awaiting"
    RETURNED = "returned"
    ANSWERED = "answered"
    SIGNED_OFF = "signed_off"
    ESCALATED = "escalated"


def decision_of(record: VisitOnRecord) -> str:
    """Where a visit stands: the latest decision, and whether a return has been answered."""
    if not record.reviews:
        return Decision.AWAITING
    latest = max(record.reviews, key=lambda r: r.decided_at)
    if latest.outcome is ReviewOutcome.SIGNED_OFF:
        return Decision.SIGNED_OFF
    if latest.outcome is ReviewOutcome.ESCALATED:
        return Decision.ESCALATED
    if any(a.answers_review_id == latest.id for a in record.addenda):
        return Decision.ANSWERED
    return Decision.RETURNED


@dataclass(frozen=True)
class FlagRules:
    """Everything the flags compare against; from policy, with a shared working calendar."""

    standards: VisitStandards = field(default_factory=VisitStandards)
    thresholds: FlagThresholds = field(default_factory=FlagThresholds)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def edition(self) -> str:
        """What flags worked out by these rules depend on, as a short key: the rules'
        edition (`RULES_VERSION`), the standards and thresholds from policy, and the bank
        holidays of 2015-2040 (a visit's own flags count working days). Stored flags, states
        and figures under another key are stale: the team lead's review index and its
        folded states, central's kept figures."""
        text = json.dumps([RULES_VERSION, self.thresholds.model_dump(mode="json"),
                           self.standards.model_dump(mode="json"),
                           self.calendar.identity(2015, 2040)], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def local_day(moment: datetime) -> date:
    """The day in England on which a moment fell."""
    return moment.astimezone(ENGLAND).date()


def today_in_england() -> date:
    """The day it is in England: what "overdue", "waiting" and every rule that counts days
    count to, whatever time zone the laptop itself is set to (`date.today()` is the
    laptop's day: a day behind from 11 pm to midnight in summer on one set to UTC)."""
    return local_day(datetime.now(ENGLAND))


def listed(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """"9 Dec 2026": how every flag names a day."""
    # Not strftime: Qt sets the process locale, and a flag must read the same everywhere.
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_text(day: date) -> str:
    """"Wed 9 Dec 2026": a day with its weekday, as the worker's lists name it to plan by;
    the same day as `day_text`, whatever the laptop's locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day_text(day)}"


def make_flag(code: FlagCode, severity: Severity, child_id: UUID, visit_ids: tuple[UUID, ...],
              since: date, reason: str, for_worker: str = "") -> Flag:
    """A flag with its standard's source filled in from `SOURCES`."""
    return Flag(code, severity, child_id, reason, SOURCES[code], visit_ids, since, for_worker)


RULES_VERSION = 20
"""Which edition of the rules in records/ stored flags and figures were worked out by.

Bump it whenever a rule changes what a flag, a headline, a due date or a figure says
(tests/records/test_rules_version.py fails until you do): the team lead's review index and
central's kept figures hold what the rules said when they were worked out, and recompute
every child when the edition they were stored under is not this one. 1: every rule up to
2026-12-06; 2: a looked-after child counted from the plan's start without a placement date,
not seen alone red on every plan, a late recording's days, the red children's order; 3:
repeat injuries and food concerns found among themselves (within the window of each other,
not of today) and kept until considered, a concern entered after the decision not settled by
it, and a low Signs of Safety score kept past a sign-off until escalated; 4: a looked-after
case's supervision counted from the plan's start, not its latest placement, and British Sign
Language needing an interpreter; 5: a child seen at no visit (only no-access ones) with no
start date is a data problem, as one never visited is; 6: a low Signs of Safety score
settled by a sign-off again, as in 2 (kept past it in 3-5, but nothing in the review screen
records an escalation, so it could never be cleared); 7: repeat injuries said to the worker
in the worker's words; 8: a visit that turns a streak red is late at the critical hours, as
one with a red flag of its own is; 9: another agency's report of an injury joins repeat
injuries, and its report of hunger, food or weight (not its kind) joins the food concerns;
10: a visit that turns "not seen" red by time (the child unseen for longer than
`not_seen_red_days`) is late at the critical hours, as one that turns it red by count is;
11: visits not seeing the child alone, within `not_seen_alone_window_days` of each other,
stay red after a visit that sees the child alone, until a team lead considers them; 12: that
pattern is a flag of its own (`not_seen_alone_pattern`) beside the running streak's; 13: "a
child was not seen" decided child by child (at a visit to brothers and sisters where one was
not seen, the ones seen were: their clock resets, and their own answers, such as not seen
alone, count), and a visit that turns the not-seen-alone pattern red is late at the critical
hours, as one that turns the streak red was in 11; 14: a visit on the weekend or bank
holiday after its due date is late (at least a day: it read as on time, no working day
having passed), and a visit with no date is no sighting for the flags either (it stood in as
"last seen" for the overdue and not-seen flags, but for nothing else); 15: another agency's
notification not followed up names the last visit where the child was seen after it arrived
(and recorded after it was on record), so that visit's queue row and note carry it (it named
no visit: only the dashboard showed it); 16: a visit's timeliness is judged by the plan it
was made under (the plan on the child's page of the visit, each visit of a day by its own)
and not by a placement or plan that began after it: a child stepped down from child
protection had their late CP visits turn on time, a new placement made every earlier visit
on time, and a child stepped up had visits made on time under CIN turn late; 17: "overdue
now" counts a child never seen with no plan or placement start to count from (the team
lead's dashboard and central's pages left them out: only the worker's caseload and the
`no_start_date` flag showed them); 18: a child on a child protection or child in need plan
unseen by their social worker for longer than `not_seen_red_days` is red "not seen" with no
visit since to say so (it took a no-access or not-seen visit: with none, only "overdue"
showed, ranked below it); 19: a blank "seen alone", "bedroom seen" or "spoken to alone"
(an incomplete record central kept) neither breaks a streak nor adds to it (it broke it,
as a sighting alone would); 20: 18's "not seen" by time waits for the visit to be due too
(a child in need within a standard longer than 4 weeks was red before it was late)."""
