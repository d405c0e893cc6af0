-- Version 16: the team's laptops central refuses (revoked, or reported lost), as central last
-- said in a team lead's pull, with the records each said wait on it, so the team lead sees
-- visits stranded on a laptop that may no longer sync. Replaced whole at each pull that
-- carries the list; a laptop let back in drops off it.

CREATE TABLE refused_laptops (
    device_id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    status TEXT NOT NULL,                 -- 'revoked' or 'lost'
    last_contact_at TEXT,                 -- UTC ISO 8601 as central sent it; NULL: never
    unsent_records INTEGER,               -- NULL: the laptop did not say
    stored_at TEXT NOT NULL
) WITHOUT ROWID;
