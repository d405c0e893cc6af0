"""A worker who cannot use a mouse records and submits a whole visit with the keyboard.

The test only presses keys. It tabs through each section in the order the window gives
and answers each field it lands on by the field's accessible name, so every field needed
must be reachable by Tab and named for a screen reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Household, unlock
from tests.ui.driving import press_enter, when_dialog_opens
from ui.visit.visit_editor import VisitEditor
from ui.widgets.fields import AnswerButton

Key = Qt.Key
TEXT: dict[str, str] = {
    r"Your name": "Jo Okafor",
    r"Purpose of the visit": "Statutory visit under the plan.",
    r"Name": "Magda Nowak",
    r"Relationship to the children": "mother",
    r"Language the (children|parents) speak": "English",
    r"Where and how does \w+ sleep\?": "Own bed in a shared room.",
    r"\w+'s own words": "I like my teacher.",
    r"How did \w+ seem\?": "Cheerful, chatty.",
    r"Clothing and hygiene": "Clean, suitable.",
    r"How did \w+ and the adults behave with each other\?": "Relaxed.",
    r"Describe the home": "Warm and tidy.",
    r"What does this visit tell you about the risk to the children\?": "No new concerns.",
}
SPACE = [  # Space on a button or tick box; a yes/no answer here is given with Y or N
    r"Was the visit announced\?: Unannounced",
    r"Add a person",
    r"New to the household\?: Not new",
    r"Did you ask about fathers.*: Asked",
    r"Did you see \w+\?: Seen",
    r"Did you see \w+ alone\?: Seen alone",
    r"Did you speak to \w+ alone\?: Spoken to alone",
    r"Did you see where \w+ sleeps\?: Bedroom seen",
    r"Is there a lock or bolt on the outside of the door\?: No lock outside",
    r"How did \w+ communicate\?: Spoken",
    r"Did you see any injuries on \w+\?: No injuries seen",
    r"Any domestic abuse since the last visit.*: None known",
    r"Has anyone moved in or out since the last visit\?: No changes",
]
TEXT[r"Ended"] = "n"  # "n": now
DOWN_ONCE = [r"Type of visit", r"Outcome", r"Any concern about \w+'s food, hunger or weight\?"]


def keys_for(name: str) -> Callable[[QtBot, QWidget], None] | None:
    for pattern, text in TEXT.items():
        if re.fullmatch(pattern, name):
            return lambda bot, widget: bot.keyClicks(widget, text)
    if any(re.fullmatch(p, name) for p in SPACE):
        return lambda bot, widget: bot.keyClick(widget, Key.Key_Space)
    if any(re.fullmatch(p, name) for p in DOWN_ONCE):
        return lambda bot, widget: bot.keyClick(widget, Key.Key_Down)
    return None


def answer_for(button: AnswerButton) -> Callable[[QtBot, QWidget], None] | None:
    """A yes/no question is answered with Y or N from either of its buttons."""
    question = button.question
    for chosen, letter in ((question.yes, Key.Key_Y), (question.no, Key.Key_N)):
        if any(re.fullmatch(p, chosen.accessibleName()) for p in SPACE):
            return lambda bot, widget, letter=letter: bot.keyClick(widget, letter)
    return None


def answer_section_by_tabbing(qtbot: QtBot, page: QWidget) -> list[str]:
    answered: list[str] = []
    seen: set[int] = set()
    for _ in range(400):
        widget = QApplication.focusWidget()
        if widget is None or not page.isAncestorOf(widget):
            break
        name = widget.accessibleName() or (  # a button is read out by its own text
            widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else "")
        question = widget.question if isinstance(widget, AnswerButton) else None
        act = answer_for(widget) if isinstance(widget, AnswerButton) else keys_for(name)
        key = id(question) if question is not None else id(widget)
        if act is not None and key not in seen:
            seen.add(key)
            act(qtbot, widget)
            answered.append(QApplication.focusWidget().accessibleName()
                            if question is not None else name)
            if QApplication.focusWidget() is not widget:
                continue  # the answer moved focus on (as "Add a person" does)
        qtbot.keyClick(QApplication.focusWidget(), Key.Key_Tab)
    return answered


def test_record_and_submit_a_visit_with_the_keyboard_alone(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)  # types the passphrase and presses Enter
    when_dialog_opens(press_enter(qtbot))  # "which children?": both, as offered
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(QApplication.focusWidget(), Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor: VisitEditor = opened.args[0]

    answered: list[str] = []
    for section in range(editor.tabs.count()):
        if section:
            qtbot.keyClick(QApplication.focusWidget(), Key.Key_PageDown,
                           Qt.KeyboardModifier.ControlModifier)
        assert editor.tabs.currentIndex() == section
        answered += answer_section_by_tabbing(qtbot, editor.tabs.widget(section))

    assert "Did you see Tomasz alone?: Seen alone" in answered
    assert "Did you see Ana alone?: Seen alone" in answered
    assert "Add a person" in answered and "Name" in answered
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.read_only or editor.problem_list.count() > 0, timeout=10_000)
    problems = [editor.problem_list.item(i).text() for i in range(editor.problem_list.count())]
    assert problems == []
    assert editor.read_only
    ana = editor.opened.visit.children[0]
    assert ana.child_words == "I like my teacher." and ana.seen_alone is True
