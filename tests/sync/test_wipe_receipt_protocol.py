"""Which wipe receipt a laptop sends depends on what central speaks (protocol 6): a receipt
for an erase that did not finish (`files_left`, `keys_left`) goes only to a central that
takes it; a central of 5 would refuse it (422), so it is not sent, and a whole erase's
receipt goes to both."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.errors import WipeOrdered
from sync.lost import WipeReport, signed_receipt
from sync.protocol import WIPE_RECEIPT_PROTOCOL
from sync.wipe_wire import ERASE_OUTCOME_PROTOCOL, EraseOutcome


def _order(central_protocol: int, key: Ed25519PrivateKey) -> WipeOrdered:
    order = WipeOrdered("reported lost", device_id=uuid.uuid4(), assertion_id="a" * 32,
                        wipe_token="token")
    order.report = WipeReport(
        server_url="https://central.example", pushed=1, unsent=2, refused=0, drafts=1,
        visits=4, outbox_high_water=7, push_problem=None, sign=key.sign,
        central_protocol=central_protocol)
    return order


@pytest.mark.expect_log(r"central \(protocol 5\) cannot take a receipt saying")
@pytest.mark.parametrize(("central_protocol", "erase", "sent"), [
    (WIPE_RECEIPT_PROTOCOL, "vault_erased", True),
    (WIPE_RECEIPT_PROTOCOL, "files_left", False),
    (WIPE_RECEIPT_PROTOCOL, "keys_left", False),
    (ERASE_OUTCOME_PROTOCOL, "vault_erased", True),
    (ERASE_OUTCOME_PROTOCOL, "files_left", True),
    (ERASE_OUTCOME_PROTOCOL, "keys_left", True),
])
def test_an_unfinished_erase_is_told_only_to_a_central_that_takes_it(
        central_protocol: int, erase: EraseOutcome, sent: bool) -> None:
    key = Ed25519PrivateKey.generate()
    receipt = signed_receipt(_order(central_protocol, key), datetime.now(UTC), erase)
    assert (receipt is not None) is sent
    if receipt is not None:
        assert receipt.body.receipt == erase
        public = key.public_key().public_bytes_raw()
        assert receipt.is_signed_by(public)
