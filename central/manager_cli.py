"""`homevisit-central manager ...` and `homevisit-central report children --csv`.

`manager add` asks for the password twice (or reads one line from standard input with
`--password-stdin`, for scripts), then prints the TOTP secret once, as an otpauth URI and as
a QR code for the manager's authenticator app. Central never shows it again.
"""

from __future__ import annotations

import argparse
import getpass
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import qrcode
from sqlalchemy.orm import Session

from central.core.config import Settings
from central.core.secret_box import SecretBox, load_secret_box
from central.db.engine import make_engine, make_sessionmaker, snapshot_sessionmaker
from central.managers import (
    ROLES,
    add_manager,
    disable_manager,
    list_managers,
    parse_teams,
    reset_password,
    reset_totp,
    unlock_manager,
)


def _out(line: str) -> None:
    print(line)  # noqa: T201 - the CLI's output is its purpose


def _settings(args: argparse.Namespace) -> Settings:
    url: str | None = getattr(args, "database_url", None)
    return Settings(database_url=url) if url else Settings()


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    engine = make_engine(_settings(args).database_url, pool_size=2)
    try:
        with make_sessionmaker(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def _sealing(args: argparse.Namespace) -> Iterator[tuple[Session, SecretBox]]:
    """A session and the box that seals TOTP secrets, with the key central itself uses."""
    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        sessions = make_sessionmaker(engine)
        box = load_secret_box(sessions, settings.manager_secrets_key_file)
        with sessions.begin() as session:
            yield session, box
    finally:
        engine.dispose()


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("The same password again: ") != first:
        raise ValueError("The two passwords differ: nothing was changed. Run the command again.")
    return first


def qr_text(uri: str) -> str:
    """The QR code of `uri` in characters a terminal shows (two modules a character)."""
    code = qrcode.QRCode(border=2)
    code.add_data(uri)
    out = io.StringIO()
    code.print_ascii(out=out)
    return out.getvalue()


def cmd_manager_add(args: argparse.Namespace) -> None:
    teams = parse_teams(args.teams)
    password = _password(args)
    with _sealing(args) as (session, box):
        made = add_manager(session, box, args.username, password, teams=teams,
                           role=args.role, display_name=args.display_name or "")
    which = "every team" if teams is None else ", ".join(teams)
    _out(f"Manager {args.username} added ({args.role}), who may see {which}.")
    _show_secret(made.otpauth_uri)


def _show_secret(uri: str) -> None:
    _out("Give them this, once, for their authenticator app (it is not shown again):")
    _out(uri)
    _out(qr_text(uri))
    _out("They sign in at https://<central>/manage/ with the password and the app's code.")


def cmd_manager_reset_totp(args: argparse.Namespace) -> None:
    with _sealing(args) as (session, box):
        made = reset_totp(session, box, args.username)
    _out(f"Manager {args.username} has a new TOTP secret; the old app entry no longer works "
         "and their open sessions have ended.")
    _show_secret(made.otpauth_uri)


def cmd_manager_reset_password(args: argparse.Namespace) -> None:
    password = _password(args)
    with _session(args) as session:
        reset_password(session, args.username, password)
    _out(f"Manager {args.username} has a new password; their open sessions have ended and "
         "any lock is lifted. Their authenticator app is unchanged.")


def cmd_manager_list(args: argparse.Namespace) -> None:
    with _session(args) as session:
        lines = list_managers(session)
    now = datetime.now(UTC)
    for line in lines:
        state = (" disabled" if line.disabled else
                 " locked" if line.locked_until and line.locked_until > now else "")
        _out(f"{line.username}\t{line.role}\t{line.teams}\t{line.display_name}{state}")


def cmd_manager_disable(args: argparse.Namespace) -> None:
    with _session(args) as session:
        disable_manager(session, args.username)
    _out(f"Manager {args.username} disabled; their open sessions have ended.")


def cmd_manager_unlock(args: argparse.Namespace) -> None:
    with _session(args) as session:
        unlock_manager(session, args.username)
    _out(f"Manager {args.username} unlocked; failed sign-ins count from zero again.")


def cmd_report_children(args: argparse.Namespace) -> None:
    from central.services import figures_store, oversight, oversight_report
    from central.services.audit import audit
    from records.flag_types import local_day

    settings = _settings(args)
    engine = make_engine(settings.database_url, pool_size=2)
    now = datetime.now(UTC)
    try:
        children = figures_store.fresh_children(
            make_sessionmaker(engine), snapshot_sessionmaker(engine), now=now,
            rules=oversight.rules_from(settings), team=args.team)
        with make_sessionmaker(engine).begin() as session:
            audit(session, "cli", "children.listed", f"team:{args.team or '*'}",
                  children=len(children), output="csv-stdout")
    finally:
        engine.dispose()
    sys.stdout.write(oversight_report.csv_text(children, local_day(now)))


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `manager` and `report` commands, beside central's others."""
    manager = commands.add_parser(
        "manager", help="Managers of the web view at /manage/ (docs/it-deployment.md)."
    ).add_subparsers(dest="action", required=True)
    add = manager.add_parser("add", parents=[common],
                             help="Add a manager: a password, then a TOTP secret and QR code.")
    add.add_argument("username")
    add.add_argument("--teams", required=True, metavar="all|T1,T2",
                     help="'all' (every team, also later ones) or team names with commas.")
    add.add_argument("--role", choices=ROLES, default="manager")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password-stdin", action="store_true",
                     help="Read the password from the first line of standard input.")
    add.set_defaults(run=cmd_manager_add)
    manager.add_parser("list", parents=[common]).set_defaults(run=cmd_manager_list)
    for name, run, said in (("disable", cmd_manager_disable, "Stop them signing in, now."),
                            ("unlock", cmd_manager_unlock, "Lift a lock after failures."),
                            ("reset-totp", cmd_manager_reset_totp,
                             "A new TOTP secret and QR code (lost or exposed app); audited."),
                            ("reset-password", cmd_manager_reset_password,
                             "A new password (asked twice, or --password-stdin); audited.")):
        action = manager.add_parser(name, parents=[common], help=said)
        action.add_argument("username")
        if name == "reset-password":
            action.add_argument("--password-stdin", action="store_true",
                                help="Read the password from the first line of standard input.")
        action.set_defaults(run=run)

    report = commands.add_parser("report", help="Reports for scripts.").add_subparsers(
        dest="action", required=True)
    children = report.add_parser(
        "children", parents=[common],
        help="The inspectors' child-level CSV on standard output (same as /manage/).")
    children.add_argument("--csv", action="store_true", required=True,
                          help="CSV (the only format).")
    children.add_argument("--team", default=None, metavar="NAME")
    children.set_defaults(run=cmd_report_children)
