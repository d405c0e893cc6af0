"""Issue 15: a team lead who enrolls today sees their team's children and history.

A real central process (SQLite and PostgreSQL), a worker's vault and a team lead's vault,
synced through the real `homevisit sync` command; the team lead's side read and decided
through `VaultReviewServices`, the services the review screen uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import select

from central.db.models import ReviewRow
from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.visit import ExplanationSource
from storage.vault import Vault
from storage.workspace import Workspace
from tests.central.harness import WORLD_CSV
from tests.factories import make_injury, make_observation, make_visit
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_end_to_end import enrolled
from tests.vaults import PASSPHRASE, FixedClock

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


@contextmanager
def review_services(laptop: Laptop) -> Iterator[VaultReviewServices]:
    """The review screen's services over the team lead's vault, as the app wires them."""
    clock = FixedClock(NOW)
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
        yield VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)


def submit_bruise_explained_by_brother(worker: Laptop) -> UUID:
    with worker.workspace(FixedClock(NOW)) as workspace:
        (case,) = workspace.cases.cases()
        (ana,) = workspace.cases.children(case.id)
        start = NOW - timedelta(hours=4)
        bruise = make_injury(explanation_given_by=ExplanationSource.SIBLING,
                             explanation_words="Her brother said she walked into the door.")
        visit = make_visit(case, [ana], children=(make_observation(
            ana, injuries_seen=True, injuries=(bruise,)),), started_at=start,
            ended_at=start + timedelta(hours=1))
        workspace.visits.save_draft(visit)
        workspace.visits.submit(visit)
        return visit.id


def test_a_team_lead_enrolling_after_the_visit_was_sent_reviews_it_with_names_and_flags(
        central: CentralProcess, tmp_path: Path) -> None:
    central.admin.world()
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    visit_id = submit_bruise_explained_by_brother(worker)
    sent = worker.sync()
    assert sent.returncode == 0 and "Sent 1" in sent.stdout, sent.stdout + sent.stderr

    lead = enrolled(central, tmp_path, "northlead")  # first enrolled after the visit was sent
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    with review_services(lead) as services:
        services.refresh_review()
        (row,) = services.queue_page(0, 10)
        assert row.visit_id == visit_id and row.child_names == "Ana Nowak"
        assert row.rank == 0 and row.red_count >= 1  # the queue's Flag column: not "—"
        assert "brother" in row.headline or "sibling" in row.headline
        dashboard = services.dashboard()
        assert {(w.worker, w.children) for w in dashboard.workers} == {
            ("north1", 1), ("north2", 1)}
        assert [a.name for a in dashboard.injured_recently] == ["Ana Nowak"]

    # The council corrects the child's name; the queue follows at the next sync.
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(WORLD_CSV.replace(",N1,Ana,", ",N1,Anna,"))
    assert "Imported" in central.command("case", "import", str(corrected))
    assert lead.sync().returncode == 0
    with review_services(lead) as services:
        services.refresh_review()
        (row,) = services.queue_page(0, 10)
        assert row.child_names == "Anna Nowak"
        note = services.review_note(visit_id)
        assert [c.given_name for c in note.opened.children] == ["Anna"]
        assert any(f.severity.value == "red" for f in note.flags)
        assert services.sign_off(visit_id, "Discussed at supervision.") is not None
        assert services.queue_count() == 0

    decided = lead.sync()
    assert decided.returncode == 0 and "Sent 1" in decided.stdout, decided.stdout
    with central.admin.admin() as session:
        outcomes = session.execute(select(ReviewRow.visit_id, ReviewRow.outcome)).all()
    assert outcomes == [(visit_id, "signed_off")]
    assert worker.sync().returncode == 0
    with worker.workspace() as workspace:
        conn = workspace.outbox._conn
        (decision,) = conn.execute(
            "SELECT json_extract(record_json, '$.outcome') FROM received_records"
            " WHERE kind = 'review' AND json_extract(record_json, '$.visit_id') = ?",
            (str(visit_id),)).fetchall()
        assert decision == ("signed_off",)
