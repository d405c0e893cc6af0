"""A Pelka-like household on a team lead's real vault: the queue's top row names the worst
fact, a never-visited child on a plan is red by name, and the team lead's caseload counts
from the last visit where each child was seen (a no-access visit last)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from records.canonical import canonical_json, hash_bytes
from records.case_notes import AgencyKind
from records.flag_types import FlagCode
from records.schedule import VisitStandards, WorkingCalendar
from records.visit import (
    AdultsAndRisk,
    Consistency,
    ExplanationSource,
    FoodConcern,
    VisitOutcome,
)
from storage.caseload import Caseload
from storage.review_queries import ReviewQueries
from sync.protocol import Change, ChangeKind
from tests.factories import (
    make_case,
    make_child,
    make_injury,
    make_notification,
    make_observation,
    make_visit,
)
from tests.review.team import (
    WorkerDevice,
    child_changes,
    pull,
    team_lead_services,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # a Friday


def at(days_ago: int) -> datetime:
    return NOW - timedelta(days=days_ago, hours=6)


def test_a_pelka_like_household_lights_up_on_the_team_leads_vault(tmp_path: Path) -> None:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        _, services = team_lead_services(vault, clock)
        device = WorkerDevice.make("north1")
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        daniel = make_child(case, given_name="Daniel", born=date(2022, 7, 15))
        sister = make_child(case, given_name="Anna", born=date(2019, 1, 3))
        baby = make_child(make_case().model_copy(update={"allocated_worker": "north1",
                                                         "reference": "CP-2"}),
                          given_name="Leo", born=date(2025, 1, 1))
        baby = baby.model_copy(update={"plan_start_date": NOW.date() - timedelta(days=72)})
        changes = child_changes([(case, [daniel, sister])], 1)
        changes += child_changes([(make_case().model_copy(update={
            "id": baby.case_id, "allocated_worker": "north1", "reference": "CP-2"}), [baby])],
            len(changes) + 1)

        def observed(**kw: object) -> object:
            return make_observation(daniel, seen_alone=False,
                                    reason_not_seen_alone="Mother stayed in the room.", **kw)

        first = make_visit(case, [daniel], started_at=at(21), ended_at=at(21) + timedelta(hours=1),
                           children=(observed(food_concern=FoodConcern.POSSIBLE,
                                              food_concern_details="Thin; asked for food."),))
        bruised = make_visit(
            case, [daniel], started_at=at(14), ended_at=at(14) + timedelta(hours=1),
            children=(observed(
                food_concern=FoodConcern.POSSIBLE, food_concern_details="Took food from bin.",
                bedroom_seen=False, reason_bedroom_not_seen="Door was shut.",
                injuries_seen=True,
                injuries=(make_injury(seen_at=at(14),
                                      explanation_given_by=ExplanationSource.SIBLING,
                                      consistent_with_explanation=Consistency.UNSURE),)),),
            adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=True,
                                          domestic_abuse_details="Police called on Saturday.",
                                          household_changes=False))
        no_access = make_visit(
            case, [daniel], started_at=at(2), ended_at=at(2) + timedelta(minutes=20),
            outcome=VisitOutcome.NO_ACCESS, no_access_reasons="No answer at the door.",
            no_access_steps_taken="Card through the door; called mother.",
            children=(make_observation(daniel, seen=False, seen_alone=None,
                                       reason_not_seen="No access."),))
        for visit in (first, bruised, no_access):
            changes.append(device.change(visit, len(changes) + 1))
        # A week after the visit's bruise, the school reports another (as the Pelka review
        # found: each explained alone, never joined up).
        school = make_notification(
            case, [daniel], kind=AgencyKind.SCHOOL_CONCERN, source="Little Heath Primary",
            received_on=at(7).date(), entered_at=at(7), summary="Bruise on his left cheek.",
            reports_injury=True)
        frozen = canonical_json(school)
        changes.append(Change(position=len(changes) + 1, kind=ChangeKind.NOTE,
                              record=frozen.decode(), record_hash=hash_bytes(frozen),
                              submitted_by="central"))
        pull(conn, changes)
        services.refresh_review()
        queries = ReviewQueries(conn)

        top = queries.queue_page(0, 1)[0]
        assert top.visit_id == bruised.id and top.rank == 0
        assert "explained by a sibling" in top.headline  # not "bedroom not seen"

        red = {c.name: c for c in services.dashboard().red_children}
        assert "Leo Nowak" in red  # never visited, on a plan for 72 days: red by name
        assert "72 days" in red["Leo Nowak"].headline and red["Leo Nowak"].last_seen is None
        assert red["Daniel Nowak"].last_seen == at(14).date()

        flags = {f.code for f in queries.flags_of_child(daniel.id)}
        assert {FlagCode.REPEATED_FOOD_CONCERN, FlagCode.NOT_SEEN_ALONE,
                FlagCode.CHILD_NOT_SEEN, FlagCode.DOMESTIC_ABUSE,
                FlagCode.REPEAT_INJURIES} <= flags
        (injuries,) = [f for f in queries.flags_of_child(daniel.id)
                       if f.code is FlagCode.REPEAT_INJURIES]
        assert injuries.visit_ids == (bruised.id,) and "Little Heath Primary" in injuries.reason

        chronology = services.chronology(daniel.id)
        visits = [e.text for e in chronology.events if e.kind == "visit"]
        assert visits[0].startswith("Visit by J. Okafor: seen, not alone; ")
        assert "working days late (due " in visits[0]  # plan from 1 Sep: seen late
        assert visits[1].endswith("seen, not alone; within the visiting standard")
        assert visits[2] == "Visit by J. Okafor: no access"
        (told,) = [e for e in chronology.events if e.kind == "note"]
        assert told.red and told.text == ("Concern from school from Little Heath Primary "
                                          "(Reports an injury): Bruise on his left cheek.")

        rows = {r.child_id: r for r in Caseload(conn, VisitStandards(), WorkingCalendar()).rows()}
        assert rows[daniel.id].last_seen == at(14).date()  # not the no-access day
        assert rows[daniel.id].seen_alone_when_last_seen is False
        assert rows[daniel.id].next_visit_due == WorkingCalendar().add_working_days(
            at(14).date(), VisitStandards().child_protection_working_days)
        assert rows[baby.id].last_seen is None
