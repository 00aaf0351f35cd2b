-- PostgreSQL's search texts move to LZ4 here; SQLite has nothing to change.
SELECT 1;
