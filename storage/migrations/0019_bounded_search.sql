-- Version 19: search whose cost does not grow with the vault, over pulled visits too.
--
-- Version 5's index kept a copy of every visit's text (FTS5's own content table) and every
-- query ranked every match before taking the first 50: a word in most visits cost the whole
-- vault. Both indexes are now contentless (the text lives only in the records; a row is
-- deleted by rowid, `contentless_delete`), with prefix indexes for the 2- and 3-letter
-- prefixes a search-as-you-type sends, and a query ranks only the newest matches
-- (`storage.search.SEARCH_CANDIDATES`). `received_search` indexes the visits a team lead
-- pulled (rowid = received_records.rowid), one statement per pull page.

DROP TABLE visit_search;

CREATE VIRTUAL TABLE visit_search USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO visit_search (rowid, body)
SELECT v.rowid,
       coalesce((SELECT group_concat(t.value, ' ')
                 FROM json_tree(v.record_json) AS t
                 WHERE t.type = 'text'), '')
       || ' ' ||
       coalesce((SELECT group_concat(json_extract(c.record_json, '$.given_name') || ' '
                                     || json_extract(c.record_json, '$.family_name'), ' ')
                 FROM visit_children AS vc JOIN children AS c ON c.id = vc.child_id
                 WHERE vc.visit_id = v.id), '')
       || ' ' ||
       coalesce((SELECT json_extract(k.record_json, '$.reference')
                 FROM cases AS k WHERE k.id = v.case_id), '')
FROM visits AS v;

CREATE VIRTUAL TABLE received_search USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO received_search (rowid, body)
SELECT r.rowid,
       coalesce((SELECT group_concat(t.value, ' ')
                 FROM json_tree(r.record_json) AS t
                 WHERE t.type = 'text'), '')
       || ' ' ||
       coalesce((SELECT group_concat(json_extract(c.record_json, '$.given_name') || ' '
                                     || json_extract(c.record_json, '$.family_name'), ' ')
                 FROM json_each(r.record_json, '$.children') AS o
                 JOIN children AS c ON c.id = json_extract(o.value, '$.child_id')), '')
       || ' ' ||
       coalesce((SELECT json_extract(k.record_json, '$.reference')
                 FROM cases AS k WHERE k.id = json_extract(r.record_json, '$.case_id')), '')
FROM received_records AS r WHERE r.kind = 'visit';

-- A record pulled again while still pending (central sent it twice before the review index
-- ran: a page retried, its flags changed) failed the whole page: inside an upsert SQLite
-- applies the outer statement's conflict handling to the trigger's insert, so its OR IGNORE
-- did not hold. The triggers now insert only what is not already pending.
DROP TRIGGER pulled_record_awaits_review;
DROP TRIGGER repulled_record_awaits_review;
DROP TRIGGER pulled_child_awaits_review;
DROP TRIGGER repulled_child_awaits_review;

CREATE TRIGGER pulled_record_awaits_review AFTER INSERT ON received_records
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, NEW.kind
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;

CREATE TRIGGER repulled_record_awaits_review AFTER UPDATE ON received_records
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, NEW.kind
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;

CREATE TRIGGER pulled_child_awaits_review AFTER INSERT ON children
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, 'child'
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;

CREATE TRIGGER repulled_child_awaits_review AFTER UPDATE ON children
WHEN (SELECT role FROM sync_state) = 'team_lead'
BEGIN
    INSERT INTO review_pending (record_id, kind) SELECT NEW.id, 'child'
    WHERE NOT EXISTS (SELECT 1 FROM review_pending WHERE record_id = NEW.id);
END;
