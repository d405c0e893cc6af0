"""Which part of a child's body, and which side, a point of the body map is on.

The body map is a figure made of simple parts (head, neck, chest, arms...). These parts are
the one truth about where things are: ui/widgets/body_outline.py draws them, the editor turns a
click into region and side with `region_at`, invented demo and test data place marks with
`spots`, and `mark_agrees` tells whether a record's mark and its words ("left upper arm")
say the same thing. A mark on one arm described as the other is wrong evidence.

Positions are fractions of one view (0 to 1 across, 0 to 1 down), as the record stores
them. On the FRONT view the child faces the worker, so the child's right is on the
viewer's left; on the BACK view the viewer sees the child from behind, so the child's
left is on the viewer's left. Pure Python, no Qt.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from records.visit import BodyRegion, BodySide, BodyView, InjuryObservation

WIDTH = 200
HEIGHT = 440
MIDLINE = WIDTH / 2
CENTRE_BAND = 9
"""Within this many units of the midline, a mark on the trunk or head is central."""

NEAR = 6.0
"""A mark this many units from the named part and side still agrees with its words: a
click lands on an edge (a shoulder touching an upper arm) and the worker names the other."""

_GRID = 4
"""Spacing, in units, of the points `spots` offers inside a region."""


@dataclass(frozen=True)
class Part:
    """One piece of the figure; `lateral` parts belong to one side of the body."""

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

    def region(self, view: BodyView) -> BodyRegion:
        return self.front if view is BodyView.FRONT else self.back


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


def side_at(view: BodyView, px: float, *, lateral: bool = True) -> BodySide:
    """The child's side at `px` units across a view (trunk and head have a centre band)."""
    if not lateral and abs(px - MIDLINE) <= CENTRE_BAND:
        return BodySide.CENTRE
    on_viewers_left = px < MIDLINE
    # Facing the worker, the child's right is on the worker's left; from behind, it is not.
    if view is BodyView.FRONT:
        return BodySide.RIGHT if on_viewers_left else BodySide.LEFT
    return BodySide.LEFT if on_viewers_left else BodySide.RIGHT


def _on(view: BodyView, px: float, py: float) -> tuple[BodyRegion, BodySide] | None:
    for part in reversed(PARTS):
        if part.contains(px, py):
            return part.region(view), side_at(view, px, lateral=part.lateral)
    return None


def region_at(view: BodyView, x: Decimal | float, y: Decimal | float,
              reach: float = 12.0) -> tuple[BodyRegion, BodySide] | None:
    """The region and side under a point (fractions of the view), or None if off the body.

    A point just off the outline (within `reach` units) belongs to the nearest part."""
    px, py = float(x) * WIDTH, float(y) * HEIGHT
    found = _on(view, px, py)
    if found is not None:
        return found
    nearest = min(PARTS, key=lambda p: p.distance(px, py))
    if nearest.distance(px, py) <= reach:
        return nearest.region(view), side_at(view, px, lateral=nearest.lateral)
    return None


def regions_on(view: BodyView) -> frozenset[BodyRegion]:
    """The regions a view shows (the chest only from the front, the buttocks from behind)."""
    return frozenset(part.region(view) for part in PARTS)


@cache
def _grid(view: BodyView) -> dict[tuple[BodyRegion, BodySide], tuple[tuple[int, int], ...]]:
    """Every grid point of a view on the body, by the region and side it is on."""
    found: dict[tuple[BodyRegion, BodySide], list[tuple[int, int]]] = {}
    for px in range(_GRID // 2, WIDTH, _GRID):
        for py in range(_GRID // 2, HEIGHT, _GRID):
            where = _on(view, px, py)
            if where is not None:
                found.setdefault(where, []).append((px, py))
    return {where: tuple(points) for where, points in found.items()}


def _fractions(px: float, py: float) -> tuple[Decimal, Decimal]:
    return Decimal(f"{px / WIDTH:.3f}"), Decimal(f"{py / HEIGHT:.3f}")


def spots(view: BodyView, region: BodyRegion, side: BodySide) -> list[tuple[Decimal, Decimal]]:
    """Points (fractions) well inside `region` on the child's `side` of `view`, or none.

    "Well inside": each point's neighbours on the grid are on the same region and side too,
    so a mark drawn there is plainly on it (a region too thin for that offers every point)."""
    points = _grid(view).get((region, side), ())
    inside = set(points)
    interior = [(px, py) for px, py in points
                if all(n in inside for n in ((px - _GRID, py), (px + _GRID, py),
                                             (px, py - _GRID), (px, py + _GRID)))]
    return [_fractions(px, py) for px, py in interior or points]


def spot_for(region: BodyRegion, side: BodySide, view: BodyView = BodyView.FRONT,
             ) -> tuple[BodyView, Decimal, Decimal] | None:
    """Where to draw a mark for `side` `region`: the middle of it on `view`, or on the
    other view when `view` does not show that region; None if the body has no such place
    (a limb is never in the centre)."""
    for looking in (view, BodyView.BACK if view is BodyView.FRONT else BodyView.FRONT):
        found = spots(looking, region, side)
        if found:
            mean_x = sum(float(x) for x, _ in found) / len(found)
            mean_y = sum(float(y) for _, y in found) / len(found)
            x, y = min(found, key=lambda p: (float(p[0]) - mean_x) ** 2
                       + ((float(p[1]) - mean_y) * HEIGHT / WIDTH) ** 2)
            return looking, x, y
    return None


def random_spot(rng: random.Random, region: BodyRegion, side: BodySide,
                ) -> tuple[BodyView, Decimal, Decimal]:
    """A random point inside `side` `region` on a view that shows it (invented data)."""
    choices = [(view, x, y) for view in BodyView for x, y in spots(view, region, side)]
    if not choices:
        raise ValueError(f"the body map has no {side.value} {region.value}")
    return rng.choice(choices)


def mark_agrees(view: BodyView, x: Decimal | float, y: Decimal | float, region: BodyRegion,
                side: BodySide) -> bool:
    """Whether a mark at (x, y) on `view` is on (or within `NEAR` of) `side` `region`."""
    px, py = float(x) * WIDTH, float(y) * HEIGHT
    if region_at(view, x, y) == (region, side):
        return True
    diagonal = NEAR / 2**0.5
    around = ((NEAR, 0.0), (-NEAR, 0.0), (0.0, NEAR), (0.0, -NEAR), (diagonal, diagonal),
              (diagonal, -diagonal), (-diagonal, diagonal), (-diagonal, -diagonal))
    return any(_on(view, px + dx, py + dy) == (region, side) for dx, dy in around)


def injury_mark_agrees(injury: InjuryObservation) -> bool:
    """False only when an injury has a mark and words and they name different places."""
    if (injury.view is None or injury.x is None or injury.y is None or injury.region is None
            or injury.side is None):
        return True
    return mark_agrees(injury.view, injury.x, injury.y, injury.region, injury.side)


def place_words(region: BodyRegion, side: BodySide) -> str:
    """'the child's left upper arm', 'the middle of the chest'."""
    part = region.value.replace("_", " ")
    if side is BodySide.CENTRE:
        return f"the middle of the {part}"
    return f"the child's {side.value} {part}"


def mark_disagreement(injury: InjuryObservation) -> str:
    """Where the mark really is, when it disagrees with the words; "" when they agree."""
    if injury_mark_agrees(injury):
        return ""
    assert injury.view is not None and injury.x is not None and injury.y is not None
    drawn = region_at(injury.view, injury.x, injury.y)
    place = place_words(*drawn) if drawn else "off the outline"
    return f"marked on {place} ({injury.view.value} view)"
