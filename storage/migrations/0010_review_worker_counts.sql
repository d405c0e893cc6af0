-- Version 10: each worker's count of visits waiting for the team lead, kept by triggers.
-- The queue's total and the dashboard's "awaiting sign-off" were counted over every open
-- visit of the team (100,000 at the issue's size) at each look; now a pull or a decision
-- adjusts one row per worker, and a screen reads a row per worker.

CREATE TABLE review_worker_counts (
    worker TEXT PRIMARY KEY,
    open_visits INTEGER NOT NULL DEFAULT 0 CHECK (open_visits >= 0)
) WITHOUT ROWID;

INSERT INTO review_worker_counts (worker, open_visits)
SELECT worker, sum(decision IN ('awaiting', 'returned', 'answered'))
FROM review_visits GROUP BY worker;

CREATE TRIGGER review_visit_counted AFTER INSERT ON review_visits
BEGIN
    INSERT INTO review_worker_counts (worker, open_visits) VALUES (NEW.worker, 0)
        ON CONFLICT (worker) DO NOTHING;
    UPDATE review_worker_counts
        SET open_visits = open_visits + (NEW.decision IN ('awaiting', 'returned', 'answered'))
        WHERE worker = NEW.worker;
END;

CREATE TRIGGER review_visit_recounted AFTER UPDATE OF decision, worker ON review_visits
WHEN OLD.decision IS NOT NEW.decision OR OLD.worker IS NOT NEW.worker
BEGIN
    UPDATE review_worker_counts
        SET open_visits = open_visits - (OLD.decision IN ('awaiting', 'returned', 'answered'))
        WHERE worker = OLD.worker;
    INSERT INTO review_worker_counts (worker, open_visits) VALUES (NEW.worker, 0)
        ON CONFLICT (worker) DO NOTHING;
    UPDATE review_worker_counts
        SET open_visits = open_visits + (NEW.decision IN ('awaiting', 'returned', 'answered'))
        WHERE worker = NEW.worker;
END;

CREATE TRIGGER review_visit_uncounted AFTER DELETE ON review_visits
BEGIN
    UPDATE review_worker_counts
        SET open_visits = open_visits - (OLD.decision IN ('awaiting', 'returned', 'answered'))
        WHERE worker = OLD.worker;
END;
