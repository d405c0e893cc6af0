"""In high contrast (the user's setting, or the desktop asking) every main screen is drawn
from a white-on-black palette, and the app's own colours (alerts, tints, the body map) are
chosen against it: each pair of text and background meets WCAG AAA (7:1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from records.visit import BodyView
from tests.ui.conftest import Household, unlock
from tests.ui.driving import answer, start_visit_for_selected
from ui.shell.main_window import WindowOptions
from ui.widgets.form import reveal
from ui.widgets.theme import colours, contrast_ratio, use_high_contrast

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
AAA, AA = 7.0, 4.5
PALETTE_PAIRS = [
    ("window text", Group.Active, Role.WindowText, Role.Window),
    ("text in a box", Group.Active, Role.Text, Role.Base),
    ("button text", Group.Active, Role.ButtonText, Role.Button),
    ("selected text", Group.Active, Role.HighlightedText, Role.Highlight),
    ("placeholder", Group.Active, Role.PlaceholderText, Role.Base),
    ("read-only answer", Group.Disabled, Role.ButtonText, Role.Button),
]


def too_faint(widget: QWidget, least: float) -> list[str]:
    """Every text/background pair a screen uses, from the palette it is drawn with. Out
    of high contrast the palette is the desktop's own (its selection and disabled text are
    its business); the app's own colours are checked against it."""
    palette = widget.palette()
    theme = colours(palette)
    pairs: list[tuple[str, QColor, QColor]] = [
        (name, palette.color(group, text), palette.color(group, back))
        for name, group, text, back in PALETTE_PAIRS if least >= AAA]
    pairs += [
        ("red flag / question marker", theme.alert, theme.base),
        ("amber flag", theme.amber, theme.base),
        ("returned row or banner text", theme.text, theme.alert_tint),
        ("returned row marker", theme.alert, theme.alert_tint),
        ("injury number", theme.on_alert, theme.alert),
        ("earlier injury", theme.faded, theme.base),
        ("body-map cross-hair", theme.cursor, theme.base),
        ("body outline", palette.color(Role.WindowText), theme.outline_fill),
    ]
    return [f"{name}: {contrast_ratio(a, b):.2f}" for name, a, b in pairs
            if contrast_ratio(a, b) < least]


@pytest.fixture
def high_contrast() -> Iterator[None]:
    try:
        yield
    finally:
        use_high_contrast(False)


@pytest.mark.usefixtures("high_contrast")
@pytest.mark.parametrize(("wanted", "least"), [(True, AAA), (False, AA)])
def test_each_main_screen_is_readable(qtbot: QtBot, household: Household, make_window: object,
                                      wanted: bool, least: float) -> None:
    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(autosave_ms=200, high_contrast=wanted))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    black = app.palette().color(Role.Window).lightness() < 20
    assert black is wanted
    assert too_faint(window.unlock_screen, least) == []
    window.grab()
    unlock(qtbot, window)
    assert too_faint(window.caseload_screen, least) == []
    window.grab()
    editor = start_visit_for_selected(qtbot, window)
    ana = editor.child_pages[0]
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    reveal(ana.injuries.map)
    body = ana.injuries.map
    assert too_faint(editor, least) == []
    assert too_faint(body, least) == []
    picture = body.grab().toImage()
    front = body.view_rect(BodyView.FRONT)
    corner = picture.pixelColor(QPoint(2, picture.height() - 2))
    skin = picture.pixelColor(front.center().toPoint())  # the chest, inside the outline
    # The map is drawn on the palette's background, the outline's fill from the theme.
    assert contrast_ratio(corner, body.palette().color(Role.Window)) < 1.1
    assert contrast_ratio(skin, colours(body.palette()).outline_fill) < 1.1
    assert (corner.lightness() < 30) is wanted


def test_the_setting_can_be_turned_off_again(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette().color(Role.Window)
    use_high_contrast(True)
    try:
        assert app.palette().color(Role.Window) == QColor("#000000")
        assert contrast_ratio(colours().alert, colours().base) >= AAA
    finally:
        use_high_contrast(False)
    assert app.palette().color(Role.Window) == before
