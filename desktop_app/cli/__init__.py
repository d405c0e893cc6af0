"""`homevisit`: the app, and the headless commands IT and scripts use.

Passphrases are read as lines of standard input when it is not a terminal (so scripts can
pipe them), and prompted for without echo when it is. Every failure a user can cause ends
in one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.failures import UserFacingError, install_crash_handler
from desktop_app.logs import configure_logging
from storage.errors import VaultError

# The GUI path needs none of the commands: their modules (pydantic, the vault, httpx) load
# only once argparse has chosen a command, so the window starts sooner.
if TYPE_CHECKING:
    from desktop_app.policy import EffectivePolicy

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_PROBLEMS_FOUND = 1
EXIT_REFUSED = 2


def program_version() -> str:
    try:
        return version("homevisit")
    except PackageNotFoundError:
        return "0+unknown"


class LineReader:
    """Answers from stdin one line at a time, or from a no-echo prompt on a terminal."""

    def __init__(self) -> None:
        self._interactive = sys.stdin.isatty()

    def secret(self, prompt: str) -> str:
        if self._interactive:
            return getpass.getpass(prompt)
        return self.line(prompt)

    def line(self, prompt: str) -> str:
        if self._interactive:
            return input(prompt)
        text = sys.stdin.readline()
        if not text:
            raise UserFacingError(
                f"Expected a line of input ({prompt.strip().rstrip(':')}) on stdin, but it ended. "
                "Nothing was changed."
            )
        return text.rstrip("\r\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="homevisit",
        description="Record children's social-work home visits offline, encrypted.",
    )
    parser.add_argument("--version", action="version", version=f"homevisit {program_version()}")
    parser.add_argument("--vault", dest="gui_vault", type=Path, metavar="DIR",
                        help="open the app on the vault in DIR (made there on first run)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("self-test", help="check that this installation works")
    commands.add_parser("qt-probe")  # no help: not listed in --help

    policy = commands.add_parser("policy", help="show the policy in force, or change a setting")
    policy_actions = policy.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = policy_actions.add_parser("show", help="each setting, its value and where it came from")
    show.add_argument("--json", action="store_true", help="as JSON, for scripts")
    setting = policy_actions.add_parser("set", help="change your own setting (not one IT manages)")
    setting.add_argument("key")
    setting.add_argument("value")

    vault = commands.add_parser(
        "vault", help="create, check, export or recover a vault, or manage its recovery slot")
    vault_actions = vault.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (
        ("create", "make a new vault (passphrase on stdin)"),
        ("check", "check a vault's integrity (passphrase on stdin)"),
        ("change-passphrase", "old then new passphrase on stdin"),
        ("recover", "open with IT's recovery key and set a new passphrase (on stdin)"),
        ("add-recovery-key", "give a vault made without one a recovery slot for the "
                             "policy's recovery key (passphrase on stdin)"),
        ("rotate-recovery-key", "wrap the vault's recovery slot to the policy's new recovery "
                                "key; the old key stops opening it (passphrase on stdin)"),
        ("export", "write every record as JSON for a subject access request"),
        ("accept-rollback", "open a vault refused because saved changes are missing, "
         "accepting their loss (passphrase, then confirmation, on stdin)"),
    ):
        action = vault_actions.add_parser(name, help=text)
        action.add_argument("--vault", type=Path, required=True, metavar="DIR")
        if name == "recover":
            action.add_argument("--recovery-key", type=Path, required=True, metavar="FILE")
        if name == "export":
            action.add_argument("--out", type=Path, required=True, metavar="FILE")

    enroll = commands.add_parser(
        "enroll", help="enroll this laptop with central (passphrase, then the one-time code)")
    enroll.add_argument("--vault", type=Path, required=True, metavar="DIR")
    enroll.add_argument("--server", default=None, metavar="URL",
                        help="central's address (default: from policy)")
    enroll.add_argument("--label", default="", help="e.g. the laptop's asset tag")
    enroll.add_argument("--timeout", type=_positive, default=30, help=argparse.SUPPRESS)

    sync = commands.add_parser("sync", help="send visits to central and receive changes "
                               "(passphrase on stdin)")
    sync.add_argument("--vault", type=Path, required=True, metavar="DIR")
    sync.add_argument("--once", action="store_true",
                      help="sync once and exit: 0 only when everything is synced")
    sync.add_argument("--attempts", type=_positive, default=4,
                      help="tries per request before giving up for now (default 4)")
    sync.add_argument("--timeout", type=_positive, default=30, help=argparse.SUPPRESS)
    sync.add_argument("--status", action="store_true",
                      help="say what is waiting, and list each record central did not accept "
                           "with the reason and what to do; sends nothing")
    sync.add_argument("--retry-refused", action="store_true",
                      help="send the records central did not accept again (once their cause "
                           "is put right), then sync once")

    note = commands.add_parser("note", help="record information from another agency "
                               "(passphrase on stdin)")
    note_actions = note.add_subparsers(dest="action", required=True)
    note_add = note_actions.add_parser(
        "add", help="police, school, health or MARAC information about children of one case")
    note_add.add_argument("--vault", type=Path, required=True, metavar="DIR")
    note_add.add_argument("--child", action="append", required=True, metavar="NAME",
                          help="the child's name as the caseload shows it, or their id; "
                               "repeat for each child it is about")
    note_add.add_argument("--source", required=True, help="who told you")
    note_add.add_argument("--kind", required=True,
                          help="police_domestic_abuse, operation_encompass, marac, "
                               "school_concern, health_concern or other")
    note_add.add_argument("--received-on", required=True, type=note_day, metavar="YYYY-MM-DD")
    note_add.add_argument("--summary", required=True, help="what they told you")
    note_add.add_argument("--child-seen-on", type=note_day, default=None, metavar="YYYY-MM-DD",
                          help="when that agency last saw the child, if they said")
    note_add.add_argument("--reports-injury", required=True, type=_yes_or_no,
                          metavar="yes|no", help="does it report an injury, bruise or mark on "
                          "a child? (joined up with injuries seen at visits)")
    note_add.add_argument("--reports-food-or-weight", required=True, type=_yes_or_no,
                          metavar="yes|no", help="does it report hunger, or a concern about "
                          "food or weight? (joined up with the concerns recorded at visits)")

    demo = commands.add_parser("demo-data", help="fill a vault with invented cases and visits")
    demo.add_argument("--vault", type=Path, required=True, metavar="DIR")
    demo.add_argument("--children", type=_positive, default=20)
    demo.add_argument("--visits", type=_non_negative, default=100)
    demo.add_argument("--seed", type=int, default=2012)
    return parser


def note_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD (2026-11-16)") from None


def _yes_or_no(text: str) -> bool:
    answer = text.strip().casefold()
    if answer not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"'{text}' is not an answer: write yes or no")
    return answer == "yes"


def _positive(text: str) -> int:
    number = _non_negative(text)
    if number == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _non_negative(text: str) -> int:
    try:
        number = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from error
    if number < 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return number


@contextmanager
def _policy_reported() -> Iterator[EffectivePolicy]:
    from desktop_app.policy import load_policy

    effective = load_policy()
    for problem in effective.problems:
        print(f"homevisit: policy: {problem}", file=sys.stderr)
    yield effective


def run() -> int:
    """The `homevisit` command: the process hardened before anything is read or unlocked."""
    from desktop_app.hardening import harden_process

    harden_process()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    install_crash_handler()
    configure_logging()
    arguments = _parser().parse_args(argv)
    log.info("homevisit %s: %s", program_version(), arguments.command or "app")
    if arguments.command is None:
        from desktop_app.app import run_app  # Qt is loaded only when the window is wanted

        return run_app(arguments.gui_vault)
    reader = LineReader()
    try:
        with _policy_reported() as effective:
            handler = _handler(arguments)
            return handler(arguments, effective, reader)
    except (UserFacingError, VaultError) as error:
        print(f"homevisit: {error.user_message}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("homevisit: stopped. Nothing half-written was kept.", file=sys.stderr)
        return 130


Handler = Callable[[argparse.Namespace, "EffectivePolicy", LineReader], int]


def _handler(arguments: argparse.Namespace) -> Handler:
    from desktop_app.cli import policy as policy_commands
    from desktop_app.cli import vault as vault_commands
    from desktop_app.cli.self_test import qt_probe

    if arguments.command == "self-test":
        return vault_commands.self_test
    if arguments.command == "policy":
        return policy_commands.show if arguments.action == "show" else policy_commands.set_value
    if arguments.command == "qt-probe":
        return lambda *_: qt_probe()
    if arguments.command == "demo-data":
        return vault_commands.demo_data
    if arguments.command == "note":
        from desktop_app.cli import notes as note_commands

        return note_commands.add
    if arguments.command in ("enroll", "sync"):
        from desktop_app.cli import sync as sync_commands  # httpx and the engine load only for sync

        return sync_commands.enroll if arguments.command == "enroll" else sync_commands.sync
    return {
        "create": vault_commands.create,
        "check": vault_commands.check,
        "change-passphrase": vault_commands.change_passphrase,
        "recover": vault_commands.recover,
        "add-recovery-key": vault_commands.add_recovery_key,
        "rotate-recovery-key": vault_commands.rotate_recovery_key,
        "export": vault_commands.export,
        "accept-rollback": vault_commands.accept_rollback,
    }[arguments.action]
