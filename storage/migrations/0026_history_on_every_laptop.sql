-- Version 26: a worker's laptop indexes the visits it pulls. Central now sends a worker the
-- visits and addenda others made about the children allocated to them (a child moved from
-- another worker, a family visit by a brother's worker), so the caseload's "last seen" and
-- the flags before submitting count them. The caseload reads pulled visits through the
-- review index (review_visit_children, review_visits), which only a team lead's laptop kept:
-- a pulled record now awaits indexing on every laptop. Children made or pulled still await
-- it on a team lead's alone (on a worker's the index also works out, and keeps, the flags
-- of the children those visits name, which no worker's screen shows).
DROP TRIGGER pulled_record_awaits_review;
DROP TRIGGER repulled_record_awaits_review;

CREATE TRIGGER pulled_record_awaits_review AFTER INSERT ON received_records
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, NEW.kind
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;

CREATE TRIGGER repulled_record_awaits_review AFTER UPDATE ON received_records
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, NEW.kind
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;
