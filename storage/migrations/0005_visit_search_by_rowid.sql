-- Version 5: key each search row by its visit's rowid. Version 2 kept the visit id in an
-- unindexed column, so re-indexing one visit had to read the whole index to find its old
-- row: every submit got slower as the vault grew (and every page read is a decryption).

DROP TABLE visit_search;

CREATE VIRTUAL TABLE visit_search USING fts5 (
    body,
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
