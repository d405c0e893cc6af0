"""A wipe receipt central could not take right after the erase is kept and sent later
(issue 16), and an erase that could not finish still sends one.

Real laptops (`homevisit sync`, real SQLCipher vaults) and the in-process central on
PostgreSQL, with the fault proxy (tests/sync/proxy.py) or the relay (`Impostor`) between them.
The kept file holds the signed receipt and central's address only: counts, never a child."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.policy import Policy
from desktop_app.session import tell_central_of_an_erase
from storage.vault import Vault
from sync.kept_receipt import KEPT_RECEIPT_NAME, RECEIPT_ATTEMPTS
from sync.protocol import WipeReceipt
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.proxy import FaultyProxy
from tests.sync.test_sync_thread import enrolled
from tests.sync.test_wipe_order_signed import Impostor, behind
from tests.sync.test_wipe_recovers_unsent import device_row, erased, wiped_entries
from tests.vaults import PASSPHRASE

pytestmark = pytest.mark.parametrize("central_server", ["postgresql"], indirect=True)


@pytest.fixture
def proxy(central: CentralProcess) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(central.port)
    yield proxy
    proxy.close()


def through(laptop: Laptop, url: str) -> None:
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        vault.connection.execute("UPDATE sync_state SET server_url = ?", (url,))


def kept_file(laptop: Laptop, visits: list[str]) -> dict[str, object]:
    """The kept receipt: 0600, the receipt and central's address, no record of a child."""
    path = laptop.directory / KEPT_RECEIPT_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert not any(visit in text for visit in visits)
    kept: dict[str, object] = json.loads(text)
    assert set(kept) == {"server_url", "receipt"}
    WipeReceipt.model_validate(kept["receipt"])  # a signed receipt of counts, nothing else
    return kept


def test_a_receipt_whose_answer_is_lost_is_kept_and_sent_at_the_next_sync(
        central: CentralProcess, tmp_path: Path, proxy: FaultyProxy) -> None:
    laptop = enrolled(central, tmp_path)
    visits = [str(v) for v in laptop.submit_visits(2)]
    central.command("device", "wipe", str(laptop.device_id))
    through(laptop, proxy.url)
    proxy.reset_answers_to, proxy.resets_left = b"POST /v1/wipe-receipt", RECEIPT_ATTEMPTS

    told = laptop.sync()

    said = " ".join(told.stderr.split())
    assert told.returncode == 2 and erased(laptop)
    assert "2 records not yet sent reached central" in said
    assert "Homevisit will tell it the next time it starts or syncs" in said
    assert proxy.resets_left == 0
    receipt = kept_file(laptop, visits)["receipt"]
    assert isinstance(receipt, dict) and receipt["body"]["pushed_records"] == 2

    again = laptop.sync()  # the proxy passes everything now

    assert "Central has now been told what was erased" in again.stdout
    assert "Traceback" not in again.stderr
    assert not (laptop.directory / KEPT_RECEIPT_NAME).exists()
    assert len(wiped_entries(central, laptop)) == 1  # the same receipt, recorded once
    assert device_row(central, laptop).wipe_lost == 0


def test_a_receipt_central_could_not_take_reaches_it_at_the_apps_next_start(
        central: CentralProcess, tmp_path: Path) -> None:
    down = [True]
    relay = Impostor(lambda path: (503, {"error": "database_unavailable", "message": "Down."})
                     if down[0] and path == "/v1/wipe-receipt" else None,
                     relay_to=central.url)
    try:
        laptop = enrolled(central, tmp_path)
        visits = [str(v) for v in laptop.submit_visits(1)]
        central.command("device", "wipe", str(laptop.device_id))
        behind(laptop, relay)

        told = laptop.sync()

        assert told.returncode == 2 and erased(laptop)
        assert relay.paths.count("/v1/wipe-receipt") == RECEIPT_ATTEMPTS
        assert kept_file(laptop, visits)["server_url"] == relay.url
        assert device_row(central, laptop).wiped_at is None
        assert "wipe ordered, not yet done" in central.command("device", "list")

        down[0] = False  # the app's next start sends it, off the window's thread
        sender = tell_central_of_an_erase(laptop.directory, Policy())
        assert sender is not None
        sender.join(timeout=60)

        assert not sender.is_alive()
        assert not (laptop.directory / KEPT_RECEIPT_NAME).exists()
        assert tell_central_of_an_erase(laptop.directory, Policy()) is None
        device = device_row(central, laptop)
        assert device.wiped_at is not None and device.wipe_recovered == 1
        assert "1 record recovered before the erase, 0 lost" in central.command(
            "device", "list")
    finally:
        relay.close()


def wiped_with_a_folder_planted(central: CentralProcess, laptop: Laptop,
                                planted: Path) -> subprocess.CompletedProcess[str]:
    """Report the laptop lost and sync it, a folder with a file in it appearing at `planted`
    while its vault is open for the push before the erase (something it cannot remove)."""
    laptop.submit_visits(1)
    central.command("device", "wipe", str(laptop.device_id))

    def obstruct(path: str) -> None:
        if path.startswith("/v1/sync/push") and not planted.exists():
            planted.mkdir()
            (planted / "held").write_text("held")

    relay = Impostor(lambda path: obstruct(path), relay_to=central.url)
    try:
        behind(laptop, relay)
        return laptop.sync()
    finally:
        relay.close()


def test_an_erase_that_cannot_remove_every_file_still_sends_its_receipt(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = enrolled(central, tmp_path)
    # Where a leftover of SQLite's would be: the keys go, this folder stays.
    journal = Vault.paths(laptop.directory).database.with_name("vault.db-journal")
    told = wiped_with_a_folder_planted(central, laptop, journal)

    said = " ".join(told.stderr.split())
    assert told.returncode != 0 and "Traceback" not in told.stderr
    assert "Its keys were destroyed" in said and "tell IT" in said
    assert not Vault.paths(laptop.directory).key_file.exists()
    device = device_row(central, laptop)
    assert device.wiped_at is not None and device.wipe_recovered == 1
    assert device.wipe_receipt is not None and device.wipe_receipt["receipt"] == "files_left"
    assert "its keys are gone" in central.command("device", "list")


def test_an_erase_that_cannot_destroy_every_key_slot_says_so_and_the_order_stands(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = enrolled(central, tmp_path)
    leftover = laptop.directory / ".vault.keys.planted.tmp"  # where a half-written copy goes
    told = wiped_with_a_folder_planted(central, laptop, leftover)

    said = " ".join(told.stderr.split())
    assert told.returncode != 0 and "Traceback" not in told.stderr
    assert "Its keys could not be destroyed" in said and "tell IT" in said
    device = device_row(central, laptop)
    assert device.wiped_at is None and device.status == "wipe"  # the order stands
    assert device.wipe_receipt is not None and device.wipe_receipt["receipt"] == "keys_left"
    assert device.wipe_recovered == 1
    assert "could not destroy its keys" in central.command("device", "list")
