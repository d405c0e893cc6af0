-- Version 23: which children each note names, beside the notes, so that a child's notes (for
-- their flags, their chronology, the note screen) are found through the child. Before, each
-- read went through every note on the laptop and then each note's list of children: on a
-- team lead's laptop with 20,000 notes, ~20 ms a read whoever it was for. Kept by triggers in
-- the same transaction as the note, whatever code stores or removes it; ids only. A note
-- pulled again changes neither its kind nor its record (the ledger's upsert sets its flags,
-- position and central's times), so no update needs a trigger. Each table's triggers here
-- name the other table: a later migration that rebuilds either (drop, then rename a copy)
-- must drop and make these again in the same file.

CREATE TABLE note_children (
    child_id TEXT NOT NULL,
    note_id TEXT NOT NULL,
    PRIMARY KEY (child_id, note_id)
) WITHOUT ROWID;
CREATE INDEX note_children_by_note ON note_children (note_id);

INSERT OR IGNORE INTO note_children (child_id, note_id)
SELECT c.value, n.id FROM case_notes AS n, json_each(n.record_json, '$.child_ids') AS c;

INSERT OR IGNORE INTO note_children (child_id, note_id)
SELECT c.value, r.id FROM received_records AS r, json_each(r.record_json, '$.child_ids') AS c
WHERE r.kind = 'note';

-- Only what is not there yet, not INSERT OR IGNORE: inside the ledger's upsert SQLite
-- applies the outer statement's conflict handling to a trigger's insert (version 19).
CREATE TRIGGER note_made_here_names_its_children AFTER INSERT ON case_notes
BEGIN
    INSERT INTO note_children (child_id, note_id)
    SELECT DISTINCT c.value, NEW.id FROM json_each(NEW.record_json, '$.child_ids') AS c
    WHERE NOT EXISTS (SELECT 1 FROM note_children
                      WHERE child_id = c.value AND note_id = NEW.id);
END;

CREATE TRIGGER note_made_here_removed AFTER DELETE ON case_notes
WHEN NOT EXISTS (SELECT 1 FROM received_records WHERE id = OLD.id AND kind = 'note')
BEGIN
    DELETE FROM note_children WHERE note_id = OLD.id;
END;

CREATE TRIGGER pulled_note_names_its_children AFTER INSERT ON received_records
WHEN NEW.kind = 'note'
BEGIN
    INSERT INTO note_children (child_id, note_id)
    SELECT DISTINCT c.value, NEW.id FROM json_each(NEW.record_json, '$.child_ids') AS c
    WHERE NOT EXISTS (SELECT 1 FROM note_children
                      WHERE child_id = c.value AND note_id = NEW.id);
END;

CREATE TRIGGER pulled_note_removed AFTER DELETE ON received_records
WHEN OLD.kind = 'note' AND NOT EXISTS (SELECT 1 FROM case_notes WHERE id = OLD.id)
BEGIN
    DELETE FROM note_children WHERE note_id = OLD.id;
END;
