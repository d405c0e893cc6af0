"""The offline grace period (a key lease) with a real central and real vaults: a fresh lease
opens without central; past it, the vault opens only after central vouches for the laptop
(and the lease renews), stays locked with a clear sentence when central cannot be reached,
keeps every record either way, and a clock set back does not buy more time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app import session as sessions
from desktop_app.key_lease import LeaseNotRenewed
from desktop_app.policy import Policy
from storage.outbox import OperationStatus
from storage.vault import Vault
from sync.lease import CLOCK_TOLERANCE, KeyLease
from sync.ledger import SyncLedger
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_sync_thread import enrolled
from tests.vaults import PASSPHRASE, FixedClock

GRACE = Policy(offline_grace_days=7)
DAY = timedelta(days=1)

# Database-neutral, so on SQLite; the renewal itself also runs on PostgreSQL.
sqlite_only = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)


def last_contact_was(laptop: Laptop, when: datetime) -> None:
    """As if central last vouched for the laptop at `when` (the vault's own record)."""
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        KeyLease(vault.connection, FixedClock(when)).note_contact()


def lease_of(laptop: Laptop) -> tuple[datetime, datetime]:
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        lease = KeyLease(vault.connection).current()
        assert lease is not None
        return lease.last_contact_at, lease.latest_seen_at


def unsent_and_visits(laptop: Laptop) -> tuple[int, int]:
    with laptop.workspace() as workspace:
        counts = workspace.outbox.counts()
        return (counts[OperationStatus.WAITING] + counts[OperationStatus.SENT],
                len(workspace.visits.summaries(limit=1000)))


def laptop_with_unsent_work(central: CentralProcess, tmp_path: Path) -> Laptop:
    laptop = enrolled(central, tmp_path)  # enrolled and synced: central vouched just now
    laptop.submit_visits(2)  # recorded offline, not yet sent
    return laptop


@sqlite_only
def test_syncing_renews_the_lease(central: CentralProcess, tmp_path: Path) -> None:
    laptop = enrolled(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - 5 * DAY)
    assert laptop.sync().returncode == 0
    contact, _ = lease_of(laptop)
    assert datetime.now(UTC) - contact < timedelta(minutes=5)


@sqlite_only
def test_a_fresh_lease_unlocks_without_central(central: CentralProcess,
                                               tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - 6 * DAY)
    central.stop()
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE) as opened:
        assert len(opened.workspace.visits.summaries(limit=1000)) >= 2


def test_past_the_grace_period_central_vouches_and_the_lease_renews(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    long_ago = datetime.now(UTC) - 8 * DAY
    last_contact_was(laptop, long_ago)
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE) as opened:
        assert len(opened.workspace.visits.summaries(limit=1000)) >= 2
    contact, seen = lease_of(laptop)
    assert datetime.now(UTC) - contact < timedelta(minutes=5) and seen == contact
    assert unsent_and_visits(laptop)[0] == 2  # vouching is not syncing: nothing was sent


@sqlite_only
def test_past_the_grace_period_with_central_down_it_stays_locked_and_keeps_everything(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    before = unsent_and_visits(laptop)
    long_ago = datetime.now(UTC) - 8 * DAY
    last_contact_was(laptop, long_ago)
    central.stop()
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE)
    message = refused.value.user_message
    assert "has not been in contact with central since" in message
    assert "more than the 7 days" in message
    assert "could not be reached" in message
    assert "Nothing was lost" in message and "locked again" in message
    assert "Connect to the network" in message and "call IT" in message
    assert not refused.value.vault_erased
    assert unsent_and_visits(laptop) == before  # the files themselves open, all intact
    assert lease_of(laptop)[0] == long_ago  # not renewed

    central.start()  # back in signal: the same unlock now works
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE):
        pass
    assert lease_of(laptop)[0] > long_ago


@sqlite_only
def test_a_clock_set_back_does_not_extend_the_lease(central: CentralProcess,
                                                    tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    contact, _ = lease_of(laptop)
    central.stop()
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE, clock=FixedClock(contact + 6 * DAY)):
        pass
    # A little back (a network time correction) is not tampering.
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE,
                         clock=FixedClock(contact + 6 * DAY - CLOCK_TOLERANCE / 2)):
        pass
    # Eight days on, offline: refused, and the vault now knows it has seen that day.
    with pytest.raises(LeaseNotRenewed):
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE, clock=FixedClock(contact + 8 * DAY))
    assert lease_of(laptop) == (contact, contact + 8 * DAY)
    # The clock set back to three days after the contact, inside the grace period: refused.
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE, clock=FixedClock(contact + 3 * DAY))
    assert "clock reads earlier than a time Homevisit has already seen" in (
        refused.value.user_message)
    # Nor can a clock set back renew the lease: central refuses its stale assertion.
    central.start()
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE, clock=FixedClock(contact + 3 * DAY))
    assert "Central refused" in refused.value.user_message
    assert "date and time" in refused.value.user_message
    assert lease_of(laptop)[0] == contact
    # With the right time, central vouches and all is well again.
    with sessions.unlock(laptop.directory, PASSPHRASE, GRACE):
        pass
    assert lease_of(laptop)[0] > contact


@sqlite_only
def test_a_revoked_laptop_past_its_grace_period_stays_locked_with_its_data(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    before = unsent_and_visits(laptop)
    last_contact_was(laptop, datetime.now(UTC) - 8 * DAY)
    central.set_device_status(laptop.device_id, "revoked")
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE)
    assert "may no longer be used" in refused.value.user_message
    assert "back in at central" in refused.value.user_message
    assert unsent_and_visits(laptop) == before
    with Vault.unlock(laptop.directory, PASSPHRASE) as vault:
        enrollment = SyncLedger(vault.connection).enrollment()
        assert enrollment is not None and enrollment.revoked_at is not None


@sqlite_only
def test_a_laptop_reported_lost_is_erased_at_the_lease_check(
        central: CentralProcess, tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - 8 * DAY)
    central.set_device_status(laptop.device_id, "wipe")
    with pytest.raises(LeaseNotRenewed) as refused:
        sessions.unlock(laptop.directory, PASSPHRASE, GRACE)
    assert refused.value.vault_erased
    assert "reported lost" in refused.value.user_message
    paths = Vault.paths(laptop.directory)
    assert not paths.key_file.exists() and not paths.database.exists()
    # Its two unsent visits went to central first, and the worker reads so.
    assert len(central.visit_ids()) == 2
    assert "2 records not yet sent reached central" in refused.value.user_message


def test_headless_sync_respects_the_grace_period(central: CentralProcess,
                                                 tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    laptop.settings = "offline_grace_days = 7\n"
    long_ago = datetime.now(UTC) - 8 * DAY
    last_contact_was(laptop, long_ago)
    central.stop()
    refused = laptop.sync()
    assert refused.returncode == 2
    assert "could not be reached" in refused.stderr and "Nothing was lost" in refused.stderr
    assert lease_of(laptop)[0] == long_ago
    central.start()
    synced = laptop.sync()
    assert synced.returncode == 0, synced.stderr
    assert "Everything is synced." in synced.stdout
    assert unsent_and_visits(laptop)[0] == 0
    assert lease_of(laptop)[0] > long_ago


@sqlite_only
def test_no_grace_period_no_check(central: CentralProcess, tmp_path: Path) -> None:
    laptop = laptop_with_unsent_work(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - 400 * DAY)
    central.stop()
    with sessions.unlock(laptop.directory, PASSPHRASE, Policy()):
        pass
