"""How many key presses a complete statutory visit for one child takes, keyboard only.

From the caseload (unlocked) to the submitted visit: every press goes through QTest to the
focused widget, with an application-wide filter that fails the test on any mouse event.
Tab walks each section in the order the window gives; each question the visit needs is
answered where Tab lands on it (Y / N on a yes/no question, Down on a choice, Space on a
tick box or button, text typed into a box); once a section's needed answers are given,
Ctrl+Tab goes to the next. Counted: every key press except the characters of free text
(names, words, descriptions). The figure goes in docs/benchmarks.md, "Keys to record a
visit"; the test prints it and holds it at or under what was measured, so it cannot grow
unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from records.case import PlanType
from storage.workspace import Workspace
from tests.factories import make_case, make_child
from tests.ui.conftest import unlock
from tests.ui.driving import every_dialog_cancelled, when_dialog_opens
from tests.vaults import new_vault
from ui.shell.main_window import MainWindow
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import vault_lane
from ui.widgets.fields import AnswerButton

Key = Qt.Key
NONE, CTRL = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier
MEASURED = 58  # keys counted by this walk on 2026-12-06 (docs/benchmarks.md)

# Per section, in order: what each needed question gets. ("text", s) is free text.
PLAN: list[dict[str, tuple[str, str]]] = [
    {   # Essentials: the visit's outcome, then Ana's essential questions
        r"Outcome": ("key", "Down"),  # completed
        r"Did you see Ana\?": ("key", "Y"),
        r"Did you see Ana alone\?": ("key", "Y"),
        r"Did you speak to Ana alone\?": ("key", "Y"),
        r"Did you see where Ana sleeps\?": ("key", "Y"),
        r"Where and how does Ana sleep\?": ("text", "Own bed in her own room."),
        r"Is there a lock or bolt on the outside of the door\?": ("key", "N"),
        r"Ana's own words": ("text", "I like my teacher."),
        r"How did Ana communicate\?: Spoken": ("key", "Space"),
        r"Any concern about Ana's food, hunger or weight\?": ("key", "Down"),  # none
        r"Did you see any injuries on Ana\?": ("key", "N"),
    },
    {   # Visit
        r"Your name": ("text", "Jo Okafor"),
        r"Type of visit": ("key", "Down"),  # the first choice: statutory
        r"Was the visit announced\?": ("key", "N"),
        r"Ended": ("key", "n"),  # "n": now
        r"Purpose of the visit": ("text", "Statutory visit under the plan."),
    },
    {   # People and language
        r"Add a person": ("key", "Space"),
        r"Name": ("text", "Magda Nowak"),
        r"Relationship to the children": ("text", "mother"),
        r"New to the household\?": ("key", "N"),
        r"Did you ask about fathers.*": ("key", "Y"),
        r"Language the children speak": ("text", "English"),
        r"Language the parents speak": ("text", "English"),
    },
    {   # Ana: what was seen
        r"How did Ana seem\?": ("text", "Cheerful."),
        r"Clothing and hygiene": ("text", "Clean."),
        r"How did Ana and the adults behave with each other\?": ("text", "Relaxed."),
    },
    {   # Home and risk
        r"Describe the home": ("text", "Warm and tidy."),
        r"Any domestic abuse since the last visit.*": ("key", "N"),
        r"Has anyone moved in or out since the last visit\?": ("key", "N"),
    },
    {   # Analysis and actions
        r"What does this visit tell you about the risk to the children\?":
            ("text", "No new concerns."),
    },
]
KEYS = {"Down": Key.Key_Down, "N": Key.Key_N, "Y": Key.Key_Y, "n": Key.Key_N,
        "Space": Key.Key_Space}


class NoMouse(QObject):
    """Counts every mouse event the application delivers."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel):
            self.seen += 1
        return False


@dataclass
class Keyboard:
    qtbot: QtBot
    presses: int = 0
    text_characters: int = 0
    log: list[str] = field(default_factory=list)

    def press(self, key: Key, modifier: Qt.KeyboardModifier = NONE, why: str = "") -> None:
        self.presses += 1
        self.log.append(why or key.name)
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifier)

    def press_in(self, dialog: QWidget, key: Key, why: str) -> None:
        """A key pressed in a dialog just put on screen: it goes to the dialog's own focus,
        as it does for a person, whether or not the window system has activated it yet
        (the application's focus can still be on the window beneath for a moment)."""
        self.presses += 1
        self.log.append(why)
        self.qtbot.keyClick(dialog.focusWidget() or dialog, key)

    def write(self, text: str) -> None:
        self.text_characters += len(text)
        self.qtbot.keyClicks(QApplication.focusWidget(), text)


def one_child_vault(directory: Path) -> None:
    case = make_case()
    ana = make_child(case, given_name="Ana", born=date(2019, 5, 4),
                     plan=PlanType.CHILD_PROTECTION)
    with new_vault(directory, "a long enough passphrase") as vault:
        workspace = Workspace.over(vault.connection, actor="test")
        workspace.cases.save_case(case)
        workspace.cases.save_child(ana)


def caseload_of_one_child(qtbot: QtBot, tmp_path: Path, make_window: object) -> MainWindow:
    """A window unlocked on a vault of one child, her caseload on screen: as a worker would,
    the test waits to see it (loaded on the lane) before pressing anything."""
    one_child_vault(tmp_path / "vault")
    window: MainWindow = make_window(tmp_path / "vault")  # type: ignore[operator]
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.caseload_screen.selected_child() is not None,
                    timeout=30_000)
    return window


def name_of(widget: QWidget) -> str:
    if isinstance(widget, AnswerButton):
        return widget.accessibleName().rsplit(": ", 1)[0]  # the question, not the answer
    return widget.accessibleName() or (
        widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else "")


def answer_section(keys: Keyboard, page: QWidget, needed: dict[str, tuple[str, str]]) -> None:
    left = dict(needed)
    for _ in range(200):
        widget = QApplication.focusWidget()
        assert widget is not None and page.isAncestorOf(widget), "focus left the section"
        name = name_of(widget)
        match = next((p for p in left if re.fullmatch(p, name)), None)
        if match is not None:
            kind, value = left.pop(match)
            if kind == "text":
                keys.write(value)
            else:
                keys.press(KEYS[value], why=f"{value} for {name}")
            if not left:
                return
            if QApplication.focusWidget() is not widget:
                continue  # the answer moved focus on ("Add a person" to its Name)
        keys.press(Key.Key_Tab, why="Tab")
    raise AssertionError(f"never reached: {sorted(left)}")


def test_a_statutory_visit_for_one_child_by_keyboard_alone(
    qtbot: QtBot, tmp_path: Path, make_window: object
) -> None:
    window = caseload_of_one_child(qtbot, tmp_path, make_window)
    mouse = NoMouse()
    QApplication.instance().installEventFilter(mouse)  # type: ignore[union-attr]
    try:
        keys = Keyboard(qtbot)
        opened: list[VisitEditor] = []
        window.editor_opened.connect(opened.append)

        when_dialog_opens(lambda dialog: keys.press_in(dialog, Key.Key_Return,
                                                       why="Enter: the child"))
        keys.press(Key.Key_N, CTRL, why="Ctrl+N")
        qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
        editor = opened[0]
        for number, needed in enumerate(PLAN):
            if number:
                keys.press(Key.Key_Tab, CTRL, why="Ctrl+Tab")
            answer_section(keys, editor.tabs.widget(number), needed)
        keys.press(Key.Key_Return, CTRL, why="Ctrl+Enter: submit")
        qtbot.waitUntil(lambda: editor.read_only or editor.problems_showing, timeout=10_000)
        problems = [editor.problem_list.item(i).text()
                    for i in range(editor.problem_list.count())]
        assert problems == []
        assert editor.read_only
    finally:
        QApplication.instance().removeEventFilter(mouse)  # type: ignore[union-attr]
    assert mouse.seen == 0
    ana = editor.opened.visit.children[0]
    assert ana.seen_alone is True and ana.child_words == "I like my teacher."
    print(f"\nkeys to record a visit: {keys.presses} presses "
          f"(+ {keys.text_characters} characters of free text)\n" + " ".join(keys.log))
    assert keys.presses <= MEASURED


def test_enter_pressed_again_while_the_chooser_comes_up_starts_nothing_more(
    qtbot: QtBot, tmp_path: Path, make_window: object
) -> None:
    """A worker presses Enter on a child, and again before the "who was seen" dialog is on
    screen (the vault was busy): one dialog comes up, not two stacked; once it is answered,
    Enter starts a visit again."""
    window = caseload_of_one_child(qtbot, tmp_path, make_window)
    with every_dialog_cancelled() as shown:
        table = window.caseload_screen.table
        table.setFocus()
        qtbot.keyClick(table, Key.Key_Return)
        qtbot.keyClick(table, Key.Key_Return)  # before the first one's household has loaded
        qtbot.waitUntil(lambda: len(shown) >= 1, timeout=30_000)
        assert vault_lane().waitForDone(30_000)
        QApplication.processEvents()  # a second household's answer would open a second one
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=30_000)
        assert len(shown) == 1
        qtbot.keyClick(table, Key.Key_Return)
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=30_000)


@pytest.mark.parametrize("ask", ["a visit", "the drafts"])
def test_a_lock_while_a_list_loads_shows_no_names_over_the_lock_screen(
    qtbot: QtBot, tmp_path: Path, make_window: object, ask: str
) -> None:
    """Enter on a child (or "Your drafts…"), then Ctrl+L before the vault has answered: the
    dialog that would list the children or their visits never comes up over the lock
    screen."""
    window = caseload_of_one_child(qtbot, tmp_path, make_window)
    with every_dialog_cancelled() as shown:
        table = window.caseload_screen.table
        table.setFocus()
        if ask == "a visit":
            qtbot.keyClick(table, Key.Key_Return)
        else:
            window.caseload_screen.drafts_button.click()
        window.lock("test")  # before the vault's answer is back on the UI thread
        assert vault_lane().waitForDone(30_000)
        QApplication.processEvents()
        QApplication.processEvents()
        assert shown == []
        assert window.stack.currentWidget() is window.unlock_screen
