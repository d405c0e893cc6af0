"""`make screenshots`: each screen it takes shows what the picture's name says.

The same code that takes the pictures drives the real app here, offscreen, over a demo
vault made on the laptop (fast; `make screenshots` makes its vaults through a local central
as `make run` does), and every check it makes before a picture is saved must pass: the body
map tab current with a mark, the flags those of the answers shown, each mark on the side
its words say, no injury's words cut off. The checks themselves are shown to refuse the
pictures the tester found.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.demo import DEMO_PASSPHRASE, WORKER
from desktop_app.demo_data import make_demo_data
from desktop_app.policy import Policy
from desktop_app.screenshots import (
    SCREENS,
    NotAsNamed,
    check_marks_on_their_side,
    check_no_words_cut_off,
    review_screens,
    worker_screens,
)
from records.body_regions import spot_for
from records.visit import BodyRegion, BodySide, BodyView
from tests.factories import make_injury
from ui.review.chronology import WrappedList
from ui.widgets.body_map import BodyMap, marks_for


def _worker_vault(directory: Path) -> None:
    with sessions.create_vault(directory, DEMO_PASSPHRASE, Policy()) as opened:
        make_demo_data(opened.workspace, children=16, visits=50)


def _team_lead_vault(lead: Path, worker: Path) -> None:
    """The worker's team lead, holding the worker's signed visits as a pull stores them."""
    from records.canonical import canonical_json
    from records.visit import Visit
    from sync.ledger import SyncLedger
    from sync.protocol import Change, ChangeKind, DeviceContact, Role, b64encode

    changes: list[Change] = []
    with sessions.unlock(worker, DEMO_PASSPHRASE, Policy()) as opened:
        cases = opened.workspace.cases
        for case in cases.cases():
            allocated = canonical_json(case.model_copy(update={"allocated_worker": WORKER}))
            for child in cases.children(case.id):
                changes.append(Change(position=len(changes) + 1, kind=ChangeKind.CHILD,
                                      record=canonical_json(child).decode(),
                                      case=allocated.decode()))
        device_id = opened.workspace.device.device_id
        for record, record_hash, signature in opened.vault.connection.execute(
                "SELECT record_json, record_hash, signature FROM visits"
                " WHERE status = 'submitted' ORDER BY submitted_at"):
            ended = Visit.model_validate_json(record).ended_at or datetime.now(UTC)
            changes.append(Change(
                position=len(changes) + 1, kind=ChangeKind.VISIT, record=record,
                record_hash=record_hash, signature=b64encode(signature), device_id=device_id,
                submitted_by=WORKER, received_at=ended + timedelta(hours=2)))
    with sessions.create_vault(lead, DEMO_PASSPHRASE, Policy()) as opened:
        ledger = SyncLedger(opened.vault.connection)
        ledger.save_enrollment(
            server_url="https://central.example.invalid",
            device_id=opened.workspace.device.device_id, username="mlead",
            display_name="M. Lead", role=Role.TEAM_LEAD, team="North",
            audience="homevisit-central", receipt_public_key=b"\0" * 32)
        contact = DeviceContact(device_id=device_id, username=WORKER,
                                last_contact_at=datetime.now(UTC) - timedelta(hours=1))
        ledger.apply_changes(changes, len(changes), [contact])


def test_every_picture_shows_what_its_name_says(qapp: QApplication, tmp_path: Path) -> None:
    worker, lead = tmp_path / "worker", tmp_path / "lead"
    _worker_vault(worker)
    _team_lead_vault(lead, worker)
    taken: list[str] = []

    def shoot(name: str, widget: QWidget) -> None:
        assert not widget.grab().isNull()
        taken.append(name)

    worker_screens(worker, shoot)
    review_screens(lead, shoot)
    assert tuple(taken) == SCREENS


@pytest.mark.parametrize("view", list(BodyView))
def test_a_mark_drawn_on_the_other_side_from_its_words_is_refused(
        qtbot: QtBot, view: BodyView) -> None:
    canvas = BodyMap()
    qtbot.addWidget(canvas)
    canvas.resize(480, 520)
    canvas.show()
    right = spot_for(BodyRegion.UPPER_ARM, BodySide.RIGHT, view)
    assert right is not None and right[0] is view
    # The tester's bruise: words "left upper arm", drawn on the child's right.
    wrong = make_injury(view=view, x=right[1], y=right[2])
    canvas.show_marks(marks_for([wrong]))
    with pytest.raises(NotAsNamed, match="not drawn on the left upper_arm"):
        check_marks_on_their_side(canvas, [wrong], canvas.marks)
    left = spot_for(BodyRegion.UPPER_ARM, BodySide.LEFT, view)
    assert left is not None
    right_place = make_injury(view=view, x=left[1], y=left[2])
    canvas.show_marks(marks_for([right_place]))
    check_marks_on_their_side(canvas, [right_place], canvas.marks)
    on_viewers_right = left[1] > Decimal("0.5")
    assert on_viewers_right is (view is BodyView.FRONT)


def test_an_injury_line_cut_off_at_the_edge_is_refused(qtbot: QtBot) -> None:
    line = ("1. 14 Sep 2026: bruise, left upper arm — explained by sibling: “He did it himself "
            "on the climbing frame, when nobody was watching, and then he fell off the slide.”")
    plain, wrapped = QListWidget(), WrappedList()
    for listing in (plain, wrapped):
        qtbot.addWidget(listing)
        listing.resize(400, 200)
        listing.addItem(line)
        listing.show()
    qtbot.waitExposed(wrapped)
    with pytest.raises(NotAsNamed, match="right-hand edge"):
        check_no_words_cut_off(plain)
    check_no_words_cut_off(wrapped)
