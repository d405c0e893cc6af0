"""Search over a team lead's pulled visits, and the bounded ranking both indexes share
(schema version 19: contentless FTS5 with prefix indexes, the newest matches ranked)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from records.canonical import canonical_json
from storage import migrations
from storage.search import ranked_rowids, search_pulled_visits, search_query
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.storage.conftest import open_raw_database
from tests.vaults import PASSPHRASE, FixedClock, new_vault


def test_pulled_visits_are_found_by_their_text_child_and_reference(tmp_path: Path) -> None:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        Workspace.over(conn, actor="northlead", clock=FixedClock())
        enroll_as_team_lead(conn)
        case = make_case().model_copy(update={"reference": "CP-777001"})
        other = make_case().model_copy(update={"reference": "CP-777002"})
        ana, tomasz = make_child(case), make_child(other, given_name="Tomasz")
        pull(conn, child_changes([(case, [ana]), (other, [tomasz])], 1))
        device = WorkerDevice.make("north1")
        fridge = make_visit(case, [ana], analysis="Fridge empty; porridge bought together.")
        plain = make_visit(other, [tomasz])
        pull(conn, [device.change(fridge, 10), device.change(plain, 11)])
        assert search_pulled_visits(conn, "porridge") == [fridge.id]
        assert search_pulled_visits(conn, "porr") == [fridge.id]  # a prefix, as typed
        assert search_pulled_visits(conn, "tomasz") == [plain.id]
        assert search_pulled_visits(conn, "CP-777001") == [fridge.id]
        assert set(search_pulled_visits(conn, "Nowak")) == {fridge.id, plain.id}
        assert search_pulled_visits(conn, '"; DROP TABLE received_records; --') == []
        assert search_pulled_visits(conn, "   ") == []
        # Pulled again (central's flags changed, say): still one row in the index.
        pull(conn, [device.change(fridge, 12)])
        assert search_pulled_visits(conn, "porridge") == [fridge.id]
        assert conn.execute("SELECT count(*) FROM received_search WHERE received_search"
                            " MATCH 'porridge'").fetchone()[0] == 1


def test_only_the_newest_matches_are_ranked(tmp_path: Path) -> None:
    """The best match by bm25 is found among the candidates, and not beyond them: a query
    costs the candidates, whatever the number of visits the word is in."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn = vault.connection
        Workspace.over(conn, actor="northlead", clock=FixedClock())
        enroll_as_team_lead(conn)
        case = make_case()
        child = make_child(case)
        pull(conn, child_changes([(case, [child])], 1))
        device = WorkerDevice.make("north1")
        best = make_visit(case, [child], analysis="Sleep sleep sleep sleep sleep.")
        rest = [make_visit(case, [child], analysis=f"Sleep fine, visit {n}.") for n in range(30)]
        pull(conn, [device.change(v, 10 + n) for n, v in enumerate([best, *rest])])
        match = search_query("sleep")
        assert match is not None
        rowid_of = dict(conn.execute("SELECT id, rowid FROM received_records"))
        ranked = ranked_rowids(conn, "received_search", match, 5, candidates=1000)
        assert ranked[0] == rowid_of[str(best.id)]
        newest = ranked_rowids(conn, "received_search", match, 5, candidates=10)
        assert rowid_of[str(best.id)] not in newest
        assert len(newest) == 5
        assert min(newest) > rowid_of[str(rest[-11].id)]  # all from the 10 newest


def test_upgrade_indexes_the_visits_a_team_lead_already_pulled(tmp_path: Path) -> None:
    """A vault of schema 16 holds pulled visits no search index covered: the upgrade to 17
    indexes them, with their children's names and case reference."""
    conn = open_raw_database(tmp_path / "v16.db")
    assert migrations.migrate(conn, target=16) == 16
    case = make_case().model_copy(update={"reference": "CP-160016"})
    child = make_child(case, given_name="Zofia")
    conn.execute("INSERT INTO cases (id, record_json, updated_at) VALUES (?, ?, '')",
                 (str(case.id), canonical_json(case).decode()))
    conn.execute("INSERT INTO children (id, case_id, record_json, updated_at)"
                 " VALUES (?, ?, ?, '')",
                 (str(child.id), str(case.id), canonical_json(child).decode()))
    visit = make_visit(case, [child], analysis="Bunk beds delivered.")
    conn.execute("INSERT INTO received_records (id, kind, record_json, record_hash, position,"
                 " received_at) VALUES (?, 'visit', ?, '', 1, '')",
                 (str(visit.id), canonical_json(visit).decode()))
    assert migrations.migrate(conn) == migrations.latest_version()
    for words in ("bunk", "zofia", "CP-160016"):
        assert search_pulled_visits(conn, words) == [visit.id], words
    assert search_pulled_visits(conn, "nothing-like-it") == []
    assert [UUID(r[0]) for r in conn.execute("SELECT id FROM received_records")] == [visit.id]
