"""What an administrator does from the CLI: teams, people, cases, allocation, devices, stats."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from central.db.models import (
    AddendumRow,
    Allocation,
    CaseNoteChild,
    CaseRow,
    ChildRow,
    Device,
    OperationRow,
    Organisation,
    ReviewRow,
    Team,
    User,
    VisitChild,
    VisitRow,
)
from central.errors import CentralError
from central.services import figures_store, wipes
from central.services.audit import audit
from central.services.changes import record_change
from central.services.refusals import (
    DeviceRefusals,
    refusals_by_device,
    refused_by_device,
    refused_sends,
)
from records.case import PlanType
from sync.protocol import ChangeKind, Role

NAMESPACE = uuid.UUID("6f1d3a52-4c1e-4b8e-9a57-2f0c1f3e7a10")
"""Case and child ids are derived from the council's references, so re-imports agree."""


def _not_found(what: str, name: str) -> CentralError:
    return CentralError(404, f"{what}_not_found", f"There is no {what} called {name!r}.")


def organisation(session: Session, name: str = "Council") -> Organisation:
    found = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if found is None:
        found = Organisation(name=name)
        session.add(found)
        session.flush()
    return found


def add_team(session: Session, name: str) -> Team:
    if session.scalar(select(Team).where(Team.name == name)) is not None:
        raise CentralError(409, "team_exists", f"A team called {name!r} already exists.")
    team = Team(name=name, organisation_id=organisation(session).id)
    session.add(team)
    session.flush()
    audit(session, "cli", "team.added", f"team:{name}")
    return team


def team_named(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise _not_found("team", name)
    return team


def add_user(session: Session, username: str, *, role: Role, team: str | None,
             display_name: str = "") -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise CentralError(409, "user_exists", f"A user called {username!r} already exists.")
    if role is not Role.ADMIN and team is None:
        raise CentralError(422, "team_required", "Workers and team leads belong to a team.")
    team_id = team_named(session, team).id if team is not None else None
    user = User(username=username, display_name=display_name or username, role=role.value,
                team_id=team_id, disabled=False)
    session.add(user)
    session.flush()
    audit(session, "cli", "user.added", f"user:{username}", role=role.value)
    return user


def user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise _not_found("user", username)
    return user


def set_user_disabled(session: Session, username: str, disabled: bool) -> None:
    user_named(session, username).disabled = disabled
    audit(session, "cli", "user.disabled" if disabled else "user.enabled", f"user:{username}")


@dataclass(frozen=True)
class UserLine:
    username: str
    role: str
    team: str
    display_name: str
    disabled: bool


def list_users(session: Session, role: Role | None = None) -> list[UserLine]:
    query = select(User, Team.name).outerjoin(Team, Team.id == User.team_id).order_by(
        User.username)
    if role is not None:
        query = query.where(User.role == role.value)
    return [UserLine(u.username, u.role, team or "", u.display_name, u.disabled)
            for u, team in session.execute(query)]


CSV_COLUMNS = ("case_reference", "family_name", "address", "team", "child_reference",
               "given_name", "child_family_name", "date_of_birth", "plan_type",
               "plan_start_date", "placement_start_date", "long_term_placement",
               "first_language", "worker")


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


@dataclass(frozen=True)
class ImportSummary:
    cases: int
    children: int
    allocated: int


# What `case import --help` says: the columns `import_cases` reads, an example, bad rows.
CASE_CSV_HELP = """\
Cases and children from the council's case system: a CSV file, one row a child, the first
row naming the columns (in any order; those marked * are required, the rest may be left
out or empty):

  case_reference *      the council's case reference (one case, several rows: one a child)
  family_name           the family's name, shown on the worker's caseload
  address               where the visits happen
  team                  the team the case belongs to (made with 'team add')
  child_reference *     the council's reference for the child
  given_name *          the child's first name
  child_family_name     when it differs from family_name
  date_of_birth         YYYY-MM-DD
  plan_type *           child_protection, child_in_need or looked_after
  plan_start_date       YYYY-MM-DD (visits fall due from it)
  placement_start_date  YYYY-MM-DD (looked-after children)
  long_term_placement   yes or no
  first_language        e.g. English, Polish
  worker                the username the child is allocated to (made with 'user add')

For example:

  case_reference,family_name,address,team,child_reference,given_name,child_family_name,\
date_of_birth,plan_type,plan_start_date,placement_start_date,long_term_placement,\
first_language,worker
  CP-104233,Nowak,12 Elm Row,North,C-1,Ana,Nowak,2020-03-02,child_protection,2026-09-01,,,\
Polish,jokafor

Bad rows: the first row that cannot be read (a missing reference or name, an unknown plan
type, team or worker, a date not written YYYY-MM-DD) stops the import with its line
number, the header being line 1, and nothing from the file is imported. Put that row
right and run the command again. Importing the same file again updates each case and
child in place (they are known by their references), so nothing is duplicated.
"""


def import_cases(session: Session, source: IO[str], now: datetime) -> ImportSummary:
    """Cases and children from the council's CSV (one row a child; see docs/deployment.md)."""
    reader = csv.DictReader(source)
    missing = {"case_reference", "given_name", "plan_type", "child_reference"} - set(
        reader.fieldnames or ())
    if missing:
        raise CentralError(422, "csv_columns_missing",
                           f"The CSV lacks the columns: {', '.join(sorted(missing))}.")
    cases: set[uuid.UUID] = set()
    imported: list[uuid.UUID] = []
    children = allocated = 0
    for line, row in enumerate(reader, start=2):
        worker = (row.get("worker") or "").strip()
        try:
            case, child = _import_row(session, row, now)
            if worker:
                assign(session, child.id, worker, now)
        except (ValueError, CentralError) as error:
            detail = error.message if isinstance(error, CentralError) else str(error)
            raise CentralError(422, "csv_row_invalid",
                               f"Line {line} of the CSV cannot be read: {detail} Nothing was "
                               "imported.") from None
        cases.add(case.id)
        imported.append(child.id)
        children += 1
        if worker:
            allocated += 1
        else:
            record_change(session, ChangeKind.CHILD.value, child.id)
    figures_store.bump(session, child_ids=imported)  # a plan or a case may have changed
    audit(session, "cli", "cases.imported", "", cases=len(cases), children=children)
    return ImportSummary(len(cases), children, allocated)


# complexity: one CSV row: every cell checked and named in the refusal, as IT sees it
def _import_row(session: Session, row: dict[str, Any], now: datetime) -> tuple[CaseRow, ChildRow]:
    reference = row["case_reference"].strip()
    if not reference:
        raise ValueError("the case reference is empty.")
    team_name = (row.get("team") or "").strip()
    team_id = team_named(session, team_name).id if team_name else None
    case_id = uuid.uuid5(NAMESPACE, f"case:{reference}")
    case = session.get(CaseRow, case_id) or CaseRow(id=case_id, reference=reference)
    case.family_name = (row.get("family_name") or "").strip()
    case.address = (row.get("address") or "").strip()
    case.team_id = team_id
    case.updated_at = now
    session.add(case)
    child_reference = row["child_reference"].strip()
    if not child_reference or not row["given_name"].strip():
        raise ValueError("the child reference and given name are required.")
    child_id = uuid.uuid5(NAMESPACE, f"child:{child_reference}")
    # A child may move to another case: their visits are read by the child, not the case
    # (`visit_children`), so they keep them.
    child = session.get(ChildRow, child_id) or ChildRow(id=child_id)
    child.case_id = case_id
    child.council_reference = child_reference
    child.given_name = row["given_name"].strip()
    child.family_name = (row.get("child_family_name") or case.family_name).strip()
    child.date_of_birth = _day(row.get("date_of_birth") or "")
    child.plan_type = PlanType(row["plan_type"].strip()).value
    child.plan_start_date = _day(row.get("plan_start_date") or "")
    child.placement_start_date = _day(row.get("placement_start_date") or "")
    child.long_term_placement = (row.get("long_term_placement") or "").strip().lower() in {
        "1", "true", "yes", "y"}
    child.first_language = (row.get("first_language") or "").strip()
    session.add(child)
    session.flush()
    return case, child


def child_by_reference(session: Session, reference: str) -> ChildRow:
    child = session.scalar(select(ChildRow).where(ChildRow.council_reference == reference))
    if child is None:
        raise _not_found("child", reference)
    return child


def assign(session: Session, child_id: uuid.UUID, username: str, now: datetime) -> None:
    """Allocate a child to a worker, ending any earlier allocation.

    Whoever held the child before gets a `child_removed` change, so their laptop drops it.
    A child moving to another worker takes their history with them (`_history_to`): the new
    worker's laptop is sent every visit naming the child, and its addenda, and on a move to
    another team the new team lead's laptop is sent those and the review decisions on them.
    Otherwise either laptop would count the child never seen and know none of their
    injuries or patterns, while central's pages count them all.
    """
    user = user_named(session, username)
    previous = session.execute(
        select(Allocation.user_id, User.team_id).join(User, User.id == Allocation.user_id)
        .where(Allocation.child_id == child_id, Allocation.ended_at.is_(None))
    ).one_or_none()
    if previous is not None and previous.user_id != user.id:
        record_change(session, ChangeKind.CHILD_REMOVED.value, child_id,
                      owner_user_id=previous.user_id, team_id=previous.team_id)
    session.execute(update(Allocation).where(
        Allocation.child_id == child_id, Allocation.ended_at.is_(None)).values(ended_at=now))
    session.flush()
    session.add(Allocation(child_id=child_id, user_id=user.id, allocated_at=now))
    figures_store.bump(session, child_ids=[child_id])  # counted under the new worker's team
    record_change(session, ChangeKind.CHILD.value, child_id, owner_user_id=user.id,
                  team_id=user.team_id)
    # (A child with no allocation before is new: no visit can name them yet.)
    if previous is not None and user.team_id is not None and previous.team_id != user.team_id:
        _history_to(session, child_id, team_id=user.team_id)
    if previous is not None and previous.user_id != user.id:
        _history_to(session, child_id, worker_id=user.id)
        # The child's notes come with it: the new worker's pull cursor is past them.
        for note_id in session.scalars(
                select(CaseNoteChild.note_id).where(CaseNoteChild.child_id == child_id)):
            record_change(session, ChangeKind.NOTE.value, note_id, owner_user_id=user.id,
                          team_id=user.team_id)
    audit(session, "cli", "child.allocated", f"child:{child_id}", user=username)


def _history_to(session: Session, child_id: uuid.UUID, *, team_id: int | None = None,
                worker_id: int | None = None) -> None:
    """Every visit naming the child, then their addenda, then (for a team) the decisions on
    them, as changes for one team's lead (`team_id`, no owner) or for one worker
    (`worker_id`, no team: `pull.visible_to`'s history for that worker alone), in that order
    (a laptop applies an addendum after its visit).

    What the team or the worker made is sent too: a laptop keeps one copy of each record, by
    id, but may no longer count it for the child. A team lead's laptop that let a child go
    when they left the team keeps the records but drops them from its index, and takes them
    in again only as they arrive again; a worker's laptop may have purged its own. Not,
    within one session (an import, a command), what an earlier child's move logged for the
    same team or worker (brothers and sisters moving together share their family visits)."""
    logged: set[tuple[str, uuid.UUID, int | None, int | None]] = session.info.setdefault(
        "history_logged", set())
    named = select(VisitChild.visit_id).where(VisitChild.child_id == child_id)
    kinds: list[tuple[type[VisitRow] | type[AddendumRow] | type[ReviewRow], Any, ChangeKind]] = [
        (VisitRow, VisitRow.id, ChangeKind.VISIT),
        (AddendumRow, AddendumRow.visit_id, ChangeKind.ADDENDUM)]
    if worker_id is None:
        kinds.append((ReviewRow, ReviewRow.visit_id, ChangeKind.REVIEW))
    for model, about, kind in kinds:
        for record_id in session.scalars(select(model.id).where(about.in_(named))
                                         .order_by(model.received_at, model.id)):
            if (kind.value, record_id, team_id, worker_id) not in logged:
                logged.add((kind.value, record_id, team_id, worker_id))
                record_change(session, kind.value, record_id, owner_user_id=worker_id,
                              team_id=team_id)


@dataclass(frozen=True)
class DeviceLine:
    device_id: uuid.UUID
    username: str
    status: str
    label: str
    enrolled_at: datetime
    last_contact_at: datetime | None
    # What a refused laptop said waits on it (None: it did not say, or it may sync).
    unsent_records: int | None = None
    # Reported lost: records got from it since, and once it sent its wipe receipt, when it
    # erased, how many records it says went with the vault, and the receipt.
    wipe_recovered: int = 0
    wiped_at: datetime | None = None
    wipe_lost: int | None = None
    wipe_receipt: dict[str, Any] | None = None
    refusals: DeviceRefusals = field(default_factory=DeviceRefusals)
    reads_answered_notes: bool | None = None

    @property
    def older(self) -> str:
        """What an older laptop is not sent, or ""."""
        if self.reads_answered_notes is False:
            return ("older than protocol 7: not sent agency notes that say what they report, "
                    "nor decisions that name their concerns; upgrade it")
        return ""

    @property
    def wipe(self) -> str:
        """"wiped at …, 3 records recovered before the erase, 1 lost", or ""."""
        return wipes.summary(self.status, self.wiped_at, self.wipe_recovered, self.wipe_lost,
                             self.wipe_receipt)

    @property
    def waiting(self) -> str:
        """"12 records waiting on a revoked laptop", or "" when nothing is known to wait."""
        if self.status == "active" or not self.unsent_records:
            return ""
        kind = "revoked" if self.status == "revoked" else "lost"
        plural = "record" if self.unsent_records == 1 else "records"
        return f"{self.unsent_records} {plural} waiting on a {kind} laptop"


def list_devices(session: Session,
                 refused: dict[str, DeviceRefusals] | None = None) -> list[DeviceLine]:
    rows = session.execute(
        select(Device, User.username).join(User, User.id == Device.user_id)
        .order_by(User.username, Device.enrolled_at)
    )
    refused = refusals_by_device(session) if refused is None else refused
    return [DeviceLine(d.id, username, d.status, d.label, d.enrolled_at, d.last_contact_at,
                       d.unsent_records, d.wipe_recovered or 0, d.wiped_at, d.wipe_lost,
                       d.wipe_receipt, refused.get(str(d.id), DeviceRefusals()),
                       d.reads_answered_notes)
            for d, username in rows]


def set_device_status(session: Session, device_id: uuid.UUID, status: str) -> str:
    """`revoked`: stop syncing, keep the laptop's data. `wipe`: reported lost.
    `active`: readmitted. A laptop whose wipe receipt came has no vault and no device key
    left: nothing changes, and it must be enrolled anew. Returns the status it had before."""
    device = session.get(Device, device_id)
    if device is None:
        raise _not_found("device", str(device_id))
    if device.wiped_at is not None and status != "wipe":
        when = device.wiped_at.isoformat()
        raise CentralError(
            409, "device_wiped",
            f"Device {device_id} erased its vault at {when} (its signed wipe receipt is in the "
            "audit log): there is nothing left on it to let back in, so nothing was changed. "
            "To use the laptop again, enroll it anew with a code from 'homevisit-central "
            "invite USER'.")
    before = device.status
    device.status = status
    action = "readmitted" if status == "active" else status
    audit(session, "cli", f"device.{action}", f"device:{device_id}")
    return before


# complexity: one dict of figures; each conditional is one field
def stats(session: Session) -> dict[str, Any]:
    def count(model: Any) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_device = refusals_by_device(session)
    lines = list_devices(session, by_device)
    return {
        "visits": count(VisitRow),
        "addenda": count(AddendumRow),
        "review_decisions": count(ReviewRow),
        "devices": count(Device),
        "ops": count(OperationRow),
        "ops_rejected": session.scalar(select(func.count()).select_from(OperationRow).where(
            OperationRow.result == "rejected")) or 0,
        # Each refusal's reason, and which laptops hold refused records (kept there, listed
        # by `homevisit sync --status`, re-sent with --retry-refused once put right).
        "ops_rejected_by_code": {
            code or "rejected": count for code, count in session.execute(
                select(OperationRow.code, func.count()).where(OperationRow.result == "rejected")
                .group_by(OperationRow.code).order_by(OperationRow.code))},
        "last_contact": {
            str(line.device_id): (line.last_contact_at.isoformat()
                                  if line.last_contact_at else None)
            for line in lines
        },
        # Records a refused (revoked or lost) laptop said it holds unsent, at its last contact.
        "waiting_on_refused_laptops": {
            str(line.device_id): line.unsent_records for line in lines if line.waiting
        },
        # Laptops reported lost: what central got from each before the erase, and what its
        # wipe receipt says went with the vault (`wiped_at` null: no receipt yet).
        "lost_laptops": {
            str(line.device_id): {
                "wiped_at": line.wiped_at.isoformat() if line.wiped_at else None,
                "recovered_records": line.wipe_recovered, "lost_records": line.wipe_lost,
            } for line in lines if line.wipe
        },
        # Pushes and photos refused whole (too large, not JSON, wrong shape): never stored,
        # so not among the ops above; by code, and by device ("unknown" without a good token).
        **refused_sends(session),
        # Per laptop, from the one definition `device list` and the managers' pages read too.
        **refused_by_device(by_device),
    }


DEMO_CHILDREN: tuple[tuple[str, str, str, str, str, str], ...] = (
    # case reference, family, child reference, given name, plan, worker
    ("CP-104233", "Nowak", "C-1", "Ana", "child_protection", "jokafor"),
    ("CP-104233", "Nowak", "C-2", "Tomasz", "child_protection", "jokafor"),
    ("CIN-20931", "Begum", "C-3", "Yusuf", "child_in_need", "jokafor"),
    ("LAC-55120", "Hughes", "C-4", "Mia", "looked_after", "apatel"),
    ("CP-104871", "Kowalczyk", "C-5", "Lena", "child_protection", "rsmith"),
)


def demo(session: Session, now: datetime) -> list[str]:
    """A demo organisation: two teams, three workers, a team lead, an admin, five children."""
    if session.scalar(select(func.count()).select_from(User)):
        raise CentralError(409, "not_empty",
                           "The demo only seeds an empty database; this one already has users.")
    organisation(session, "Demo Borough Council")
    add_team(session, "North")
    add_team(session, "South")
    add_user(session, "jokafor", role=Role.WORKER, team="North", display_name="J. Okafor")
    add_user(session, "apatel", role=Role.WORKER, team="North", display_name="A. Patel")
    add_user(session, "rsmith", role=Role.WORKER, team="South", display_name="R. Smith")
    add_user(session, "mlead", role=Role.TEAM_LEAD, team="North", display_name="M. Lead")
    add_user(session, "itadmin", role=Role.ADMIN, team=None, display_name="IT admin")
    rows = [
        ",".join(CSV_COLUMNS),
        *(
            f"{case},{family},1 Demo Street,{'South' if worker == 'rsmith' else 'North'},"
            f"{child},{given},{family},2019-05-0{n + 1},{plan},2026-09-01,,,English,{worker}"
            for n, (case, family, child, given, plan, worker) in enumerate(DEMO_CHILDREN)
        ),
    ]
    import_cases(session, io.StringIO("\n".join(rows) + "\n"), now)
    return [line.username for line in list_users(session)]

