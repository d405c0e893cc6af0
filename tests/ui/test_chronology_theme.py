"""The chronology follows the screen's colours (dark, high contrast) and stays ink on white
paper in its PDF picture."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.factories import make_case, make_child
from ui.review.chronology import ChronologyView
from ui.review.timeline_svg import timeline_svg, timeline_windows
from ui.review_services import Chronology, ChronologyEvent
from ui.widgets.figures import svg_image
from ui.widgets.theme import colours, high_contrast_palette


def a_chronology() -> Chronology:
    ana = make_child(make_case(), given_name="Ana")
    return Chronology(ana, [
        ChronologyEvent(date(2026, 9, 1), "visit", "Seen alone"),
        ChronologyEvent(date(2026, 10, 1), "flag", "Not seen alone", red=True),
        ChronologyEvent(date(2026, 11, 1), "injury", "Bruise, left upper arm"),
    ], [], [])


def colours_in(image: QImage) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)}


def test_high_contrast_chronology_is_drawn_light_on_black(qtbot: QtBot) -> None:
    view = ChronologyView()
    qtbot.addWidget(view)
    palette = high_contrast_palette()
    view.setPalette(palette)
    view.resize(900, 230)
    view.show_chronology(a_chronology())
    shown = view.grab().toImage()
    seen = colours_in(shown)
    assert shown.pixelColor(2, 2) == QColor("#000000")  # the background
    assert "#ffffff" not in {shown.pixelColor(x, 2).name() for x in range(0, 900, 7)}
    assert colours(palette).alert.name() in seen  # the red flag, in the dark theme's red
    assert "#b42318" not in seen  # not the paper red, which is unreadable on black


def test_the_pdf_picture_stays_on_white_paper(qapp: object) -> None:
    chronology = a_chronology()
    [window] = timeline_windows(chronology)
    picture = svg_image(timeline_svg(chronology, window, 703), 703)
    assert picture.pixelColor(2, 2) == QColor("#ffffff")
    assert "#b42318" in colours_in(picture)
