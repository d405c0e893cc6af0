-- Version 7: the outbox is narrow; the record it carries lives beside it until central has it.
-- An op's status changes twice per sync (sent, then synced); with the ~2.7 KB signed record in
-- the same row each change rewrote about a page per op. The record now sits in
-- `outbox_records`, one row per op, deleted in the transaction that stores the op's receipt
-- (the visit, addendum or review decision itself stays in its own table, signed, verifiable
-- and exportable). A quarantined op keeps its record: the worker sees it, nothing is dropped.
-- `sequence` is never reused: the highest ever given out is carried over explicitly.
-- Children central has taken off this caseload (`child_removed`) are marked, not deleted,
-- while a visit on this laptop still names them; see storage/removals.py.

CREATE TABLE outbox_narrow (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,   -- per-device order, never reused
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'sent', 'synced', 'quarantined')),
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);

INSERT INTO outbox_narrow (sequence, op_id, kind, subject_id, status, created_at, attempts,
                           last_error)
SELECT sequence, op_id, kind, subject_id, status, created_at, attempts, last_error
FROM outbox ORDER BY sequence;

DELETE FROM sqlite_sequence WHERE name = 'outbox_narrow';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'outbox_narrow', max(seq) FROM sqlite_sequence WHERE name = 'outbox' HAVING count(*) > 0;

CREATE TABLE outbox_records (
    sequence INTEGER PRIMARY KEY REFERENCES outbox (sequence) ON DELETE CASCADE,
    payload TEXT NOT NULL                 -- the signed record as it goes on the wire
);

INSERT INTO outbox_records (sequence, payload)
SELECT sequence, payload FROM outbox WHERE status <> 'synced' ORDER BY sequence;

DROP TABLE outbox;
ALTER TABLE outbox_narrow RENAME TO outbox;
CREATE INDEX outbox_by_status ON outbox (status, sequence);

CREATE TRIGGER outbox_record_stays_until_receipted BEFORE DELETE ON outbox_records
WHEN EXISTS (SELECT 1 FROM outbox WHERE sequence = OLD.sequence)
    AND NOT EXISTS (SELECT 1 FROM outbox AS o JOIN sync_receipts AS r ON r.op_id = o.op_id
                    WHERE o.sequence = OLD.sequence)
BEGIN
    SELECT RAISE(ABORT, 'an outbox record stays until central has receipted its operation');
END;

ALTER TABLE children ADD COLUMN removed_at TEXT;
