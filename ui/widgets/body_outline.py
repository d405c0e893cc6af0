"""The body-map outline of a child, front and back, drawn as SVG.

The figure's parts and what each point is on (region and side) live once in
records/body_regions.py; this module only draws those same parts, so the picture and the
region a click is given can never disagree. Front view faces the worker: the child's right
is on the left. Pure Python, no Qt: the art is original to this project.
"""

from __future__ import annotations

from records.body_regions import HEIGHT, PARTS, WIDTH, Part, region_at
from records.visit import BodyRegion, BodyView

__all__ = ["HEIGHT", "WIDTH", "outline_svg", "region_at"]


def _svg(part: Part) -> str:
    if part.shape == "ellipse":
        rx, ry = part.w / 2, part.h / 2
        return (f'<ellipse cx="{part.x + rx:g}" cy="{part.y + ry:g}" '
                f'rx="{rx:g}" ry="{ry:g}"/>')
    radius = min(part.w, part.h) / 2.5
    return (f'<rect x="{part.x:g}" y="{part.y:g}" width="{part.w:g}" height="{part.h:g}" '
            f'rx="{radius:g}"/>')


def outline_svg(view: BodyView, *, ink: str = "#1f2933", fill: str = "#f4f1ea") -> str:
    """The outline as an SVG document, one view, with the child's sides labelled."""
    # The face is a region to click, not a line to draw: the head outline frames it.
    parts = "\n    ".join(_svg(p) for p in PARTS if p.front is not BodyRegion.FACE)
    # Front: the child's right is on the viewer's left; back: the child's left is.
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
