"""Issue 15, the team lead's screen: a visit that cannot open leaves nothing to sign off, the
status bar keeps workers' questions off a team lead's laptop, and the queue's columns are
whole at the window's default size.

Real vaults filled as pulls fill them (tests/review/team.py); the real window where the
window matters, the review screen on its own otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.case import Case, Child
from records.visit import ExplanationSource, FoodConcern, Visit
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.ui.conftest import PASSPHRASE, unlock
from tests.vaults import FixedClock, new_vault
from ui.review.review_queue_model import COLUMNS
from ui.review.review_screen import ReviewScreen
from ui.widgets.background import wait_for_background_work

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def visit_to(case: Case, child: Child, days_ago: int, **observed: Any) -> Visit:
    start = NOW - timedelta(days=days_ago, hours=6)
    return make_visit(case, [child], children=(make_observation(child, **observed),),
                      started_at=start, ended_at=start + timedelta(hours=1))


@dataclass
class Lead:
    directory: Path
    ana_visit: UUID
    stranger_visit: UUID  # its child's record never reached this laptop


def team_lead_vault(directory: Path) -> Lead:
    """A team lead's vault: Ana with two visits (a bruise, a food concern), and a visit to a
    child whose record central has not sent."""
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ana = make_child(case)
    stranger = make_child(case, given_name="Unsent")
    bruise = visit_to(case, ana, 9, injuries_seen=True, injuries=(make_injury(
        explanation_given_by=ExplanationSource.SIBLING,
        explanation_words="Her brother said she fell."),))
    food = visit_to(case, ana, 3, food_concern=FoodConcern.POSSIBLE,
                    food_concern_details="Hungry after school.")
    unsent = visit_to(case, stranger, 5)
    device = WorkerDevice.make("north1")
    with new_vault(directory, PASSPHRASE) as vault:
        enroll_as_team_lead(vault.connection)
        pull(vault.connection, [*child_changes([(case, [ana])], 1), device.change(bruise, 10),
                                device.change(food, 11), device.change(unsent, 12)])
    return Lead(directory, bruise.id, unsent.id)


@pytest.fixture
def screen(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[ReviewScreen, Lead]]:
    lead = team_lead_vault(tmp_path / "lead")
    clock = FixedClock(NOW)
    with Vault.unlock(lead.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
        services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
        shown = ReviewScreen(services, NOW.date())
        qtbot.addWidget(shown)
        shown.show()
        with qtbot.waitSignal(shown.model.loaded, timeout=15_000):
            shown.reload()
        yield shown, lead
        wait_for_background_work()


def row_of(screen: ReviewScreen, visit_id: UUID) -> int:
    return next(n for n, r in enumerate(screen.model.rows) if r.visit_id == visit_id)


def click_row(qtbot: QtBot, screen: ReviewScreen, row: int) -> None:
    rect = screen.table.visualRect(screen.model.index(row, 1))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_visit_that_cannot_open_clears_the_note_and_turns_the_decisions_off(
        qtbot: QtBot, screen: tuple[ReviewScreen, Lead]) -> None:
    review, lead = screen
    with qtbot.waitSignal(review.note_shown, timeout=15_000):
        click_row(qtbot, review, row_of(review, lead.ana_visit))
    assert "Her brother said she fell." in review.note.toPlainText()
    assert review.sign_off_button.isEnabled()

    click_row(qtbot, review, row_of(review, lead.stranger_visit))
    qtbot.waitUntil(lambda: review.message.text() != "", timeout=15_000)
    assert review.note.toPlainText() == ""  # not the previous child's visit
    assert review.current is None
    for button in (review.sign_off_button, review.return_button, review.child_button):
        assert not button.isEnabled()
    said = review.message.text()
    assert "central has not sent" in said and "Nothing was changed" in said
    review.sign_off()  # as Alt+S would, were the button still on: nothing happens
    assert review.services.queue_count() == 3

    with qtbot.waitSignal(review.note_shown, timeout=15_000):  # back to a visit that opens
        click_row(qtbot, review, row_of(review, lead.ana_visit))
    assert review.sign_off_button.isEnabled() and review.message.text() == ""


def test_a_team_leads_status_bar_carries_no_question_meant_for_a_worker(
        qtbot: QtBot, tmp_path: Path, make_window: Any) -> None:

    lead = team_lead_vault(tmp_path / "lead")
    with Vault.unlock(lead.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="northlead", clock=FixedClock(NOW))
        services = VaultReviewServices(Session(vault, workspace), Policy(),
                                       clock=FixedClock(NOW))
        services.refresh_review()
        services.return_with_question(lead.ana_visit, "Who was at home when she fell?")
        # Central hands the team lead's own return back at the next pull, as it does.
        (record, record_hash, signature) = vault.connection.execute(
            "SELECT canonical_json, record_hash, signature FROM review_decisions").fetchone()
        from sync.protocol import Change, ChangeKind, b64encode
        pull(vault.connection, [Change(
            position=20, kind=ChangeKind.REVIEW, record=record, record_hash=record_hash,
            signature=b64encode(signature), device_id=workspace.device.device_id,
            submitted_by="northlead")])
    window = make_window(lead.directory)
    with qtbot.waitSignal(window.questions_shown, timeout=15_000) as shown:
        unlock(qtbot, window)
    assert shown.args[0] == []
    assert not window.question_count.isVisible()
    assert "returned by your team lead" not in window.question_count.text()


def test_the_queue_columns_are_whole_at_the_default_window_size(
        qtbot: QtBot, tmp_path: Path, make_window: Any) -> None:

    lead = team_lead_vault(tmp_path / "lead")
    window = make_window(lead.directory)
    assert (window.width(), window.height()) == (1100, 760)  # the window's own default
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), ReviewScreen),
                    timeout=15_000)
    review = window.stack.currentWidget()
    assert isinstance(review, ReviewScreen)
    qtbot.waitUntil(lambda: review.model.total == 3, timeout=15_000)
    table = review.table
    metrics = QFontMetrics(table.font())
    for column, title in enumerate(COLUMNS):
        if title in ("Child", "Why first"):
            continue  # free text: the child's names and the reason, each with its tooltip
        for row in range(review.model.rowCount()):
            text = review.model.index(row, column).data()
            assert metrics.horizontalAdvance(text) + 8 <= table.columnWidth(column), (
                f"{title} column cuts off {text!r}")
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), title
        assert table.columnWidth(column) >= table.horizontalHeader().sectionSizeHint(column)
    assert "Awaiting sign-off" in {review.model.index(r, 5).data()
                                   for r in range(review.model.rowCount())}
    # Every column is on screen without scrolling sideways, the reason with room to read.
    why_first = table.columnViewportPosition(6)
    assert why_first > 0 and why_first + 250 <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    workers = review.workers
    qtbot.waitUntil(lambda: workers.rowCount() == 1, timeout=15_000)
    review.tabs.setCurrentIndex(1)  # the dashboard, as a click on its tab shows it
    qtbot.waitUntil(workers.isVisible)
    for column in range(workers.columnCount()):
        heading = workers.horizontalHeaderItem(column).text()
        assert metrics.horizontalAdvance(heading) + 8 <= workers.columnWidth(column), heading
