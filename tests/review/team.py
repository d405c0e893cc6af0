"""A team lead's real vault filled the way a pull fills it: signed records through the ledger.

The records are made and signed by a worker's device key, then applied with
`SyncLedger.apply_changes`, exactly as the sync engine applies a page from central, so the
vault's own triggers mark them for the review index.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.canonical import canonical_json, hash_bytes
from records.case import Case, Child
from records.corrections import ReviewDecision, ReviewOutcome
from records.visit import Visit
from storage.transactions import Connection
from storage.vault import Vault
from storage.workspace import Workspace
from sync.ledger import SyncLedger
from sync.protocol import Change, ChangeKind, Role
from tests.factories import make_case, make_child
from tests.vaults import FixedClock


@dataclass
class WorkerDevice:
    """Signs visits as a worker's laptop would."""

    username: str
    device_id: uuid.UUID
    key: Ed25519PrivateKey

    @classmethod
    def make(cls, username: str) -> WorkerDevice:
        return cls(username, uuid.uuid4(), Ed25519PrivateKey.generate())

    def change(self, visit: Visit, position: int) -> Change:
        frozen = canonical_json(visit)
        return Change(position=position, kind=ChangeKind.VISIT, record=frozen.decode(),
                      record_hash=hash_bytes(frozen),
                      signature=base64.b64encode(self.key.sign(frozen)).decode(),
                      device_id=self.device_id, submitted_by=self.username)


def enroll_as_team_lead(conn: Connection, team: str = "North") -> None:
    SyncLedger(conn).save_enrollment(
        server_url="https://central.invalid", device_id=uuid.uuid4(), username="northlead",
        display_name="R. Team Lead", role=Role.TEAM_LEAD, team=team,
        audience="homevisit-central", receipt_public_key=b"\0" * 32)


def team_lead_services(vault: Vault, clock: FixedClock,
                       ) -> tuple[Workspace, VaultReviewServices]:
    """A team lead's open vault as the app opens it: enrolled, its workspace and its review
    services, on `clock`."""
    workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
    enroll_as_team_lead(vault.connection)
    return workspace, VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)


def enroll_as_worker(conn: Connection, username: str = "north1", team: str = "North") -> None:
    SyncLedger(conn).save_enrollment(
        server_url="https://central.invalid", device_id=uuid.uuid4(), username=username,
        display_name="J. Okafor", role=Role.WORKER, team=team,
        audience="homevisit-central", receipt_public_key=b"\0" * 32)


def returned_with_question(lead: WorkerDevice, visit_id: uuid.UUID, visit_hash: str,
                           question: str, decided_at: datetime, position: int,
                           reviewer: str = "R. Team Lead",
                           outcome: ReviewOutcome = ReviewOutcome.RETURNED,
                           ) -> tuple[ReviewDecision, Change]:
    """A team lead's signed return (or other decision, with its comment), as central passes
    it on to the worker's laptop."""
    decision = ReviewDecision(id=uuid.uuid4(), visit_id=visit_id, visit_hash=visit_hash,
                              reviewer=reviewer, decided_at=decided_at,
                              outcome=outcome, comment=question)
    frozen = canonical_json(decision)
    return decision, Change(position=position, kind=ChangeKind.REVIEW, record=frozen.decode(),
                            record_hash=hash_bytes(frozen),
                            signature=base64.b64encode(lead.key.sign(frozen)).decode(),
                            device_id=lead.device_id, submitted_by=lead.username)


def one_child_case(worker: str = "north1") -> tuple[Case, Child]:
    """A case allocated to `worker`, with one child."""
    case = make_case().model_copy(update={"allocated_worker": worker})
    return case, make_child(case)


def sibling_families(count: int, worker: str = "north1") -> list[tuple[Case, list[Child]]]:
    """`count` cases allocated to `worker` (references CP-0, CP-1, ...), each with two
    children (C0a and C0b, ...)."""
    families = []
    for n in range(count):
        case = make_case().model_copy(update={"allocated_worker": worker,
                                              "reference": f"CP-{n}"})
        families.append((case, [make_child(case, given_name=f"C{n}a"),
                                make_child(case, given_name=f"C{n}b")]))
    return families


def child_changes(cases: Iterable[tuple[Case, list[Child]]], start: int) -> list[Change]:
    changes: list[Change] = []
    for case, children in cases:
        for child in children:
            changes.append(Change(position=start + len(changes), kind=ChangeKind.CHILD,
                                  record=canonical_json(child).decode(),
                                  case=canonical_json(case).decode()))
    return changes


def pull(conn: Connection, changes: list[Change]) -> None:
    """Apply changes as one pull page does (and move the cursor past them)."""
    SyncLedger(conn).apply_changes(changes, max((c.position for c in changes), default=0))
