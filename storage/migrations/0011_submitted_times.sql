-- Version 11: when the worker's laptop submitted each pulled visit and addendum.
-- Late recording counts to it (a visit recorded on time in a flat with no signal and synced
-- days later is not late). It is the laptop's claim as central kept it: central replaces one
-- it cannot believe with its receipt time. NULL: central did not say (records pulled before
-- version 11, or sent by a laptop or central too old to know it); central's receipt time,
-- else the visit's end, stands in.

ALTER TABLE received_records ADD COLUMN central_submitted_at TEXT;
