-- Technical re-extractions, the change outbox, notifications and host slots.

-- A technical version is a stored snapshot extracted again by a newer
-- extractor: not a change of the policy, never shown or announced as one.
ALTER TABLE versions ADD COLUMN technical INTEGER NOT NULL DEFAULT 0;
-- A change recorded by a check waits here until its notifications exist.
ALTER TABLE versions ADD COLUMN notify_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX versions_notify_pending ON versions (id) WHERE notify_pending = 1;

CREATE TABLE subscriptions (
	id         INTEGER PRIMARY KEY,
	kind       TEXT    NOT NULL,             -- webhook, shoutrrr, email
	target     TEXT    NOT NULL,             -- URL or address
	format     TEXT    NOT NULL DEFAULT '',  -- webhook format (auto, json, dingtalk, feishu, wecom)
	platform   TEXT    NOT NULL DEFAULT '',  -- '' = every platform
	policy_id  INTEGER REFERENCES policies (id) ON DELETE CASCADE,
	min_level  TEXT    NOT NULL DEFAULT '',
	admin      INTEGER NOT NULL DEFAULT 0,   -- receives failing / recovered alerts instead of changes
	lang       TEXT    NOT NULL DEFAULT 'zh',
	created_at INTEGER NOT NULL
);

CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	event           TEXT    NOT NULL,
	event_key       TEXT    NOT NULL,        -- one delivery per subscription and event
	policy_id       INTEGER NOT NULL,
	to_version      INTEGER,
	payload         TEXT    NOT NULL,        -- the message as JSON, fixed when the delivery is made
	status          TEXT    NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	sent_at         INTEGER,
	UNIQUE (subscription_id, event_key)
);
CREATE INDEX deliveries_status ON deliveries (status, id);

-- Slots of the per-host concurrency limit shared by every worker; a slot
-- whose holder died frees itself when it expires.
CREATE TABLE host_slots (
	host       TEXT    NOT NULL,
	slot       INTEGER NOT NULL,
	holder     TEXT    NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (host, slot)
);
