-- Version 2: a full-text index so a worker can find a visit by a child's name, the case
-- reference or words in the note. It lives inside the encrypted database like everything else.

CREATE VIRTUAL TABLE visit_search USING fts5 (
    visit_id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Index what older vaults already hold: every text value of each visit, its children's
-- names and its case reference.
INSERT INTO visit_search (visit_id, body)
SELECT v.id,
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
