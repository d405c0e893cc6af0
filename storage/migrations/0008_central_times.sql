-- Version 8: the times only central knows, for the team lead's flags.
-- When central received each pulled record (late recording and sign-off pending count from
-- it: a pulled visit carries no submission time of its own), and when each laptop of the
-- team last made contact with central (the "device not synced" flag and the dashboard).
-- Records pulled before version 8 have no central time: their visit's end stands in.

ALTER TABLE received_records ADD COLUMN central_received_at TEXT;

CREATE TABLE device_contacts (
    device_id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    last_contact_at TEXT,                 -- UTC ISO 8601 as central sent it; NULL: never
    stored_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX device_contacts_by_worker ON device_contacts (username, last_contact_at);
