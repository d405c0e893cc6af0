-- Version 21: the edition of the rules the review index's stored flags, rows and folded
-- states were worked out by (`records.flag_types.FlagRules.edition`: the rules' version,
-- policy's thresholds and standards, bank holidays). A refresh that finds another edition
-- marks every child to be worked out again, so an upgrade or a policy change never leaves
-- yesterday's rule on screen until tomorrow. No row: nothing stored yet under any edition.

CREATE TABLE review_rules_edition (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    edition TEXT NOT NULL
);
