"""Charts drawn on the server as SVG: no script, readable by a screen reader through its
title, description and the table of the same figures beside it."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from central.services.oversight_figures import WeekPoint
from records.flag_types import day_text

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 12, 36


# complexity: one SVG: axes, labels, runs and points; each loop draws one layer
def trend_svg(points: Sequence[WeekPoint], title: str) -> str:
    """A line of % seen within timescale a week (a gap where a week had no visit), 0-100%."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(percent: int) -> float:
        return TOP + plot_h * (100 - percent) / 100

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="trend-title trend-desc" class="trend">',
             f'<title id="trend-title">{escape(title)}</title>']
    known = [(i, p.percent) for i, p in enumerate(points) if p.percent is not None]
    description = "; ".join(f"week of {day_text(points[i].week_starting)}: {pc}%"
                            for i, pc in known) or "no visits in these weeks"
    parts.append(f'<desc id="trend-desc">{escape(description)}</desc>')
    for percent in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(percent):.1f}" '
                     f'y2="{y(percent):.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(percent) + 4:.1f}" text-anchor="end" '
                     f'class="axis">{percent}%</text>')
    for i, point in enumerate(points):
        if i % 2 == 0 or i == len(points) - 1:
            label = f"{point.week_starting.day} {day_text(point.week_starting).split()[1]}"
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
                         f'class="axis">{label}</text>')
    runs: list[list[tuple[int, int]]] = []
    for i, percent in known:
        if runs and runs[-1][-1][0] == i - 1:
            runs[-1].append((i, percent))
        else:
            runs.append([(i, percent)])
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{x(i):.1f},{y(pc):.1f}" for i, pc in run)
            parts.append(f'<polyline points="{path}" class="line"/>')
    for i, percent in known:
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(percent):.1f}" r="4" class="dot"/>')
    parts.append("</svg>")
    return "".join(parts)
