"""The visit search indexes (full-text, inside the encrypted database).

`visit_search` holds this laptop's own visits (rowid = visits.rowid), `received_search` the
visits pulled from central (rowid = received_records.rowid). Both are contentless FTS5 tables
with 2- and 3-letter prefix indexes (schema version 19). A query ranks only the newest
`SEARCH_CANDIDATES` matches, so its cost does not grow with the vault: a word found in every
one of 100,000 visits is not ranked 100,000 times to show 50.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from records.visit import Visit
from storage.transactions import Connection


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    if isinstance(value, list | tuple):
        return [t for item in value for t in _texts(item)]
    return []


def index_visit(conn: Connection, visit: Visit) -> None:
    """Re-index one visit: its text, its children's names and its case reference."""
    visit_id = str(visit.id)
    names = conn.execute(
        "SELECT group_concat(json_extract(c.record_json, '$.given_name') || ' ' ||"
        " json_extract(c.record_json, '$.family_name'), ' ')"
        " FROM visit_children AS vc JOIN children AS c ON c.id = vc.child_id"
        " WHERE vc.visit_id = ?",
        (visit_id,),
    ).fetchone()[0]
    reference = conn.execute(
        "SELECT json_extract(record_json, '$.reference') FROM cases WHERE id = ?",
        (str(visit.case_id),),
    ).fetchone()
    body = " ".join([*_texts(visit.model_dump(mode="json")), names or "",
                     reference[0] if reference else ""])
    forget_visit(conn, visit_id)
    conn.execute(
        "INSERT INTO visit_search (rowid, body) SELECT rowid, ? FROM visits WHERE id = ?",
        (body, visit_id),
    )


def forget_visit(conn: Connection, visit_id: str) -> None:
    """Drop one visit from the index; call it before the visit's own row is deleted.

    Search rows share their visit's rowid, so this touches one row, not the whole index.
    """
    conn.execute(
        "DELETE FROM visit_search WHERE rowid = (SELECT rowid FROM visits WHERE id = ?)",
        (visit_id,),
    )


SEARCH_CANDIDATES = 1000
"""Matches ranked per query: the newest this many (by rowid, the order they were stored)."""

PULLED_BODY = (
    "coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(r.record_json) AS t"
    " WHERE t.type = 'text'), '') || ' ' ||"
    " coalesce((SELECT group_concat(json_extract(c.record_json, '$.given_name') || ' ' ||"
    " json_extract(c.record_json, '$.family_name'), ' ')"
    " FROM json_each(r.record_json, '$.children') AS o"
    " JOIN children AS c ON c.id = json_extract(o.value, '$.child_id')), '') || ' ' ||"
    " coalesce((SELECT json_extract(k.record_json, '$.reference') FROM cases AS k"
    " WHERE k.id = json_extract(r.record_json, '$.case_id')), '')"
)


def index_pulled_visits(conn: Connection, positions: list[int]) -> None:
    """Index a pull page's visits (by central's positions) in two statements, read by
    SQLite's JSON reader: their text, their children's names as held, their case reference.
    A visit pulled again is re-indexed."""
    if not positions:
        return
    wanted = json.dumps(positions)
    rows = ("SELECT rowid FROM received_records WHERE kind = 'visit'"
            " AND position IN (SELECT value FROM json_each(?))")
    conn.execute(f"DELETE FROM received_search WHERE rowid IN ({rows})", (wanted,))  # noqa: S608
    conn.execute(
        f"INSERT INTO received_search (rowid, body) SELECT r.rowid, {PULLED_BODY}"  # noqa: S608
        " FROM received_records AS r WHERE r.kind = 'visit'"
        " AND r.position IN (SELECT value FROM json_each(?))", (wanted,))


def ranked_rowids(conn: Connection, table: str, match: str, limit: int,
                  candidates: int = SEARCH_CANDIDATES) -> list[int]:
    """Rowids of the best `limit` of the newest `SEARCH_CANDIDATES` matches, best first.

    FTS5 walks a term's rowids newest first and stops at the candidates; only those are
    ranked (bm25), so the cost is bounded by the candidates, not by the vault.
    """
    return [r[0] for r in conn.execute(
        f"SELECT rowid FROM (SELECT rowid, rank AS score FROM {table}"  # noqa: S608
        f" WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score LIMIT ?",
        (match, candidates, limit))]


def search_pulled_visits(conn: Connection, text: str, limit: int = 50) -> list[UUID]:
    """Pulled visits (a team lead's) whose children, case reference or text contain every
    word typed, as prefixes; best first."""
    match = search_query(text)
    if match is None:
        return []
    rowids = ranked_rowids(conn, "received_search", match, limit)
    ids = dict(conn.execute(
        "SELECT rowid, id FROM received_records WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps(rowids),)))
    return [UUID(ids[rowid]) for rowid in rowids if rowid in ids]


def search_query(text: str) -> str | None:
    """An FTS5 query matching every word typed, each as a prefix; None for blank input."""
    words = [w for w in text.split() if w]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)
