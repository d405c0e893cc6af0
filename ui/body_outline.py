"""The body-map outline of a child, front and back: drawn once here, read back for regions.

The figure is made of simple parts (head, neck, chest, arms...). The same parts draw the
SVG art and answer "which region and side is this point on?", so the picture and the
derived region can never disagree. Positions are fractions of the view (0 to 1), as the
record stores them. Front view faces the worker: the child's right is on the left.
Pure Python, no Qt: the art is original to this project.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from records.visit import BodyRegion, BodySide, BodyView

WIDTH = 200
HEIGHT = 440
MIDLINE = WIDTH / 2
CENTRE_BAND = 9
"""Within this many units of the midline, a mark on the trunk or head is central."""


@dataclass(frozen=True)
class Part:
    """One piece of the outline; `lateral` parts belong to one side of the body."""

    front: BodyRegion
    back: BodyRegion
    shape: str  # "ellipse" or "rect"
    x: float
    y: float
    w: float
    h: float
    lateral: bool = False

    def contains(self, px: float, py: float) -> bool:
        if self.shape == "ellipse":
            rx, ry = self.w / 2, self.h / 2
            cx, cy = self.x + rx, self.y + ry
            return ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1.0
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h

    def distance(self, px: float, py: float) -> float:
        dx = max(self.x - px, 0.0, px - (self.x + self.w))
        dy = max(self.y - py, 0.0, py - (self.y + self.h))
        return float((dx * dx + dy * dy) ** 0.5)

    def svg(self) -> str:
        if self.shape == "ellipse":
            rx, ry = self.w / 2, self.h / 2
            return (f'<ellipse cx="{self.x + rx:g}" cy="{self.y + ry:g}" '
                    f'rx="{rx:g}" ry="{ry:g}"/>')
        radius = min(self.w, self.h) / 2.5
        return (f'<rect x="{self.x:g}" y="{self.y:g}" width="{self.w:g}" height="{self.h:g}" '
                f'rx="{radius:g}"/>')


def _pair(front: BodyRegion, back: BodyRegion, shape: str, x: float, y: float, w: float,
          h: float) -> list[Part]:
    """A limb part and its mirror image on the other side of the body."""
    mirror = WIDTH - x - w
    return [Part(front, back, shape, x, y, w, h, lateral=True),
            Part(front, back, shape, mirror, y, w, h, lateral=True)]


R = BodyRegion
# Drawn in this order (later parts on top); looked up in reverse, so small parts win.
PARTS: tuple[Part, ...] = (
    *_pair(R.THIGH, R.THIGH, "rect", 66, 258, 32, 86),
    *_pair(R.KNEE, R.KNEE, "ellipse", 67, 336, 30, 26),
    *_pair(R.LOWER_LEG, R.LOWER_LEG, "rect", 70, 356, 25, 64),
    *_pair(R.FOOT, R.FOOT, "ellipse", 62, 414, 34, 18),
    *_pair(R.UPPER_ARM, R.UPPER_ARM, "rect", 34, 104, 24, 74),
    *_pair(R.FOREARM, R.FOREARM, "rect", 28, 174, 22, 70),
    *_pair(R.HAND, R.HAND, "ellipse", 24, 240, 26, 30),
    Part(R.ABDOMEN, R.LOWER_BACK, "rect", 62, 168, 76, 68),
    Part(R.GENITAL_AREA, R.BUTTOCKS, "rect", 62, 230, 76, 40),
    Part(R.CHEST, R.UPPER_BACK, "rect", 58, 94, 84, 80),
    *_pair(R.SHOULDER, R.SHOULDER, "ellipse", 40, 92, 34, 30),
    Part(R.NECK, R.NECK, "rect", 88, 74, 24, 26),
    *_pair(R.EAR, R.EAR, "ellipse", 62, 34, 12, 22),
    Part(R.HEAD, R.HEAD, "ellipse", 68, 4, 64, 76),
    Part(R.FACE, R.HEAD, "ellipse", 76, 26, 48, 50),
)


def _side(part: Part, view: BodyView, px: float) -> BodySide:
    if not part.lateral and abs(px - MIDLINE) <= CENTRE_BAND:
        return BodySide.CENTRE
    on_viewers_left = px < MIDLINE
    # Facing the worker, the child's right is on the worker's left; from behind, it is not.
    if view is BodyView.FRONT:
        return BodySide.RIGHT if on_viewers_left else BodySide.LEFT
    return BodySide.LEFT if on_viewers_left else BodySide.RIGHT


def region_at(view: BodyView, x: Decimal | float, y: Decimal | float,
              reach: float = 12.0) -> tuple[BodyRegion, BodySide] | None:
    """The region and side under a point (fractions of the view), or None if off the body."""
    px, py = float(x) * WIDTH, float(y) * HEIGHT
    for part in reversed(PARTS):
        if part.contains(px, py):
            return (part.front if view is BodyView.FRONT else part.back), _side(part, view, px)
    nearest = min(PARTS, key=lambda p: p.distance(px, py))
    if nearest.distance(px, py) <= reach:
        region = nearest.front if view is BodyView.FRONT else nearest.back
        return region, _side(nearest, view, px)
    return None


def outline_svg(view: BodyView, *, ink: str = "#1f2933", fill: str = "#f4f1ea") -> str:
    """The outline as an SVG document, one view, with the child's sides labelled."""
    # The face is a region to click, not a line to draw: the head outline frames it.
    parts = "\n    ".join(p.svg() for p in PARTS if p.front is not R.FACE)
    left_label, right_label = (("R", "L") if view is BodyView.FRONT else ("L", "R"))
    title = "Front" if view is BodyView.FRONT else "Back"
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"
     width="{WIDTH}" height="{HEIGHT}">
  <title>Body map: {title}</title>
  <g fill="{fill}" stroke="{ink}" stroke-width="2" stroke-linejoin="round">
    {parts}
  </g>
  <g fill="{ink}" font-family="sans-serif" font-size="16" font-weight="bold">
    <text x="6" y="20">{left_label}</text>
    <text x="{WIDTH - 18}" y="20">{right_label}</text>
  </g>
</svg>
"""
