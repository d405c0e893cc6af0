"""The visit search index (full-text, inside the encrypted database)."""

from __future__ import annotations

from typing import Any

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


def search_query(text: str) -> str | None:
    """An FTS5 query matching every word typed, each as a prefix; None for blank input."""
    words = [w for w in text.split() if w]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)
