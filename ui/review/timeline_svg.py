"""A child's chronology on paper: one dated line per kind of event, as an SVG picture for
the PDF. Qt-free. The screen's timeline (chronology.py, QPainter) uses the same lanes,
windows and ticks from here, so both draw the same picture.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from html import escape

from records.flag_types import day_text
from ui.review_services import Chronology

LANES = ("visit", "injury", "note", "flag", "review", "addendum")
LANE_NAMES = {"visit": "Visits", "injury": "Injuries", "note": "Agencies",
              "flag": "Flags", "review": "Reviews", "addendum": "Addenda"}
KIND_WORDS = {"visit": "Visit", "injury": "Injury", "note": "Agency information",
              "flag": "Flag", "review": "Review", "addendum": "Addendum"}
LEFT, TOP, LANE_HEIGHT = 90, 28, 34
HEIGHT = TOP + LANE_HEIGHT * len(LANES) + 30
INK, GRID, RED, AMBER, BLUE = "#1f2933", "#d0d5dd", "#b42318", "#b54708", "#175cd3"
WINDOW_DAYS = 183
"""How many days one timeline on paper covers: a longer chronology is drawn as several,
one under another (and across pages), so events a day or two apart stay apart."""


def month_starts(first: date, last: date) -> list[date]:
    ticks, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day > first + timedelta(days=20) and day < last - timedelta(days=20):
            ticks.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks[:: max(1, len(ticks) // 8)]


def timeline_windows(chronology: Chronology) -> list[tuple[date, date]]:
    """The spans, oldest first, that together cover every event: one when it fits, else
    spans of WINDOW_DAYS each, all to one scale so gaps compare across them."""
    if not chronology.events:
        return []
    first = min(e.day for e in chronology.events)
    last = max(e.day for e in chronology.events)
    if (last - first).days <= WINDOW_DAYS:
        return [(first, max(last, first + timedelta(days=7)))]
    windows = []
    start = first
    while start <= last:
        windows.append((start, start + timedelta(days=WINDOW_DAYS)))
        start += timedelta(days=WINDOW_DAYS + 1)
    return windows


def _text(x: float, y: float, words: str, anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}">'
            f"{escape(words)}</text>")


def timeline_svg(chronology: Chronology, window: tuple[date, date], width: int) -> str:
    """The events of `window` on their lanes, `width` pixels wide (at 96 per inch, so its
    12-pixel words are 9 pt when it is as wide on paper), with its dates under it."""
    first, last = window
    span = max((last - first).days, 1)
    line = width - LEFT - 20

    def x_of(day: date) -> float:
        return LEFT + line * (day - first).days / span

    parts = [f'<rect width="{width}" height="{HEIGHT}" fill="#ffffff"/>',
             _text(LEFT, 18, f"{chronology.child.display_name}: {day_text(first)} to "
                   f"{day_text(last)}")]
    events = [e for e in chronology.events if first <= e.day <= last]
    for lane, kind in enumerate(LANES):
        y = TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{width - 20}" y2="{y}" '
                     f'stroke="{GRID}"/>')
        parts.append(_text(4, y + 4, LANE_NAMES[kind]))
        for event in (e for e in events if e.kind == kind):
            colour = RED if event.red else AMBER if kind == "flag" else BLUE
            parts.append(f'<circle cx="{x_of(event.day):.1f}" cy="{y}" r="6" '
                         f'fill="{colour}"/>')
    bottom = TOP + len(LANES) * LANE_HEIGHT + 18
    for tick in [first, *month_starts(first, last), last]:
        # Each date under its day, pulled in at the ends so none runs off the picture.
        centre = min(max(x_of(tick), LEFT), width - 40)
        parts.append(_text(centre, bottom, day_text(tick), "middle"))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
            f'width="{width}" height="{HEIGHT}" font-family="DejaVu Sans" font-size="12">'
            + "".join(parts) + "</svg>")


def timeline_words(chronology: Chronology, window: tuple[date, date]) -> str:
    """What a screen reader says for one timeline picture: its span and what is on it."""
    first, last = window
    events = [e for e in chronology.events if first <= e.day <= last]
    kinds = Counter(e.kind for e in events)
    red = sum(e.red for e in events)
    counts = ", ".join(f"{LANE_NAMES[k].lower()}: {kinds[k]}" for k in LANES if kinds[k])
    return (f"Timeline of {chronology.child.display_name}'s events from {day_text(first)} to "
            f"{day_text(last)}, one line for each kind of event: {counts or 'no events'}; "
            f"{red} in red. Every event is listed in words in the Events table.")
