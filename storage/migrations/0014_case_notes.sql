-- Version 14: notes between visits (records/case_notes.py): what another agency told us,
-- supervision of a case, a team lead's record that a repeated concern was considered.
-- Each note made on this laptop is signed like an addendum and kept here, never changed;
-- like an addendum it may leave the laptop only once central has receipted it. Notes pulled
-- from central (made on other laptops, or imported at central from another agency's list)
-- are kept in `received_records` with kind 'note', so that table is rebuilt to allow it.

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL
        CHECK (kind IN ('agency_notification', 'supervision', 'concern_considered')),
    case_id TEXT NOT NULL,
    record_json TEXT NOT NULL,            -- canonical JSON exactly as this laptop signed it
    record_hash TEXT NOT NULL,
    signature BLOB NOT NULL,              -- this laptop's Ed25519 signature over record_json
    created_at TEXT NOT NULL,             -- when the note says it was entered (UTC ISO 8601)
    written_at TEXT NOT NULL              -- when it was written to this vault
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, created_at);

CREATE TRIGGER case_note_is_never_changed BEFORE UPDATE ON case_notes
BEGIN
    SELECT RAISE(ABORT, 'a note is never changed; a correction is a new note');
END;

CREATE TRIGGER case_note_is_never_deleted BEFORE DELETE ON case_notes
WHEN NOT EXISTS (SELECT 1 FROM sync_receipts WHERE subject_id = OLD.id AND result = 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'a note is never deleted before central has receipted it');
END;

-- received_records, as versions 4, 8 and 11 left it, with 'note' among its kinds.
CREATE TABLE received_records_v14 (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'addendum', 'review', 'note')),
    record_json TEXT NOT NULL,            -- canonical JSON exactly as its author signed it
    record_hash TEXT NOT NULL,
    signature TEXT,
    device_id TEXT,                       -- NULL for a note entered at central (central's key)
    submitted_by TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    central_received_at TEXT,
    central_submitted_at TEXT
);

INSERT INTO received_records_v14 (id, kind, record_json, record_hash, signature, device_id,
                                  submitted_by, flags, position, received_at,
                                  central_received_at, central_submitted_at)
SELECT id, kind, record_json, record_hash, signature, device_id, submitted_by, flags, position,
       received_at, central_received_at, central_submitted_at
FROM received_records;

DROP TABLE received_records;
ALTER TABLE received_records_v14 RENAME TO received_records;
CREATE INDEX received_records_by_kind ON received_records (kind, position);

CREATE TRIGGER pulled_record_awaits_review AFTER INSERT ON received_records
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT OR IGNORE INTO review_pending (record_id, kind) VALUES (NEW.id, NEW.kind);
END;

CREATE TRIGGER repulled_record_awaits_review AFTER UPDATE ON received_records
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT OR IGNORE INTO review_pending (record_id, kind) VALUES (NEW.id, NEW.kind);
END;
