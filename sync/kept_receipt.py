"""A wipe receipt that could not reach central right after the erase, kept to send later.

The receipt is signed in memory right after the key slots go (`sync.lost`); if central cannot
be reached then (no network, central down, the laptop's one contact cut short), it is written
beside where the vault was, `wipe-receipt.json` in the vault's folder (0600, through no link),
holding only the signed receipt and central's address: counts and times, never any record,
name or key (docs/security.md says what it reveals). The next start of the app, `homevisit
sync` or `homevisit enroll` sends it (`send_kept_receipt`) and deletes it once central has
recorded it, or refused it for good (it never will take it then); a file that is not a
receipt is deleted unread. Nothing is decided from it: central checks the device key's
signature, and the laptop has no vault left to act on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from storage.files import atomic_write
from sync.backoff import Backoff, retrying
from sync.errors import SyncProblem
from sync.protocol import WipeReceipt
from sync.transport import CentralClient

log = logging.getLogger("homevisit.sync.kept_receipt")

KEPT_RECEIPT_NAME = "wipe-receipt.json"
RECEIPT_ATTEMPTS = 4
SLEEP: Callable[[float], None] = time.sleep  # between tries (tests note the waits instead)
_LARGEST = 16 * 1024  # a receipt is well under 2 KiB
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class KeptReceipt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server_url: str = Field(max_length=2000, pattern=r"^https?://")
    receipt: WipeReceipt


def deliver(server_url: str, receipt: WipeReceipt, *, ca_file: Path | None = None,
            timeout_seconds: float = 30.0, backoff: Backoff | None = None,
            sleep: Callable[[float], None] | None = None,
            attempts: int = RECEIPT_ATTEMPTS) -> bool | None:
    """Send the receipt: True when central recorded it, False when central refused it for
    good (sending it again would change nothing), None when central was not reached."""
    try:
        with CentralClient(server_url, ca_file=ca_file,
                           timeout_seconds=timeout_seconds) as client:
            retrying(lambda: client.wipe_receipt(receipt), attempts=attempts,
                     backoff=backoff or Backoff(), sleep=sleep or SLEEP)
    except SyncProblem as problem:
        log.error("the wipe receipt did not reach central (%s)", problem)
        return None if problem.transient else False
    log.warning("central recorded this laptop's wipe receipt")
    return True


def keep(directory: Path, server_url: str, receipt: WipeReceipt) -> bool:
    """Write the receipt beside where the vault was; False if even that failed."""
    try:
        atomic_write(directory / KEPT_RECEIPT_NAME, KeptReceipt(
            server_url=server_url, receipt=receipt).model_dump_json().encode())
    except (OSError, ValidationError) as error:
        log.error("the wipe receipt could not be kept to send later (%s)", error)
        return False
    log.warning("the wipe receipt is kept in %s, to send at the next start or sync",
                directory / KEPT_RECEIPT_NAME)
    return True


def _read(path: Path) -> KeptReceipt | None:
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        log.error("a kept wipe receipt could not be read (%s): deleted", error)
        return None
    try:
        text = os.read(descriptor, _LARGEST + 1)
    finally:
        os.close(descriptor)
    try:
        return None if len(text) > _LARGEST else KeptReceipt.model_validate_json(text)
    except ValidationError:
        return None


def send_kept_receipt(directory: Path, *, ca_file: Path | None = None,
                      timeout_seconds: float = 30.0, backoff: Backoff | None = None,
                      sleep: Callable[[float], None] | None = None) -> bool | None:
    """Send a kept receipt, if there is one, and delete it unless central was not reached.
    True: recorded; False: refused for good, or not a receipt; None: none kept, or still
    kept (central not reached). Never raises."""
    path = directory / KEPT_RECEIPT_NAME
    if not os.path.lexists(path):
        return None
    kept = _read(path)
    sent = None if kept is None else deliver(
        kept.server_url, kept.receipt, ca_file=ca_file, timeout_seconds=timeout_seconds,
        backoff=backoff, sleep=sleep)
    if kept is None:
        log.error("%s is not a wipe receipt: deleted, nothing sent", path)
        sent = False
    if sent is not None:
        with contextlib.suppress(OSError):
            path.unlink()
    return sent
