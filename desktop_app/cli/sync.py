"""`homevisit enroll` and `homevisit sync`: the laptop's sync with central, headless."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from desktop_app import session as sessions
from desktop_app.cli.review import after_pull, run_and_index
from desktop_app.failures import UserFacingError
from desktop_app.policy import EffectivePolicy
from records.contracts import OperationKind
from records.wording import counted
from storage.outbox import OperationStatus, Outbox
from sync.engine import SyncEngine, SyncReport
from sync.errors import NotEnrolled, SyncProblem, WipeOrdered
from sync.kept_receipt import send_kept_receipt
from sync.ledger import SyncLedger
from sync.loop import SyncLoop
from sync.lost import erased_message, send_wipe_receipt
from sync.refusals import RESEND, explain
from sync.transport import CentralClient
from sync.wipe import WipeIncomplete, erase_vault

if TYPE_CHECKING:
    from desktop_app.cli import LineReader

EXIT_OK = 0
EXIT_NOT_ALL_SYNCED = 1
EXIT_REFUSED = 2


def enroll(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    from desktop_app.enrollment import central_address, enroll_session

    policy = effective.policy
    tell_central_of_an_erase(args, effective)
    if args.server is None and policy.server_url is None:
        raise UserFacingError("No central address was given and policy sets none, so nothing "
                              "was done. Run again with --server and the address IT gave you.")
    try:
        server = central_address(args.server, policy, managed=effective.is_locked("server_url"))
    except SyncProblem as problem:
        raise UserFacingError(problem.user_message) from None
    passphrase = reader.secret("Passphrase: ")
    code = reader.line("Enrollment code: ")
    try:
        with sessions.unlock(args.vault, passphrase, policy) as opened:
            enrollment = enroll_session(opened, server, code, policy, label=args.label,
                                        timeout_seconds=args.timeout)
    except SyncProblem as problem:
        raise UserFacingError(problem.user_message) from None
    team = f" in team {enrollment.team}" if enrollment.team else ""
    print(f"This laptop is enrolled with {enrollment.server_url} for {enrollment.username}"
          f" ({enrollment.role.value}{team}). Run 'homevisit sync' to send and receive visits.")
    return EXIT_OK


def tell_central_of_an_erase(args: argparse.Namespace, effective: EffectivePolicy) -> None:
    """A wipe receipt kept since this folder's vault was erased (central was not reached
    then) is sent first, whatever follows, and deleted once central has it."""
    sent = send_kept_receipt(args.vault, ca_file=effective.policy.ca_file,
                             timeout_seconds=args.timeout)
    if sent:
        print("Central has now been told what was erased when this laptop was reported "
              "lost (the receipt kept since then is deleted).")


# complexity: the CLI's sync modes and the exit code each failure gives
def sync(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    policy = effective.policy
    tell_central_of_an_erase(args, effective)
    passphrase = reader.secret("Passphrase: ")
    opened = sessions.unlock(args.vault, passphrase, policy)
    try:
        conn = opened.vault.connection
        if args.status:
            return _print_status(Outbox(conn))
        if args.retry_refused:
            again = Outbox(conn).requeue_refused()
            print(f"{counted(again, 'record')} central did not accept will be sent again.")
            args.once = True
        enrollment = SyncLedger(conn).enrollment()
        try:
            if enrollment is None:
                raise NotEnrolled()
            client = CentralClient(enrollment.server_url, ca_file=policy.ca_file,
                                   timeout_seconds=args.timeout)
        except SyncProblem as problem:
            raise UserFacingError(problem.user_message) from None
        with client:
            engine = SyncEngine(conn, opened.workspace.device, client,
                                audit=opened.workspace.audit,
                                days_on_device=policy.days_on_device, attempts=args.attempts)
            try:
                if args.once:
                    report = engine.run_once()
                    _print_report(report)
                    for line in after_pull(conn, policy, enrollment.role):
                        print(line)
                    return EXIT_OK if report.everything_synced else EXIT_NOT_ALL_SYNCED
                return _run_until_stopped(partial(run_and_index, engine, conn, policy),
                                          policy.sync_interval_minutes * 60)
            except WipeOrdered as wipe:
                # Unsent records were pushed first, as far as they could be (SyncEngine).
                try:
                    erase_vault(args.vault, opened.close)
                except WipeIncomplete as incomplete:  # central still hears how far it got
                    send_wipe_receipt(wipe, datetime.now(UTC), erase=incomplete.outcome,
                                      keep_in=args.vault, ca_file=policy.ca_file,
                                      timeout_seconds=args.timeout)
                    raise UserFacingError(incomplete.user_message) from None
                told = send_wipe_receipt(wipe, datetime.now(UTC), keep_in=args.vault,
                                         ca_file=policy.ca_file, timeout_seconds=args.timeout)
                raise UserFacingError(
                    f"{erased_message(wipe, told=told)} (The vault was in "
                    f"{args.vault}.)") from None
            except SyncProblem as problem:
                _print_counts(Outbox(conn))
                raise UserFacingError(problem.user_message) from None
    finally:
        opened.close()


def _run_until_stopped(run_once: Callable[[], SyncReport], interval_seconds: float) -> int:
    loop = SyncLoop(run_once, interval_seconds=interval_seconds, on_report=_print_report,
                    on_problem=lambda problem: print(f"homevisit: {problem.user_message}",
                                                     file=sys.stderr))
    signal.signal(signal.SIGTERM, lambda *_: loop.stop())
    try:
        ended_by = loop.run()
    except KeyboardInterrupt:
        return EXIT_OK
    if ended_by is not None:
        raise ended_by
    return EXIT_OK


def _print_report(report: SyncReport) -> None:
    print(f"Sent {report.pushed}, quarantined {report.quarantined}, received {report.pulled}, "
          f"removed from this laptop {report.purged}.")
    print(f"Synced {report.synced_total}, waiting {report.waiting}, "
          f"quarantined {report.quarantined_total}.")
    if report.everything_synced:
        print("Everything is synced.", flush=True)
    elif report.quarantined_total:
        one = report.quarantined_total == 1
        print(f"{counted(report.quarantined_total, 'record')} {'was' if one else 'were'} not "
              f"accepted by central and {'is' if one else 'are'} kept on this laptop. "
              "'homevisit sync --status' says why and what to do; once that is done, "
              f"'{RESEND}' sends {'it' if one else 'them'} again.", flush=True)
    sys.stdout.flush()


_KIND_WORDS = {OperationKind.SUBMIT_VISIT: "visit", OperationKind.ADD_ADDENDUM: "addendum",
               OperationKind.DECIDE_REVIEW: "review decision",
               OperationKind.ADD_NOTE: "note from another agency"}


def _print_status(outbox: Outbox) -> int:
    """What is waiting, and each refused record with its reason: sends nothing."""
    _print_counts(outbox)
    refused = outbox.operations(OperationStatus.QUARANTINED, limit=10**9)
    for op in refused:
        refusal = explain(op.last_error)
        print(f"Not accepted: the {_KIND_WORDS.get(op.kind, op.kind.value)} {op.subject_id} "
              f"submitted {op.created_at.astimezone():%d %b %Y %H:%M} [{refusal.code}]")
        print(f"  Why: {refusal.what}")
        print(f"  What to do: {refusal.to_do}")
    if refused:
        print(f"Each is kept on this laptop. Once the cause is put right, '{RESEND}' sends "
              "them again.")
        return EXIT_NOT_ALL_SYNCED
    return EXIT_OK if outbox.unsent_count() == 0 else EXIT_NOT_ALL_SYNCED


def _print_counts(outbox: Outbox) -> None:
    counts = outbox.counts()
    waiting = counts[OperationStatus.WAITING] + counts[OperationStatus.SENT]
    print(f"Synced {counts[OperationStatus.SYNCED]}, waiting {waiting}, "
          f"quarantined {counts[OperationStatus.QUARANTINED]}.")
