"""`homevisit-central`: run central and administer it from a shell.

Every command takes `--database-url` (else HOMEVISIT_CENTRAL_DATABASE_URL, else an SQLite
file in the user data dir). Output is plain lines for people and scripts; errors go to
stderr as one sentence and exit with status 1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from central import manager_cli
from central.core.config import Settings
from central.core.secret_box import earlier_box, load_secret_box
from central.db.engine import make_engine, make_sessionmaker
from central.db.migrate import upgrade
from central.errors import CentralError
from central.managers import reseal_under_file_key, seal_plain_secrets
from central.services import admin, devices
from records.flag_types import local_day
from records.wording import counted
from sync.protocol import Role


def _now() -> datetime:
    return datetime.now(UTC)


def _settings(args: argparse.Namespace) -> Settings:
    url: str | None = getattr(args, "database_url", None)
    if url:
        return Settings(database_url=url)
    return Settings()


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        with make_sessionmaker(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def _out(line: str) -> None:
    print(line)  # noqa: T201 - the CLI's output is its purpose


DEFAULT_MOST_WORKERS = 4
"""Each worker holds up to twice `database_pool_size` connections (10 by default): four
workers stay within PostgreSQL's default `max_connections` of 100. More with `--workers N`,
once PostgreSQL takes that many (docs/deployment.md)."""


def workers_per_machine(database_url: str = "postgresql://") -> int:
    """One uvicorn worker a CPU core this process may use, at most `DEFAULT_MOST_WORKERS`: a
    push is CPU under the GIL, its waits on PostgreSQL are the thread pool's, so a second
    worker a core only adds switching (docs/benchmarks.md: on 2 cores, 2 workers took 5-8 %
    more visits a second than 4, at 7-9 % less CPU a visit and a lower p99). One on SQLite,
    which takes one writer at a time."""
    if database_url.startswith("sqlite"):
        return 1
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_MOST_WORKERS))


KEEP_ALIVE_SECONDS = 75
"""How long `serve` keeps a connection with no request on it open."""


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from central.core.logging import uvicorn_log_config

    settings = _settings(args)
    os.environ["HOMEVISIT_CENTRAL_DATABASE_URL"] = settings.database_url
    engine = make_engine(settings.database_url, pool_size=1)
    upgrade(engine)
    engine.dispose()
    uvicorn.run(
        "central.app:app_from_environment", factory=True, host=args.host, port=args.port,
        workers=args.workers or workers_per_machine(settings.database_url),
        log_config=uvicorn_log_config(settings.log_level),
        # Central's own line a request (`request`, with the laptop's address) says what
        # uvicorn's access log would: one line, not two.
        access_log=False,
        # Longer than nginx keeps an idle upstream connection (60 s): were central to close
        # one first, nginx could send a laptop's push on it as it closed (a 502, then a retry).
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        proxy_headers=True, ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
    )


def cmd_migrate(args: argparse.Namespace) -> None:
    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=1)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    box = load_secret_box(sessions, settings.manager_secrets_key_file)
    earlier = earlier_box(sessions, settings.manager_secrets_key_file)
    with sessions.begin() as session:
        sealed = seal_plain_secrets(session, box)
        moved = reseal_under_file_key(session, box, earlier)
    engine.dispose()
    _out("The database is at the newest schema."
         + (f" Sealed the TOTP secrets of {sealed} manager(s)." if sealed else "")
         + (f" Moved the TOTP secrets of {moved} manager(s) under the key file's key."
            if moved else ""))


def cmd_team_add(args: argparse.Namespace) -> None:
    with _session(args) as session:
        admin.add_team(session, args.name)
    _out(f"Team {args.name} added.")


def cmd_user_add(args: argparse.Namespace) -> None:
    with _session(args) as session:
        admin.add_user(session, args.username, role=Role(args.role), team=args.team,
                       display_name=args.display_name or "")
    _out(f"User {args.username} added as {args.role}.")


def cmd_user_list(args: argparse.Namespace) -> None:
    with _session(args) as session:
        lines = admin.list_users(session, Role(args.role) if args.role else None)
    for line in lines:
        state = " disabled" if line.disabled else ""
        _out(f"{line.username}\t{line.role}\t{line.team or '-'}\t{line.display_name}{state}")


def cmd_user_disable(args: argparse.Namespace) -> None:
    with _session(args) as session:
        admin.set_user_disabled(session, args.username, True)
    _out(f"User {args.username} disabled; their laptops can no longer sync.")


def cmd_case_import(args: argparse.Namespace) -> None:
    with _session(args) as session, Path(args.csv).open(newline="", encoding="utf-8") as source:
        summary = admin.import_cases(session, source, _now())
    _out(f"Imported {counted(summary.cases, 'case')}, {counted(summary.children, 'child')} "
         f"({summary.allocated} allocated).")


def cmd_notification_import(args: argparse.Namespace) -> None:
    from central.core.keys import load_server_keys
    from central.services.notifications import import_notifications

    settings = _settings(args)
    path = Path(args.file)
    try:
        # utf-8-sig: a spreadsheet's "CSV UTF-8" starts with a byte order mark.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text: save it from the spreadsheet as "
                         "'CSV UTF-8'. Nothing was imported.") from None
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        sessions = make_sessionmaker(engine)
        keys = load_server_keys(sessions, settings.receipt_key_file, settings.token_key_file)
        with sessions.begin() as session:
            done = import_notifications(session, io.StringIO(text, newline=""), keys, _now())
    finally:
        engine.dispose()
    one = done.already_there == 1
    again = (f" {done.already_there} {'was' if one else 'were'} already imported and "
             f"{'was' if one else 'were'} left as {'it was' if one else 'they were'}."
             if done.already_there else "")
    _out(f"Imported {counted(done.imported, 'notification')} from another agency.{again} "
         "The workers "
         "and team leads of those children receive them at their next sync.")


def cmd_assign(args: argparse.Namespace) -> None:
    with _session(args) as session:
        child = admin.child_by_reference(session, args.child)
        admin.assign(session, child.id, args.username, _now())
    _out(f"Child {args.child} allocated to {args.username}.")


def cmd_invite(args: argparse.Namespace) -> None:
    settings = _settings(args)
    with _session(args) as session:
        user = admin.user_named(session, args.username)
        code = devices.new_enrollment_code(session, user, hours=args.hours or
                                           settings.enrollment_code_hours, now=_now())
    _out(f"One-time enrollment code for {args.username}, valid "
         f"{counted(args.hours or settings.enrollment_code_hours, 'hour')}:")
    _out(code)


def cmd_device_list(args: argparse.Namespace) -> None:
    with _session(args) as session:
        lines = admin.list_devices(session)
    for line in lines:
        contact = line.last_contact_at.isoformat() if line.last_contact_at else "never"
        said = "; ".join(s for s in (line.wipe or line.waiting, line.older) if s)
        status = f"{line.status} ({said})" if said else line.status
        _out(f"{line.device_id}\t{line.username}\t{status}\t{contact}\t{line.label}\t"
             f"{line.refusals.summary}")


def _device_status(status: str, said: str) -> Callable[[argparse.Namespace], None]:
    def command(args: argparse.Namespace) -> None:
        try:
            device_id = uuid.UUID(args.device_id)
        except ValueError:
            raise CentralError(422, "invalid_device_id",
                               f"{args.device_id!r} is not a device id.") from None
        with _session(args) as session:
            before = admin.set_device_status(session, device_id, status)
        if status == "active" and before == "wipe":
            _out(f"Device {device_id} readmitted: its wipe order is withdrawn and no wipe "
                 "receipt has come from it, so it syncs again at its next contact if it has "
                 "not erased yet. If it has erased (its receipt may still be on the way) "
                 "there is nothing left on it to open, and it must be enrolled anew with a "
                 "code from 'homevisit-central invite'.")
            return
        _out(f"Device {device_id} {said}")

    return command


# Each breakdown `stats` gives by code or device: the words before the key on its lines.
_STATS_BREAKDOWNS = {
    "ops_rejected_by_code": "ops rejected for",
    "ops_rejected_by_device": "ops rejected from",
    "ops_refused_not_yet_accepted_by_device": "refused records not yet accepted from",
    "waiting_on_refused_laptops": "records waiting on refused laptop",
    "sends_refused_by_code": "sends refused whole for",
    "sends_refused_by_device": "sends refused whole from",
}


def cmd_stats(args: argparse.Namespace) -> None:
    with _session(args) as session:
        figures = admin.stats(session)
    if args.json:
        _out(json.dumps(figures, sort_keys=True))
        return
    for key, value in figures.items():
        if key in _STATS_BREAKDOWNS:
            for which, count in value.items():
                _out(f"{_STATS_BREAKDOWNS[key]} {which}: {count}")
        elif key == "lost_laptops":
            for device_id, lost in value.items():
                _out(f"lost laptop {device_id}: " + (
                    f"wiped at {lost['wiped_at']}, {lost['recovered_records']} records "
                    f"recovered before the erase, {lost['lost_records'] or 0} lost"
                    if lost["wiped_at"] else f"wipe not yet done, "
                    f"{lost['recovered_records']} records recovered so far"))
        elif key != "last_contact":
            _out(f"{key}: {value}")
    for device_id, contact in figures["last_contact"].items():
        _out(f"last contact {device_id}: {contact or 'never'}")


# complexity: argument checks, then one of three outputs (file, JSON, table)
def cmd_children(args: argparse.Namespace) -> None:
    from central.core.files import atomic_write
    from central.db.engine import snapshot_sessionmaker
    from central.services import figures_store, oversight, oversight_report
    from central.services.audit import audit

    settings = _settings(args)
    target = Path(args.csv) if args.csv else None
    if target is not None and not target.parent.is_dir():
        raise ValueError(f"The folder {target.parent} does not exist: nothing was written. "
                         "Give a path in an existing folder.")
    if target is not None and target.is_dir():
        raise ValueError(f"{target} is a folder: nothing was written. Give a file name, "
                         "such as children.csv.")
    engine = make_engine(settings.database_url, pool_size=2)
    now = _now()
    try:
        children = figures_store.fresh_children(
            make_sessionmaker(engine), snapshot_sessionmaker(engine), now=now,
            rules=oversight.rules_from(settings), team=args.team)
        if args.red_only:
            children = [c for c in children if c.severity is not None and c.severity.rank == 0]
        shown = "csv" if target else "json" if args.json else "table"
        with make_sessionmaker(engine).begin() as session:
            # Who looked at every child's state, and how much of it: never what it says.
            audit(session, "cli", "children.listed", f"team:{args.team or '*'}",
                  children=len(children), red_only=bool(args.red_only), output=shown)
    finally:
        engine.dispose()
    if target is not None:
        atomic_write(target, oversight_report.csv_text(children, local_day(now)).encode("utf-8"))
        _out(f"Wrote {counted(len(children), 'child')} to {target} (readable by you only).")
    elif args.json:
        _out(oversight_report.json_text(children))
        return
    else:
        for line in oversight_report.table_lines(children):
            _out(line)
    _out(oversight_report.summary(children, args.team, red_only=args.red_only))


def cmd_oversight_refresh(args: argparse.Namespace) -> None:
    from central.db.engine import snapshot_sessionmaker
    from central.services import figures_store, oversight

    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        started = datetime.now(UTC)
        worked = figures_store.refresh(make_sessionmaker(engine), snapshot_sessionmaker(engine),
                                       now=_now(), rules=oversight.rules_from(settings),
                                       every_row=True)
    finally:
        engine.dispose()
    seconds = (datetime.now(UTC) - started).total_seconds()
    _out(f"Worked out {counted(worked, 'child')} whose figures were not fresh, in "
         f"{seconds:.0f} s.")


def cmd_demo(args: argparse.Namespace) -> None:
    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=1)
    upgrade(engine)
    engine.dispose()
    with _session(args) as session:
        names = admin.demo(session, _now())
    _out("Demo organisation seeded: teams North and South; users " + ", ".join(names) + ".")
    _out("Next: homevisit-central invite jokafor")


def cmd_recovery_keygen(args: argparse.Namespace) -> None:
    from central.recovery_keys import RecoveryKeyExists, make_recovery_key_pair

    try:
        pair = make_recovery_key_pair(Path(args.out))
    except RecoveryKeyExists as error:
        raise ValueError(str(error)) from None
    _out(f"Private key (keep it offline, in the organisation's safe): {pair.private_key_file}")
    _out(f"Public key file: {pair.public_key_file}")
    _out("Put this line in the laptops' policy (docs/it-deployment.md):")
    _out(f'recovery_public_key = "{pair.public_key_base64}"')


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: the option may come before or after the command without one hiding the other.
    common.add_argument("--database-url", default=argparse.SUPPRESS,
                        help="SQLAlchemy URL (postgresql://... or sqlite:///...).")
    parser = argparse.ArgumentParser(prog="homevisit-central", parents=[common],
                                     description="Central: where Homevisit laptops sync.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="Run the API (migrates first).")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=None,
                       help="Worker processes (default: one per CPU core this process may "
                            "use, at most 4; docs/deployment.md).")
    serve.add_argument("--ssl-certfile", default=None, help="Serve TLS directly (see docs).")
    serve.add_argument("--ssl-keyfile", default=None)
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", parents=[common], help="Bring the schema up to date."
                        ).set_defaults(run=cmd_migrate)

    team = commands.add_parser("team", help="Teams.").add_subparsers(dest="action", required=True)
    team_add = team.add_parser("add", parents=[common])
    team_add.add_argument("name")
    team_add.set_defaults(run=cmd_team_add)

    user = commands.add_parser("user", help="People.").add_subparsers(dest="action",
                                                                      required=True)
    user_add = user.add_parser("add", parents=[common])
    user_add.add_argument("username")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument("--team", default=None)
    user_add.add_argument("--display-name", default=None)
    user_add.set_defaults(run=cmd_user_add)
    user_list = user.add_parser("list", parents=[common])
    user_list.add_argument("--role", choices=[r.value for r in Role], default=None)
    user_list.set_defaults(run=cmd_user_list)
    user_disable = user.add_parser("disable", parents=[common])
    user_disable.add_argument("username")
    user_disable.set_defaults(run=cmd_user_disable)

    case = commands.add_parser("case", help="Cases.").add_subparsers(dest="action", required=True)
    case_import = case.add_parser(
        "import", parents=[common], help="CSV from the council's case system.",
        description=admin.CASE_CSV_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    case_import.add_argument("csv", help="The CSV file (UTF-8, comma-separated, with a header).")
    case_import.set_defaults(run=cmd_case_import)

    notification = commands.add_parser(
        "notification", help="Information from other agencies.").add_subparsers(
        dest="action", required=True)
    notification_import = notification.add_parser(
        "import", parents=[common],
        help="Police, school, health or MARAC notifications from a CSV file, all or nothing "
             "(docs/it-deployment.md).")
    notification_import.add_argument("file", metavar="FILE")
    notification_import.set_defaults(run=cmd_notification_import)

    assign = commands.add_parser("assign", parents=[common], help="Allocate a child to a worker.")
    assign.add_argument("child", help="The child's council reference.")
    assign.add_argument("username")
    assign.set_defaults(run=cmd_assign)

    invite = commands.add_parser("invite", parents=[common],
                                 help="Print a one-time enrollment code (last line).")
    invite.add_argument("username")
    invite.add_argument("--hours", type=int, default=None)
    invite.set_defaults(run=cmd_invite)

    device = commands.add_parser("device", help="Laptops.").add_subparsers(dest="action",
                                                                           required=True)
    device.add_parser("list", parents=[common]).set_defaults(run=cmd_device_list)
    revoke = device.add_parser("revoke", parents=[common],
                               help="Stop it syncing; the laptop keeps its data.")
    revoke.add_argument("device_id")
    revoke.set_defaults(run=_device_status(
        "revoked", "revoked: it can no longer sync and keeps its records."))
    wipe_help = (
        "Reported lost. At its next contact the laptop first pushes every record it has not "
        "sent (central keeps them, flagged received_from_lost_laptop for a team lead to "
        "confirm; it may push and nothing else: no pull, no reading), then erases its vault "
        "whether or not the push got through, then sends a signed wipe receipt. 'device "
        "list' and 'stats' then show when it erased, how many records were recovered and how "
        "many were lost (those it could not send in that one contact, and drafts never "
        "submitted). Revoke instead while the laptop may still come back.")
    wipe = device.add_parser("wipe", parents=[common], help=wipe_help,
                             description=wipe_help)
    wipe.add_argument("device_id")
    wipe.set_defaults(run=_device_status(
        "wipe", "marked lost: at its next contact it pushes what it has not sent, erases its "
                "vault and sends a signed receipt; 'device list' shows the outcome."))
    readmit_help = ("Let a revoked (or found) laptop sync again, with what it kept. A "
                    "laptop that has erased its vault after a wipe (its receipt came) cannot "
                    "be readmitted: enroll it anew.")
    readmit = device.add_parser("readmit", parents=[common], help=readmit_help,
                                description=readmit_help)
    readmit.add_argument("device_id")
    readmit.set_defaults(run=_device_status(
        "active", "readmitted: it syncs again at its next contact, and its vault opens "
                  "again if the offline grace period had run out."))

    stats = commands.add_parser("stats", parents=[common], help="Counts and last contacts.")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(run=cmd_stats)

    children = commands.add_parser(
        "children", parents=[common],
        help="Every allocated child: last seen, next due, days overdue and the most serious "
             "flag, by the laptops' rules (docs/it-deployment.md).")
    children.add_argument("--team", default=None, metavar="NAME",
                          help="Only the children allocated to this team's workers.")
    children.add_argument("--red-only", action="store_true",
                          help="Only children whose most serious flag is red.")
    output = children.add_mutually_exclusive_group()
    output.add_argument("--csv", default=None, metavar="FILE",
                        help="Write the inspectors' child-level list to FILE (0600).")
    output.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    children.set_defaults(run=cmd_children)
    oversight = commands.add_parser(
        "oversight", help="The managers' kept figures (docs/it-deployment.md).",
    ).add_subparsers(dest="action", required=True)
    oversight.add_parser(
        "refresh", parents=[common],
        help="Work out every child whose figures are not fresh (run just after midnight, so "
             "the day's first page is quick).").set_defaults(run=cmd_oversight_refresh)

    keygen = commands.add_parser(
        "recovery-keygen", help="Make the organisation's vault recovery key pair (once).")
    keygen.add_argument("--out", required=True, metavar="FILE",
                        help="private key file (0600); the public key goes to FILE.pub")
    keygen.set_defaults(run=cmd_recovery_keygen)

    commands.add_parser("demo", parents=[common], help="Seed a demo organisation."
                        ).set_defaults(run=cmd_demo)
    manager_cli.add_commands(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except CentralError as error:
        print(f"homevisit-central: {error.message}", file=sys.stderr)  # noqa: T201
        return 1
    except (OperationalError, ProgrammingError):  # PostgreSQL: a missing table is the latter
        print("homevisit-central: the database cannot be reached or is not migrated. Check "  # noqa: T201
              "--database-url, then run 'homevisit-central migrate'.", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"homevisit-central: {error}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
