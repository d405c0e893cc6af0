"""The first look of a day: the review screen shows the queue and the dashboard from the
stored index first, then brings date-only flags (overdue, sign-off pending) up to date a
chunk at a time on the vault lane and reads them again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.flags import FlagRules
from storage.review_index import ReviewIndex
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    enroll_as_team_lead,
    one_child_case,
    pull,
    team_lead_services,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault
from ui.review.review_queue_model import WAITING_COLUMN
from ui.review.review_screen import ReviewScreen
from ui.widgets.background import wait_for_background_work
from ui.widgets.midnight import Midnight

YESTERDAY = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
TODAY = YESTERDAY + timedelta(days=1)


def test_the_screen_reads_first_then_refreshes_yesterdays_flags(qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        workspace = Workspace.over(conn, actor="northlead", clock=FixedClock(TODAY))
        enroll_as_team_lead(conn)
        device = WorkerDevice.make("north1")
        changes = []
        for n in range(3):
            case = make_case().model_copy(update={"allocated_worker": "north1",
                                                  "reference": f"CP-{n}"})
            child = make_child(case)
            start = datetime(2026, 11, 2, 10, tzinfo=UTC)  # due by 16 Nov: overdue on the 17th
            visit = make_visit(case, [child], children=(make_observation(child),),
                               started_at=start, ended_at=start + timedelta(hours=1))
            changes += child_changes([(case, [child])], 100 * n + 1)
            changes.append(device.change(visit, 100 * n + 2))
        pull(conn, changes)
        ReviewIndex(conn, FlagRules(), FixedClock(YESTERDAY)).refresh()
        stale = {r[0] for r in conn.execute("SELECT DISTINCT computed_on FROM review_children")}
        assert stale == {"2026-11-16"}
        assert conn.execute("SELECT sum(overdue) FROM review_children").fetchone()[0] == 0

        services = VaultReviewServices(Session(vault, workspace), Policy(),
                                       clock=FixedClock(TODAY))
        screen = ReviewScreen(services, TODAY.date())
        qtbot.addWidget(screen)
        loads: list[int] = []
        screen.model.loaded.connect(lambda: loads.append(screen.model.total))
        screen.reload()
        qtbot.waitUntil(lambda: len(loads) >= 2, timeout=15_000)  # read, refreshed, read again
        wait_for_background_work()
        fresh = {r[0] for r in conn.execute("SELECT DISTINCT computed_on FROM review_children")}
        assert fresh == {"2026-11-17"}
        assert loads == [3, 3]
        # The dashboard read again after the refresh: all three are overdue today.
        qtbot.waitUntil(lambda: (cell := screen.workers.item(0, 5)) is not None
                        and cell.text() == "3", timeout=15_000)


def test_a_stale_child_no_longer_on_the_laptop_does_not_stop_the_daily_refresh(
        tmp_path: Path) -> None:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        Workspace.over(conn, actor="northlead", clock=FixedClock(TODAY))
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        kept, gone = make_child(case), make_child(case, given_name="Mia")
        pull(conn, child_changes([(case, [kept, gone])], 1))
        ReviewIndex(conn, FlagRules(), FixedClock(YESTERDAY)).refresh()
        conn.execute("DELETE FROM children WHERE id = ?", (str(gone.id),))
        index = ReviewIndex(conn, FlagRules(), FixedClock(TODAY))
        assert index.refresh_stale() == 2
        assert index.refresh_stale() == 0  # not the same chunk again, for ever


def test_waiting_moves_on_when_the_day_turns_while_the_queue_is_shown(
        qtbot: QtBot, tmp_path: Path) -> None:
    """A team lead's laptop left open overnight: at midnight the screen reads again and each
    visit has waited a day longer (it had stayed at the day the screen opened)."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(YESTERDAY)
        _, services = team_lead_services(vault, clock)
        device = WorkerDevice.make("north1")
        case, child = one_child_case()
        start = datetime(2026, 11, 13, 10, tzinfo=UTC)
        visit = make_visit(case, [child], children=(make_observation(child),),
                           started_at=start, ended_at=start + timedelta(hours=1))
        pull(conn, [*child_changes([(case, [child])], 1), device.change(visit, 2)])
        screen = ReviewScreen(services, lambda: clock().date())
        qtbot.addWidget(screen)
        screen.reload()
        qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=15_000)
        waiting = screen.model.index(0, WAITING_COLUMN)
        before = screen.model.data(waiting)
        clock.now = TODAY
        midnight = screen.findChild(Midnight)
        assert midnight is not None
        midnight.passed.emit()  # a minute past midnight
        qtbot.waitUntil(lambda: screen.model.data(waiting) != before, timeout=15_000)
        wait_for_background_work()
        days = int(before.split()[0])
        assert screen.model.data(waiting) == f"{days + 1} days"
        assert screen.today == TODAY.date()
        # Asleep through the next midnight: the window's activation catches the day up.
        clock.now = TODAY + timedelta(days=1)
        screen.check_day()
        qtbot.waitUntil(lambda: screen.model.data(waiting) == f"{days + 2} days",
                        timeout=15_000)
        wait_for_background_work()
