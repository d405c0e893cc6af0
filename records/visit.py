"""The home-visit record: what a worker saw, heard and did, per child.

A visit is a draft while the worker writes it, so nearly every field may be empty here;
`records.validation` decides what must be filled in before it can be submitted.
Field groups follow the recording standard in shared/domain.md sections A-G.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from records.case import PlanType
from records.types import (
    RECORD_CONFIG,
    BodyMapCoordinate,
    Centimetres,
    LongText,
    ShortText,
    UtcDateTime,
    added_later,
)

ENGLAND = ZoneInfo("Europe/London")

# --- A. The visit -------------------------------------------------------------------


class VisitType(StrEnum):
    STATUTORY = "statutory"
    ADDITIONAL = "additional"
    CORE_GROUP = "core_group"  # does not count as a statutory visit


class VisitOutcome(StrEnum):
    COMPLETED = "completed"
    CHILD_NOT_SEEN = "child_not_seen"
    NO_ACCESS = "no_access"


# --- B. People and language ---------------------------------------------------------


class PersonPresent(BaseModel):
    """Someone in the home during the visit."""

    model_config = RECORD_CONFIG

    name: ShortText = ""
    relationship: ShortText = Field(
        default="", description="To the children, in the family's words: 'mother', 'mum's partner'."
    )
    date_of_birth: date | None = None
    new_to_household: bool | None = None


class InterpreterKind(StrEnum):
    PROFESSIONAL_IN_PERSON = "professional_in_person"
    PROFESSIONAL_TELEPHONE = "professional_telephone"
    PROFESSIONAL_VIDEO = "professional_video"
    WORKER_SPEAKS_LANGUAGE = "worker_speaks_language"
    FAMILY_MEMBER = "family_member"
    CHILD = "child"
    FAMILY_FRIEND = "family_friend"
    NONE_AVAILABLE = "none_available"
    """One was needed and none could be had: recorded honestly, with why, and flagged red."""
    NOT_NEEDED = "not_needed"
    """Everyone at the visit spoke a language the worker shares."""

    @property
    def is_independent(self) -> bool:
        """A family member, friend or child cannot interpret: they may speak for the abuser."""
        return self not in {
            InterpreterKind.FAMILY_MEMBER,
            InterpreterKind.CHILD,
            InterpreterKind.FAMILY_FRIEND,
            InterpreterKind.NONE_AVAILABLE,
        }


class Interpreter(BaseModel):
    model_config = RECORD_CONFIG

    kind: InterpreterKind | None = None
    name: ShortText = ""
    language: ShortText = ""
    reason_none_available: LongText = added_later(
        "", "Why no professional interpreter could be had.")


# --- D. Body map --------------------------------------------------------------------


class BodyView(StrEnum):
    FRONT = "front"
    BACK = "back"


class BodyRegion(StrEnum):
    HEAD = "head"
    FACE = "face"
    EAR = "ear"
    NECK = "neck"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    BUTTOCKS = "buttocks"
    GENITAL_AREA = "genital_area"
    SHOULDER = "shoulder"
    UPPER_ARM = "upper_arm"
    FOREARM = "forearm"
    HAND = "hand"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    FOOT = "foot"


class BodySide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTRE = "centre"


class InjuryType(StrEnum):
    BRUISE = "bruise"
    BURN = "burn"
    SCALD = "scald"
    CUT = "cut"
    SCRATCH = "scratch"
    BITE_MARK = "bite_mark"
    SWELLING = "swelling"
    SUSPECTED_FRACTURE = "suspected_fracture"
    MARK = "mark"
    OTHER = "other"


class InjuryColour(StrEnum):
    RED = "red"
    PURPLE = "purple"
    BLUE = "blue"
    GREEN = "green"
    YELLOW = "yellow"
    BROWN = "brown"
    BLACK = "black"


class ExplanationSource(StrEnum):
    """Who explained an injury: recorded because adults explained Daniel's injuries away."""

    CHILD = "child"
    PARENT = "parent"
    CARER = "carer"
    SIBLING = "sibling"
    OTHER_ADULT = "other_adult"
    PROFESSIONAL = "professional"
    NO_EXPLANATION_GIVEN = "no_explanation_given"


class Consistency(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class InjuryObservation(BaseModel):
    """One mark on the body map, with who explained it and in what words."""

    model_config = RECORD_CONFIG

    id: UUID
    view: BodyView | None = None
    x: BodyMapCoordinate | None = None
    y: BodyMapCoordinate | None = None
    region: BodyRegion | None = None
    side: BodySide | None = None
    injury_type: InjuryType | None = None
    length_cm: Centimetres | None = None
    width_cm: Centimetres | None = None
    shape: ShortText = ""
    colours: tuple[InjuryColour, ...] = ()
    skin_broken: bool | None = None
    swelling: bool | None = None
    bleeding: bool | None = None
    seen_at: UtcDateTime | None = None
    recorded_by: ShortText = ""
    explanation_given_by: ExplanationSource | None = None
    explanation_words: LongText = Field(
        default="", description="The explanation exactly as it was said."
    )
    child_account: LongText = Field(
        default="", description="What the child said about it, kept apart from the adults'."
    )
    consistent_with_explanation: Consistency | None = None
    independently_mobile: bool | None = Field(
        default=None, description="Required for children under two: can they move on their own?"
    )
    manager_informed: bool | None = None
    medical_referral: bool | None = None
    photo_ids: tuple[UUID, ...] = ()


# --- C. Each child ------------------------------------------------------------------


class CommunicationMethod(StrEnum):
    SPOKEN = "spoken"
    SIGN_LANGUAGE = "sign_language"
    DRAWING = "drawing"
    PLAY = "play"
    WRITING = "writing"
    THROUGH_INTERPRETER = "through_interpreter"
    OBSERVATION_PRE_VERBAL = "observation_pre_verbal"


class FoodConcern(StrEnum):
    NONE = "none"
    POSSIBLE = "possible"
    CLEAR = "clear"


class ChildObservation(BaseModel):
    """What the worker saw and heard of one child during the visit."""

    model_config = RECORD_CONFIG

    child_id: UUID
    plan_type: PlanType
    seen: bool | None = None
    reason_not_seen: LongText = ""
    seen_alone: bool | None = None
    reason_not_seen_alone: LongText = ""
    spoken_to_alone: bool | None = None
    reason_not_spoken_to_alone: LongText = ""
    baby_seen_awake: bool | None = None
    bedroom_seen: bool | None = None
    reason_bedroom_not_seen: LongText = ""
    sleeping_arrangements: LongText = ""
    locks_on_outside_of_door: bool | None = None
    child_words: LongText = Field(default="", description="The child's own words, verbatim.")
    communication_methods: tuple[CommunicationMethod, ...] = ()
    wishes_and_feelings: LongText = ""
    reason_words_not_recorded: LongText = ""
    demeanour: LongText = ""
    clothing_and_hygiene: LongText = ""
    interaction_with_carers: LongText = ""
    food_concern: FoodConcern | None = None
    food_concern_details: LongText = ""
    injuries_seen: bool | None = None
    injuries: tuple[InjuryObservation, ...] = ()
    notifications_followed_up: tuple[UUID, ...] = added_later(
        (), "Agency notifications (records.case_notes) discussed with the child at this visit.")


# --- E. Home conditions -------------------------------------------------------------


class HomeConditions(BaseModel):
    model_config = RECORD_CONFIG

    description: LongText = ""
    enough_food_in_home: bool | None = None
    home_warm: bool | None = None
    bed_for_each_child: bool | None = None
    hazards_seen: bool | None = None
    hazards_details: LongText = ""
    health_appointments_kept: bool | None = None
    # Graded Care Profile 2 area grades (1 best, 5 worst); the tool itself is NSPCC-licensed.
    gcp2_physical_care: int | None = Field(default=None, ge=1, le=5)
    gcp2_safety: int | None = Field(default=None, ge=1, le=5)
    gcp2_love_and_care: int | None = Field(default=None, ge=1, le=5)
    gcp2_esteem: int | None = Field(default=None, ge=1, le=5)


# --- F. Adults and risk -------------------------------------------------------------


class AdultsAndRisk(BaseModel):
    model_config = RECORD_CONFIG

    domestic_abuse_since_last_visit: bool | None = None
    domestic_abuse_details: LongText = Field(
        default="", description="Police or Operation Encompass notifications, MARAC."
    )
    substance_use_concern: bool | None = None
    substance_use_details: LongText = ""
    household_changes: bool | None = None
    household_changes_details: LongText = ""
    risk_scale: int | None = Field(default=None, ge=0, le=10, description="Signs of Safety 0-10.")


# --- G. Analysis and actions --------------------------------------------------------


class Action(BaseModel):
    model_config = RECORD_CONFIG

    what: LongText = ""
    who: ShortText = ""
    by_when: date | None = None


class InformationShared(BaseModel):
    model_config = RECORD_CONFIG

    with_whom: ShortText = ""
    what: LongText = ""
    legal_basis: ShortText = ""
    shared_on: date | None = None


class Visit(BaseModel):
    """One home visit to a household, with an observation for each child on the case."""

    model_config = RECORD_CONFIG

    id: UUID
    case_id: UUID
    worker: ShortText = ""
    visit_type: VisitType | None = None
    announced: bool | None = None
    started_at: UtcDateTime | None = None
    ended_at: UtcDateTime | None = None
    location: ShortText = ""
    purpose: LongText = ""
    outcome: VisitOutcome | None = None
    no_access_reasons: LongText = ""
    no_access_steps_taken: LongText = ""

    people_present: tuple[PersonPresent, ...] = ()
    absent_fathers_or_partners_asked_about: bool | None = None
    language_of_children: ShortText = ""
    language_of_parents: ShortText = ""
    interpreter: Interpreter | None = None

    children: tuple[ChildObservation, ...] = ()
    home: HomeConditions = HomeConditions()
    adults_and_risk: AdultsAndRisk = AdultsAndRisk()

    analysis: LongText = ""
    actions: tuple[Action, ...] = ()
    information_shared: tuple[InformationShared, ...] = ()
    next_visit_due: date | None = None

    def observation_for(self, child_id: UUID) -> ChildObservation | None:
        return next((c for c in self.children if c.child_id == child_id), None)

    @property
    def visit_date(self) -> date | None:
        """The day of the visit as the family and the worker know it (English local time)."""
        return self.started_at.astimezone(ENGLAND).date() if self.started_at else None
