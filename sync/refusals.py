"""Why central refused a record, in words a worker can act on.

A quarantined operation keeps central's reason as `code: detail`. This turns that into what
happened and what to do, for `homevisit sync --status` and the window. The record itself
is always still on the laptop: a refusal never loses anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.protocol import LARGEST_PHOTO_MIB

ASK_IT = "Ask IT to look at it, quoting the code in brackets; then re-send it"
RESEND = "homevisit sync --retry-refused"


@dataclass(frozen=True)
class Refusal:
    code: str
    what: str
    to_do: str


_WORDS: dict[str, tuple[str, str]] = {
    "photo_too_large": (
        "A photo in this visit is larger than central accepts.",
        f"Ask IT to raise central's photo limit (MAX_BLOB_BYTES, at least {LARGEST_PHOTO_MIB} "
        "MiB, and nginx's client_max_body_size above it); then re-send it. The other visits "
        "were sent."),
    "photo_refused": (
        "Central would not take a photo in this visit.",
        ASK_IT + "."),
    "too_large": (
        "This record is larger than central accepts in one request, even sent on its own.",
        "Ask IT to raise central's MAX_REQUEST_BYTES (and nginx's client_max_body_size); "
        "then re-send it."),
    "not_sendable": (
        "This record could not be put into the form central takes (this version of "
        "Homevisit cannot send it).",
        "Ask IT to update Homevisit on this laptop; then re-send it."),
    "bad_signature": (
        "Central could not check this laptop's signature on the record, so it cannot "
        "trust it.",
        ASK_IT + " (the laptop may need enrolling again)."),
    "hash_mismatch": (
        "The record did not match its own fingerprint when central checked it.",
        ASK_IT + "."),
    "not_canonical": (
        "Central read the record differently from how this laptop wrote it.",
        "Ask IT to update Homevisit on this laptop or central; then re-send it."),
    "invalid_record": (
        "Central could not read a part of this record.",
        "Ask IT to update Homevisit on this laptop or central; then re-send it."),
    "unknown_op_kind": (
        "Central does not know this kind of record yet.",
        "Ask IT to upgrade central; then re-send it."),
    "kind_mismatch": ("Central read this record as another kind than was sent.", ASK_IT + "."),
    "not_permitted": (
        "Your account at central may not send this kind of record (for example a review "
        "decision from a worker's account).",
        "Ask IT or your team lead to check your role at central; then re-send it."),
    "record_conflict": (
        "Central already holds a different record under the same identity.",
        ASK_IT + "."),
    "wrong_device": (
        "The record was signed by another laptop than the one sending it.",
        ASK_IT + "."),
}


def explain(reason: str | None) -> Refusal:
    """`code: detail` as kept in the outbox, in the worker's words."""
    code, _, detail = (reason or "rejected").partition(":")
    code = code.strip() or "rejected"
    what, to_do = _WORDS.get(code, (
        f"Central did not accept this record{': ' + detail.strip() if detail.strip() else '.'}",
        ASK_IT + "."))
    return Refusal(code, what, to_do)
