-- Version 9: the key lease behind policy `offline_grace_days`.
-- When central last accepted this laptop (a fresh access token for its device key), and the
-- latest time this vault has seen on the laptop's clock, so a clock set back before it does
-- not make an old contact look recent. Inside the vault: only the data key can change it,
-- and a copy of an older vault only brings back an older (earlier-expiring) lease.
-- An enrolled vault starts from its last known contact: its enrollment or last full sync.

CREATE TABLE key_lease (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_contact_at TEXT NOT NULL,        -- UTC ISO 8601, the laptop's clock at central's answer
    latest_seen_at TEXT NOT NULL          -- UTC ISO 8601, the latest the laptop's clock has shown
);

INSERT INTO key_lease (singleton, last_contact_at, latest_seen_at)
SELECT 1, max(enrolled_at, coalesce(last_synced_at, enrolled_at)),
       max(enrolled_at, coalesce(last_synced_at, enrolled_at))
FROM sync_state;
