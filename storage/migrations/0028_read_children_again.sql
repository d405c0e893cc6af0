-- Version 28: a team lead's laptop reads central's changes again from the start once, keeping
-- the children (and the removals between them) as well as the notes. Version 25 keeps each
-- child's own allocated worker (`children.allocated_worker`); a child pulled before it has
-- none, and counts under the case's worker (the last sibling pulled) until central sends the
-- child again, so brothers and sisters with different workers counted under one on the
-- dashboard. Up to `reread_until` (the cursor before this upgrade; version 22's
-- `notes_only_until`, renamed, which kept only notes) a pulled page stores its notes, its
-- children and its removals, in order, and nothing else (`sync.ledger.SyncLedger`): a child
-- is sent only while central still allocates them to the team, and a removal follows any
-- earlier copy of a child since taken off, so nothing settled comes back; visits and
-- decisions already held are not stored again. NULL: nothing to read again.
ALTER TABLE sync_state RENAME COLUMN notes_only_until TO reread_until;

UPDATE sync_state SET reread_until = max(coalesce(reread_until, 0), pull_cursor), pull_cursor = 0
WHERE pull_cursor > 0 AND role = 'team_lead';
