-- Full-text search: each version's normalized text, indexed by trigrams
-- (FTS5), so that a phrase is found as a substring, Chinese without word
-- segmentation, letters in any case. The texts of versions stored before
-- are added by the store when it opens the database (they are compressed).
CREATE TABLE search_texts (
	version_id INTEGER PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
	body       TEXT    NOT NULL
);
CREATE VIRTUAL TABLE search_index USING fts5 (
	body, content = 'search_texts', content_rowid = 'version_id', tokenize = 'trigram'
);
CREATE TRIGGER search_texts_insert AFTER INSERT ON search_texts BEGIN
	INSERT INTO search_index (rowid, body) VALUES (new.version_id, new.body);
END;
CREATE TRIGGER search_texts_delete AFTER DELETE ON search_texts BEGIN
	INSERT INTO search_index (search_index, rowid, body) VALUES ('delete', old.version_id, old.body);
END;
CREATE TRIGGER search_texts_update AFTER UPDATE ON search_texts BEGIN
	INSERT INTO search_index (search_index, rowid, body) VALUES ('delete', old.version_id, old.body);
	INSERT INTO search_index (rowid, body) VALUES (new.version_id, new.body);
END;
