-- Version 22: read central's changes again from the start once, keeping only the notes
-- among those already read. A central of protocol 7 sends an agency note that says whether
-- it reports an injury or hunger (`reports_injury`, `reports_food_or_weight`) only to a
-- laptop that asks for such notes (`answered_notes=true`); this laptop did not ask before
-- this version, so any it was not sent lie behind its cursor. Up to `notes_only_until` (the
-- cursor before this upgrade) a pulled page stores its notes and nothing else
-- (`sync.ledger.SyncLedger.apply_changes`): the children, visits and decisions already held
-- are not stored again, so nothing already settled (a child taken off this laptop, a visit
-- reviewed) comes back. NULL: nothing to read again.

ALTER TABLE sync_state ADD COLUMN notes_only_until INTEGER
    CHECK (notes_only_until IS NULL OR notes_only_until > 0);

UPDATE sync_state SET notes_only_until = pull_cursor, pull_cursor = 0 WHERE pull_cursor > 0;
