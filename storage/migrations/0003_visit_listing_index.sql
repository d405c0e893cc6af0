-- Version 3: list visits from an index alone. The visits table keeps each record's JSON
-- before its dates, so reading a date from the table means reading (and decrypting) the
-- whole record; this index holds everything a list of visits shows.

CREATE INDEX visits_listing ON visits (status, started_at, updated_at, case_id, id);

-- The same for one child's visits, which are looked up by visit id.
CREATE INDEX visits_listing_by_id ON visits (id, status, started_at, updated_at, case_id);
