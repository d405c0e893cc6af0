"""The headless vault commands behind `homevisit vault …`, `demo-data` and `self-test`."""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop_app import recovery_slot
from desktop_app import session as sessions
from desktop_app.demo_data import make_demo_data
from desktop_app.failures import UserFacingError
from desktop_app.policy import EffectivePolicy
from records.contracts import VisitStatus
from records.wording import counted
from storage.audit import AuditAction, verify_chain
from storage.errors import ChangesMissing
from storage.files import atomic_writer
from storage.transactions import Connection
from storage.vault import Vault, check_vault
from storage.workspace import Workspace
from sync.ledger import SyncLedger

if TYPE_CHECKING:
    from desktop_app.cli import LineReader

EXIT_OK = 0
EXIT_PROBLEMS_FOUND = 1


def create(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    if effective.is_locked("recovery_public_key") and not effective.policy.recovery_public_key:
        raise sessions.RecoveryKeyUnavailable()  # before asking for a passphrase
    passphrase = reader.secret("New passphrase: ")
    with sessions.create_vault(args.vault, passphrase, effective.policy,
                               recovery_key_managed=effective.is_locked("recovery_public_key")):
        pass
    recovery = "with" if effective.policy.recovery_public_key else "WITHOUT"
    print(f"Vault created in {args.vault}, {recovery} an IT recovery key.")
    return EXIT_OK


def check(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    passphrase = reader.secret("Passphrase: ")
    # First the files themselves, without opening the vault for use: a damaged database is
    # reported here, page by page, instead of refusing to unlock.
    problems = check_vault(args.vault, passphrase,
                           failed_unlock_limit=effective.policy.failed_unlock_limit)
    submitted: list[Any] = []
    if not problems:
        with sessions.unlock(args.vault, passphrase, effective.policy) as opened:
            problems += verify_chain(opened.vault.connection)
            visits = opened.workspace.visits
            submitted = visits.summaries(status=VisitStatus.SUBMITTED, limit=10**9)
            problems += [
                f"submitted visit {s.id} no longer matches its hash or signature"
                for s in submitted
                if not visits.is_intact(s.id)
            ]
    if problems:
        for problem in problems:
            print(f"PROBLEM  {problem}")
        print(f"Vault {args.vault} has {counted(len(problems), 'problem')}. Nothing was changed; "
              "keep the files as they are and contact IT.")
        return EXIT_PROBLEMS_FOUND
    print(f"Vault {args.vault} is healthy: {counted(len(submitted), 'submitted visit')} checked, "
          "database, audit log, hashes and signatures intact.")
    return EXIT_OK


def change_passphrase(args: argparse.Namespace, effective: EffectivePolicy,
                      reader: LineReader) -> int:
    old = reader.secret("Current passphrase: ")
    new = reader.secret("New passphrase: ")
    with sessions.unlock(args.vault, old, effective.policy) as opened:
        opened.vault.change_passphrase(old, new)
        opened.workspace.audit.record(AuditAction.PASSPHRASE_CHANGED)
    print("Passphrase changed. The records themselves were not touched.")
    return EXIT_OK


def recover(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    private_key = read_recovery_private_key(args.recovery_key)
    new = reader.secret("New passphrase for the worker: ")
    with sessions.recover(args.vault, private_key, new, effective.policy):
        pass
    print("Vault recovered: it opens with the new passphrase, and every record is kept.")
    return EXIT_OK


ACCEPT_WORD = "ACCEPT"


def accept_rollback(args: argparse.Namespace, effective: EffectivePolicy,
                    reader: LineReader) -> int:
    """Open a vault refused for missing changes once IT has confirmed they are lost."""
    passphrase = reader.secret("Passphrase: ")
    sessions.finish_ordered_erase(args.vault)
    shown: list[ChangesMissing] = []

    def confirm(missing: ChangesMissing) -> bool:
        shown.append(missing)
        print(f"PROBLEM  {missing.problem}")
        print("If the missing file cannot be put back, accepting opens the vault as it is "
              "now: the missing changes are lost for good, and the audit log records that "
              "you accepted it. Visits already sent to central are kept there.")
        answer = reader.line(f"Type {ACCEPT_WORD} to accept the loss: ")
        return answer.strip() == ACCEPT_WORD

    try:
        vault = Vault.accept_missing_changes(
            args.vault, passphrase, confirm, actor=sessions.ACTOR,
            failed_unlock_limit=effective.policy.failed_unlock_limit)
    except ChangesMissing:
        if not shown:
            raise
        print("Not accepted. Nothing was changed; the vault stays closed until the missing "
              "file is put back or the loss is accepted.")
        return EXIT_PROBLEMS_FOUND
    vault.close()
    if not shown:
        print(f"Vault {args.vault} is missing nothing it had saved. Nothing was changed.")
        return EXIT_OK
    missing = shown[0].missing
    lost = ("an unknown number of saved changes" if missing is None
            else counted(missing, "saved change"))
    print(f"Accepted: vault {args.vault} opens again without {lost}; "
          "the audit log records this.")
    return EXIT_OK


def add_recovery_key(args: argparse.Namespace, effective: EffectivePolicy,
                     reader: LineReader) -> int:
    """Give a vault made without one a recovery slot, wrapped to the policy's key."""
    return _set_recovery_key(args, effective, reader, rotating=False)


def rotate_recovery_key(args: argparse.Namespace, effective: EffectivePolicy,
                        reader: LineReader) -> int:
    """Re-wrap a vault's recovery slot to the policy's (new) key; the old key stops opening it."""
    return _set_recovery_key(args, effective, reader, rotating=True)


def _set_recovery_key(args: argparse.Namespace, effective: EffectivePolicy,
                      reader: LineReader, *, rotating: bool) -> int:
    wanted = effective.policy.recovery_key_bytes
    if wanted is None or not effective.is_locked("recovery_public_key"):
        raise UserFacingError(
            "IT's policy sets no usable recovery key ('homevisit policy show' says why; one "
            "in your own settings is not IT's), so there is nothing to wrap the vault to. "
            "Nothing was changed; ask IT to set recovery_public_key in the policy, then run "
            "this again.")
    passphrase = reader.secret("Passphrase: ")
    with sessions.unlock(args.vault, passphrase, effective.policy) as opened:
        change = recovery_slot.change_wanted(
            opened, effective.policy, managed=effective.is_locked("recovery_public_key"))
        if change is None:
            print("The vault's recovery slot already opens with the organisation's recovery "
                  "key in the policy. Nothing was changed.")
            return EXIT_OK
        if rotating and change == "add":
            raise UserFacingError(
                "This vault has no recovery slot to rotate. Nothing was changed; run "
                "'homevisit vault add-recovery-key' to give it one.")
        if not rotating and change == "replace":
            raise UserFacingError(
                "This vault already has a recovery slot, for another recovery key than the "
                "policy's. Nothing was changed; run 'homevisit vault rotate-recovery-key' to "
                "wrap it to the policy's key instead.")
        recovery_slot.wrap_to_policy_key(opened, effective.policy)
    if rotating:
        print("Recovery slot rotated: the vault now opens with the organisation's new recovery "
              "key, and no longer with the old one. The records themselves were not touched.")
    else:
        print("Recovery slot added: IT's recovery key now opens this vault if the passphrase "
              "is forgotten. The records themselves were not touched.")
    return EXIT_OK


def export(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    if not effective.policy.export_allowed:
        raise UserFacingError(
            "Exporting records is turned off by this laptop's IT policy. Nothing was written; "
            "ask IT or the records team to run the export."
        )
    out: Path = args.out
    if not out.parent.is_dir():
        raise UserFacingError(f"The folder {out.parent} does not exist. Nothing was written.")
    passphrase = reader.secret("Passphrase: ")
    with sessions.unlock(args.vault, passphrase, effective.policy) as opened:
        try:
            with atomic_writer(out) as stream:
                stream.write(json.dumps(export_document(opened.workspace,
                                                        opened.vault.connection), indent=1,
                                        ensure_ascii=False).encode("utf-8"))
        except OSError as error:
            raise UserFacingError(
                f"The export could not be written to {out} ({error.strerror}). Nothing "
                "half-written was left behind; choose another place or free some space."
            ) from error
        opened.workspace.audit.record(AuditAction.EXPORTED, "vault", "")
    print(f"Exported every record to {out}. It is NOT encrypted: handle it as the records "
          "themselves, and delete it when the request is answered.")
    return EXIT_OK


# complexity: one JSON document with every kind of record; each comprehension is one kind
def export_document(workspace: Workspace, conn: Connection) -> dict[str, Any]:
    """Every record in the vault, as JSON, for a subject access request."""
    visits = workspace.visits
    documents = []
    for summary in visits.summaries(limit=10**9):
        stored = visits.get(summary.id)
        assert stored is not None
        documents.append({
            "status": stored.status.value,
            "record": stored.visit.model_dump(mode="json"),
            "record_hash": stored.record_hash,
            "submitted_at": stored.submitted_at.isoformat() if stored.submitted_at else None,
            "addenda": [a.addendum.model_dump(mode="json") for a in visits.addenda(summary.id)],
            "attachments": [
                {"id": str(a.id), "media_type": a.media_type, "sha256": a.sha256,
                 "content_base64": base64.b64encode(
                     workspace.attachments.content(a.id) or b"").decode()}
                for a in workspace.attachments.for_visit(summary.id)
            ],
        })
    return {
        "format": "homevisit-export",
        "version": 1,
        "device_id": str(workspace.device.device_id),
        "cases": [c.model_dump(mode="json") for c in workspace.cases.cases()],
        "children": [c.model_dump(mode="json") for c in workspace.cases.children()],
        "visits": documents,
        "notes": [{"record": n.note.model_dump(mode="json"), "record_hash": n.record_hash,
                   "made_on_this_laptop": n.made_here,
                   "received_from": None if n.made_here else n.submitted_by}
                  for n in workspace.notes.all_notes()],
        # Others' records pulled from central: a team's, on a team lead's laptop; on a
        # worker's, the visits made about a child allocated to them.
        "received": SyncLedger(conn).everything_received(),
    }


def demo_data(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    passphrase = reader.secret("Passphrase: ")
    directory: Path = args.vault
    exists = Vault.paths(directory).key_file.exists()
    opener = sessions.unlock if exists else sessions.create_vault
    with opener(directory, passphrase, effective.policy) as opened:
        made = make_demo_data(opened.workspace, children=args.children, visits=args.visits,
                              seed=args.seed)
    print(f"Added {counted(made.children, 'child')} in {counted(made.cases, 'case')}, "
          f"{counted(made.submitted, 'submitted visit')}, {counted(made.addenda, 'addendum')} "
          f"and {counted(made.drafts, 'draft')} to {directory}.")
    return EXIT_OK


def self_test(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    from desktop_app.cli.self_test import run_checks

    results = run_checks(effective)
    for result in results:
        print(f"{'ok  ' if result.passed else 'FAIL'}  {result.name}: {result.detail}")
    return EXIT_OK if all(r.passed for r in results) else EXIT_PROBLEMS_FOUND


def read_recovery_private_key(path: Path) -> bytes:
    """IT's recovery private key: a PEM file, or the raw 32 bytes in base64."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserFacingError(
            f"The recovery key file {path} cannot be read ({error.strerror}). Nothing was changed."
        ) from error
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password=None)
            if not isinstance(key, X25519PrivateKey):
                raise ValueError("not an X25519 key")
            return key.private_bytes(serialization.Encoding.Raw,
                                     serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        raw = base64.b64decode(data.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError("wrong length")
        return raw
    except (ValueError, TypeError, binascii.Error) as error:
        raise UserFacingError(
            f"{path} is not a Homevisit recovery private key. Nothing was changed; check you "
            "have the organisation's recovery key file."
        ) from error


def scratch_directory() -> Path:
    return Path(tempfile.mkdtemp(prefix="homevisit-self-test-"))
