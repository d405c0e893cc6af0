-- Version 18: what became of central's wipe order for a team laptop reported lost, as central
-- last said in a team lead's pull (`wipes=true`): when the laptop's signed receipt says it
-- erased, how many records central got from it before the erase, how many were erased unsent.
-- All NULL for a revoked laptop, and for every laptop when central is older than these fields.
-- Counts and a time only: nothing of any record.

ALTER TABLE refused_laptops ADD COLUMN wiped_at TEXT;            -- UTC ISO 8601; NULL: not yet
ALTER TABLE refused_laptops ADD COLUMN recovered_records INTEGER; -- NULL: central did not say
ALTER TABLE refused_laptops ADD COLUMN lost_records INTEGER;      -- NULL: no receipt yet
