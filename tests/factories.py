"""Complete, valid records for tests to start from and then break one field at a time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from records.case import Case, Child, PlanType
from records.case_notes import AgencyKind, AgencyNotification
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
    PersonPresent,
    Visit,
    VisitOutcome,
    VisitType,
)

VISIT_START = datetime(2026, 11, 16, 14, 32, tzinfo=UTC)
NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def make_case() -> Case:
    return Case(id=uuid.uuid4(), reference="CP-104233", family_name="Nowak", address="12 Elm Row")


def make_child(case: Case, *, given_name: str = "Ana", born: date = date(2020, 3, 2),
               plan: PlanType = PlanType.CHILD_PROTECTION) -> Child:
    return Child(
        id=uuid.uuid4(), case_id=case.id, given_name=given_name, family_name="Nowak",
        date_of_birth=born, plan_type=plan, plan_start_date=date(2026, 9, 1),
    )


def make_observation(child: Child, **changes: object) -> ChildObservation:
    observation = ChildObservation(
        child_id=child.id,
        plan_type=child.plan_type,
        seen=True,
        seen_alone=True,
        spoken_to_alone=True,
        bedroom_seen=True,
        sleeping_arrangements="Own bed in shared room with brother; clean bedding.",
        locks_on_outside_of_door=False,
        child_words="I like school because I get breakfast there.",
        communication_methods=(CommunicationMethod.SPOKEN,),
        wishes_and_feelings="Wants to stay at her school.",
        demeanour="Quiet at first, then chatty.",
        clothing_and_hygiene="Clean clothes, suitable for the weather.",
        interaction_with_carers="Looked to mother before answering questions.",
        food_concern=FoodConcern.NONE,
        injuries_seen=False,
    )
    return observation.model_copy(update=changes)


def make_injury(**changes: object) -> InjuryObservation:
    injury = InjuryObservation(
        id=uuid.uuid4(),
        # On the front view the child's left upper arm is on the viewer's right.
        view=BodyView.FRONT,
        x=Decimal("0.79"),
        y=Decimal("0.33"),
        region=BodyRegion.UPPER_ARM,
        side=BodySide.LEFT,
        injury_type=InjuryType.BRUISE,
        length_cm=Decimal("2.5"),
        width_cm=Decimal("1.0"),
        colours=(InjuryColour.PURPLE,),
        skin_broken=False,
        seen_at=VISIT_START,
        recorded_by="J. Okafor",
        explanation_given_by=ExplanationSource.PARENT,
        explanation_words="She fell off the sofa.",
        child_account="",
        consistent_with_explanation=Consistency.UNSURE,
        independently_mobile=True,
        manager_informed=True,
        medical_referral=False,
    )
    return injury.model_copy(update=changes)


def make_visit(case: Case, on_visit: list[Child], **changes: object) -> Visit:
    visit = Visit(
        id=uuid.uuid4(),
        case_id=case.id,
        worker="J. Okafor",
        visit_type=VisitType.STATUTORY,
        announced=False,
        started_at=VISIT_START,
        ended_at=VISIT_START.replace(hour=15, minute=40),
        location="Family home",
        purpose="Statutory child protection visit.",
        outcome=VisitOutcome.COMPLETED,
        people_present=(PersonPresent(name="Magda Nowak", relationship="mother"),),
        absent_fathers_or_partners_asked_about=True,
        language_of_children="English",
        language_of_parents="English",
        children=tuple(make_observation(c) for c in on_visit),
        home=HomeConditions(description="Warm, tidy; food in the fridge."),
        adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=False,
                                      household_changes=False),
        analysis="No new concerns; plan remains appropriate.",
    )
    return visit.model_copy(update=changes)




def make_notification(case: Case, children: list[Child], **changes: object) -> AgencyNotification:
    """A police domestic abuse notification about `children`, as a worker would record it."""
    note = AgencyNotification(
        id=uuid.uuid4(), case_id=case.id, child_ids=tuple(c.id for c in children),
        source="West Midlands Police, PC 4471 Shah", kind=AgencyKind.POLICE_DOMESTIC_ABUSE,
        received_on=date(2026, 11, 14),
        summary="Police called to the home at 23:40 on 13 November: mother's partner shouting; "
                "children upstairs, not spoken to.",
        child_seen_on=date(2026, 11, 13), entered_by="J. Okafor", entered_at=NOW,
        reports_injury=False, reports_food_or_weight=False,
    )
    return note.model_copy(update=changes)
