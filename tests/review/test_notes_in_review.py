"""A note pulled onto a team lead's laptop (or recorded there) reaches the flags of the
children it names: they are marked for recompute like a visit's, and `child_flags` is given
every note about the child."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_app.policy import Policy
from desktop_app.services import VaultServices
from desktop_app.session import Session
from records import flags as flag_rules
from records.canonical import canonical_json, hash_bytes
from records.case_notes import CaseNote
from records.flags import FlagRules
from storage import review_folds
from storage.cases import CaseRepository
from storage.review_index import ReviewIndex
from storage.review_queries import ReviewQueries
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from sync.protocol import Change, ChangeKind, ChildRemoved
from tests.factories import make_case, make_child, make_notification, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def test_a_pulled_note_recomputes_its_children_with_their_notes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given: dict[uuid.UUID, list[Sequence[CaseNote]]] = {}
    real = flag_rules.flags_of_fold

    def listening(state: Any, child: Any, **options: Any) -> Any:
        given.setdefault(child.id, []).append(tuple(options.get("notes", ())))
        return real(state, child, **options)

    monkeypatch.setattr(review_folds, "flags_of_fold", listening)
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        workspace = Workspace.over(conn, actor="northlead", clock=clock)
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana, tomasz, lena = (make_child(case), make_child(case, given_name="Tomasz"),
                             make_child(case, given_name="Lena"))
        start = NOW - timedelta(days=3)
        visit = make_visit(case, [ana], children=(make_observation(ana),), started_at=start,
                           ended_at=start + timedelta(hours=1))
        changes = child_changes([(case, [ana, tomasz, lena])], 1)
        pull(conn, [*changes, WorkerDevice.make("north1").change(visit, 10)])
        index = ReviewIndex(conn, FlagRules(), clock)
        index.refresh()
        given.clear()

        police = make_notification(case, [ana, tomasz])
        frozen = canonical_json(police)
        pull(conn, [Change(position=11, kind=ChangeKind.NOTE, record=frozen.decode(),
                           record_hash=hash_bytes(frozen), submitted_by="central")])
        report = index.refresh(daily=False)
        assert report.records_indexed == 1
        assert set(given) == {ana.id, tomasz.id}  # Lena is not named: not recomputed
        assert given[ana.id] == [(police,)] and given[tomasz.id] == [(police,)]
        history = index.history(ana.id)
        assert history is not None and history.notes == (police,)
        assert [r.visit.id for r in history.visits] == [visit.id]

        given.clear()  # the team lead records one: Lena's flags are recomputed at once
        school = make_notification(case, [lena], entered_at=NOW - timedelta(hours=1),
                                   entered_by="")
        stored = VaultServices(Session(vault, workspace), Policy()).record_note(school)
        assert stored.note.entered_by == "R. Team Lead"
        assert given[lena.id] == [(stored.note,)]


def test_reading_again_after_the_upgrade_keeps_the_notes_and_children_not_the_visits(
        tmp_path: Path) -> None:
    """Vault schemas 22 and 28 read central's changes again from the start, up to the cursor
    they had (`reread_until`), storing the notes and the children (and removals) only: a
    note with answers a protocol-7 central kept from this laptop arrives, each child takes
    their own worker, and a child taken off the laptop, and their visit, stay gone."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana, tomasz = make_child(case), make_child(case, given_name="Tomasz")
        device = WorkerDevice.make("north1")
        start = NOW - timedelta(days=3)
        about_tomasz = make_visit(case, [tomasz], children=(make_observation(tomasz),),
                                  started_at=start, ended_at=start + timedelta(hours=1))
        about_ana = make_visit(case, [ana], children=(make_observation(ana),),
                               started_at=start, ended_at=start + timedelta(hours=1))
        removed = ChildRemoved(id=tomasz.id, case_id=case.id)
        school = make_notification(case, [ana], reports_food_or_weight=True)
        frozen = canonical_json(school)
        changes = [*child_changes([(case, [ana, tomasz])], 1),
                   device.change(about_tomasz, 10),
                   Change(position=11, kind=ChangeKind.CHILD_REMOVED,
                          record=removed.model_dump_json()),
                   Change(position=12, kind=ChangeKind.NOTE, record=frozen.decode(),
                          record_hash=hash_bytes(frozen), submitted_by="central"),
                   device.change(about_ana, 13)]
        ledger = SyncLedger(conn)
        index = ReviewIndex(conn, FlagRules(), clock)
        # Before the upgrade, in two syncs: central did not send the note (not asked
        # `answered_notes`), and Tomasz was taken off the team after his visit was queued.
        assert ledger.apply_changes(changes[:3], 10) == 3
        index.refresh()
        assert ledger.apply_changes([changes[3], changes[5]], 13) == 2
        index.refresh()
        queued = [row.visit_id for row in ReviewQueries(conn).queue_page(0, 50)]
        assert queued == [about_ana.id]
        conn.execute("UPDATE sync_state SET reread_until = pull_cursor, pull_cursor = 0")

        # Up to 13: the notes, and the children and removals in order (schema 28: each child
        # with their own worker); never a visit again.
        assert ledger.apply_changes(changes[:4], 11) == 3
        assert ledger.apply_changes(changes[4:], 14) == 1  # the note; reading past 13 ends it
        # Stored whole, the same pages would have put Tomasz's visit back in the queue.
        enrollment = ledger.enrollment()
        assert enrollment is not None and enrollment.pull_cursor == 14
        assert conn.execute("SELECT reread_until FROM sync_state").fetchone() == (None,)
        index.refresh()
        assert [row.visit_id for row in ReviewQueries(conn).queue_page(0, 50)] == queued
        history = index.history(ana.id)
        assert history is not None and history.notes == (school,)
        assert index.history(tomasz.id) is None or not index.history(tomasz.id).visits
        later = make_visit(case, [ana], children=(make_observation(ana),),
                           started_at=start, ended_at=start + timedelta(hours=2))
        assert ledger.apply_changes([device.change(later, 15)], 15) == 1  # as ever after


def test_a_police_notification_a_visit_did_not_follow_up_heads_that_visit_in_the_queue(
        tmp_path: Path) -> None:
    """Received 14 Nov; the visit on 16 Nov saw Ana alone and did not discuss it: the team
    lead reviewing that visit sees the red flag in its row and its note, as the dashboard
    shows it, and challenges it at sign-off (domain.md, headline 3)."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana = make_child(case)
        before = NOW - timedelta(days=10)
        after = NOW - timedelta(hours=8)  # 16 Nov, after the notification of 14 Nov
        visits = [make_visit(case, [ana], children=(make_observation(ana),), started_at=start,
                             ended_at=start + timedelta(hours=1)) for start in (before, after)]
        police = make_notification(case, [ana],
                                   entered_at=datetime(2026, 11, 14, 12, 0, tzinfo=UTC))
        typed_late = make_notification(case, [ana], source="Elm Row Primary",
                                       entered_at=NOW + timedelta(hours=1))
        frozen = canonical_json(police)
        late = canonical_json(typed_late)
        device = WorkerDevice.make("north1")
        pull(conn, [*child_changes([(case, [ana])], 1),
                    *(device.change(v, 10 + n) for n, v in enumerate(visits)),
                    Change(position=20, kind=ChangeKind.NOTE, record=frozen.decode(),
                           record_hash=hash_bytes(frozen), submitted_by="central"),
                    Change(position=21, kind=ChangeKind.NOTE, record=late.decode(),
                           record_hash=hash_bytes(late), submitted_by="central")])
        ReviewIndex(conn, FlagRules(), clock).refresh()
        queries = ReviewQueries(conn)
        found = {f.reason.split(" received")[0]: f for f in queries.flags_of_child(ana.id)
                 if f.code.value == "agency_not_followed_up"}
        (flag,) = [f for reason, f in found.items() if "West Midlands" in reason]
        assert flag.severity.value == "red" and flag.visit_ids == (visits[1].id,)
        # Typed in after the visit was recorded: its worker could not have known of it.
        (unknown,) = [f for reason, f in found.items() if "Elm Row" in reason]
        assert unknown.visit_ids == ()
        row = queries.queue_row(visits[1].id)
        assert row is not None and row.rank == 0
        assert "has not been followed up with Ana seen alone" in row.headline
        earlier = queries.queue_row(visits[0].id)
        assert earlier is not None and "followed up" not in earlier.headline


def test_reading_again_gives_each_brother_and_sister_their_own_worker(tmp_path: Path) -> None:
    """Ana (north1's) and Tomasz (north2's) were pulled before vault schema 25, which keeps
    a child's own worker: both counted under the case's worker, the last one pulled. Read
    again (schema 28), each child's change names their own, and each counts under them."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        enroll_as_team_lead(conn)
        case = make_case()
        ana, tomasz = make_child(case), make_child(case, given_name="Tomasz")
        pages = [*child_changes([(case.model_copy(update={"allocated_worker": "north1"}),
                                  [ana])], 1),
                 *child_changes([(case.model_copy(update={"allocated_worker": "north2"}),
                                  [tomasz])], 2)]
        ledger = SyncLedger(conn)
        ledger.apply_changes(pages, 2)
        # As a laptop before schema 25 held them: no worker of their own, the case's the last.
        conn.execute("UPDATE children SET allocated_worker = NULL")
        CaseRepository(conn).save_case(case.model_copy(update={"allocated_worker": "north2"}))
        index = ReviewIndex(conn, FlagRules(), clock)
        index.refresh()

        def workers() -> dict[str, str]:
            return {h.child.given_name: h.worker for h in index.histories([ana.id, tomasz.id])}

        assert workers() == {"Ana": "north2", "Tomasz": "north2"}
        conn.execute("UPDATE sync_state SET reread_until = pull_cursor, pull_cursor = 0")
        assert ledger.apply_changes(pages, 2) == 2
        index.refresh()
        assert workers() == {"Ana": "north1", "Tomasz": "north2"}
