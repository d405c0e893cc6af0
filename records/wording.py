"""Counts in English sentences: "1 day", "2 days", never "1 days" or "day(s)".

Every message outside Qt that puts a number before a noun says it through `counted`, so the
singular and the plural are chosen in one place. The windows' own strings stay whole
sentences for translators: a singular `tr("1 child; …")` beside the plural one."""

from __future__ import annotations

# Words whose plural is not the singular plus "s", and phrases whose verb agrees too.
_IRREGULAR = {"child": "children", "injury": "injuries", "family": "families",
              "person": "people", "addendum": "addenda", "try": "tries",
              "thing needs": "things need"}


def plural(noun: str, count: int) -> str:
    """The noun for this many: `plural("day", 1)` is "day", `plural("day", 2)` is "days";
    in a phrase the last word changes (`plural("working day", 3)` is "working days")."""
    if count == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    head, _, last = noun.rpartition(" ")
    return f"{head} {_IRREGULAR.get(last, last + 's')}".lstrip()


def counted(count: int, noun: str) -> str:
    """The number and its noun: `counted(1, "day")` is "1 day", `counted(0, "visit")` is
    "0 visits", `counted(3, "child")` is "3 children"."""
    return f"{count} {plural(noun, count)}"


def hours_taken(hours: int) -> str:
    """A delay in whole hours as a reader takes it in: "25 hours" up to two days, then the
    days first, "14 days (343 hours)", so a week's delay does not read as a small number."""
    if hours < 48:
        return counted(hours, "hour")
    return f"{counted(hours // 24, 'day')} ({counted(hours, 'hour')})"


def percent(part: int, whole: int) -> int | None:
    """A share in whole percent, rounded down, as every screen and report shows one: 199 of
    200 is 99%, never 100% until every one is; None when there is nothing to count."""
    return part * 100 // whole if whole else None
