-- Indexes that answer the lists of changes and policies without reading a
-- version's row: on SQLite a row's columns after its text are reached only
-- through the text's overflow pages, so `technical` (and the rest the
-- lists read) must be in the index.
DROP INDEX IF EXISTS versions_captured;
-- Recent changes across all policies, newest first (/changes, the feeds).
CREATE INDEX IF NOT EXISTS versions_recent ON versions (captured_at, id, policy_id, technical);
-- A policy's versions other than technical re-extractions: their number
-- and the newest (the home page, a platform's page).
CREATE INDEX IF NOT EXISTS versions_policy_kind ON versions (policy_id, technical, captured_at, id);
