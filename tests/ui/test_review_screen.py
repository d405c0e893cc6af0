"""The team lead's review screen over a real vault: queue order, the note, sign off, return."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.contracts import OperationKind
from records.visit import AdultsAndRisk, ExplanationSource, FoodConcern
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import PASSPHRASE, FixedClock, new_vault
from ui.review.chronology import write_chronology_pdf
from ui.review.review_screen import ReviewScreen
from ui.review_services import Chronology, ChronologyEvent
from ui.widgets.background import wait_for_background_work

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


@dataclass
class Team:
    screen: ReviewScreen
    workspace: Workspace
    calm_visit: object
    bruise_visit: object
    food_visit: object
    vault: Vault


@pytest.fixture
def team(tmp_path: Path, qtbot: QtBot) -> Iterator[Team]:
    vault = new_vault(tmp_path / "lead", PASSPHRASE)
    clock = FixedClock(NOW)
    workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
    conn = vault.connection
    enroll_as_team_lead(conn)
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ana = make_child(case)
    device = WorkerDevice.make("north1")
    visits = []
    for days_ago, observation in (
        (20, make_observation(ana)),
        (13, make_observation(ana, injuries_seen=True, injuries=(make_injury(
            explanation_given_by=ExplanationSource.SIBLING,
            explanation_words="Her brother said she fell."),))),
        (6, make_observation(ana, food_concern=FoodConcern.POSSIBLE,
                             food_concern_details="Hungry after school.")),
    ):
        start = NOW - timedelta(days=days_ago, hours=6)
        visits.append(make_visit(case, [ana], children=(observation,), started_at=start,
                                 ended_at=start + timedelta(hours=1)))
    pull(conn, child_changes([(case, [ana])], 1)
         + [device.change(v, 10 + n) for n, v in enumerate(visits)])
    services = VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)
    screen = ReviewScreen(services, NOW.date())
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.model.loaded, timeout=15_000):
        screen.reload()
    yield Team(screen, workspace, visits[0].id, visits[1].id, visits[2].id, vault)
    wait_for_background_work()
    vault.close()


def select_row(qtbot: QtBot, screen: ReviewScreen, row: int) -> None:
    rect = screen.table.visualRect(screen.model.index(row, 1))
    with qtbot.waitSignal(screen.note_shown, timeout=15_000):
        qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())


def test_the_queue_puts_red_first_then_the_most_serious_then_the_longest_waiting(
        team: Team) -> None:
    rows = team.screen.model.rows
    # The calm visit has waited 20 days (amber: made late, sign-off pending); the food
    # concern is 6 days old but more serious (records.flag_types.HEADLINE_ORDER).
    assert [r.visit_id for r in rows] == [team.bruise_visit, team.food_visit, team.calm_visit]
    model = team.screen.model
    assert model.index(0, 0).data().startswith("Red")
    assert model.index(1, 0).data().startswith("Amber")
    assert "brother" in model.index(0, 6).data() or "sibling" in model.index(0, 6).data()
    assert model.index(0, 3).data() == "3 Nov 2026"  # as every flag names a day (day_text)
    assert "3 visits to review" in team.screen.count_label.text()


def test_returning_with_a_question_signs_and_queues_it_for_the_worker(qtbot: QtBot,
                                                                       team: Team) -> None:
    screen = team.screen
    select_row(qtbot, screen, 0)
    assert "Her brother said she fell." in screen.note.toPlainText()
    assert screen.note.isReadOnly()
    (stored_hash,) = team.vault.connection.execute(
        "SELECT record_hash FROM received_records WHERE id = ?", (str(team.bruise_visit),)
    ).fetchone()
    assert len(stored_hash) == 64 and stored_hash in screen.note.toPlainText()
    qtbot.mouseClick(screen.return_button, Qt.MouseButton.LeftButton)  # no question yet
    assert "Nothing was sent" in screen.message.text()
    assert team.workspace.outbox.operations() == []
    screen.comment.setFocus()
    qtbot.keyClicks(screen.comment, "Who was at home when she fell?")
    with qtbot.waitSignal(screen.decided, timeout=15_000):
        qtbot.mouseClick(screen.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.rows[0].decision == "returned", timeout=15_000)
    wait_for_background_work()
    (op,) = team.workspace.outbox.operations()
    assert op.kind is OperationKind.DECIDE_REVIEW and op.subject_id
    assert "Who was at home when she fell?" in op.payload["record"]
    assert screen.model.index(0, 5).data().startswith("Returned")
    assert not screen.return_button.isEnabled()
    qtbot.waitUntil(lambda: "16 Nov 2026: returned by" in screen.note.toPlainText(),
                    timeout=15_000)  # the day in England the decision was made


def test_signing_off_takes_the_visit_out_of_the_queue(qtbot: QtBot, team: Team) -> None:
    screen = team.screen
    select_row(qtbot, screen, 1)
    assert screen.current is not None and screen.current.row.visit_id == team.food_visit
    with qtbot.waitSignal(screen.decided, timeout=15_000):
        qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert [r.visit_id for r in screen.model.rows] == [team.bruise_visit, team.calm_visit]
    wait_for_background_work()
    (op,) = team.workspace.outbox.operations()
    assert '"outcome":"signed_off"' in op.payload["record"]


def test_escalating_records_what_to_and_takes_the_visit_out_of_the_queue(
        qtbot: QtBot, team: Team) -> None:
    screen = team.screen
    select_row(qtbot, screen, 0)
    assert screen.current is not None and screen.current.row.visit_id == team.bruise_visit
    assert screen.escalate_button.isEnabled()
    qtbot.mouseClick(screen.escalate_button, Qt.MouseButton.LeftButton)  # nothing said yet
    assert "Nothing was sent" in screen.message.text() and screen.comment.hasFocus()
    assert team.workspace.outbox.operations() == []
    qtbot.keyClicks(screen.comment, "Strategy discussion with police, Thursday 10:00.")
    with qtbot.waitSignal(screen.decided, timeout=15_000):
        qtbot.mouseClick(screen.escalate_button, Qt.MouseButton.LeftButton)
    assert team.bruise_visit not in [r.visit_id for r in screen.model.rows]
    wait_for_background_work()
    (op,) = team.workspace.outbox.operations()
    assert '"outcome":"escalated"' in op.payload["record"]
    assert "Strategy discussion with police" in op.payload["record"]


def test_signing_off_a_low_risk_score_needs_a_comment_saying_why_it_is_not_escalated(
        qtbot: QtBot, team: Team) -> None:
    """The sign-off settles the low score's flag: not acting on a high risk is written."""
    screen = team.screen
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ben = make_child(case, given_name="Ben")
    start = NOW - timedelta(days=2, hours=6)
    scored = make_visit(case, [ben], started_at=start, ended_at=start + timedelta(hours=1),
                        adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=False,
                                                      household_changes=False, risk_scale=2))
    pull(team.vault.connection, [*child_changes([(case, [ben])], 100),
                                 WorkerDevice.make("north1").change(scored, 110)])
    with qtbot.waitSignal(screen.model.loaded, timeout=15_000):
        screen.reload()
    row = next(n for n, r in enumerate(screen.model.rows) if r.visit_id == scored.id)
    select_row(qtbot, screen, row)
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing was sent" in screen.message.text(), timeout=15_000)
    assert "Signs of Safety score of 2" in screen.message.text()
    assert "why it is not escalated" in screen.message.text()
    wait_for_background_work()
    assert team.workspace.outbox.operations() == []
    qtbot.waitUntil(screen.sign_off_button.isEnabled, timeout=15_000)
    screen.comment.setFocus()
    qtbot.keyClicks(screen.comment, "Safety plan agreed with the family; reviewed at core group.")
    with qtbot.waitSignal(screen.decided, timeout=15_000):
        qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    wait_for_background_work()
    (op,) = team.workspace.outbox.operations()
    assert '"outcome":"signed_off"' in op.payload["record"]
    assert "Safety plan agreed" in op.payload["record"]


def test_dashboard_and_chronology_show_the_child(qtbot: QtBot, team: Team,
                                                 tmp_path: Path) -> None:
    screen = team.screen
    qtbot.waitUntil(lambda: screen.injured_model.rowCount() == 1, timeout=15_000)
    assert screen.workers.item(0, 0).text() == "J. Okafor"  # by name, not username
    # The first was made late; rounded down, as central rounds it (records.wording.percent).
    assert screen.workers.item(0, 6).text() == "66% (2 of 3)"
    assert screen.workers.item(0, 7).text() == "3"
    red = screen.red_model.index(0).data()
    assert red.startswith("Ana Nowak (J. Okafor): ") and "last seen" in red
    # The council's window, as the list counts it (policy `repeat_injury_window_days`).
    assert "Injuries in the last 90 days" in screen.injured_heading.text()
    assert screen.injured.accessibleName() == "Children with injuries in the last 90 days"
    assert "Not seen alone at their last 2 visits" in screen.not_alone_heading.text()
    assert screen.not_alone.accessibleName() == "Children not seen alone at their last 2 visits"
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.injured.activated.emit(screen.injured_model.index(0))  # as Enter or a double-click
    QEventLoop().processEvents()
    assert len(screen.body_map.marks) == 1
    assert "explained by: Sibling" in screen.injury_list.item(0).text()
    assert screen.timeline.chronology is not None
    kinds = {e.kind for e in screen.timeline.chronology.events}
    assert {"visit", "injury", "flag"} <= kinds
    pdf = tmp_path / "chronology.pdf"
    write_chronology_pdf(screen.timeline.chronology, pdf, printed_by="Team lead",
                         printed_at=datetime.now(UTC))
    written = pdf.read_bytes()
    assert written.startswith(b"%PDF") and len(written) > 5_000  # text, timeline, body map
    assert list(tmp_path.glob(".*.part")) == []


def test_a_team_lead_unlocking_lands_on_the_review_queue(qtbot: QtBot, tmp_path: Path,
                                                        make_window: Any) -> None:
    from tests.ui.conftest import PASSPHRASE as UI_PASSPHRASE
    from tests.ui.conftest import make_household_vault, unlock

    household = make_household_vault(tmp_path / "vault")
    with Vault.unlock(household.directory, UI_PASSPHRASE) as vault:
        enroll_as_team_lead(vault.connection)
    window = make_window(household.directory)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), ReviewScreen),
                    timeout=15_000)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    qtbot.waitUntil(lambda: screen.workers.rowCount() == 1, timeout=15_000)
    assert screen.model.total == 0
    window.lock("test")
    QEventLoop().processEvents()
    assert all(not isinstance(window.stack.widget(i), ReviewScreen)
               for i in range(window.stack.count()))


def big_chronology(shown: Chronology) -> Chronology:
    """The child's real chronology with two years of events every six days before it: dozens of
    pages and a dozen timelines, long enough that laying it out takes a while."""
    first = min(e.day for e in shown.events)
    extra = [ChronologyEvent(first - timedelta(days=day), kind,
                             f"Earlier {kind} {day}: " + "words a worker wrote " * (day % 6),
                             red=day % 35 == 0)
             for day in range(1, 2 * 365, 6) for kind in ("visit", "note")]
    events = sorted(extra + list(shown.events), key=lambda e: e.day)
    return dataclasses.replace(shown, events=events)


def test_the_window_keeps_turning_while_a_long_chronology_is_saved_as_pdf(
        qtbot: QtBot, team: Team, tmp_path: Path, qtlog: Any) -> None:
    """Laying out and painting the pages runs on the lane: a UI-thread timer keeps ticking
    from the click until the file is written, and the file is the whole chronology."""
    screen = team.screen
    qtbot.waitUntil(lambda: screen.injured_model.rowCount() == 1, timeout=15_000)
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.injured.activated.emit(screen.injured_model.index(0))
    assert screen.chronology is not None
    screen.services.pdf_allowed = True  # as policy `pdf_allowed = true` sets it
    screen.show_chronology(big_chronology(screen.chronology))
    pdf = tmp_path / "chronology.pdf"
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(pdf.exists()))
    timer.start()
    screen.export_pdf(pdf)
    ticked_before_return = len(ticks)
    handed_off = not pdf.exists()  # the pages are laid out after export_pdf returns
    qtbot.waitUntil(lambda: screen.message.text() == "Chronology saved as PDF.",
                    timeout=60_000)
    timer.stop()
    assert ticked_before_return == 0  # export_pdf returned without turning the loop itself
    assert handed_off
    # The loop kept turning until the file was there (on the UI thread it turned once, after);
    # how often depends on the machine's load, so only "more than once" is asked.
    while_written = ticks.count(False)
    assert while_written >= 3, f"the UI thread ticked {while_written} times while writing"
    pages = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")[:-1]
    assert len(pages) >= 6
    everything = " ".join(" ".join(pages).split())
    assert "Earlier visit 727:" in everything and "Earlier note 1:" in everything
    assert all(f"Page {n} of {len(pages)}" in " ".join(page.split())
               for n, page in enumerate(pages, start=1))
    assert "Her brother said she fell." in everything or "Sibling" in everything
    warnings = [r.message for r in qtlog.records if "thread" in r.message.lower()
                or "pixmap" in r.message.lower()]
    assert warnings == []  # no QPixmap or widget touched off the UI thread


@pytest.mark.expect_log("^PDF made without the PDF/A-2a and PDF/UA-1 checks")
def test_a_chronology_with_a_character_no_font_has_is_saved_and_the_reviewer_told(
        qtbot: QtBot, team: Team, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A character no font on the laptop has (U+F8FF, a logo pasted from a Mac) no longer
    refuses the PDF: it is saved, the reviewer is told which character could not be drawn
    and that IT can add fonts, and the log says what kind of thing happened, not the words."""
    screen = team.screen
    qtbot.waitUntil(lambda: screen.injured_model.rowCount() == 1, timeout=15_000)
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.injured.activated.emit(screen.injured_model.index(0))
    shown = screen.chronology
    assert shown is not None
    screen.services.pdf_allowed = True
    words = "Said she loves her phone \uf8ff Ev01x"
    screen.show_chronology(dataclasses.replace(shown, events=[
        *shown.events, ChronologyEvent(shown.events[-1].day, "note", words)]))
    pdf = tmp_path / "chronology.pdf"
    with caplog.at_level(logging.WARNING):
        screen.export_pdf(pdf)
        qtbot.waitUntil(lambda: "U+F8FF" in screen.message.text(), timeout=60_000)
    message = screen.message.text()
    assert "could not be drawn with the fonts on this laptop" in message
    assert "IT can install fonts" in message
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Said she loves her phone" in text and "Ev01x" in text
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "a glyph no font on this laptop has" in logged
    assert "Ev01x" not in logged and "\uf8ff" not in logged and "phone" not in logged


@pytest.mark.expect_log("^Chronology PDF not made: FileNotFoundError$")
def test_a_chronology_pdf_that_cannot_be_written_is_said_and_logged_by_its_type(
        qtbot: QtBot, team: Team, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A folder that is not there: the reviewer reads that nothing was lost and to choose
    another folder, and the log has the kind of error (for IT), not the path or the words."""
    screen = team.screen
    qtbot.waitUntil(lambda: screen.injured_model.rowCount() == 1, timeout=15_000)
    with qtbot.waitSignal(screen.chronology_shown, timeout=15_000):
        screen.injured.activated.emit(screen.injured_model.index(0))
    screen.services.pdf_allowed = True
    screen.export_pdf(tmp_path / "gone" / "chronology.pdf")
    qtbot.waitUntil(lambda: "could not be written there" in screen.message.text(),
                    timeout=60_000)
    assert "Nothing was lost" in screen.message.text()
    assert "Chronology PDF not made: FileNotFoundError" in [r.getMessage() for r in
                                                            caplog.records]
