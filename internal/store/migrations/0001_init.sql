-- Times are Unix milliseconds (UTC) in SQLite, timestamps in PostgreSQL.
-- Bodies and texts are zstd-compressed.

CREATE TABLE platforms (
	id         {{serial}},
	name       TEXT       NOT NULL UNIQUE,
	created_at {{time}}   NOT NULL
);

CREATE TABLE policies (
	id                   {{serial}},
	platform_id          {{bigint}} NOT NULL REFERENCES platforms (id),
	name                 TEXT       NOT NULL,
	kind                 TEXT       NOT NULL DEFAULT 'privacy',
	url                  TEXT       NOT NULL DEFAULT '',
	select_css           TEXT       NOT NULL DEFAULT '',
	remove_css           {{json}}   NOT NULL DEFAULT '[]', -- JSON array of selectors
	render               TEXT       NOT NULL DEFAULT 'auto',
	interval_seconds     {{bigint}} NOT NULL DEFAULT 86400,
	status               TEXT       NOT NULL DEFAULT 'active',
	last_error           TEXT       NOT NULL DEFAULT '',
	last_error_class     TEXT       NOT NULL DEFAULT '',
	consecutive_failures INTEGER    NOT NULL DEFAULT 0,
	-- fetch state: validators and hashes that make an unchanged check cheap
	etag                 TEXT       NOT NULL DEFAULT '',
	last_modified        TEXT       NOT NULL DEFAULT '',
	raw_sha256           TEXT       NOT NULL DEFAULT '',
	held_hash            TEXT       NOT NULL DEFAULT '',
	created_at           {{time}}   NOT NULL,
	last_checked_at      {{time}},
	last_changed_at      {{time}},
	next_check_at        {{time}},
	UNIQUE (platform_id, name)
);
CREATE UNIQUE INDEX policies_url ON policies (url, select_css) WHERE url <> '';
CREATE INDEX policies_due ON policies (next_check_at) WHERE status <> 'paused';

CREATE TABLE snapshots (
	id           {{serial}},
	policy_id    {{bigint}} NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	url          TEXT       NOT NULL,
	fetched_at   {{time}}   NOT NULL,
	http_status  INTEGER    NOT NULL,
	content_type TEXT       NOT NULL,
	sha256       TEXT       NOT NULL,
	renderer     TEXT       NOT NULL,
	size         {{bigint}} NOT NULL,
	body         {{bytes}}  NOT NULL
);
CREATE INDEX snapshots_policy ON snapshots (policy_id, fetched_at);

CREATE TABLE versions (
	id           {{serial}},
	policy_id    {{bigint}} NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	snapshot_id  {{bigint}} REFERENCES snapshots (id),
	captured_at  {{time}}   NOT NULL,
	text         {{bytes}}  NOT NULL,
	sha256       TEXT       NOT NULL, -- of the normalized text
	compare_hash TEXT       NOT NULL, -- of the comparison key
	chars        INTEGER    NOT NULL,
	extractor    TEXT       NOT NULL,
	source       TEXT       NOT NULL
);
CREATE INDEX versions_policy ON versions (policy_id, captured_at, id);

CREATE TABLE check_runs (
	id          {{serial}},
	policy_id   {{bigint}} NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	started_at  {{time}}   NOT NULL,
	duration_ms {{bigint}} NOT NULL,
	result      TEXT       NOT NULL,
	error_class TEXT       NOT NULL DEFAULT '',
	error       TEXT       NOT NULL DEFAULT '',
	http_status INTEGER    NOT NULL DEFAULT 0,
	version_id  {{bigint}} REFERENCES versions (id)
);
CREATE INDEX check_runs_policy ON check_runs (policy_id, started_at);
