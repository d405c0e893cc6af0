-- Version 24: one receipt a push. A central of sync protocol 8 signs one receipt for all the
-- ops of a push that asks for it, and this laptop checks one signature a push, not one an op.
-- That receipt is kept here once, its fields and signature as central sent them (written
-- again by the protocol's model; the signature is over their canonical form); each of
-- its ops keeps its row in sync_receipts as before (its result, flags and subject, which the
-- outbox and the purge read), its receipt_json the op's own entry in the push's receipt,
-- which push_receipt_id names. A receipt of one op (from an older central) has no
-- push_receipt_id. Neither table's rows are ever changed or deleted.

CREATE TABLE sync_push_receipts (
    id INTEGER PRIMARY KEY,
    receipt_json TEXT NOT NULL,
    stored_at TEXT NOT NULL
);

CREATE TRIGGER push_receipt_is_never_changed BEFORE UPDATE ON sync_push_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never changed');
END;

CREATE TRIGGER push_receipt_is_never_deleted BEFORE DELETE ON sync_push_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never deleted');
END;

ALTER TABLE sync_receipts ADD COLUMN push_receipt_id INTEGER REFERENCES sync_push_receipts (id);
