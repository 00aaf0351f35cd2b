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
CREATE INDEX search_texts_trgm ON search_texts USING gin (body gin_trgm_ops);
