"""The migration runner, on real SQLCipher databases and throwaway migration directories."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage import migrations
from storage.errors import MigrationFailed, SchemaTooNew
from sync.ledger import SyncLedger
from sync.protocol import Receipt, ReceiptBody, b64encode
from tests.storage.conftest import RAW_KEY, REPOSITORY, open_raw_database


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_raw_database(tmp_path / "test.db")
    yield connection
    connection.close()


def _write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, sql in files.items():
        (directory / name).write_text(sql, encoding="utf-8")
    return directory


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "migrations",
        {
            "0001_households.sql": """
                -- Households; a comment with a semicolon; still a comment
                CREATE TABLE households (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
                INSERT INTO households (label) VALUES ('semi;colon'), ('it''s');
            """,
            "0002_children.sql": """
                CREATE TABLE children (
                    id INTEGER PRIMARY KEY,
                    household_id INTEGER NOT NULL REFERENCES households (id)
                );
                /* block comment; with a semicolon */
                CREATE TRIGGER children_count AFTER INSERT ON children BEGIN
                    UPDATE households SET label = label || '+' WHERE id = NEW.household_id;
                END;
            """,
            "README.txt": "not a migration",
        },
    )


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def test_fresh_database_is_brought_to_the_latest_version(
    conn: sqlite3.Connection, source: Path
) -> None:
    assert migrations.latest_version(source) == 2
    assert migrations.migrate(conn, source=source) == 2
    assert migrations.schema_version(conn) == 2
    assert _tables(conn) == {"households", "children"}
    labels = [row[0] for row in conn.execute("SELECT label FROM households ORDER BY id")]
    assert labels == ["semi;colon", "it's"]
    conn.execute("INSERT INTO children (household_id) VALUES (1)")
    assert conn.execute("SELECT label FROM households WHERE id = 1").fetchone()[0] == "semi;colon+"


def test_migrating_again_does_nothing(conn: sqlite3.Connection, source: Path) -> None:
    migrations.migrate(conn, source=source)
    assert migrations.migrate(conn, source=source) == 2
    assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == 2


def test_target_stops_part_way_and_refuses_to_go_down(
    conn: sqlite3.Connection, source: Path
) -> None:
    assert migrations.migrate(conn, target=1, source=source) == 1
    assert _tables(conn) == {"households"}
    assert migrations.migrate(conn, source=source) == 2
    with pytest.raises(ValueError):
        migrations.migrate(conn, target=1, source=source)
    with pytest.raises(ValueError):
        migrations.migrate(conn, target=3, source=source)


def test_failed_migration_leaves_the_previous_version_intact(
    conn: sqlite3.Connection, source: Path
) -> None:
    _write(
        source,
        {
            "0003_broken.sql": """
                CREATE TABLE visits (id INTEGER PRIMARY KEY);
                INSERT INTO visits (id) VALUES (1);
                UPDATE households SET label = 'changed';
                INSERT INTO no_such_table VALUES (1);
            """
        },
    )
    with pytest.raises(MigrationFailed) as failed:
        migrations.migrate(conn, source=source)
    assert failed.value.version == 3
    assert "no_such_table" in str(failed.value)
    assert migrations.schema_version(conn) == 2
    assert "visits" not in _tables(conn)
    assert conn.execute("SELECT label FROM households WHERE id = 2").fetchone()[0] == "it's"
    assert not conn.in_transaction
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migration_breaking_foreign_keys_is_rolled_back(
    conn: sqlite3.Connection, source: Path
) -> None:
    _write(source, {"0003_orphan.sql": "INSERT INTO children (household_id) VALUES (99);"})
    with pytest.raises(MigrationFailed, match="foreign key"):
        migrations.migrate(conn, source=source)
    assert migrations.schema_version(conn) == 2
    assert conn.execute("SELECT count(*) FROM children").fetchone()[0] == 0


def test_table_rebuild_with_foreign_keys_off_is_allowed(
    conn: sqlite3.Connection, source: Path
) -> None:
    migrations.migrate(conn, source=source)
    conn.execute("INSERT INTO children (household_id) VALUES (1)")
    _write(
        source,
        {
            "0003_rebuild_households.sql": """
                DROP TRIGGER children_count;
                CREATE TABLE households_new (id INTEGER PRIMARY KEY, label TEXT, area TEXT);
                INSERT INTO households_new (id, label) SELECT id, label FROM households;
                DROP TABLE households;
                ALTER TABLE households_new RENAME TO households;
                CREATE TRIGGER children_count AFTER INSERT ON children BEGIN
                    UPDATE households SET label = label || '+' WHERE id = NEW.household_id;
                END;
            """
        },
    )
    assert migrations.migrate(conn, source=source) == 3
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT count(*) FROM children").fetchone()[0] == 1


@pytest.mark.parametrize(
    "statement",
    [
        "BEGIN; CREATE TABLE t (x);",
        "CREATE TABLE t (x); COMMIT;",
        "-- sneaky\nEND TRANSACTION;",
        "PRAGMA user_version = 9;",
        "PRAGMA main.journal_mode = DELETE;",
        "VACUUM;",
        "ATTACH DATABASE 'plain.db' AS plain;",
        "PRAGMA rekey = 'x';",
    ],
)
def test_migrations_may_not_manage_transactions_or_settings(
    conn: sqlite3.Connection, tmp_path: Path, statement: str
) -> None:
    source = _write(tmp_path / "bad", {"0001_bad.sql": statement})
    with pytest.raises(MigrationFailed):
        migrations.migrate(conn, source=source)
    assert migrations.schema_version(conn) == 0
    assert _tables(conn) == set()


def test_unterminated_statement_is_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    source = _write(tmp_path / "bad", {"0001_bad.sql": "CREATE TABLE t (x);\nCREATE TABLE u (y)"})
    with pytest.raises(MigrationFailed, match="semicolon"):
        migrations.migrate(conn, source=source)
    assert _tables(conn) == set()


def test_split_statements_respects_strings_comments_and_triggers() -> None:
    script = """
        -- leading comment;
        CREATE TABLE a (x TEXT DEFAULT ';');
        ;
        CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;
        /* trailing; comment */
    """
    statements = migrations.split_statements(script)
    assert len(statements) == 2
    assert statements[0].endswith("DEFAULT ';');")
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


def test_database_newer_than_the_code_is_refused(conn: sqlite3.Connection, source: Path) -> None:
    conn.execute("PRAGMA user_version = 7")
    with pytest.raises(SchemaTooNew) as too_new:
        migrations.migrate(conn, source=source)
    assert too_new.value.found == 7 and too_new.value.supported == 2
    assert "newer version of Homevisit" in too_new.value.user_message
    assert migrations.schema_version(conn) == 7


@pytest.mark.parametrize(
    "names",
    [
        ["0001_first.sql", "0003_third.sql"],
        ["0002_second.sql"],
        ["0001_first.sql", "0001_again.sql"],
        ["1_first.sql"],
        ["0001_First.sql"],
        ["0001-first.sql"],
    ],
)
def test_badly_numbered_or_named_files_are_refused(tmp_path: Path, names: list[str]) -> None:
    source = _write(tmp_path / "m", dict.fromkeys(names, "SELECT 1;"))
    with pytest.raises(ValueError):
        migrations.load_migrations(source)


def test_missing_directory_means_no_migrations(tmp_path: Path) -> None:
    assert migrations.latest_version(tmp_path / "absent") == 0


def test_migrate_refuses_to_run_inside_a_transaction(
    conn: sqlite3.Connection, source: Path
) -> None:
    conn.execute("BEGIN")
    with pytest.raises(RuntimeError):
        migrations.migrate(conn, source=source)
    conn.execute("ROLLBACK")


def test_packaged_migrations_apply_cleanly(tmp_path: Path) -> None:
    """Whatever storage/migrations holds must load, be numbered right and apply cleanly."""
    loaded = migrations.load_migrations()
    assert [m.version for m in loaded] == list(range(1, len(loaded) + 1))
    connection = open_raw_database(tmp_path / "packaged.db")
    try:
        assert migrations.migrate(connection) == migrations.latest_version()
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def test_killed_migration_leaves_the_previous_version(tmp_path: Path, source: Path) -> None:
    """A real process killed part-way through a long migration loses nothing and adds nothing."""
    database = tmp_path / "killed.db"
    connection = open_raw_database(database)
    migrations.migrate(connection, source=source)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.close()
    _write(
        source,
        {
            "0003_slow.sql": """
                CREATE TABLE filler (n INTEGER, pad BLOB);
                WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000)
                INSERT INTO filler SELECT n, randomblob(64) FROM c;
            """
        },
    )
    script = f"""
        import sys
        import sqlcipher3
        from pathlib import Path
        from storage import migrations
        conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
        conn.execute({f'PRAGMA key = "{RAW_KEY}"'!r})
        conn.execute("PRAGMA synchronous = FULL")
        print("migrating", flush=True)
        migrations.migrate(conn, source=Path(sys.argv[2]))
    """
    environment = dict(os.environ, PYTHONPATH=str(REPOSITORY))
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(database), str(source)],
        stdout=subprocess.PIPE,
        env=environment,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "migrating"
    time.sleep(0.5)
    process.kill()
    process.wait(timeout=30)
    process.stdout.close()
    assert process.returncode != 0, "the migration finished before it could be killed"

    reopened = open_raw_database(database)
    try:
        assert migrations.schema_version(reopened) == 2
        assert "filler" not in _tables(reopened)
        assert reopened.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert migrations.migrate(reopened, target=2, source=source) == 2
    finally:
        reopened.close()


def test_upgrade_to_22_reads_again_for_the_notes_it_was_not_sent(
        tmp_path: Path) -> None:
    """Before 22 a laptop did not ask central for agency notes that say whether they report
    an injury or hunger (protocol 7), so any central kept from it lie behind its cursor."""
    conn = open_raw_database(tmp_path / "v21.db")
    assert migrations.migrate(conn, target=21) == 21
    conn.execute("INSERT INTO sync_state (singleton, server_url, device_id, username,"
                 " display_name, role, audience, receipt_public_key, enrolled_at, pull_cursor)"
                 " VALUES (1, 'https://central', 'd', 'northlead', 'N. Lead', 'team_lead',"
                 " 'central', x'00', '2026-11-01T09:00:00+00:00', 4242)")
    assert migrations.migrate(conn) == migrations.latest_version()
    assert conn.execute("SELECT pull_cursor, reread_until FROM sync_state").fetchone() \
        == (0, 4242)  # (schema 28 renamed the column, and kept the window)


def test_upgrade_to_28_reads_a_team_leads_children_again_and_not_a_workers(
        tmp_path: Path) -> None:
    """Before 25 a child pulled to a team lead's laptop took the case's worker; from 28 the
    team lead's laptop reads its changes again up to the cursor it had, keeping the children
    (each with their own worker). A worker's laptop holds only its own children: it reads
    nothing again."""
    found = {}
    for role in ("team_lead", "worker"):
        conn = open_raw_database(tmp_path / f"v27-{role}.db")
        assert migrations.migrate(conn, target=27) == 27
        conn.execute("INSERT INTO sync_state (singleton, server_url, device_id, username,"
                     " display_name, role, audience, receipt_public_key, enrolled_at,"
                     " pull_cursor) VALUES (1, 'https://central', 'd', 'north', 'N. Orth', ?,"
                     " 'central', x'00', '2026-11-01T09:00:00+00:00', 500)", (role,))
        assert migrations.migrate(conn) == migrations.latest_version()
        found[role] = conn.execute("SELECT pull_cursor, reread_until FROM sync_state").fetchone()
    assert found == {"team_lead": (0, 500), "worker": (500, None)}


def test_upgrade_to_23_lists_the_children_of_the_notes_already_held(tmp_path: Path) -> None:
    """A note made here and a note pulled before 23 are found by their children after it."""
    conn = open_raw_database(tmp_path / "v22.db")
    assert migrations.migrate(conn, target=22) == 22
    conn.execute("INSERT INTO case_notes (id, kind, case_id, record_json, record_hash,"
                 " signature, created_at, written_at) VALUES ('made', 'supervision', 'case',"
                 " '{\"child_ids\":[\"ana\",\"tomasz\"]}', 'h', x'00', 't', 't')")
    conn.execute("INSERT INTO received_records (id, kind, record_json, record_hash, position,"
                 " received_at) VALUES ('pulled', 'note', '{\"child_ids\":[\"tomasz\"]}', 'h',"
                 " 1, 't'), ('visit', 'visit', '{\"child_ids\":[\"ana\"]}', 'h', 2, 't')")
    assert migrations.migrate(conn) == migrations.latest_version()
    assert sorted(conn.execute("SELECT child_id, note_id FROM note_children").fetchall()) == [
        ("ana", "made"), ("tomasz", "made"), ("tomasz", "pulled")]


def test_upgrade_to_24_keeps_each_ops_own_receipt_readable(tmp_path: Path) -> None:
    """A receipt kept before 24 (one an op) is read back as one, with no push's receipt."""
    key = Ed25519PrivateKey.generate()
    body = ReceiptBody(device_id=uuid.uuid4(), op_id=uuid.uuid4(), record_hash="ab" * 32,
                       result="accepted", received_at=datetime(2026, 11, 2, 9, tzinfo=UTC))
    receipt = Receipt(**body.model_dump(), signature=b64encode(key.sign(body.signed_bytes())))
    conn = open_raw_database(tmp_path / "v23.db")
    assert migrations.migrate(conn, target=23) == 23
    conn.execute("INSERT INTO sync_receipts (op_id, subject_id, result, receipt_json,"
                 " stored_at) VALUES (?, 'visit', 'accepted', ?, 't')",
                 (str(body.op_id), receipt.model_dump_json()))
    assert migrations.migrate(conn) == migrations.latest_version()
    kept = SyncLedger(conn).receipt(body.op_id)
    assert kept is not None and kept.push is None and kept.entry == receipt
    assert kept.is_signed_by(key.public_key().public_bytes_raw())


def test_upgrade_to_25_keeps_the_cases_worker_for_a_child_pulled_before(
        tmp_path: Path) -> None:
    """A child pulled before 25 has no worker of their own: the case's stands, as it did,
    until central sends the child again with theirs."""
    conn = open_raw_database(tmp_path / "v24.db")
    assert migrations.migrate(conn, target=24) == 24
    conn.execute("INSERT INTO cases (id, record_json, updated_at) VALUES"
                 " ('case', '{\"allocated_worker\":\"north1\"}', 't')")
    conn.execute("INSERT INTO children (id, case_id, record_json, updated_at) VALUES"
                 " ('ana', 'case', '{}', 't')")
    assert migrations.migrate(conn) == migrations.latest_version()
    assert conn.execute(
        "SELECT coalesce(c.allocated_worker, json_extract(k.record_json, '$.allocated_worker'))"
        " FROM children AS c JOIN cases AS k ON k.id = c.case_id").fetchone() == ("north1",)
