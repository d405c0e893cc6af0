"""`homevisit note add`: record information from another agency without the window.

The same record as the window's dialog (ui/visit/agency_note.py), checked by the same rules and
written by the same service: signed, queued for central, audited.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from pydantic import ValidationError

from desktop_app import session as sessions
from desktop_app.failures import UserFacingError
from desktop_app.policy import EffectivePolicy
from records.case import Child
from records.case_notes import AgencyKind, AgencyNotification

if TYPE_CHECKING:
    from desktop_app.cli import LineReader

EXIT_OK = 0


def add(args: argparse.Namespace, effective: EffectivePolicy, reader: LineReader) -> int:
    from desktop_app.services import VaultServices

    try:
        kind = AgencyKind(args.kind)
    except ValueError:
        raise UserFacingError(
            f"{args.kind!r} is not a kind of information: use one of "
            f"{', '.join(k.value for k in AgencyKind)}. Nothing was recorded.") from None
    passphrase = reader.secret("Passphrase: ")
    with sessions.unlock(args.vault, passphrase, effective.policy) as opened:
        children = _named(opened.workspace.cases.children(on_caseload_only=True), args.child)
        cases = {child.case_id for child in children}
        if len(cases) > 1:
            raise UserFacingError("Those children are on different cases: record one note per "
                                  "household. Nothing was recorded.")
        try:
            note = AgencyNotification(
                id=uuid.uuid4(), case_id=cases.pop(), child_ids=tuple(c.id for c in children),
                source=args.source, kind=kind, received_on=args.received_on,
                summary=args.summary, child_seen_on=args.child_seen_on,
                entered_at=datetime.now(UTC), reports_injury=args.reports_injury,
                reports_food_or_weight=args.reports_food_or_weight)
        except ValidationError:
            raise UserFacingError("The source and the summary must be written. Nothing was "
                                  "recorded.") from None
        VaultServices(opened, effective.policy).record_note(note)
    names = ", ".join(child.display_name for child in children)
    print(f"Recorded information from {args.source} about {names}. It goes to central at the "
          "next sync.")
    return EXIT_OK


def _named(caseload: list[Child], wanted: list[str]) -> list[Child]:
    """Each child by id or by the name on the caseload; a name two children share is refused."""
    found: list[Child] = []
    for name in wanted:
        try:
            matches = [c for c in caseload if c.id == UUID(name)]
        except ValueError:
            matches = [c for c in caseload if c.display_name.casefold() == name.casefold()]
        if not matches:
            raise UserFacingError(f"No child on this caseload is called {name!r}. Nothing was "
                                  "recorded; give the name as the caseload shows it.")
        if len(matches) > 1:
            raise UserFacingError(f"More than one child on this caseload is called {name!r}. "
                                  "Nothing was recorded; give the child's id instead.")
        if matches[0] not in found:
            found.append(matches[0])
    return found
