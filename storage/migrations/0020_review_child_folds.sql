-- Version 20: each child's flag state (`records.flag_fold.ChildFold`, as JSON), so a pull
-- folds only its new visits into the state instead of re-reading the child's history, and
-- the daily refresh reads flags from the state. A child without a row (every child of a
-- vault upgraded to this version) has its state folded from its history at its next refresh.

CREATE TABLE review_child_folds (
    child_id TEXT PRIMARY KEY,
    fold_json TEXT NOT NULL
);
