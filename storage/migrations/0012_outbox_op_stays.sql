-- Version 12: an outbox op stays until central has receipted it, whatever code asks.
-- Version 7 guarded an op's signed record (`outbox_records`) against a direct delete, but
-- deleting the op itself cascaded to the record. Only the purge deletes ops today, and it
-- takes receipted ones; this makes the schema refuse any other, as it does for visits.
CREATE TRIGGER outbox_op_stays_until_receipted BEFORE DELETE ON outbox
WHEN NOT EXISTS (SELECT 1 FROM sync_receipts AS r WHERE r.op_id = OLD.op_id)
BEGIN
    SELECT RAISE(ABORT, 'an outbox operation stays until central has receipted it');
END;
