-- Version 4: syncing with central.
-- The enrollment (central's receipt key, the pull cursor), one signed receipt per operation
-- central has answered, the records pulled from central, and which attachments central
-- already holds. A submitted visit may now leave the laptop (data minimisation), but only
-- once central has receipted it: the triggers below say so whatever code runs.

CREATE TABLE sync_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    server_url TEXT NOT NULL,
    device_id TEXT NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT,
    audience TEXT NOT NULL,
    receipt_public_key BLOB NOT NULL,     -- central's Ed25519 key; every receipt must verify
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,                      -- central said this laptop may no longer sync
    pull_cursor INTEGER NOT NULL DEFAULT 0 CHECK (pull_cursor >= 0),
    last_synced_at TEXT
);

CREATE TABLE sync_receipts (
    op_id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('accepted', 'rejected')),
    receipt_json TEXT NOT NULL,           -- exactly as central signed it, signature included
    flags TEXT NOT NULL DEFAULT '[]',
    stored_at TEXT NOT NULL
);
CREATE INDEX sync_receipts_by_subject ON sync_receipts (subject_id, result);

CREATE TRIGGER receipt_is_never_changed BEFORE UPDATE ON sync_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never changed');
END;

CREATE TRIGGER receipt_is_never_deleted BEFORE DELETE ON sync_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never deleted');
END;

CREATE TABLE received_records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'addendum', 'review')),
    record_json TEXT NOT NULL,            -- canonical JSON exactly as its author's device signed it
    record_hash TEXT NOT NULL,
    signature TEXT,
    device_id TEXT,
    submitted_by TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX received_records_by_kind ON received_records (kind, position);

CREATE TABLE uploaded_blobs (
    sha256 TEXT PRIMARY KEY,
    uploaded_at TEXT NOT NULL
) WITHOUT ROWID;

DROP TRIGGER submitted_visit_is_never_deleted;
CREATE TRIGGER submitted_visit_is_never_deleted BEFORE DELETE ON visits
WHEN OLD.status = 'submitted'
    AND NOT EXISTS (SELECT 1 FROM sync_receipts
                    WHERE subject_id = OLD.id AND result = 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'a submitted visit is never deleted before central has receipted it');
END;

DROP TRIGGER addendum_is_never_deleted;
CREATE TRIGGER addendum_is_never_deleted BEFORE DELETE ON addenda
WHEN NOT EXISTS (SELECT 1 FROM sync_receipts WHERE subject_id = OLD.id AND result = 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'an addendum is never deleted before central has receipted it');
END;
