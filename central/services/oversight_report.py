"""`homevisit-central children` in its three forms: a table, the inspectors' CSV, JSON.

The CSV is the child-level list inspectors ask for, one line a child, exactly `CSV_COLUMNS`.
A cell a spreadsheet would run as a formula (starting = + - @) is written with a leading
apostrophe, so a name or a sentence is only ever shown.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from central.services.oversight import ChildSeen
from records.flag_types import day_text
from records.wording import counted, percent

CSV_COLUMNS = ("child", "case_reference", "plan_type", "team", "worker", "last_seen",
               "seen_alone_then", "next_due", "days_overdue", "headline", "headline_as_of",
               "overdue_now")
"""`last_seen`: the day of the last visit where the child was seen; `seen_alone_then`:
yes / no / empty (not recorded, or never seen); `overdue_now`: yes / no, counted in the
pages' "overdue now" (past `next_due`, or never seen with no start date to count from: then
`days_overdue` is 0 and `next_due` empty), last so that no earlier column moved when it was
added; `headline_as_of`: the day the child's flags
were worked out for. On the managers' pages, before the nightly refresh has run on a new
day, that can be yesterday for children nothing has changed for (`ChildSeen.flags_for`);
every other column is for today."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def yes_no(value: bool | None) -> str:
    """A CSV's yes / no, empty when not known."""
    return "" if value is None else ("yes" if value else "no")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(children: Sequence[ChildSeen], today: date) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in children:
        writer.writerow([safe_cell(c.name), safe_cell(c.case_reference), c.plan_type.label,
                         safe_cell(c.team), safe_cell(c.worker_name), _iso(c.last_seen),
                         yes_no(c.seen_alone_then), _iso(c.next_due), c.days_overdue,
                         safe_cell(c.headline.reason if c.headline else ""),
                         headline_as_of(c, today), yes_no(c.overdue)])
    return out.getvalue()


def headline_as_of(child: ChildSeen, today: date) -> str:
    """The day the child's headline was worked out for, as a CSV cell."""
    return (child.flags_for or today).isoformat()


def as_json(child: ChildSeen) -> dict[str, Any]:
    headline = child.headline
    return {
        "child_id": str(child.child_id), "name": child.name,
        "child_reference": child.child_reference, "case_reference": child.case_reference,
        "plan_type": child.plan_type.value, "team": child.team, "worker": child.worker,
        "worker_name": child.worker_name, "last_seen": _iso(child.last_seen) or None,
        "seen_alone_then": child.seen_alone_then, "next_due": _iso(child.next_due) or None,
        "days_overdue": child.days_overdue, "overdue_now": child.overdue,
        "no_start_date": child.no_start_date, "never_visited": child.never_visited,
        "headline": None if headline is None else {
            "code": headline.code.value, "severity": headline.severity.value,
            "sentence": headline.reason},
        "red": child.red, "amber": child.amber,
        "seen_recently": child.seen_recently,
        "seen_on_time_recently": child.seen_on_time_recently,
        "device_last_contact": (child.device_last_contact.isoformat()
                                if child.device_last_contact else None),
        "flags": [{"code": f.code.value, "severity": f.severity.value, "sentence": f.reason,
                   "since": f.since.isoformat()} for f in child.flags],
    }


def json_text(children: Sequence[ChildSeen]) -> str:
    return json.dumps([as_json(c) for c in children], ensure_ascii=False, indent=1)


# complexity: each count is a filtered sum; the wording is one sentence
def summary(children: Sequence[ChildSeen], team: str | None, *, red_only: bool = False) -> str:
    red = sum(1 for c in children if c.headline and c.headline.severity.rank == 0)
    amber = sum(1 for c in children if c.headline and c.headline.severity.rank == 1)
    overdue = sum(1 for c in children if c.overdue)
    never = sum(1 for c in children if c.never_visited)
    recent = sum(c.seen_recently for c in children)
    on_time = sum(c.seen_on_time_recently for c in children)
    share = f"{percent(on_time, recent)}%" if recent else "no visits"
    where = f"in team {team}" if team else "in all teams"
    which = " whose most serious flag is red" if red_only else ""
    return (f"{counted(len(children), 'allocated child')} {where}{which}: {red} red, "
            f"{amber} amber; "
            f"{overdue} overdue now, {never} never visited; seen within timescale in the "
            f"last three months: {on_time} of {recent} visits ({share}).")


def _shown(text: str) -> str:
    """No control character from a record reaches the terminal (it could move the cursor)."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


# complexity: aligned columns, one conditional cell each
def table_lines(children: Sequence[ChildSeen]) -> list[str]:
    """Aligned columns for a terminal, the headline sentence last and whole."""
    header = ("", "CHILD", "CASE", "PLAN", "TEAM", "WORKER", "LAST SEEN", "ALONE",
              "NEXT DUE", "OVERDUE", "HEADLINE")
    rows = [header] + [(
        {"red": "RED", "amber": "amber"}.get(c.severity.value if c.severity else "", "-"),
        c.name, c.case_reference, c.plan_type.label, c.team, c.worker,
        day_text(c.last_seen) if c.last_seen else "never seen",
        yes_no(c.seen_alone_then) or "-",
        day_text(c.next_due) if c.next_due else "-",
        f"{c.days_overdue} d" if c.days_overdue else "no start date" if c.no_start_date
        else "-",
        c.headline.reason if c.headline else "") for c in children]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    return [_shown("  ".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=True))
                   + "  " + r[-1]).rstrip() for r in rows]
