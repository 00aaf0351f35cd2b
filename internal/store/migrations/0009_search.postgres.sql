-- Full-text search: each version's normalized text with a trigram index
-- (pg_trgm), so that a phrase is found as a substring (ILIKE), Chinese
-- without word segmentation, letters in any case. The texts of versions
-- stored before are added by the store when it opens the database (they
-- are compressed).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE search_texts (
	version_id BIGINT PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
	body       TEXT   NOT NULL
);
-- fastupdate off: a text's trigrams go into the index as it is written
-- (about 50 ms for 40 KB of Chinese), instead of into a pending list that
-- some later writer merges, taking seconds inside its check.
CREATE INDEX search_texts_trgm ON search_texts USING gin (body gin_trgm_ops) WITH (fastupdate = off);
