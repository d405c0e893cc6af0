-- Homevisit vault schema, version 1.
-- Submitted visits, addenda, review decisions and the audit log are facts: triggers refuse
-- any change to them, whatever code runs against this database.

CREATE TABLE device (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id TEXT NOT NULL,
    signing_key BLOB NOT NULL,            -- Ed25519 private key, raw 32 bytes; never leaves the vault
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    record_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE children (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    record_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX children_by_case ON children (case_id);

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    record_json TEXT NOT NULL,            -- the draft, or the canonical JSON once submitted
    started_at TEXT,
    record_hash TEXT,
    signature BLOB,
    submitted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status = 'draft'
           OR (record_hash IS NOT NULL AND signature IS NOT NULL AND submitted_at IS NOT NULL))
);
CREATE INDEX visits_by_case ON visits (case_id, started_at);
CREATE INDEX visits_by_status ON visits (status, updated_at);

CREATE TRIGGER submitted_visit_is_never_changed BEFORE UPDATE ON visits
WHEN OLD.status = 'submitted'
BEGIN
    SELECT RAISE(ABORT, 'a submitted visit is never changed; add an addendum');
END;

CREATE TRIGGER submitted_visit_is_never_deleted BEFORE DELETE ON visits
WHEN OLD.status = 'submitted'
BEGIN
    SELECT RAISE(ABORT, 'a submitted visit is never deleted');
END;

CREATE TABLE visit_children (
    visit_id TEXT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    child_id TEXT NOT NULL REFERENCES children (id),
    PRIMARY KEY (visit_id, child_id)
) WITHOUT ROWID;
CREATE INDEX visit_children_by_child ON visit_children (child_id);

CREATE TRIGGER children_of_submitted_visit_are_fixed_insert BEFORE INSERT ON visit_children
WHEN (SELECT status FROM visits WHERE id = NEW.visit_id) = 'submitted'
BEGIN
    SELECT RAISE(ABORT, 'a submitted visit is never changed');
END;

CREATE TRIGGER children_of_submitted_visit_are_fixed_delete BEFORE DELETE ON visit_children
WHEN (SELECT status FROM visits WHERE id = OLD.visit_id) = 'submitted'
BEGIN
    SELECT RAISE(ABORT, 'a submitted visit is never changed');
END;

CREATE TABLE addenda (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    sequence INTEGER NOT NULL,
    canonical_json TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    previous_hash TEXT NOT NULL UNIQUE,   -- a chain, never a fork
    signature BLOB NOT NULL,
    written_at TEXT NOT NULL,
    UNIQUE (visit_id, sequence)
);

CREATE TRIGGER addendum_is_never_changed BEFORE UPDATE ON addenda
BEGIN
    SELECT RAISE(ABORT, 'an addendum is never changed');
END;

CREATE TRIGGER addendum_is_never_deleted BEFORE DELETE ON addenda
BEGIN
    SELECT RAISE(ABORT, 'an addendum is never deleted');
END;

CREATE TABLE review_decisions (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL,
    canonical_json TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    signature BLOB,
    signed_by_device TEXT,
    decided_at TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE INDEX review_decisions_by_visit ON review_decisions (visit_id, decided_at);

CREATE TRIGGER review_decision_is_never_changed BEFORE UPDATE ON review_decisions
BEGIN
    SELECT RAISE(ABORT, 'a review decision is never changed');
END;

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    content BLOB NOT NULL,
    visit_id TEXT REFERENCES visits (id),
    added_at TEXT NOT NULL
);
CREATE INDEX attachments_by_visit ON attachments (visit_id);
CREATE INDEX attachments_by_hash ON attachments (sha256);

CREATE TABLE audit_log (
    sequence INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_entry_is_never_changed BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_entry_is_never_deleted BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE outbox (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,   -- per-device order, never reused
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'sent', 'synced', 'quarantined')),
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_by_status ON outbox (status, sequence);
