"""A family's case and the children in it, as the worker's caseload knows them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field

from records.types import RECORD_CONFIG, ShortText


class PlanType(StrEnum):
    """The statutory plan a child is on; it sets how often they must be visited."""

    CHILD_PROTECTION = "child_protection"
    CHILD_IN_NEED = "child_in_need"
    LOOKED_AFTER = "looked_after"

    @property
    def label(self) -> str:
        return _PLAN_LABELS[self]


_PLAN_LABELS = {
    PlanType.CHILD_PROTECTION: "Child protection",
    PlanType.CHILD_IN_NEED: "Child in need",
    PlanType.LOOKED_AFTER: "Looked after",
}


class Child(BaseModel):
    """A child on the worker's caseload."""

    model_config = RECORD_CONFIG

    id: UUID
    case_id: UUID
    given_name: ShortText = Field(min_length=1)
    family_name: ShortText = ""
    date_of_birth: date | None = None
    plan_type: PlanType
    plan_start_date: date | None = None
    placement_start_date: date | None = Field(
        default=None, description="Looked-after children: when the current placement began."
    )
    long_term_placement: bool = Field(
        default=False, description="Looked-after children in a placement agreed as permanent."
    )
    first_language: ShortText = ""

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_in_months(self, on: date) -> int | None:
        """Whole months of age on a day, or None when the date of birth is not known."""
        if self.date_of_birth is None:
            return None
        span = relativedelta(on, self.date_of_birth)
        return span.years * 12 + span.months


class Case(BaseModel):
    """A household the worker visits: one case reference, one or more children."""

    model_config = RECORD_CONFIG

    id: UUID
    reference: ShortText = Field(min_length=1, description="The council's case number.")
    family_name: ShortText = ""
    address: ShortText = ""
    allocated_worker: ShortText = ""
    team: ShortText = ""
