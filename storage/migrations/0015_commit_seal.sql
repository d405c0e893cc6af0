-- How many changes this vault has acknowledged. Every write transaction that changes a row
-- raises `counter` before it commits (storage.transactions), and `vault.commits` beside the
-- database holds the same number, sealed with `seal_key` (storage.commit_seal). An open that
-- finds the database behind the seal refuses: changes it had saved are missing (vault.db-wal
-- deleted, cut short or damaged). `seal_key` is filled in with 32 random bytes from the
-- operating system the first time the vault is sealed.
CREATE TABLE commit_seal (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    counter INTEGER NOT NULL CHECK (counter >= 0),
    seal_key BLOB CHECK (seal_key IS NULL OR length(seal_key) = 32)
);

INSERT INTO commit_seal (id, counter, seal_key) VALUES (1, 0, NULL);
