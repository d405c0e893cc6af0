"""The body map on paper: front and back outlines with a numbered mark for each injury, as
one SVG picture (for the PDFs, and the review screen's copy of the visit PDF). Qt-free.

The marks are where the widget (ui/widgets/body_map.py) draws them: the same outline
(body_outline.py), marks the same size relative to it, earlier injuries faded (grey,
dashed, unfilled) but numbered, so the list under the map finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from records.visit import BodyView
from ui.widgets.body_outline import HEIGHT, WIDTH, outline_svg

PAPER_INK = "#1f2933"
PAPER_FILL = "#f4f1ea"
ALERT = "#b42318"
FADED = "#6b7280"
GAP = 22  # between the two views, in the outline's units
TITLE = 24  # the band above the views for "Front" and "Back"
RADIUS = 8.2  # a mark: 9 screen pixels on the widget's 480-pixel paper map
NUMBER_SIZE = 10


@dataclass(frozen=True)
class Mark:
    """One injury drawn on the map: where, its number in the list, and whether it is old."""

    injury_id: UUID
    view: BodyView
    x: Decimal
    y: Decimal
    number: int
    earlier: bool = False
    what: str = ""  # the injury's type in words ("Bruise"), said with the mark


def _left(view: BodyView) -> float:
    return 0.0 if view is BodyView.FRONT else WIDTH + GAP


def _mark_svg(mark: Mark) -> str:
    cx = _left(mark.view) + float(mark.x) * WIDTH
    cy = TITLE + float(mark.y) * HEIGHT
    if mark.earlier:
        circle = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{RADIUS}" fill="none" '
                  f'stroke="{FADED}" stroke-width="1.8" stroke-dasharray="4 3"/>')
        ink, weight = FADED, "normal"
    else:
        circle = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{RADIUS}" fill="{ALERT}" '
                  f'stroke="{ALERT}" stroke-width="1.8"/>')
        ink, weight = "#ffffff", "bold"
    number = (f'<text x="{cx:.1f}" y="{cy + NUMBER_SIZE * 0.36:.1f}" fill="{ink}" '
              f'font-weight="{weight}" text-anchor="middle">{mark.number}</text>')
    return circle + number


def body_map_svg(marks: list[Mark]) -> str:
    """Both views with `marks` (earlier ones faded, drawn under the current ones)."""
    width, height = 2 * WIDTH + GAP, TITLE + HEIGHT
    # Each outline moved to its place as a group (SVG Tiny, which Qt draws, nests no <svg>).
    views = "".join(
        f'<g transform="translate({_left(view):g} {TITLE})">'
        + outline_svg(view, ink=PAPER_INK, fill=PAPER_FILL).split(">", 1)[1]
        .rsplit("</svg>", 1)[0] + "</g>"
        for view in BodyView)
    titles = "".join(
        f'<text x="{_left(view) + WIDTH / 2:g}" y="17" text-anchor="middle" '
        f'font-weight="bold" font-size="14" fill="{PAPER_INK}">'
        f'{"Front" if view is BodyView.FRONT else "Back"}</text>' for view in BodyView)
    ordered = [m for m in marks if m.earlier] + [m for m in marks if not m.earlier]
    drawn = "".join(_mark_svg(mark) for mark in ordered)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="DejaVu Sans" '
            f'font-size="{NUMBER_SIZE}">'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>{titles}{views}{drawn}'
            "</svg>")
