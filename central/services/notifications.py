"""`homevisit-central notification import FILE`: information from another agency, entered
at central from a list (police domestic abuse notifications, Operation Encompass, MARAC…).

Strict, all or nothing: every row is checked before anything is stored, every problem is
reported with its row and column and what to do, and a file with any bad row imports nothing.
Each notification becomes an `AgencyNotification` (records/case_notes.py) signed by central's
receipt key (no laptop made it: `device_id` is empty, `entered_at_central` is true); laptops
check that signature when they pull it. Its id is derived from what it says, so importing the
same file again adds nothing.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.core.keys import ServerKeys
from central.db.models import CaseNoteChild, CaseNoteRow, CaseRow, ChildRow
from central.errors import CentralError
from central.services import figures_store
from central.services.admin import NAMESPACE
from central.services.audit import audit
from central.services.changes import record_change
from central.services.pull import notes_readable_from
from records.canonical import canonical_json, hash_bytes
from records.case_notes import AgencyKind, AgencyNotification
from records.flag_types import local_day
from records.note_rules import problems_in_note
from records.wording import counted
from sync.protocol import ChangeKind

COLUMNS = ("case_reference", "case_id", "child_ids", "child_id", "source", "kind",
           "received_on", "summary", "child_seen_on", "entered_by", "reports_injury",
           "reports_food_or_weight")
REQUIRED = ("source", "kind", "received_on", "summary", "entered_by")
MOST_PROBLEMS_SHOWN = 20
_KINDS = ", ".join(k.value for k in AgencyKind)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class NotificationImport:
    imported: int
    already_there: int


class _Row:
    """One row's cells, and its problems as they are found."""

    def __init__(self, number: int, cells: dict[str, str | None],
                 problems: list[RowProblem]) -> None:
        self.number = number
        self._cells = cells
        self._problems = problems
        self.good = True

    def text(self, column: str) -> str:
        return (self._cells.get(column) or "").strip()

    def problem(self, column: str, message: str) -> None:
        self.good = False
        self._problems.append(RowProblem(self.number, column, message))

    def answer(self, column: str) -> bool | None:
        """yes or no; empty (or no such column) when the list does not say."""
        text = self.text(column)
        if not text:
            return None
        if text.casefold() not in ("yes", "no"):
            self.problem(column, f"{text!r} is not an answer: write yes or no, or leave it "
                                 "empty if the agency did not say.")
            return None
        return text.casefold() == "yes"

    def day(self, column: str, today: date, *, required: bool) -> date | None:
        text = self.text(column)
        if not text:
            if required:
                self.problem(column, "is empty: write the date as YYYY-MM-DD (2026-11-16).")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problem(column, f"{text!r} is not a date: write it as YYYY-MM-DD "
                                 "(2026-11-16).")
            return None


# complexity: check every row, then store all or none: both passes live here
def import_notifications(session: Session, source: IO[str], keys: ServerKeys,
                         now: datetime) -> NotificationImport:
    """Check every row, then store them all, or raise naming every problem."""
    reader = csv.DictReader(source)
    header = [name.strip() for name in reader.fieldnames or ()]
    _check_header(header)
    reader.fieldnames = header
    today = local_day(now)
    problems: list[RowProblem] = []
    notes: dict[uuid.UUID, tuple[AgencyNotification, int | None]] = {}
    rows = 0
    for number, cells in enumerate(reader, start=2):
        if None in cells:
            problems.append(RowProblem(number, "(end)", "has more cells than the header has "
                                       "columns: check for a comma inside a cell that is not "
                                       "in quotes."))
            continue
        if not any((value or "").strip() for value in cells.values()):
            continue  # an empty line, as spreadsheets leave at the end
        rows += 1
        made = _notification(session, _Row(number, cells, problems), today, now)
        if made is not None:
            notes.setdefault(made[0].id, made)
    if problems:
        raise _refused(problems)
    if rows == 0:
        raise CentralError(422, "csv_empty", "The file has a header but no notifications. "
                           "Nothing was imported.")
    held = set(session.scalars(select(CaseNoteRow.id).where(CaseNoteRow.id.in_(list(notes)))))
    for note, team_id in notes.values():
        if note.id in held:
            continue
        frozen = canonical_json(note)
        session.add(CaseNoteRow(
            id=note.id, note=note.note, case_id=note.case_id, device_id=None, user_id=None,
            team_id=team_id, entered_at_central=True, canonical_json=frozen.decode(),
            record_hash=hash_bytes(frozen), signature=keys.sign_entered_note(frozen),
            received_at=now, flags=[], readable_from=notes_readable_from(note)))
        session.flush()
        session.add_all(CaseNoteChild(note_id=note.id, child_id=child_id)
                        for child_id in note.child_ids)
        record_change(session, ChangeKind.NOTE.value, note.id, team_id=team_id)
    figures_store.bump(session, child_ids=[c for note, _ in notes.values()
                                           if note.id not in held for c in note.child_ids])
    imported = len(notes) - len(held)
    audit(session, "cli", "notifications.imported", "", imported=imported,
          already_there=len(held))
    return NotificationImport(imported, len(held))


# complexity: each missing or unknown column named in the refusal
def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if "case_reference" not in header and "case_id" not in header:
        missing.append("case_reference (or case_id)")
    if "child_ids" not in header and "child_id" not in header:
        missing.append("child_ids (or child_id)")
    said = []
    if missing:
        said.append(f"it lacks the column(s) {', '.join(missing)}")
    if unknown:
        said.append(f"it has column(s) this command does not know: {', '.join(unknown)}")
    if said:
        raise CentralError(422, "csv_columns", f"The file's first line is not right: "
                           f"{'; '.join(said)}. The columns are: {', '.join(COLUMNS)} "
                           "(docs/it-deployment.md). Nothing was imported.")


def _refused(problems: list[RowProblem]) -> CentralError:
    shown = [f"  {p}" for p in problems[:MOST_PROBLEMS_SHOWN]]
    if len(problems) > MOST_PROBLEMS_SHOWN:
        shown.append(f"  … and {len(problems) - MOST_PROBLEMS_SHOWN} more.")
    rows = len({p.row for p in problems})
    return CentralError(
        422, "csv_row_invalid",
        f"Nothing was imported: {counted(rows, 'row')} of the file "
        f"{'needs' if rows == 1 else 'need'} putting right (rows are "
        "counted as a spreadsheet shows them, the header being row 1).\n" + "\n".join(shown)
        + "\nCorrect the file and run the command again; every row is imported together.")


# complexity: one CSV row to a notification, naming every bad cell
def _notification(session: Session, row: _Row, today: date,
                  now: datetime) -> tuple[AgencyNotification, int | None] | None:
    case = _case(session, row)
    children = _children(session, row, case)
    kind_text = row.text("kind")
    kind: AgencyKind | None = None
    try:
        kind = AgencyKind(kind_text.lower())
    except ValueError:
        row.problem("kind", f"{kind_text!r} is not a kind of notification: write one of "
                            f"{_KINDS}.")
    if not row.text("entered_by"):
        row.problem("entered_by", "is empty: write who is entering this notification.")
    received_on = row.day("received_on", today, required=True)
    seen_on = row.day("child_seen_on", today, required=False)
    injury, food = row.answer("reports_injury"), row.answer("reports_food_or_weight")
    if bool(row.text("reports_injury")) != bool(row.text("reports_food_or_weight")):
        empty = "reports_injury" if not row.text("reports_injury") else "reports_food_or_weight"
        row.problem(empty, "is empty while the other answer is given: answer both yes or no, "
                           "or leave both empty if the agency did not say.")
    # The rules every note meets (records/note_rules.py), asked of the row as it stands so a
    # date after today is reported with everything else, whatever else is wrong.
    as_written = AgencyNotification.model_construct(
        id=uuid.UUID(int=0), case_id=case.id if case else uuid.UUID(int=0),
        child_ids=tuple(children), source=row.text("source"), kind=kind or AgencyKind.OTHER,
        received_on=received_on or today, summary=row.text("summary"),
        child_seen_on=seen_on, entered_at=now)
    for found in problems_in_note(as_written, today=today):
        row.problem(found.field, found.message)
    if not row.good or case is None or kind is None or received_on is None:
        return None
    child_ids = tuple(sorted(children, key=str))
    # Not the answers: a row imported before they could be given is the same notification
    # when imported again with them (kept as it was: a signed note is never changed).
    identity = "|".join([str(case.id), *map(str, child_ids), row.text("source"), kind.value,
                         received_on.isoformat(), row.text("summary")])
    try:
        note = AgencyNotification(
            id=uuid.uuid5(NAMESPACE, f"notification:{identity}"), case_id=case.id,
            child_ids=child_ids, source=row.text("source"), kind=kind,
            received_on=received_on, summary=row.text("summary"), child_seen_on=seen_on,
            entered_by=row.text("entered_by"), entered_at=now, reports_injury=injury,
            reports_food_or_weight=food)
    except ValidationError as error:
        for item in error.errors():
            column = str(item["loc"][0]) if item["loc"] else "(row)"
            row.problem(column, f"{item['msg']}.")
        return None
    return note, case.team_id


# complexity: a case named by reference, by id or both, and the two must agree
def _case(session: Session, row: _Row) -> CaseRow | None:
    reference, given_id = row.text("case_reference"), row.text("case_id")
    if not reference and not given_id:
        row.problem("case_reference", "is empty: write the case reference (or the case id in "
                                      "column case_id).")
        return None
    by_reference = (session.scalar(select(CaseRow).where(CaseRow.reference == reference))
                    if reference else None)
    if reference and by_reference is None:
        row.problem("case_reference", f"no case has the reference {reference!r}: check it "
                                      "against the case system, or import the case first.")
        return None
    by_id = None
    if given_id:
        try:
            by_id = session.get(CaseRow, uuid.UUID(given_id))
        except ValueError:
            row.problem("case_id", f"{given_id!r} is not a case id.")
            return None
        if by_id is None:
            row.problem("case_id", f"no case has the id {given_id}.")
            return None
    if by_reference is not None and by_id is not None and by_reference.id != by_id.id:
        row.problem("case_id", "names another case than case_reference: give one of them.")
        return None
    return by_reference or by_id


# complexity: each named child checked and each problem named
def _children(session: Session, row: _Row, case: CaseRow | None) -> list[uuid.UUID]:
    column = "child_ids" if row.text("child_ids") or not row.text("child_id") else "child_id"
    named = [part.strip() for part in row.text(column).replace(",", ";").split(";")
             if part.strip()]
    if not named:
        row.problem(column, "is empty: write the child's council reference (or id); several "
                            "children of the case are separated by ';'.")
        return []
    found: list[uuid.UUID] = []
    for name in named:
        try:
            child = session.get(ChildRow, uuid.UUID(name))
        except ValueError:
            child = session.scalar(select(ChildRow).where(ChildRow.council_reference == name))
        if child is None:
            row.problem(column, f"no child has the reference or id {name!r}: check it against "
                                "the case system.")
        elif case is not None and child.case_id != case.id:
            row.problem(column, f"child {name!r} is not on case {case.reference}: check both.")
        elif child.id not in found:
            found.append(child.id)
    return found
