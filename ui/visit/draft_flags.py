"""Which of the flags a draft would leave are about questions the worker has answered.

`records.flags` judges a submitted visit, where an unanswered question has a meaning ("seen"
left empty counts as not seen). While the visit is still being written an empty answer
only means "not asked yet": the editor shows no flag whose facts at this visit are still
unanswered, so "Ana was not seen" never appears before the worker has said either way.
The rules themselves stay in records/; this only decides what to show of their answer.
"""

from __future__ import annotations

from collections.abc import Callable

from records.flag_types import Flag, FlagCode
from records.visit import ChildObservation, Visit, VisitOutcome

Unanswered = Callable[[Visit, ChildObservation], bool]


def _blank(text: str) -> bool:
    return not text.strip()


UNANSWERED: dict[FlagCode, Unanswered] = {
    FlagCode.CHILD_NOT_SEEN: lambda visit, child: (
        child.seen is None and visit.outcome is not VisitOutcome.NO_ACCESS),
    FlagCode.NOT_SEEN_ALONE: lambda _, child: child.seen_alone is None,
    FlagCode.NOT_SPOKEN_TO_ALONE: lambda _, child: child.spoken_to_alone is None,
    FlagCode.BABY_NOT_SEEN_AWAKE: lambda _, child: child.baby_seen_awake is None,
    FlagCode.BEDROOM_NOT_SEEN: lambda _, child: child.bedroom_seen is None,
    FlagCode.LOCKED_IN: lambda _, child: child.locks_on_outside_of_door is None,
    FlagCode.VOICE_MISSING: lambda _, child: (
        _blank(child.child_words) and _blank(child.reason_words_not_recorded)
        and not child.communication_methods),
    FlagCode.INJURY_NON_MOBILE: lambda _, child: (
        any(i.independently_mobile is None for i in child.injuries)
        and not any(i.independently_mobile is False for i in child.injuries)),
    FlagCode.INTERPRETER_PROBLEM: lambda visit, _: (
        visit.interpreter is None or visit.interpreter.kind is None),
}
"""For each flag about a question at this visit: whether that question is unanswered."""


def answered_flags(visit: Visit, flags: list[Flag]) -> list[Flag]:
    """The flags to show while `visit` is a draft: none about an unanswered question."""
    shown = []
    for flag in flags:
        child = visit.observation_for(flag.child_id)
        unanswered = UNANSWERED.get(flag.code)
        if child is not None and unanswered is not None and unanswered(visit, child):
            continue
        shown.append(flag)
    return shown
