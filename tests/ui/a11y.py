"""What a screen reader and a keyboard user get from a screen: each input's name and reach."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from ui.widgets.body_map import BodyMap
from ui.widgets.fields import AnswerButton

INPUTS: tuple[type[QWidget], ...] = (
    QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton,
    QAbstractItemView, BodyMap,
)
# Parts Qt builds inside an input (a spin box's line edit, a tab bar's scroll arrows):
# the screen reader reads the input that holds them.
COMPOSITE: tuple[type[QWidget], ...] = (QAbstractSpinBox, QComboBox, QTabBar, QTextEdit,
                                        QPlainTextEdit, QAbstractItemView)


def name_read_out(widget: QWidget) -> str:
    """The name Qt gives assistive technology: accessibleName, a button's text, a buddy."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return (interface.text(QAccessible.Text.Name) if interface is not None else "").strip()


def inputs_of(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.window() is not root.window():
            continue
        if _inside_composite(widget, root):
            continue
        found.append(widget)
    return found


def _inside_composite(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOSITE):
            return True
        parent = parent.parentWidget()
    return False


def _takes_tab(widget: QWidget) -> bool:
    target = widget.focusProxy() or widget
    return bool(target.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def tab_reachable(widget: QWidget) -> bool:
    """Tab stops on it; or on the other answer of its yes/no question, from where the arrow
    keys move to it (one Tab stop a question); or it is meant to be reached only on purpose,
    by the keys it names (Submit by Alt+S or Ctrl+Enter, an entry's Remove). A disabled
    answer is never reached (Tab skips it), so a submitted answer must stay enabled; an
    action button greyed until it can be used ("Create my vault") is not an answer."""
    action = isinstance(widget, QPushButton) and not isinstance(widget, AnswerButton)
    if not widget.isEnabled() and not action:
        return False
    if _takes_tab(widget):
        return True
    if isinstance(widget, AnswerButton):
        question = widget.question
        return any(_takes_tab(button) for button in (question.yes, question.no))
    return bool(widget.property("reached_by"))


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
    return f"{type(widget).__name__}({widget.objectName() or text!r})"


def focusable_of(root: QWidget) -> list[QWidget]:
    """Every widget Tab stops on, input or not (a drawn timeline, a selectable status)."""
    return [widget for widget in root.findChildren(QWidget)
            if widget.window() is root.window() and _takes_tab(widget)
            and widget.focusProxy() is None and not _inside_composite(widget, root)]


def unnamed(root: QWidget) -> list[str]:
    """Inputs and Tab stops a screen reader cannot name, and drop-downs named by their
    current value ("— choose —") instead of their question."""
    found = {id(w): w for w in [*inputs_of(root), *focusable_of(root)]}
    return [describe(w) for w in found.values()
            if not name_read_out(w)
            or (isinstance(w, QComboBox) and name_read_out(w) == w.currentText().strip())]


def unreachable(root: QWidget) -> list[str]:
    return [describe(w) for w in inputs_of(root) if not tab_reachable(w)]


def fixed_names(root: QWidget) -> list[str]:
    """Labels whose set name hides their text (a message read as "Unlock message")."""
    from PySide6.QtWidgets import QLabel

    from ui.widgets.accessibility import plain
    return [f"QLabel({label.accessibleName()!r} over {label.text()!r})"
            for label in root.findChildren(QLabel)
            if label.accessibleName() and label.text()
            and label.accessibleName() != plain(label.text())]


def check_box_answers(root: QWidget) -> list[str]:
    """Answers of a yes/no question read as check boxes or toggles, not radio buttons."""
    return [describe(w) for w in root.findChildren(AnswerButton)
            if (i := QAccessible.queryAccessibleInterface(w)) is not None
            and i.role() != QAccessible.Role.RadioButton]


def assert_accessible(screen: QWidget, what: str) -> None:
    """The walk of one screen: every input named, reached by Tab, no fixed name on a
    changing text, every yes/no answer a radio button."""
    assert inputs_of(screen), f"{what}: no inputs found"
    assert unnamed(screen) == [], f"{what}: inputs a screen reader cannot name"
    assert unreachable(screen) == [], f"{what}: inputs Tab never reaches"
    assert fixed_names(screen) == [], f"{what}: fixed names on texts that change"
    assert check_box_answers(screen) == [], f"{what}: yes/no answers not read as radios"
    nameless = tree_unnamed(screen)
    assert nameless == [], f"{what}: focusable nodes of the tree without a name: {nameless}"


def headings(root: QWidget) -> list[str]:
    """The section titles a screen reader lists as headings (role Heading), by name."""
    from PySide6.QtWidgets import QLabel

    return [name_read_out(label) for label in root.findChildren(QLabel)
            if (i := QAccessible.queryAccessibleInterface(label)) is not None
            and i.role() == QAccessible.Role.Heading]


def tree_unnamed(root: QWidget, limit: int = 20_000) -> list[str]:
    """Walk the accessibility tree itself, as assistive technology does (QAccessible
    interfaces and their children, drawn parts included), and list every focusable,
    visible node that has no name."""
    start = QAccessible.queryAccessibleInterface(root)
    found: list[str] = []
    stack = [start] if start is not None else []
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        state = node.state()
        # A blank table cell or an empty message is read as blank; a control is not.
        blank_text = node.role() in (QAccessible.Role.Cell, QAccessible.Role.StaticText)
        if state.focusable and not state.invisible and not blank_text and not node.text(
                QAccessible.Text.Name).strip():
            owner = node.object()
            found.append(f"{node.role().name} {type(owner).__name__}"
                         f"({getattr(owner, 'objectName', lambda: '')()!r})")
        stack.extend(child for i in range(node.childCount())
                     if (child := node.child(i)) is not None)
    return found
