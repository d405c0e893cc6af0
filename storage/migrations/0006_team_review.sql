-- Version 6: the team lead's review of their team's pulled visits.
-- A pulled visit, addendum or review decision is marked pending by a trigger in the same
-- transaction that stores it, so the review index never misses one whatever code pulled it;
-- refreshing the index then recomputes the flags of just the children those records touch.
-- Flags are stored per child; each visit keeps the worst flag that names it, for the queue.

CREATE TABLE review_pending (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL
) WITHOUT ROWID;

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

CREATE TRIGGER pulled_child_awaits_review AFTER INSERT ON children
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT OR IGNORE INTO review_pending (record_id, kind) VALUES (NEW.id, 'child');
END;

CREATE TRIGGER repulled_child_awaits_review AFTER UPDATE ON children
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT OR IGNORE INTO review_pending (record_id, kind) VALUES (NEW.id, 'child');
END;

CREATE TABLE review_visits (
    visit_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    worker TEXT NOT NULL,                 -- the username that submitted it
    worker_name TEXT NOT NULL,            -- the name written on the visit
    visit_day TEXT NOT NULL,              -- ISO date in England
    record_hash TEXT NOT NULL,
    child_names TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'awaiting'
        CHECK (decision IN ('awaiting', 'returned', 'answered', 'signed_off', 'escalated')),
    rank INTEGER NOT NULL DEFAULT 2,      -- 0 red, 1 amber, 2 no flag naming this visit
    since TEXT NOT NULL,                  -- oldest fact behind its worst flag, else the visit day
    red_count INTEGER NOT NULL DEFAULT 0,
    amber_count INTEGER NOT NULL DEFAULT 0,
    headline TEXT NOT NULL DEFAULT ''     -- the worst flag's sentence
);
CREATE INDEX review_queue ON review_visits (rank, since, visit_day, visit_id)
    WHERE decision IN ('awaiting', 'returned', 'answered');
CREATE INDEX review_visits_by_worker ON review_visits (worker, decision);

-- Each child's worst flag naming the visit; a visit with two children takes the worse.
CREATE TABLE review_visit_children (
    child_id TEXT NOT NULL,
    visit_id TEXT NOT NULL,
    rank INTEGER NOT NULL DEFAULT 2,
    since TEXT NOT NULL DEFAULT '',
    headline TEXT NOT NULL DEFAULT '',
    red_count INTEGER NOT NULL DEFAULT 0,
    amber_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (child_id, visit_id)
) WITHOUT ROWID;
CREATE INDEX review_children_by_visit ON review_visit_children (visit_id);

-- Addenda and review decisions, by the visit they are about.
CREATE TABLE review_links (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('addendum', 'review')),
    visit_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX review_links_by_visit ON review_links (visit_id);

CREATE TABLE review_children (
    child_id TEXT PRIMARY KEY,
    worker TEXT NOT NULL,                 -- allocated worker on the case
    plan_type TEXT NOT NULL,
    rank INTEGER NOT NULL,
    since TEXT NOT NULL,
    overdue INTEGER NOT NULL DEFAULT 0,
    not_seen_alone_streak INTEGER NOT NULL DEFAULT 0,
    last_injury_day TEXT,
    computed_on TEXT NOT NULL             -- date-only flags are refreshed when this is not today
);
CREATE INDEX review_children_by_worker ON review_children (worker, plan_type);
CREATE INDEX review_children_by_day ON review_children (computed_on);

CREATE TABLE review_flags (
    child_id TEXT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('red', 'amber')),
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    since TEXT NOT NULL,
    visit_ids TEXT NOT NULL               -- JSON list
);
CREATE INDEX review_flags_by_child ON review_flags (child_id);

-- The team lead's own decisions are kept in `review_decisions` (version 1), signed by this
-- laptop and queued for central like visits; like them, they are never deleted.
CREATE TRIGGER review_decision_is_never_deleted BEFORE DELETE ON review_decisions
BEGIN
    SELECT RAISE(ABORT, 'a review decision is never deleted');
END;
