-- Version 13: the headline is the most serious flag by a documented ranking
-- (records.flag_types.HEADLINE_ORDER), not the alphabet, and the queue is ordered by it; each
-- child keeps when they were last seen (records.last_seen) and how many of their recent
-- visits were within the visiting standard, so the dashboard can say so by name.

ALTER TABLE review_visits ADD COLUMN severity INTEGER NOT NULL DEFAULT 99;
ALTER TABLE review_visit_children ADD COLUMN severity INTEGER NOT NULL DEFAULT 99;
DROP INDEX review_queue;
CREATE INDEX review_queue ON review_visits (rank, severity, since, visit_day, visit_id)
    WHERE decision IN ('awaiting', 'returned', 'answered');

ALTER TABLE review_children ADD COLUMN severity INTEGER NOT NULL DEFAULT 99;
ALTER TABLE review_children ADD COLUMN headline TEXT NOT NULL DEFAULT '';
ALTER TABLE review_children ADD COLUMN last_seen_day TEXT;
ALTER TABLE review_children ADD COLUMN seen_alone_when_last_seen INTEGER;
ALTER TABLE review_children ADD COLUMN seen_recently INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_children ADD COLUMN seen_on_time_recently INTEGER NOT NULL DEFAULT 0;
CREATE INDEX review_children_by_rank ON review_children (rank, severity, since);

-- Recompute every child at the next refresh, with the new rules.
UPDATE review_children SET computed_on = '';
