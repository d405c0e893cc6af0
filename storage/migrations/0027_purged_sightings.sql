-- Version 27: when a child was last seen, kept when the visit that says so leaves the laptop.
-- The days-on-device purge deletes a receipted visit (storage.purge); the caseload counted
-- "last seen" from the visits on the laptop, so a looked-after child in a long-term
-- placement, seen four months ago and due every six, showed never seen and overdue once
-- the purge took their visit. The purge now keeps, per child, the latest sighting among the
-- visits it deletes (the day and the visit, whether seen alone then, and the last day seen
-- alone): not what was seen, said or done, only when. It leaves with the child.
CREATE TABLE purged_sightings (
    child_id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    visit_id TEXT NOT NULL,
    seen_alone INTEGER,
    alone_day TEXT
) WITHOUT ROWID;
