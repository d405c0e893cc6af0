"""The wipe receipt on the wire (protocol 5): a lost laptop's account of its own erase.

Shared by the laptop and central through `sync.protocol`, which re-exports these models
(and holds the wipe order itself); kept apart only for the length of that module.
The laptop signs the canonical JSON of `WipeReceiptBody` with its device key, in memory,
right after the vault's key slots are destroyed (the moment nothing on it can be read any
more), and sends it to `POST /v1/wipe-receipt`. No token: the device key's signature is the
proof, and central checks it against the key it enrolled. A receipt is about counts, never
content: no record, name or id of a child leaves in it.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

from records.canonical import canonical_json
from records.types import UtcDateTime

_WIRE = ConfigDict(extra="forbid", frozen=True)

Count = Annotated[int, Field(ge=0, le=100_000_000)]

# What the erase did: everything (`vault_erased`); the key slots but not every file, so what
# is left is ciphertext nobody can open (`files_left`); not even the key slots, so the vault
# may still open with its passphrase (`keys_left`: central's order stands, and the laptop
# tries again at its next contact).
EraseOutcome = Literal["vault_erased", "files_left", "keys_left"]
# The last two came with protocol 6: a central of 5 refuses them (422), so a laptop sends them
# only to a central that says 6 or later (sync.lost).
ERASE_OUTCOME_PROTOCOL = 6


class WipeReceiptBody(BaseModel):
    """What the laptop signs: which order it carried out, when, and what went with it."""

    model_config = _WIRE

    receipt: EraseOutcome = Field(
        default="vault_erased",
        description="What the erase did: `vault_erased` (all of it), `files_left` (the key "
                    "slots, not every file: what is left cannot be opened), `keys_left` (not "
                    "even the key slots: the erase failed; the order stands).")
    device_id: UUID
    order_assertion_id: str = Field(
        min_length=8, max_length=200,
        description="The `jti` of the assertion whose signed wipe order this erase obeyed.")
    erased_at: UtcDateTime = Field(
        description="The laptop's clock when the vault's key slots were destroyed.")
    pushed_records: Count = Field(
        description="Records sent to central and receipted after the order, before the erase.")
    unsent_records: Count = Field(
        description="Records central had not acknowledged when the vault was erased: lost.")
    refused_records: Count = Field(
        description="Records central had refused (kept on the laptop until then): erased.")
    drafts: Count = Field(description="Visits never submitted (drafts) erased with the vault.")
    visits: Count = Field(description="Visits of every kind the vault held when erased.")
    outbox_high_water: Count = Field(
        description="The highest outbox sequence the vault had given an operation.")
    push_problem: str | None = Field(
        default=None, max_length=200,
        description="Why the push before the erase stopped short, if it did (a short reason).")

    def signed_bytes(self) -> bytes:
        return canonical_json(self)


class WipeReceipt(BaseModel):
    model_config = _WIRE

    body: WipeReceiptBody
    signature: str = Field(max_length=200, pattern=r"^[A-Za-z0-9+/=_-]*$",
                           description="Ed25519 by the device key over the body's canonical "
                                       "JSON, base64.")

    def is_signed_by(self, device_public_key: bytes) -> bool:
        """True when the device key signed exactly this body."""
        try:
            signature = base64.b64decode(
                self.signature.replace("-", "+").replace("_", "/"), validate=True)
            Ed25519PublicKey.from_public_bytes(device_public_key).verify(
                signature, self.body.signed_bytes())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


class WipeReceiptAnswer(BaseModel):
    model_config = _WIRE

    recorded_at: UtcDateTime = Field(description="When central first recorded this erase.")
    recovered_records: Count = Field(
        description="Records central received from this laptop after it was reported lost.")
