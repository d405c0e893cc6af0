"""Issue 6 end to end: red flags reach the team lead first, and a question reaches the worker.

A real central process (SQLite and PostgreSQL), a worker's vault and a team lead's vault,
both synced through the real `homevisit sync` command.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from central.services import admin
from desktop_app.cli.review import run_and_index
from desktop_app.cli.vault import export_document
from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from desktop_app.session import Session
from records.corrections import ReviewOutcome
from records.flag_types import Decision
from records.flags import FlagCode, FlagRules
from records.schedule import WorkingCalendar, next_visit_due
from records.visit import ExplanationSource, FoodConcern, VisitOutcome
from storage.review_decisions import ReviewDesk, open_questions
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from storage.vault import Vault
from storage.workspace import Workspace
from sync.engine import SyncEngine
from sync.ledger import SyncLedger
from sync.transport import CentralClient
from tests.factories import make_injury, make_observation, make_visit
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_end_to_end import enrolled
from tests.vaults import PASSPHRASE, FixedClock

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
MOTHER_SAYS = "Her mother said Ana was too tired to talk to me on her own."


def record_three_visits(worker_laptop: object) -> list[object]:
    """A bruise explained by her brother, then not seen alone twice, then a food concern."""
    from tests.sync.harness import Laptop

    assert isinstance(worker_laptop, Laptop)
    ids = []
    with worker_laptop.workspace(FixedClock(NOW)) as workspace:
        case = workspace.cases.cases()[0]
        (ana,) = workspace.cases.children(case.id)
        bruise = make_injury(explanation_given_by=ExplanationSource.SIBLING,
                             explanation_words="Her brother said she walked into the door.",
                             seen_at=datetime(2026, 11, 2, 10, 20, tzinfo=UTC))  # at its visit
        observations = [
            make_observation(ana, injuries_seen=True, injuries=(bruise,)),
            make_observation(ana, seen_alone=False, reason_not_seen_alone=MOTHER_SAYS),
            make_observation(ana, seen_alone=False, reason_not_seen_alone=MOTHER_SAYS,
                             food_concern=FoodConcern.CLEAR,
                             food_concern_details="Ana asked twice for food; cupboards bare."),
        ]
        for weeks_ago, observation in zip((2, 1, 0), observations, strict=True):
            start = datetime(2026, 11, 16, 10, 0, tzinfo=UTC) - timedelta(weeks=weeks_ago)
            visit = make_visit(case, [ana], children=(observation,), started_at=start,
                               ended_at=start + timedelta(hours=1))
            workspace.visits.save_draft(visit)
            workspace.visits.submit(visit)
            ids.append(visit.id)
    return ids


def three_visits_at_central(central: CentralProcess, tmp_path: Path) -> list[UUID]:
    """The world at central, and north1's laptop recording the three visits and syncing."""
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    visits = record_three_visits(worker)
    assert worker.sync().returncode == 0
    return visits


def ana_moved_to_north2(central: CentralProcess,
                        tmp_path: Path) -> tuple[list[UUID], UUID, Laptop]:
    """north1 records the three visits and syncs; Ana is then allocated to north2, whose
    laptop is enrolled and not yet synced: (the visits, Ana's id, north2's laptop)."""
    visits = three_visits_at_central(central, tmp_path)
    with central.admin.admin() as session:
        ana = admin.child_by_reference(session, "N1").id
        admin.assign(session, ana, "north2", central.admin.clock())
    return visits, ana, enrolled(central, tmp_path, "north2")


def test_red_flags_top_the_queue_and_a_returned_question_reaches_the_worker(
        central: CentralProcess, tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    bruise_visit, alone_visit, food_visit = record_three_visits(worker)
    sent = worker.sync()
    assert sent.returncode == 0, sent.stderr
    assert "Sent 3" in sent.stdout

    lead = enrolled(central, tmp_path, "northlead")
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    assert "to review" in pulled.stdout
    clock = FixedClock(NOW)
    with lead.workspace(clock) as workspace:
        conn = workspace.outbox._conn
        # Central said when it received each visit and when the worker's laptop last synced.
        assert conn.execute("SELECT count(*) FROM received_records WHERE kind = 'visit'"
                            " AND central_received_at IS NOT NULL").fetchone()[0] == 3
        assert SyncLedger(conn).device_contacts()["north1"] is not None
        index = ReviewIndex(conn, FlagRules(), clock)
        index.refresh()
        queries = ReviewQueries(conn)
        queue = queries.queue_page(0, 10)
        assert [row.visit_id for row in queue] == [bruise_visit, alone_visit, food_visit]
        assert all(row.rank == 0 and row.red_count >= 1 for row in queue)
        assert "brother" in queue[0].headline or "sibling" in queue[0].headline
        ana = index.children_of_visit(alone_visit)[0]
        codes = {f.code for f in queries.flags_of_child(ana) if f.severity.value == "red"}
        assert {FlagCode.INJURY_RECORDED, FlagCode.NOT_SEEN_ALONE,
                FlagCode.FOOD_OR_WEIGHT} <= codes
        dashboard = queries.dashboard(NOW.date())
        assert [a.child_id for a in dashboard.not_seen_alone_in_a_row] == [ana]
        assert [a.child_id for a in dashboard.injured_recently] == [ana]
        desk = ReviewDesk(conn, workspace.device, workspace.audit, index,
                          reviewer="Team lead", clock=clock)
        question = "Who else was at home when Ana got the bruise? Please see her alone."
        returned = desk.return_with_question(bruise_visit, question)
        desk.sign_off(food_visit)
        assert queries.queue_row(bruise_visit).decision == Decision.RETURNED  # type: ignore[union-attr]
        assert food_visit not in [row.visit_id for row in queries.queue_page(0, 10)]
    decided = lead.sync()
    assert decided.returncode == 0, decided.stderr
    assert "Sent 2" in decided.stdout

    asked = worker.sync()
    assert asked.returncode == 0, asked.stderr
    assert "returned 1 visit with a question" in asked.stdout
    with worker.workspace(clock) as workspace:
        conn = workspace.outbox._conn
        (waiting,) = open_questions(conn)
        assert waiting.visit_id == bruise_visit and waiting.question == question
        assert waiting.review_id == returned.id
        workspace.visits.add_addendum(bruise_visit, reason="Answering the team lead's question",
                                      text="Only her mother and brother were home.",
                                      author="J. Okafor", answers_review_id=returned.id)
        assert open_questions(conn) == []
    assert worker.sync().returncode == 0

    assert lead.sync().returncode == 0
    with lead.indexed(clock) as (workspace, _index):
        conn = workspace.outbox._conn
        row = ReviewQueries(conn).queue_row(bruise_visit)
        assert row is not None and row.decision == Decision.ANSWERED
        outcomes = [d.outcome for d in ReviewQueries(conn).decisions_on(food_visit)]
        assert outcomes == [ReviewOutcome.SIGNED_OFF]


def test_a_child_moved_to_another_team_arrives_with_their_history(
        central: CentralProcess, tmp_path: Path) -> None:
    """Ana moves from North to South after three visits (a bruise her brother explained,
    then not seen alone twice). South's team lead pulled only Ana herself: their laptop
    counted her never visited, knew no injury, and no pattern, while central's pages counted
    all three visits. Now the visits come with her, and South's lead may decide on them."""
    visits = three_visits_at_central(central, tmp_path)
    south_lead = enrolled(central, tmp_path, "southlead")
    assert south_lead.sync().returncode == 0
    with central.admin.admin() as session:
        ana = admin.child_by_reference(session, "N1").id
        admin.assign(session, ana, "south1", central.admin.clock())
    pulled = south_lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    clock = FixedClock(NOW)
    with south_lead.indexed(clock) as (workspace, index):
        conn = workspace.outbox._conn
        queries = ReviewQueries(conn)
        assert {row.visit_id for row in queries.queue_page(0, 10)} == set(visits)
        codes = {f.code for f in queries.flags_of_child(ana) if f.severity.value == "red"}
        assert {FlagCode.INJURY_RECORDED, FlagCode.NOT_SEEN_ALONE} <= codes
        dashboard = queries.dashboard(NOW.date())
        assert [a.child_id for a in dashboard.injured_recently] == [ana]
        desk = ReviewDesk(conn, workspace.device, workspace.audit, index,
                          reviewer="South lead", clock=clock)
        desk.sign_off(visits[2], "Seen the food concern; referral made.")
    sent = south_lead.sync()
    assert sent.returncode == 0, sent.stderr
    assert "refused" not in sent.stdout.lower(), sent.stdout


def test_a_child_moved_to_another_worker_arrives_on_their_laptop_with_their_history(
        central: CentralProcess, tmp_path: Path) -> None:
    """Ana moves from north1 to north2 after the same three visits. north2's laptop held
    only what north2 made: it counted Ana never seen and overdue, knew no bruise for the body
    map, and a visit where she was again not seen alone showed amber, the first of a
    streak. Now her visits come with her; north2's own visit is not sent back to them."""
    visits, ana, new_worker = ana_moved_to_north2(central, tmp_path)
    pulled = new_worker.sync()
    assert pulled.returncode == 0, pulled.stderr
    policy = Policy()
    with Vault.unlock(new_worker.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="P. Nowak",
                                   clock=FixedClock(datetime.now(UTC)))
        services = VaultServices(Session(vault, workspace), policy)
        (row,) = [r for r in services.caseload() if r.child_id == ana]
        assert row.last_seen == NOW.date()  # the latest visit: seen, though not alone
        # A subject access export holds them too, as received from north1's laptop.
        received = export_document(workspace, vault.connection)["received"]
        assert sorted(r["record"]["id"] for r in received) == sorted(map(str, visits))
        assert {r["received_from"] for r in received} == {"north1"}
        assert row.seen_alone_when_last_seen is False
        case = workspace.cases.case(workspace.cases.child(ana).case_id)
        opened = services.start_visit(case.id, [ana])
        assert [i.explanation_words for i in opened.earlier_injuries[ana]] == [
            "Her brother said she walked into the door."]
        again = make_visit(case, [workspace.cases.child(ana)], children=(make_observation(
            workspace.cases.child(ana), seen_alone=False, reason_not_seen_alone=MOTHER_SAYS),),
            started_at=datetime.now(UTC) - timedelta(hours=2),
            ended_at=datetime.now(UTC) - timedelta(hours=1))
        # A visit where nobody answered counts the next due date from her last sighting,
        # at north1's visit, not from her plan's start.
        no_answer = again.model_copy(update={
            "id": uuid4(), "outcome": VisitOutcome.NO_ACCESS, "children": (make_observation(
                workspace.cases.child(ana), seen=False),)})
        assert services.next_visit_due(no_answer) == next_visit_due(
            workspace.cases.child(ana), NOW.date(), policy.visit_standards, WorkingCalendar())
        flags = services.flags_if_submitted(again)
        assert any(f.code is FlagCode.NOT_SEEN_ALONE and f.severity.value == "red"
                   for f in flags), flags
        workspace.visits.save_draft(again)
        workspace.visits.submit(again)
    sent = new_worker.sync()
    assert sent.returncode == 0, sent.stderr
    with new_worker.workspace() as workspace:
        held = {UUID(r[0]) for r in workspace.outbox._conn.execute(
            "SELECT id FROM received_records WHERE kind = 'visit'")}
    assert held == set(visits)  # north1's three; north2's own did not come back
    # Ana moves on to South: the visits that came with her leave north2's laptop with her
    # (north2's own visit stays until central holds it and the purge takes it).
    with central.admin.admin() as session:
        admin.assign(session, ana, "south1", central.admin.clock())
    assert new_worker.sync().returncode == 0
    with new_worker.workspace() as workspace:
        conn = workspace.outbox._conn
        assert conn.execute("SELECT count(*) FROM received_records WHERE kind IN"
                            " ('visit', 'addendum')").fetchone()[0] == 0
        assert conn.execute("SELECT rowid FROM received_search WHERE received_search"
                            " MATCH 'door'").fetchall() == []
        assert conn.execute("SELECT count(*) FROM review_visits").fetchone()[0] == 0
        assert workspace.visits.get(again.id) is not None


def test_each_sync_run_indexes_what_it_pulled_and_what_an_earlier_run_left(
        central: CentralProcess, tmp_path: Path) -> None:
    """The window's sync thread and `homevisit sync` run until stopped index on a worker's
    laptop too (`run_and_index`), and a run that pulls nothing still indexes what an
    earlier one left pending (a worker has no review screen to do it)."""
    visits, _ana, new_worker = ana_moved_to_north2(central, tmp_path)
    with Vault.unlock(new_worker.directory, PASSPHRASE) as vault:
        conn = vault.connection
        workspace = Workspace.over(conn, actor="P. Nowak")
        enrollment = SyncLedger(conn).enrollment()
        assert enrollment is not None

        def indexed() -> set[UUID]:
            return {UUID(r[0]) for r in conn.execute("SELECT visit_id FROM review_visits")}

        with CentralClient(enrollment.server_url, timeout_seconds=10) as client:
            engine = SyncEngine(conn, workspace.device, client, audit=workspace.audit,
                                attempts=1)
            assert run_and_index(engine, conn, Policy()).pulled > 0
            assert indexed() == set(visits)
            conn.execute("DELETE FROM review_visit_children")
            conn.execute("DELETE FROM review_visits")
            conn.execute("INSERT INTO review_pending (record_id, kind) SELECT id, kind"
                         " FROM received_records")  # as a run stopped part-way leaves it
            assert run_and_index(engine, conn, Policy()).pulled == 0
            assert indexed() == set(visits)


def test_a_child_who_moves_back_to_a_team_brings_back_their_history(
        central: CentralProcess, tmp_path: Path) -> None:
    """Ana moves from North to South and back. North's lead's laptop dropped her from its
    index when she left (the records stay); when she comes back, the visits North itself
    made must count again: her last sighting, her bruise, her streak."""
    visits = three_visits_at_central(central, tmp_path)
    lead = enrolled(central, tmp_path, "northlead")
    clock = FixedClock(NOW)

    def lead_knows_of() -> set[UUID]:
        assert lead.sync().returncode == 0
        with lead.indexed(clock) as (_workspace, index):
            history = index.history(ana)
            return {r.visit.id for r in history.visits} if history else set()

    with central.admin.admin() as session:
        ana = admin.child_by_reference(session, "N1").id
    assert lead_knows_of() == set(visits)
    for username in ("south1", "north2"):  # away, and back to North
        with central.admin.admin() as session:
            admin.assign(session, ana, username, central.admin.clock())
        known = lead_knows_of()
    assert known == set(visits)
