"""The body map: front and back of a child, with a numbered mark for each injury.

Click (or tap) to place an injury. From the keyboard: the arrow keys move a cross-hair
(12 pixels a press, 2 with Shift), V switches between front and back, Enter or Space places
an injury there, L says every mark. A screen reader hears the part and side under the
cross-hair as it moves, reads the marks (and the injuries with no place) as the map's
value, and finds each mark as an item of its own: which injury, its type, the view and the
part and side it is on. Injuries recorded at earlier visits of the same child can be shown
faded, so a repeat shows.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from PySide6.QtCore import QByteArray, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleValueChangeEvent,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from records.body_regions import region_at
from records.visit import BodyView, InjuryObservation
from ui.widgets.accessibility import Part, announce, install
from ui.widgets.body_map_svg import Mark as Mark  # where the map's users have found it
from ui.widgets.body_outline import HEIGHT, WIDTH, outline_svg
from ui.widgets.labels import label
from ui.widgets.theme import colours

GAP = 24
MARGIN = 8
STEP_PIXELS = 12  # an arrow key moves the cross-hair this far on screen
FINE_STEP_PIXELS = 2  # with Shift, for placing a mark exactly
_RENDERERS: dict[tuple[BodyView, str, str], QSvgRenderer] = {}
"""The outline parsed once per view and colours, shared by every map (one a child, two a
visit's PDF): parsing the SVG again for each was a cost of opening each body map tab."""


def marks_for(injuries: list[InjuryObservation] | tuple[InjuryObservation, ...], *,
              earlier: bool = False) -> list[Mark]:
    return [
        Mark(injury.id, injury.view, injury.x, injury.y, number, earlier,
             label(injury.injury_type) if injury.injury_type else "")
        for number, injury in enumerate(injuries, start=1)
        if injury.view is not None and injury.x is not None and injury.y is not None
    ]


def _fraction(value: float) -> Decimal:
    return Decimal(f"{min(max(value, 0.0), 1.0):.3f}")


class BodyMap(QWidget):
    """Both views of the outline; emits `placed` when the worker marks a spot."""

    placed = Signal(object, object, object)  # BodyView, x: Decimal, y: Decimal
    chosen = Signal(object)  # UUID of the injury whose mark was clicked

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[Mark] = []
        self.earlier: list[Mark] = []
        self.off_map: list[str] = []  # injuries recorded without a place, as listed
        self.selected: UUID | None = None
        self.read_only = False
        self.crosshair_view = BodyView.FRONT
        self.crosshair = (Decimal("0.5"), Decimal("0.4"))
        self._said_once = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(QSize(2 * 130 + GAP + 2 * MARGIN, 300))
        self.setAccessibleName(self.tr("Body map"))
        self.setAccessibleDescription(self.tr(
            "Front and back of the child. Arrow keys move the cross-hair (Shift+arrow for "
            "small steps), V switches between front and back, Enter places an injury, L "
            "lists the injuries marked."))
        install()  # read with a value: where the cross-hair is, and what is marked

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(2 * WIDTH + GAP + 2 * MARGIN, HEIGHT + 2 * MARGIN + 20)

    # --- geometry ----------------------------------------------------------------------

    def view_rect(self, view: BodyView) -> QRectF:
        """Where one view is drawn, keeping the outline's proportions."""
        available_w = (self.width() - 2 * MARGIN - GAP) / 2
        available_h = self.height() - 2 * MARGIN - 20
        scale = min(available_w / WIDTH, available_h / HEIGHT)
        w, h = WIDTH * scale, HEIGHT * scale
        left = MARGIN + (0 if view is BodyView.FRONT else available_w + GAP)
        return QRectF(left + (available_w - w) / 2, MARGIN + 20, w, h)

    def point_for(self, view: BodyView, x: Decimal, y: Decimal) -> QPointF:
        rect = self.view_rect(view)
        return QPointF(rect.left() + float(x) * rect.width(), rect.top() + float(y) * rect.height())

    def position_at(self, point: QPointF) -> tuple[BodyView, Decimal, Decimal] | None:
        for view in BodyView:
            rect = self.view_rect(view)
            if rect.contains(point):
                return (view, _fraction((point.x() - rect.left()) / rect.width()),
                        _fraction((point.y() - rect.top()) / rect.height()))
        return None

    # --- state -------------------------------------------------------------------------

    def show_marks(self, marks: list[Mark], earlier: list[Mark] | None = None, *,
                   off_map: list[str] | None = None) -> None:
        self.marks = marks
        if earlier is not None:
            self.earlier = earlier
        if off_map is not None:
            self.off_map = off_map
        self.update()

    # --- what a screen reader reads ----------------------------------------------------

    def place_words(self, view: BodyView, x: Decimal, y: Decimal) -> str:
        found = region_at(view, x, y)
        where = (self.tr("off the body") if found is None
                 else f"{label(found[0])}, {label(found[1])}".lower())
        return f"{label(view)}, {where}"

    def crosshair_words(self) -> str:
        return self.place_words(self.crosshair_view, *self.crosshair)

    def mark_name(self, mark: Mark) -> str:
        """One mark as a screen reader lists it: "Injury 2: Bruise, Front, forearm, child's
        left" (an earlier visit's mark says so)."""
        what = f"{mark.what}, " if mark.what else ""
        words = self.tr("Injury {n}: {what}{where}").format(
            n=mark.number, what=what, where=self.place_words(mark.view, mark.x, mark.y))
        if mark.earlier or mark in self.earlier:
            return self.tr("Earlier visit, {mark} (faded)").format(mark=words)
        return words

    def mark_rect(self, mark: Mark) -> QRect:
        centre = self.point_for(mark.view, mark.x, mark.y)
        return QRectF(centre.x() - 9, centre.y() - 9, 18, 18).toAlignedRect()

    def accessible_parts(self) -> list[Part]:
        """Each mark an item of its own, then the injuries with no place on the map (listed,
        not drawn), then the faded marks of earlier visits."""
        parts = [Part(self.mark_name(mark), self.mark_rect(mark)) for mark in self.marks]
        parts += [Part(self.tr("Not on the map: {injury}").format(injury=injury), QRect())
                  for injury in self.off_map]
        parts += [Part(self.mark_name(mark), self.mark_rect(mark)) for mark in self.earlier]
        return parts

    def mark_words(self) -> list[str]:
        """Every mark in words, then the injuries that have no place on the map."""
        said = [part.name for part in self.accessible_parts()[:len(self.marks)
                                                              + len(self.off_map)]]
        if self.earlier:
            said.append(self.tr("{n} earlier injuries shown faded").format(
                n=len(self.earlier)))
        return said

    def accessible_value(self) -> str:
        marks = self.mark_words()
        return "; ".join([self.tr("Cross-hair: {where}").format(where=self.crosshair_words()),
                          *(marks or [self.tr("no injuries marked")])])

    def select(self, injury_id: UUID | None) -> None:
        self.selected = injury_id
        self.update()

    # --- input -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() is not Qt.MouseButton.LeftButton:
            return
        for mark in self.marks:
            drawn_at = self.point_for(mark.view, mark.x, mark.y)
            if (drawn_at - event.position()).manhattanLength() < 12:
                self.chosen.emit(mark.injury_id)
                return
        where = self.position_at(event.position())
        if where is not None and not self.read_only:
            self.crosshair_view, self.crosshair = where[0], (where[1], where[2])
            self.placed.emit(*where)

    # complexity: the body map's keyboard contract, one branch per key
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        x, y = self.crosshair
        was_on = self.crosshair_view
        rect = self.view_rect(self.crosshair_view)
        pixels = (FINE_STEP_PIXELS if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                  else STEP_PIXELS)
        across, down = pixels / max(rect.width(), 1.0), pixels / max(rect.height(), 1.0)
        moves: dict[Qt.Key, tuple[float, float]] = {
            Qt.Key.Key_Left: (-across, 0.0), Qt.Key.Key_Right: (across, 0.0),
            Qt.Key.Key_Up: (0.0, -down), Qt.Key.Key_Down: (0.0, down)}
        if key in moves:
            dx, dy = moves[Qt.Key(key)]
            self.crosshair = (_fraction(float(x) + dx), _fraction(float(y) + dy))
        elif key == Qt.Key.Key_V:
            self.crosshair_view = (BodyView.BACK if self.crosshair_view is BodyView.FRONT
                                else BodyView.FRONT)
        elif key == Qt.Key.Key_L and not event.modifiers():
            announce(self, "; ".join(self.mark_words()) or self.tr("No injuries marked."))
            return
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if not self.read_only:
                self.placed.emit(self.crosshair_view, x, y)
        else:
            super().keyPressEvent(event)
            return
        if key in moves or key == Qt.Key.Key_V:
            self._say_where(was_on, x, y)
        self.update()

    def _say_where(self, view: BodyView, x: Decimal, y: Decimal) -> None:
        """Where the cross-hair moved, said when the part or side under it changes (each
        small step said again had buried the words)."""
        before = self.place_words(view, x, y)
        now = self.crosshair_words()
        event = QAccessibleValueChangeEvent(self, self.accessible_value())
        QAccessible.updateAccessibility(event)
        if now != before or not self._said_once:
            self._said_once = True
            announce(self, now)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    # --- drawing -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_onto(painter)
        painter.end()

    def _renderer(self, view: BodyView, ink: QColor, fill: QColor) -> QSvgRenderer:
        """The outline in the palette's ink (white on black in high contrast)."""
        key = (view, ink.name(), fill.name())
        if key not in _RENDERERS:
            _RENDERERS[key] = QSvgRenderer(QByteArray(
                outline_svg(view, ink=key[1], fill=key[2]).encode()))
        return _RENDERERS[key]

    def paint_onto(self, painter: QPainter) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        theme = colours(self.palette())
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        for view in BodyView:
            rect = self.view_rect(view)
            self._renderer(view, text, theme.outline_fill).render(painter, rect)
            painter.setPen(text)
            title = self.tr("Front") if view is BodyView.FRONT else self.tr("Back")
            painter.drawText(QRectF(rect.left(), MARGIN, rect.width(), 20),
                             Qt.AlignmentFlag.AlignHCenter, title)
        for mark in self.earlier:
            self._draw_mark(painter, mark, theme.faded, faded=True)
        for mark in self.marks:
            selected = mark.injury_id == self.selected
            self._draw_mark(painter, mark, theme.alert, selected=selected)
        if self.hasFocus():
            centre = self.point_for(self.crosshair_view, *self.crosshair)
            painter.setPen(QPen(theme.cursor, 2))
            painter.drawLine(centre - QPointF(10, 0), centre + QPointF(10, 0))
            painter.drawLine(centre - QPointF(0, 10), centre + QPointF(0, 10))

    def _draw_mark(self, painter: QPainter, mark: Mark, colour: QColor, *,
                   faded: bool = False, selected: bool = False) -> None:
        centre = self.point_for(mark.view, mark.x, mark.y)
        radius = 11.0 if selected else 9.0
        painter.setPen(QPen(colour, 3 if selected else 2,
                            Qt.PenStyle.DashLine if faded else Qt.PenStyle.SolidLine))
        painter.setBrush(Qt.BrushStyle.NoBrush if faded else colour)
        painter.drawEllipse(centre, radius, radius)
        if not faded:
            painter.setPen(colours(self.palette()).on_alert)
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(11)
            painter.setFont(font)
            painter.drawText(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius,
                                    2 * radius), Qt.AlignmentFlag.AlignCenter, str(mark.number))
