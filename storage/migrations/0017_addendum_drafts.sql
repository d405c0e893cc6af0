-- Version 17: the addendum a worker was writing when the vault locked (idle, lid closed,
-- Ctrl+L), kept so it is offered back the next time that visit is opened instead of being
-- dropped without a word. One per visit; removed when an addendum is stored or the worker
-- discards it. Never synced: it is not a record until it is added.

CREATE TABLE addendum_drafts (
    visit_id TEXT PRIMARY KEY REFERENCES visits (id),
    reason TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL                -- UTC ISO 8601
) WITHOUT ROWID;
