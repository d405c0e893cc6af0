"""Facts about a child recorded between visits: what other agencies told us, supervision of
the case, and a team lead's record that a repeated concern was considered.

Each is a record of its own, signed and synced like a visit (domain.md: "agency information
between visits", "case not supervised", "joined up"). None is ever edited; a correction is
a new note.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from records.types import RECORD_CONFIG, LongText, ShortText, UtcDateTime, added_later


class AgencyKind(StrEnum):
    """What another agency told the council about a child."""

    POLICE_DOMESTIC_ABUSE = "police_domestic_abuse"
    OPERATION_ENCOMPASS = "operation_encompass"
    MARAC = "marac"
    SCHOOL_CONCERN = "school_concern"
    HEALTH_CONCERN = "health_concern"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _AGENCY_LABELS[self]

    @property
    def domestic_abuse(self) -> bool:
        return self in {AgencyKind.POLICE_DOMESTIC_ABUSE, AgencyKind.OPERATION_ENCOMPASS,
                        AgencyKind.MARAC}


_FOOD_BEFORE_ASKED = {AgencyKind.SCHOOL_CONCERN, AgencyKind.HEALTH_CONCERN}
"""Kinds counted as food or weight concerns in notes written before the question was asked."""

_AGENCY_LABELS = {
    AgencyKind.POLICE_DOMESTIC_ABUSE: "Police domestic abuse notification",
    AgencyKind.OPERATION_ENCOMPASS: "Operation Encompass notification",
    AgencyKind.MARAC: "MARAC referral or meeting",
    AgencyKind.SCHOOL_CONCERN: "Concern from school",
    AgencyKind.HEALTH_CONCERN: "Concern from health",
    AgencyKind.OTHER: "Information from another agency",
}


class AgencyNotification(BaseModel):
    """Information from another agency about one or more children of a case."""

    model_config = RECORD_CONFIG

    note: Literal["agency_notification"] = "agency_notification"
    id: UUID
    case_id: UUID
    child_ids: tuple[UUID, ...] = Field(min_length=1)
    source: ShortText = Field(min_length=1, description="Who told us: 'West Midlands Police'.")
    kind: AgencyKind
    received_on: date
    summary: LongText = Field(min_length=1)
    child_seen_on: date | None = Field(
        default=None, description="When that agency itself last saw the child, if it said.")
    entered_by: ShortText = ""
    entered_at: UtcDateTime
    reports_injury: bool | None = added_later(
        None, "Whether it reports an injury, bruise or mark on the child: joins the child's "
              "repeat injuries. Empty in notes written before the question was asked.")
    reports_food_or_weight: bool | None = added_later(
        None, "Whether it reports hunger, food or weight: joins the child's repeated food "
              "or weight concerns. Empty in notes written before the question was asked.")

    @model_validator(mode="after")
    def _answered_together(self) -> AgencyNotification:
        # One answer alone would be read as the other's "no" on every screen.
        if (self.reports_injury is None) != (self.reports_food_or_weight is None):
            raise ValueError("reports_injury and reports_food_or_weight are answered together, "
                             "or neither is")
        return self

    @property
    def about_injury(self) -> bool:
        """Counted with the injuries seen at visits (`records.flags`)."""
        return self.reports_injury is True

    @property
    def reports_said(self) -> str:
        """What it reports, as the screens, the chronology and the web say it: "Reports an
        injury"; empty for a note written before the questions were asked."""
        if self.reports_injury is None and self.reports_food_or_weight is None:
            return ""
        said = [words for words, yes in (("an injury", self.reports_injury),
                                          ("hunger, food or weight", self.reports_food_or_weight))
                if yes]
        return ("Reports " + " and ".join(said) if said
                else "Reports no injury and no concern about food or weight")

    @property
    def about_food_or_weight(self) -> bool:
        """Counted with the food or weight concerns recorded at visits
        (`records.between_visits`). A note written before the question was asked counts when
        it came from school or health, as every such note was counted then: what it was about
        is not known, and a concern dropped from a pattern is worse than one too many."""
        if self.reports_food_or_weight is None:
            return self.kind in _FOOD_BEFORE_ASKED
        return self.reports_food_or_weight


class Supervision(BaseModel):
    """A supervision discussion of a case between the worker and their manager."""

    model_config = RECORD_CONFIG

    note: Literal["supervision"] = "supervision"
    id: UUID
    case_id: UUID
    child_ids: tuple[UUID, ...] = Field(min_length=1)
    supervised_on: date
    supervisor: ShortText = Field(min_length=1)
    summary: LongText = ""
    entered_by: ShortText = ""
    entered_at: UtcDateTime


class ConcernConsidered(BaseModel):
    """A team lead's record that a repeated concern about a child was considered, and what
    was decided. It settles that pattern's flag up to `considered_at`; a repeat after it
    raises the flag again."""

    model_config = RECORD_CONFIG

    note: Literal["concern_considered"] = "concern_considered"
    id: UUID
    case_id: UUID
    child_ids: tuple[UUID, ...] = Field(min_length=1)
    flag_code: ShortText = Field(min_length=1, description="The FlagCode considered.")
    decision: LongText = Field(min_length=1)
    considered_by: ShortText = ""
    considered_at: UtcDateTime
    covered: tuple[UUID, ...] = added_later(
        (), "The visits and agency notes of that concern the team lead's laptop held for the "
            "child when they decided: only these are settled (records.patterns). Empty in "
            "decisions recorded before it was asked: those settle every concern entered "
            "before `considered_at`.")


Note = AgencyNotification | Supervision | ConcernConsidered
"""Any note between visits, as a type."""

CaseNote = Annotated[Note, Field(discriminator="note")]
"""Any note between visits; `note` says which."""
