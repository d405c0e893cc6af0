"""What a note between visits must say before it is recorded, on the laptop and at central.

The models (records/case_notes.py) already refuse an empty source, summary or decision;
these are the rules a model cannot hold alone: words that are only spaces, and dates that
have not happened yet. The worker's dialog, the vault and central's import all ask here.
"""

from __future__ import annotations

from datetime import date

from records.case_notes import AgencyNotification, Note, Supervision
from records.problems import Problem


def _blank(text: str) -> bool:
    return not text.strip()


# complexity: one block of checks per kind of note
def problems_in_note(note: Note, *, today: date) -> list[Problem]:
    """Every problem at once, each at its field, in the worker's words."""
    problems: list[Problem] = []
    if isinstance(note, AgencyNotification):
        if _blank(note.source):
            problems.append(Problem("source", "Say who told you: the agency and, if you "
                                              "know, the person."))
        if _blank(note.summary):
            problems.append(Problem("summary", "Write what the agency told you."))
        if note.received_on > today:
            problems.append(Problem("received_on", "The date received is after today: write "
                                                   "the day the information reached you."))
        if note.child_seen_on is not None and note.child_seen_on > today:
            problems.append(Problem("child_seen_on", "The day the agency saw the child is "
                                                     "after today: correct it or leave it "
                                                     "empty."))
    elif isinstance(note, Supervision):
        if _blank(note.supervisor):
            problems.append(Problem("supervisor", "Say who supervised the case."))
        if note.supervised_on > today:
            problems.append(Problem("supervised_on", "The supervision date is after today."))
    elif _blank(note.decision):
        problems.append(Problem("decision", "Write what was considered and decided."))
    return problems
