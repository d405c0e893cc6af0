"""The key lease's rules at their edges, and migration 9 starting an already enrolled
vault's lease from its last known contact (real SQLCipher, the real migrations)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import sqlcipher3

from desktop_app.key_lease import _why
from storage import migrations
from sync.lease import CLOCK_TOLERANCE, KeyLease, Lease, LeaseState


def _vault_database(path: Path) -> sqlite3.Connection:
    conn = cast(sqlite3.Connection, sqlcipher3.connect(str(path), isolation_level=None))
    conn.execute("PRAGMA key = \"x'" + "5a" * 32 + "'\"")
    return conn


CONTACT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_the_lease_runs_out_just_after_the_grace_period() -> None:
    lease = Lease(CONTACT, CONTACT + timedelta(days=2))
    assert lease.state(CONTACT + WEEK, WEEK) is LeaseState.FRESH
    assert lease.state(CONTACT + WEEK + timedelta(seconds=1), WEEK) is LeaseState.EXPIRED
    assert lease.expires_at(WEEK) == CONTACT + WEEK


def test_a_clock_back_by_more_than_the_tolerance_counts_as_set_back() -> None:
    seen = CONTACT + timedelta(days=2)
    lease = Lease(CONTACT, seen)
    assert lease.state(seen - CLOCK_TOLERANCE, WEEK) is LeaseState.FRESH
    back = seen - CLOCK_TOLERANCE - timedelta(seconds=1)
    assert lease.state(back, WEEK) is LeaseState.CLOCK_SET_BACK
    # Even to a time before the contact itself.
    assert lease.state(CONTACT - timedelta(days=1), WEEK) is LeaseState.CLOCK_SET_BACK


def test_migration_9_starts_an_enrolled_vaults_lease_from_its_last_full_sync(
        tmp_path: Path) -> None:
    conn = _vault_database(tmp_path / "v8.db")
    migrations.migrate(conn, target=8)
    conn.execute(
        "INSERT INTO sync_state (singleton, server_url, device_id, username, display_name,"
        " role, audience, receipt_public_key, enrolled_at, last_synced_at)"
        " VALUES (1, 'https://central.example', 'd', 'north1', 'N', 'worker', 'a', x'00',"
        " ?, ?)", ((CONTACT - WEEK).isoformat(), CONTACT.isoformat()))
    migrations.migrate(conn)
    row = conn.execute("SELECT last_contact_at, latest_seen_at FROM key_lease").fetchone()
    assert row == (CONTACT.isoformat(), CONTACT.isoformat())
    assert KeyLease(conn).current() == Lease(CONTACT, CONTACT)
    conn.close()


def test_a_vault_that_is_not_enrolled_has_no_lease(tmp_path: Path) -> None:
    conn = _vault_database(tmp_path / "new.db")
    migrations.migrate(conn)
    assert KeyLease(conn).current() is None
    assert KeyLease(conn).check(WEEK) is None
    conn.close()


def test_a_one_day_grace_period_is_said_as_one_day() -> None:
    said = _why(LeaseState.EXPIRED, Lease(CONTACT, CONTACT), timedelta(days=1))
    assert "more than the 1 day your organisation allows offline" in said
    assert "1 days" not in said
