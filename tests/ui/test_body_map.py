"""Marking injuries on the body map, and where the map says they are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from records.body_regions import spot_for
from records.visit import (
    BodyRegion,
    BodySide,
    BodyView,
    Consistency,
    ExplanationSource,
    InjuryType,
)
from tests.factories import make_injury
from tests.ui.conftest import Household, unlock
from tests.ui.driving import answer, choose, start_visit_for_selected, write
from ui.visit.injury_form import InjuriesPanel, InjuryContext
from ui.widgets.accessibility import listen
from ui.widgets.body_outline import region_at
from ui.widgets.form import reveal


@pytest.mark.parametrize(("view", "x", "y", "region", "side"), [
    (BodyView.FRONT, 0.22, 0.32, BodyRegion.UPPER_ARM, BodySide.RIGHT),  # worker's left
    (BodyView.BACK, 0.22, 0.32, BodyRegion.UPPER_ARM, BodySide.LEFT),
    (BodyView.FRONT, 0.5, 0.12, BodyRegion.FACE, BodySide.CENTRE),
    (BodyView.BACK, 0.5, 0.12, BodyRegion.HEAD, BodySide.CENTRE),
    (BodyView.BACK, 0.42, 0.57, BodyRegion.BUTTOCKS, BodySide.LEFT),
    (BodyView.FRONT, 0.6, 0.86, BodyRegion.LOWER_LEG, BodySide.LEFT),
])
def test_region_and_side_come_from_the_position(view: BodyView, x: float, y: float,
                                                region: BodyRegion, side: BodySide) -> None:
    assert region_at(view, x, y) == (region, side)


def test_off_the_body_is_no_region() -> None:
    assert region_at(BodyView.FRONT, 0.02, 0.98) is None


def test_place_an_injury_by_clicking_and_fill_it_in(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    ana = editor.child_pages[0]
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    panel = ana.injuries
    reveal(panel.map)
    body = panel.map
    front = body.view_rect(BodyView.FRONT)
    # The child's left forearm is on the worker's right of the front view.
    spot = front.topLeft() + QPoint(int(front.width() * 0.80), int(front.height() * 0.48))
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=spot.toPoint())

    assert len(panel.forms) == 1
    injury = panel.forms[0]
    assert injury.form.value("region") is BodyRegion.FOREARM
    assert injury.form.value("side") is BodySide.LEFT
    assert QApplication.focusWidget() is injury.form.rows["injury_type"].field.focusProxy()
    assert panel.list.item(0).text() == "1. Injury — child's left forearm"

    choose(injury.form, "injury_type", InjuryType.BRUISE)
    choose(injury.form, "side", BodySide.RIGHT)  # the worker corrects the side: the mark
    # crosses to the child's right forearm, on the worker's left of the front view
    assert not injury.mismatch.isVisibleTo(injury)
    injury.form.rows["length_cm"].field.set_value(Decimal("2.5"))
    choose(injury.form, "explanation_given_by", ExplanationSource.SIBLING)
    write(qtbot, injury.form, "explanation_words", "He did it on the climbing frame.")
    write(qtbot, injury.form, "child_account", "I don't know.")
    choose(injury.form, "consistent_with_explanation", Consistency.UNSURE)
    answer(qtbot, injury.form, "manager_informed", True)
    answer(qtbot, injury.form, "medical_referral", False)
    assert panel.list.item(0).text() == "1. Bruise — child's right forearm"
    assert [m.number for m in body.marks] == [1]
    assert ana.tabText(1) == "&Body map (1)"

    visit = editor.current_visit()
    recorded = visit.children[0].injuries[0]
    assert recorded.view is BodyView.FRONT and recorded.region is BodyRegion.FOREARM
    assert recorded.side is BodySide.RIGHT and recorded.length_cm == Decimal("2.5")
    assert recorded.x is not None and recorded.x < Decimal("0.5")
    assert region_at(recorded.view, recorded.x, recorded.y) == (BodyRegion.FOREARM,
                                                                BodySide.RIGHT)
    assert recorded.explanation_words == "He did it on the climbing frame."
    assert recorded.child_account == "I don't know."
    assert recorded.seen_at is not None and recorded.recorded_by == ""


def test_an_injury_can_be_placed_from_the_keyboard(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    panel = editor.child_pages[1].injuries
    reveal(panel.map)
    panel.map.setFocus()
    qtbot.keyClick(panel.map, Qt.Key.Key_V)  # to the back view
    # Up, listening to where the cross-hair is after each step, as a screen-reader user
    # does: a step is a few screen pixels, so how many depends on the map's size on screen.
    for _ in range(60):
        if "upper back" in panel.map.crosshair_words():
            break
        qtbot.keyClick(panel.map, Qt.Key.Key_Up)
    assert "upper back" in panel.map.crosshair_words()
    qtbot.keyClick(panel.map, Qt.Key.Key_Return)
    form = panel.forms[0]
    assert form.data["view"] is BodyView.BACK
    assert form.form.value("region") is BodyRegion.UPPER_BACK
    assert form.form.rows["independently_mobile"].isVisibleTo(form)  # Tomasz is under two


def _panel(qtbot: QtBot) -> InjuriesPanel:
    panel = InjuriesPanel(InjuryContext(ask_mobility=False, recorded_by=lambda: "J. Okafor"),
                          [])
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_naming_a_part_only_the_back_shows_turns_the_mark_over(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    form = panel.place(*spot_for(BodyRegion.FOREARM, BodySide.LEFT, BodyView.FRONT))  # type: ignore[misc]
    choose(form.form, "region", BodyRegion.BUTTOCKS)
    injury = panel.collect()[0]
    assert injury["view"] is BodyView.BACK
    assert region_at(injury["view"], injury["x"], injury["y"]) == (BodyRegion.BUTTOCKS,
                                                                  BodySide.LEFT)
    assert [(m.view, m.x, m.y) for m in panel.map.marks] == [
        (BodyView.BACK, injury["x"], injury["y"])]
    assert not form.mismatch.isVisibleTo(form)


def test_a_side_the_part_cannot_have_is_said_and_the_mark_stays(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    where = spot_for(BodyRegion.UPPER_ARM, BodySide.LEFT, BodyView.FRONT)
    assert where is not None
    form = panel.place(*where)
    choose(form.form, "side", BodySide.CENTRE)  # an upper arm has no centre
    injury = panel.collect()[0]
    assert (injury["view"], injury["x"], injury["y"]) == where
    assert form.mismatch.isVisibleTo(form)
    assert form.mismatch.text().startswith(
        "The mark on the body map is on the child's left upper arm, but this says centre "
        "upper arm.")
    choose(form.form, "side", BodySide.LEFT)
    assert not form.mismatch.isVisibleTo(form)


def test_a_recorded_mark_on_the_other_arm_from_its_words_is_pointed_out(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    # Recorded before marks followed their words: drawn on the child's right, says left.
    wrong = make_injury(x=Decimal("0.300"), y=Decimal("0.410"))
    panel.load([wrong.model_dump()])
    form = panel.forms[0]
    assert form.mismatch.isVisibleTo(form)
    assert "child's right" in form.mismatch.text() and "child's left upper arm" in \
        form.mismatch.text()
    assert (panel.collect()[0]["x"], panel.collect()[0]["side"]) == (Decimal("0.300"),
                                                                     BodySide.LEFT)


def _interface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None
    return found


def test_each_mark_is_an_accessible_item_saying_which_injury_and_where(
        qtbot: QtBot) -> None:
    earlier = make_injury(view=BodyView.BACK, x=Decimal("0.5"), y=Decimal("0.12"),
                          injury_type=InjuryType.BURN)
    panel = InjuriesPanel(InjuryContext(ask_mobility=False, recorded_by=lambda: "J. Okafor"),
                          [earlier])
    qtbot.addWidget(panel)
    panel.show()
    form = panel.place(*spot_for(BodyRegion.FOREARM, BodySide.LEFT, BodyView.FRONT))  # type: ignore[misc]
    choose(form.form, "injury_type", InjuryType.BRUISE)
    panel.add_button.click()  # an injury seen but not placed
    choose(panel.forms[1].form, "injury_type", InjuryType.SCRATCH)

    body = _interface(panel.map)
    assert body.role() == QAccessible.Role.Graphic
    assert body.childCount() == 3
    items = [body.child(i) for i in range(3)]
    assert [item.role() for item in items] == [QAccessible.Role.ListItem] * 3
    assert [item.text(QAccessible.Text.Name) for item in items] == [
        "Injury 1: Bruise, Front, forearm, child's left",
        "Not on the map: 2. Scratch",
        "Earlier visit, Injury 1: Burn, Back, head, centre (faded)",
    ]
    assert [body.indexOfChild(item) for item in items] == [0, 1, 2]
    mark = items[0].rect()
    drawn = QRect(panel.map.mapToGlobal(QPoint(0, 0)), panel.map.size())
    assert not mark.isEmpty() and drawn.contains(mark)
    assert items[1].rect().isEmpty() and items[1].state().invisible  # listed, not drawn
    assert body.child(3) is None

    panel.list.setCurrentRow(0)
    panel.remove_button.click()  # the marks follow the list
    assert body.childCount() == 2
    assert body.child(0).text(QAccessible.Text.Name).startswith("Not on the map: 1. Scratch")


def test_the_cross_hair_is_said_as_the_keyboard_moves_it(qtbot: QtBot) -> None:
    heard: list[str] = []
    stop = listen(lambda _source, said: heard.append(said))
    try:
        panel = _panel(qtbot)
        body = panel.map
        body.setFocus()
        qtbot.waitUntil(body.hasFocus)
        qtbot.keyClick(body, Qt.Key.Key_Down)
        assert heard == [body.crosshair_words()]  # the first move says where it is
        assert heard[0].startswith("Front, ")
        for _ in range(12):
            qtbot.keyClick(body, Qt.Key.Key_Down)  # down the body: said as the part changes
        assert len(heard) > 1 and heard[-1] == body.crosshair_words()
        assert len(set(heard)) == len(heard)  # each small step is not said again
        qtbot.keyClick(body, Qt.Key.Key_V)
        assert heard[-1].startswith("Back, ")
        value = _interface(body).text(QAccessible.Text.Value)
        assert value.startswith(f"Cross-hair: {body.crosshair_words()}")
        assert "no injuries marked" in value
    finally:
        stop()


def test_a_problem_on_the_map_goes_from_its_description_once_put_right(qtbot: QtBot) -> None:
    """The editor asks for the spots afresh at each submit: a problem said on the map at
    one submit is taken off at the next, and the keyboard instructions stay."""
    panel = _panel(qtbot)
    instructions = panel.map.accessibleDescription()
    assert "Arrow keys move the cross-hair" in instructions
    panel.spots("children.0.injuries")["children.0.injuries"].show_problem(
        "Mark where the injury is.")
    assert panel.map.accessibleDescription() == f"Mark where the injury is. {instructions}"
    panel.spots("children.0.injuries")["children.0.injuries"].show_problem("Say what it is.")
    assert panel.map.accessibleDescription() == f"Say what it is. {instructions}"
    panel.spots("children.0.injuries")["children.0.injuries"].clear_problem()
    assert panel.map.accessibleDescription() == instructions
