"""The dashboard's red children go most serious first and, between two of the same kind,
the most recent first (domain.md, "Headline severity"; `records.flag_types.Flag.sort_key`),
not the oldest first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.contracts import Dashboard
from records.flag_types import FlagCode
from records.thresholds import FlagThresholds
from records.visit import Consistency, ExplanationSource
from storage.review_queries import ReviewQueries
from storage.vault import Vault
from storage.workspace import Workspace
from sync.protocol import Change
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


@contextmanager
def team_lead(tmp_path: Path) -> Iterator[tuple[Vault, Workspace]]:
    """A team lead's vault, enrolled, its clock at NOW."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="northlead", clock=FixedClock(NOW))
        enroll_as_team_lead(vault.connection)
        yield vault, workspace


def test_two_children_with_the_same_kind_of_red_flag_go_most_recent_first(
        tmp_path: Path) -> None:
    with team_lead(tmp_path) as (vault, workspace):
        conn, clock = vault.connection, FixedClock(NOW)
        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        device = WorkerDevice.make("north1")
        changes: list[Change] = []
        visits = []
        # Bruised 30 days ago, 20 days ago and 5 days ago; named so that the alphabet and
        # the age of the injury would both give the wrong order.
        for n, (name, days_ago) in enumerate((("Adam", 30), ("Bea", 5), ("Cal", 20))):
            case = make_case().model_copy(update={"allocated_worker": "north1",
                                                  "reference": f"CP-{n}"})
            child = make_child(case, given_name=name, born=date(2018, 1, 1))
            changes += child_changes([(case, [child])], len(changes) + 1)
            seen = NOW - timedelta(days=days_ago)
            injury = make_injury(seen_at=seen, explanation_given_by=ExplanationSource.SIBLING,
                                 consistent_with_explanation=Consistency.NO)
            observed = make_observation(child, injuries_seen=True, injuries=(injury,))
            visits.append(make_visit(case, [child], started_at=seen,
                                     ended_at=seen + timedelta(hours=1), children=(observed,)))
        for visit in visits:
            changes.append(device.change(visit, len(changes) + 1))
        pull(conn, changes)
        services.refresh_review()

        dashboard = services.dashboard()
        red = dashboard.red_children
        assert [c.name.split()[0] for c in red] == ["Bea", "Cal", "Adam"]
        # The worker by the name the team lead knows, as the queue gives it, not a username.
        assert {c.worker_name for c in red} == {"J. Okafor"}
        assert [load.who for load in dashboard.workers] == ["J. Okafor"]
        assert all("1 injury recorded" in c.headline for c in red)
        for listed in red:
            flags = ReviewQueries(conn).flags_of_child(listed.child_id)
            assert min(flags, key=lambda f: f.sort_key).code is FlagCode.INJURY_RECORDED


def test_the_queue_says_how_long_a_visit_has_waited_since_central_got_it(
        tmp_path: Path) -> None:
    """'Waiting' is since central received the visit, which sign-off waits from, not since
    the oldest injury behind its worst flag (which made a day-old visit read '40 days')."""
    from datetime import time

    with team_lead(tmp_path) as (vault, workspace):
        conn, clock = vault.connection, FixedClock(NOW)
        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        device = WorkerDevice.make("north1")
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        child = make_child(case, given_name="Dee", born=date(2018, 1, 1))
        changes = child_changes([(case, [child])], 1)
        visits = []
        for days_ago in (40, 1):
            seen = NOW - timedelta(days=days_ago)
            injury = make_injury(seen_at=seen, explanation_given_by=ExplanationSource.PARENT,
                                 consistent_with_explanation=Consistency.YES)
            visits.append(make_visit(case, [child], started_at=seen,
                                     ended_at=seen + timedelta(hours=1), children=(
                                         make_observation(child, injuries_seen=True,
                                                          injuries=(injury,)),)))
        for n, visit in enumerate(visits):
            received = datetime.combine(NOW.date() - timedelta(days=40 - 39 * n), time(12),
                                        tzinfo=UTC)
            changes.append(device.change(visit, len(changes) + 1).model_copy(
                update={"received_at": received}))
        pull(conn, changes)
        services.refresh_review()
        rows = {r.visit_id: r for r in ReviewQueries(conn).queue_page(0, 10)}
        latest = rows[visits[1].id]
        # Its worst flag (injuries at two visits) goes back 40 days; it reached central 1 day ago.
        assert latest.since == visits[0].visit_date
        assert latest.waiting_since == NOW.date() - timedelta(days=1)


def test_a_changed_rule_or_threshold_is_on_screen_the_same_day(tmp_path: Path) -> None:
    """IT lowers 'not seen alone' to red at the first visit (or an upgrade changes a rule):
    the next refresh works every child out again, not tomorrow's daily one."""
    from records.thresholds import FlagThresholds

    with team_lead(tmp_path) as (vault, workspace):
        conn, clock = vault.connection, FixedClock(NOW)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        child = make_child(case, given_name="Eve", born=date(2018, 1, 1))
        seen = NOW - timedelta(days=3)
        visit = make_visit(case, [child], started_at=seen, ended_at=seen + timedelta(hours=1),
                           children=(make_observation(child, seen_alone=False,
                                                      reason_not_seen_alone="Mother stayed."),))
        changes = child_changes([(case, [child])], 1)
        changes.append(WorkerDevice.make("north1").change(visit, len(changes) + 1))
        pull(conn, changes)

        def alone_flag(policy: Policy) -> str:
            services = VaultReviewServices(Session(vault, workspace), policy, clock=clock)
            services.refresh_review()
            (found,) = [f for f in ReviewQueries(conn).flags_of_child(child.id)
                        if f.code is FlagCode.NOT_SEEN_ALONE]
            return found.severity.value

        assert alone_flag(Policy()) == "amber"
        stricter = Policy(flag_thresholds=FlagThresholds(not_seen_alone_red_streak=1))
        assert alone_flag(stricter) == "red"  # same day, no daily refresh
        assert alone_flag(Policy()) == "amber"


def test_a_visit_to_two_children_is_headed_by_the_most_recent_of_the_same_kind(
        tmp_path: Path) -> None:
    """The queue's *Why first* for a shared visit names the flag the review note puts
    first: of two the same kind and colour, the most recent (`Flag.sort_key`)."""
    with team_lead(tmp_path) as (vault, workspace):
        services = VaultReviewServices(Session(vault, workspace), Policy(),
                                       clock=FixedClock(NOW))
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        xena, yuri = make_child(case, given_name="Xena"), make_child(case, given_name="Yuri")
        not_alone = {"seen_alone": False, "reason_not_seen_alone": "Mother stayed."}

        def visit(children: list[object], days_ago: int) -> object:
            start = NOW - timedelta(days=days_ago, hours=6)
            return make_visit(case, children, started_at=start,
                              ended_at=start + timedelta(hours=1),
                              children=tuple(make_observation(c, **not_alone)
                                             for c in children))

        shared = visit([xena, yuri], 1)
        device = WorkerDevice.make("north1")
        pull(vault.connection, [*child_changes([(case, [xena, yuri])], 1),
                                *(device.change(v, 10 + n) for n, v in enumerate(
                                    (visit([xena], 15), visit([yuri], 8), shared)))])
        services.refresh_review()
        note = services.review_note(shared.id)
        assert note.flags[0].reason.startswith("Yuri was not seen alone")
        (row,) = [r for r in services.queue_page(0, 50) if r.visit_id == shared.id]
        assert row.headline == note.flags[0].reason


def _dashboard_under(vault: Vault, workspace: Workspace, thresholds: FlagThresholds) -> Dashboard:
    """The team lead's dashboard, the index refreshed, under a council's thresholds."""
    services = VaultReviewServices(Session(vault, workspace), Policy(flag_thresholds=thresholds),
                                   clock=FixedClock(NOW))
    services.refresh_review()
    return services.dashboard()


def test_the_dashboards_injuries_look_back_over_the_councils_window(tmp_path: Path) -> None:
    """Injured 40 days ago: on the list under a 90-day window, off it under 30 days, as
    central's list counts with the same policy."""
    with team_lead(tmp_path) as (vault, workspace):
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana = make_child(case)
        seen = NOW - timedelta(days=40)
        injury = make_injury(seen_at=seen)
        visit = make_visit(case, [ana], started_at=seen, ended_at=seen + timedelta(hours=1),
                           children=(make_observation(ana, injuries_seen=True,
                                                      injuries=(injury,)),))
        pull(vault.connection, [*child_changes([(case, [ana])], 1),
                                WorkerDevice.make("north1").change(visit, 10)])
        for days, listed in ((90, True), (30, False)):
            dashboard = _dashboard_under(vault, workspace,
                                         FlagThresholds(repeat_injury_window_days=days))
            assert dashboard.injury_window_days == days
            assert bool(dashboard.injured_recently) is listed


def test_the_dashboards_not_seen_alone_list_counts_the_councils_red_streak(
        tmp_path: Path) -> None:
    """Seen, not alone, at two visits running: on the list where two turn the flag red, off
    it where the council turns it red at three, as central's list counts with the same
    policy (before, the dashboard listed two whatever the policy said)."""
    with team_lead(tmp_path) as (vault, workspace):
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana = make_child(case)
        device = WorkerDevice.make("north1")
        visits = []
        for days_ago in (15, 8):
            start = NOW - timedelta(days=days_ago, hours=6)
            visits.append(make_visit(case, [ana], started_at=start,
                                     ended_at=start + timedelta(hours=1),
                                     children=(make_observation(
                                         ana, seen_alone=False,
                                         reason_not_seen_alone="Mother stayed."),)))
        pull(vault.connection, [*child_changes([(case, [ana])], 1),
                                *(device.change(v, 10 + n) for n, v in enumerate(visits))])
        for streak, listed in ((2, True), (3, False)):
            dashboard = _dashboard_under(vault, workspace,
                                         FlagThresholds(not_seen_alone_red_streak=streak))
            assert dashboard.not_seen_alone_visits == streak
            assert [a.child_id for a in dashboard.not_seen_alone_in_a_row] == (
                [ana.id] if listed else [])


def test_brothers_and_sisters_with_different_workers_count_under_their_own(
        tmp_path: Path) -> None:
    """Central allocates child by child and sends each child with its case naming that
    child's worker; the laptop kept one record a case, so both children counted under the
    worker of the last one pulled, where central's pages count one each."""
    with team_lead(tmp_path) as (vault, workspace):
        case = make_case()
        xena, yuri = make_child(case, given_name="Xena"), make_child(case, given_name="Yuri")
        pull(vault.connection, [
            *child_changes([(case.model_copy(update={"allocated_worker": "north1"}), [xena])],
                           1),
            *child_changes([(case.model_copy(update={"allocated_worker": "north2"}), [yuri])],
                           2)])
        dashboard = _dashboard_under(vault, workspace, FlagThresholds())
        assert {load.who: load.children for load in dashboard.workers} == {
            "north1": 1, "north2": 1}


def test_a_visit_filed_under_a_case_this_laptop_never_had_still_opens(tmp_path: Path) -> None:
    """A child who moved team and case brings visits filed under their old case, which this
    laptop was never sent: the visit opens, under a case that says it is not here."""
    with team_lead(tmp_path) as (vault, workspace):
        old_case, new_case = make_case(), make_case()
        ana = make_child(new_case)
        start = NOW - timedelta(days=3)
        visit = make_visit(old_case, [ana], started_at=start, ended_at=start + timedelta(hours=1),
                           children=(make_observation(ana),))
        pull(vault.connection, [*child_changes([(new_case, [ana])], 1),
                                WorkerDevice.make("north1").change(visit, 10)])
        services = VaultReviewServices(Session(vault, workspace), Policy(),
                                       clock=FixedClock(NOW))
        services.refresh_review()
        note = services.review_note(visit.id)
        assert note.opened.case.reference == "a case not on this laptop"
        assert [c.id for c in note.opened.children] == [ana.id]
