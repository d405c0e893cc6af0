"""`make screenshots`: the real app on `make run`'s demo, a PNG of each main screen.

Run under a display (the Makefile uses Xvfb): python -m desktop_app.screenshots OUT_DIR

The vaults are made exactly as `make run` and `make run-team-lead` make theirs (a local
central seeded with the invented caseload, the worker's visits recorded over it and sent,
the team lead's vault pulling them), so each picture shows what a newcomer will see.

Before each picture is saved, the screen is checked to show what its name says (the body
map tab is current and marked, the flags follow the answers shown, every mark is drawn on
the side its words say, no injury's words are cut off); a screen that does not is an
error, not a picture. tests/desktop_app/test_screenshots.py drives the same screens.
Every family in the pictures is invented by desktop_app.demo_data.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.app import build_window
from desktop_app.demo import DEMO_PASSPHRASE
from desktop_app.policy import Policy
from records.body_regions import region_at, spot_for
from records.visit import BodyRegion, BodySide, BodyView, InjuryObservation, InjuryType

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget, QWidget

    from records.flag_types import Flag
    from ui.review.review_screen import ReviewScreen
    from ui.shell.main_window import MainWindow
    from ui.visit.visit_editor import VisitEditor
    from ui.widgets.body_map import BodyMap, Mark

SCREENS = ("unlock", "caseload", "visit-editor", "body-map", "submitted-visit",
           "review-queue", "review-dashboard", "review-chronology",
           "review-cumulative-body-map")
"""Every picture in docs/screenshots, in the order they are taken."""

POLICY = Policy(photos_allowed=True, pdf_allowed=True)
"""What IT may switch on: the pictures show the photo and PDF buttons too."""

Shoot = Callable[[str, "QWidget"], None]
"""Take the picture `name` of a widget (once the screen has been checked)."""


class NotAsNamed(Exception):
    """A screen does not show what its picture's name says."""


def pump() -> None:
    """Let Qt handle pending events.

    Through a QEventLoop, which is safe on every PySide6 (6.12.0's
    QCoreApplication.processEvents() lost a reference to None a call; we pin 6.11.3).
    """
    from PySide6.QtCore import QEventLoop

    QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _wait(condition: Callable[[], bool], timeout: float = 30.0,
          what: str = "the app did not reach the expected screen") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        pump()
        time.sleep(0.01)


def _settle() -> None:
    """Let the screen finish drawing and the vault lane finish what it was asked."""
    from ui.widgets.background import wait_for_background_work

    for _ in range(5):
        pump()
        wait_for_background_work()
        pump()
        time.sleep(0.02)


def _in_background(work: Callable[[], Any]) -> Any:
    from ui.widgets.background import op

    box: list[Any] = []
    op(None, work).success(box.append).failure(box.append).run()
    _wait(lambda: bool(box))
    if isinstance(box[0], Exception):
        raise box[0]
    return box[0]


def _click(widget: QWidget, at: Any = None) -> None:
    """A real left click, as the worker's mouse makes it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    if at is None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         at)
    pump()


def _unlock(window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.unlock_screen.passphrase.setText(DEMO_PASSPHRASE)
    QTest.keyClick(window.unlock_screen.passphrase, Qt.Key.Key_Return)
    _wait(lambda: window.services is not None, 60.0, "the demo vault did not unlock")


# --- the checks: does the screen show what its name says? ---------------------------------


def _require(condition: bool, problem: str) -> None:
    if not condition:
        raise NotAsNamed(problem)


def check_flags_follow_answers(editor: VisitEditor, expected: list[Flag]) -> None:
    """The editor's flag strip says what these answers leave flagged, no more, no less:
    never "was not seen" beside a child marked seen."""
    from PySide6.QtCore import Qt

    from records.flag_types import FlagCode, Severity
    from ui.visit.draft_flags import answered_flags

    visit = editor.current_visit()
    panel = editor.flags_panel
    words = {Severity.RED: "Red", Severity.AMBER: "Amber"}
    wanted = [f"{words[f.severity]}: {f.worker_sentence}"
              for f in sorted(answered_flags(visit, expected), key=lambda f: f.severity.rank)]
    _require(panel.sentences() == wanted,
             f"the editor's flags {panel.sentences()} are not those of its answers {wanted}")
    codes = {panel.list.item(row).data(Qt.ItemDataRole.UserRole)
             for row in range(panel.list.count())}
    seen = [c for c in visit.children if c.seen is True]
    _require(not (seen and len(seen) == len(visit.children)
                  and FlagCode.CHILD_NOT_SEEN.value in codes),
             "a 'not seen' flag is shown while every child is marked seen")
    _require(len(set(panel.sentences())) == panel.list.count(), "a flag is listed twice")


def check_marks_on_their_side(body_map: BodyMap, injuries: list[InjuryObservation],
                              marks: list[Mark]) -> None:
    """Each mark is drawn on the half of its view where the child's named side is (front:
    the child's left on the viewer's right; back: on the viewer's left), on the part its
    words name, and the picture really has the mark there."""
    from PySide6.QtGui import QColor

    by_id = {i.id: i for i in injuries}
    picture = body_map.grab().toImage()
    ratio = picture.devicePixelRatio()
    for mark in marks:
        injury = by_id[mark.injury_id]
        words = f"{injury.side} {injury.region} ({mark.view} view)"
        _require(injury.region is not None and injury.side is not None,
                 f"injury {mark.number} has a mark but no words")
        _require(region_at(mark.view, mark.x, mark.y) == (injury.region, injury.side),
                 f"mark {mark.number} is not drawn on the {words}")
        rect = body_map.view_rect(mark.view)
        centre = body_map.point_for(mark.view, mark.x, mark.y)
        on_viewers_right = centre.x() > rect.center().x()
        childs_left = on_viewers_right if mark.view is BodyView.FRONT else not on_viewers_right
        if injury.side is not BodySide.CENTRE:
            _require(childs_left == (injury.side is BodySide.LEFT),
                     f"mark {mark.number} is drawn on the wrong side for the {words}")
        # The disc's colour, beside the number written in its middle.
        ring = [QColor(picture.pixel(int((centre.x() + dx) * ratio),
                                     int((centre.y() + dy) * ratio))).saturation()
                for dx, dy in ((-6, 0), (6, 0), (0, -6), (0, 6))]
        _require(max(ring) > 80 or mark.earlier,
                 f"mark {mark.number} is not in the picture at {centre}")


def check_no_words_cut_off(listing: QListWidget) -> None:
    """Every line of the list is shown whole: wrapped to the width, never scrolled away."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle

    _require(listing.count() > 0, "the list is empty")
    _require(listing.wordWrap() and listing.horizontalScrollBar().maximum() == 0,
             "the list's lines run off its right-hand edge")
    metrics = listing.fontMetrics()
    # The item's text is laid out inside its rectangle less the style's text margins.
    margin = listing.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                         listing) + 1
    for row in range(listing.count()):
        item = listing.item(row)
        shown = listing.visualItemRect(item)
        needed = metrics.boundingRect(QRect(0, 0, shown.width() - 2 * margin, 100_000),
                                      int(Qt.TextFlag.TextWordWrap), item.text())
        _require(shown.height() >= needed.height(),
                 f"line {row + 1} of the list is cut off: {item.text()!r}")


def _no_line_twice(listing: QListWidget, what: str) -> None:
    lines = [listing.item(row).text() for row in range(listing.count())]
    _require(len(set(lines)) == len(lines), f"{what} lists a line twice: {lines}")


# --- the worker's screens --------------------------------------------------------------


def worker_screens(directory: Path, shoot: Shoot) -> None:
    """Unlock, caseload, a new visit being written, its body map, a submitted visit."""
    _app, window = build_window(directory, POLICY, hint="Demo vault of invented families.",
                                listen_to_desktop=False)
    try:
        _worker_screens(window, shoot)
    finally:
        _close(window)


def _close(window: MainWindow) -> None:
    """Lock, let the vault lane and the sync thread finish, close: even after a failure."""
    from ui.widgets.background import wait_for_background_work

    window.lock("screenshots done")
    wait_for_background_work()
    window.close()
    if "desktop_app.sync_wiring" in sys.modules:
        from desktop_app.sync_wiring import finish_sync

        finish_sync()


def _worker_screens(window: MainWindow, shoot: Shoot) -> None:
    from PySide6.QtCore import QPoint

    from ui.visit.caseload_screen import CaseloadScreen

    window.resize(1280, 860)
    window.show()
    _settle()
    shoot("unlock", window)
    _unlock(window)
    _wait(lambda: isinstance(window.stack.currentWidget(), CaseloadScreen)
          and window.caseload_screen.table.model().rowCount() > 0, 60.0,
          "the caseload did not show")
    _settle()
    shoot("caseload", window)

    services = window.services
    assert services is not None

    def earlier_injury() -> Any:
        """The newest submitted visit with an injury: its child is visited again."""
        for listing in services.visits(drafts=False):
            opened = services.open_visit(listing.visit_id)
            for observation in opened.visit.children:
                if observation.injuries:
                    return opened, observation.child_id
        raise LookupError("the demo data has no visit with an injury")

    earlier, injured_child = _in_background(earlier_injury)
    child_ids = [c.id for c in earlier.children]
    fresh = _in_background(lambda: services.start_visit(earlier.case.id, child_ids))
    window.show_editor(fresh)
    editor = window.editor
    assert editor is not None
    editor.details.form.rows["purpose"].field.set_value("Statutory visit under the plan.")
    page = next(p for p in editor.child_pages if p.child.id == injured_child)
    editor.tabs.setCurrentIndex(0)  # the essentials: Started, Outcome, then each child
    _settle()
    seen = page.essentials.form
    _click(seen.rows["seen"].field.yes)  # type: ignore[attr-defined]
    _click(seen.rows["seen_alone"].field.no)  # type: ignore[attr-defined]
    reason = seen.rows["reason_not_seen_alone"].field
    reason.set_value("Mother would not leave the room; I will ask to see "
                     f"{page.child.given_name} at school this week.")
    _flags_settled(editor)
    shoot("visit-editor", window)

    editor.tabs.setCurrentWidget(page)
    page.setCurrentIndex(1)  # the body map tab (its panel is built when first shown)
    _settle()
    panel = page.injuries
    where = spot_for(BodyRegion.FOREARM, BodySide.LEFT, BodyView.FRONT)
    assert where is not None
    spot = panel.map.point_for(*where)
    _click(panel.map, QPoint(round(spot.x()), round(spot.y())))
    _require(len(panel.forms) == 1, "a click on the body map did not mark an injury")
    form = panel.forms[0].form
    form.rows["injury_type"].field.set_value(InjuryType.BRUISE)
    _flags_settled(editor)
    _require(page.currentIndex() == 1 and panel.isVisible(),
             "the body map tab is not the one shown")
    _require(bool(panel.map.marks), "the body map has no mark")
    injuries = [InjuryObservation.model_validate(i) for i in panel.collect()]
    check_marks_on_their_side(panel.map, injuries, panel.map.marks)
    _require(panel.list.item(0).text() == "1. Bruise — child's left forearm",
             f"the injury list says {panel.list.item(0).text()!r}")
    shoot("body-map", window)

    window.show_editor(earlier)
    _wait(lambda: window.editor is not None and window.editor.read_only)
    _settle()
    shoot("submitted-visit", window)


def _flags_settled(editor: VisitEditor) -> None:
    """Wait for the flag strip to follow the last answer, then check that it does."""
    _settle()
    editor.refresh_flags()
    _settle()
    services = editor.services
    visit = editor.current_visit()
    expected = _in_background(lambda: services.flags_if_submitted(visit))
    check_flags_follow_answers(editor, expected)


# --- the team lead's screens ------------------------------------------------------------


def review_screens(lead: Path, shoot: Shoot) -> None:
    """The team lead's queue (a red-flagged note open), dashboard, chronology, body map."""
    _app, window = build_window(lead, POLICY, listen_to_desktop=False)
    try:
        _review_screens(window, shoot)
    finally:
        _close(window)


def _review_screens(window: MainWindow, shoot: Shoot) -> None:
    from ui.review.review_screen import ReviewScreen

    window.resize(1280, 860)
    window.show()
    _settle()
    _unlock(window)
    _wait(lambda: isinstance(window.stack.currentWidget(), ReviewScreen), 60.0,
          "the review screen did not open")
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    _wait(lambda: screen.model.rowCount() > 0 and screen.workers.rowCount() > 0, 300.0,
          "the team lead's queue stayed empty")
    _settle()
    shown: list[object] = []
    screen.note_shown.connect(shown.append)
    screen.table.selectRow(0)
    _wait(lambda: bool(shown))
    _settle()
    _require(screen.tabs.currentIndex() == 0, "the queue is not the tab shown")
    note = screen.current
    _require(note is not None and bool(note.flags), "the note open in the queue has no flags")
    assert note is not None
    sentences = [(f.child_id, f.reason) for f in note.flags]
    _require(len(set(sentences)) == len(sentences), "the open note lists a flag twice")
    shoot("review-queue", window)
    screen.tabs.setCurrentIndex(1)
    _settle()
    _require(screen.red.model().rowCount() > 0, "the dashboard lists no child with a red flag")
    shoot("review-dashboard", window)

    _require(screen.injured_model.rowCount() > 0,
             "the demo data has no child injured in the last 90 days")
    child_id = _most_injured(screen)
    opened: list[object] = []
    screen.chronology_shown.connect(opened.append)
    screen.open_child(child_id)
    _wait(lambda: bool(opened))
    _settle()
    chronology = screen.chronology
    assert chronology is not None
    _require(screen.tabs.currentIndex() == 2, "the child's chronology is not the tab shown")
    _require(bool(screen.body_map.marks), "the cumulative body map has no mark")
    check_marks_on_their_side(screen.body_map, [i.injury for i in chronology.injuries],
                              screen.body_map.marks)
    check_no_words_cut_off(screen.injury_list)
    check_no_words_cut_off(screen.flag_list)
    _no_line_twice(screen.flag_list, "the child's flags")
    _no_line_twice(screen.injury_list, "the child's injuries")
    shoot("review-chronology", window)
    shoot("review-cumulative-body-map", screen.body_map)


def _most_injured(screen: ReviewScreen) -> Any:
    """The child injured lately whose map has most to show: marks on both views (the
    child's sides are drawn differently on each), then the most injuries on record."""
    services = screen.services
    candidates = [screen.injured_model.child_id(row)
                  for row in range(screen.injured_model.rowCount())]

    def shown(child_id: Any) -> tuple[int, int]:
        injuries = [d.injury for d in services.chronology(child_id).injuries]
        return len({i.view for i in injuries if i.view is not None}), len(injuries)

    ranked = _in_background(lambda: [(shown(c), -n, c) for n, c in enumerate(candidates)])
    return max(ranked, key=lambda found: found[:2])[2]


# --- the command -----------------------------------------------------------------------


class Saver:
    """Saves each picture as OUT/NAME.png and remembers which it saved."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.saved: list[str] = []

    def __call__(self, name: str, widget: QWidget) -> None:
        _settle()
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(name)
        print(f"saved {path}", flush=True)  # noqa: T201 - a command-line tool


def main() -> int:
    from desktop_app.demo import (
        TEAM_LEAD,
        WORKER,
        demo_central,
        ensure_demo_vault,
        ensure_demo_visits,
        ensure_enrolled,
    )

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="homevisit-screens-"))
    worker, lead = root / "demo", root / "demo-team-lead"
    save = Saver(out)
    try:
        with demo_central(root / "demo-central") as central:  # as make run starts it
            ensure_demo_vault(worker)
            print(ensure_enrolled(worker, central, WORKER), flush=True)  # noqa: T201
            print(f"Sync: {ensure_demo_visits(worker, central)}", flush=True)  # noqa: T201
            ensure_demo_vault(lead, team_lead=True)  # as make run-team-lead makes it
            print(ensure_enrolled(lead, central, TEAM_LEAD), flush=True)  # noqa: T201
            worker_screens(worker, save)
            review_screens(lead, save)
    finally:
        shutil.rmtree(root, ignore_errors=True)  # the demo's vaults and central, made here
    if tuple(save.saved) != SCREENS:
        raise NotAsNamed(f"took {save.saved}, not {list(SCREENS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
