-- What each version states, extracted when the version is recorded
-- (internal/profile): its facts, its row of the cross-platform matrix and
-- its profile in each language, as zstd-compressed JSON. rules is the
-- version of the rules that extracted them: rows of older rules are
-- extracted again in the background. Pages read these instead of
-- extracting facts on request.
CREATE TABLE version_facts (
	version_id   {{bigint}} PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
	rules        INTEGER    NOT NULL,
	facts        {{bytes}}  NOT NULL,
	matrix       {{bytes}}  NOT NULL,
	profiles     {{bytes}}  NOT NULL,
	extracted_at {{time}}   NOT NULL
);

-- Recent changes across all policies, newest first (/changes, the feeds).
CREATE INDEX versions_captured ON versions (captured_at, id);
