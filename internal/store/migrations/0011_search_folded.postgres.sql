-- Each search text in lower case beside it (folded), filled by the store
-- with the folding phrases get (search.Folded), and the trigram index on
-- that copy: a phrase in lower case is found with LIKE, whose check of
-- each candidate compares bytes, where ILIKE on the text lower-cased every
-- candidate (40 KB each) as it read it. The index on the text goes first,
-- so that filling the copy does not update it row by row; the index on
-- the copy is built once the copy is filled (the store's back-fill
-- backfill/search_folded), in one pass instead of 50 ms a row.
DROP INDEX IF EXISTS search_texts_trgm;
ALTER TABLE search_texts ADD COLUMN folded TEXT;
DO $$ BEGIN
	ALTER TABLE search_texts ALTER COLUMN folded SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
