-- Technical re-extractions, the change outbox, notifications and host slots.

-- A technical version is a stored snapshot extracted again by a newer
-- extractor: not a change of the policy, never shown or announced as one.
ALTER TABLE versions ADD COLUMN technical {{boolean}} NOT NULL DEFAULT {{no}};
-- A change recorded by a check waits here until its notifications exist.
ALTER TABLE versions ADD COLUMN notify_pending {{boolean}} NOT NULL DEFAULT {{no}};
CREATE INDEX versions_notify_pending ON versions (id) WHERE {{set "notify_pending"}};

CREATE TABLE subscriptions (
	id         {{serial}},
	kind       TEXT       NOT NULL,             -- webhook, shoutrrr, email
	target     TEXT       NOT NULL,             -- URL or address
	format     TEXT       NOT NULL DEFAULT '',  -- webhook format (auto, json, dingtalk, feishu, wecom)
	platform   TEXT       NOT NULL DEFAULT '',  -- '' = every platform
	policy_id  {{bigint}} REFERENCES policies (id) ON DELETE CASCADE,
	min_level  TEXT       NOT NULL DEFAULT '',
	admin      {{boolean}} NOT NULL DEFAULT {{no}}, -- receives failing / recovered alerts instead of changes
	lang       TEXT       NOT NULL DEFAULT 'zh',
	created_at {{time}}   NOT NULL
);

CREATE TABLE deliveries (
	id              {{serial}},
	subscription_id {{bigint}} NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	event           TEXT       NOT NULL,
	event_key       TEXT       NOT NULL,        -- one delivery per subscription and event
	policy_id       {{bigint}} NOT NULL,
	to_version      {{bigint}},
	payload         {{json}}   NOT NULL,        -- the message as JSON, fixed when the delivery is made
	status          TEXT       NOT NULL DEFAULT 'pending',
	attempts        INTEGER    NOT NULL DEFAULT 0,
	last_error      TEXT       NOT NULL DEFAULT '',
	created_at      {{time}}   NOT NULL,
	updated_at      {{time}}   NOT NULL,
	sent_at         {{time}},
	UNIQUE (subscription_id, event_key)
);
CREATE INDEX deliveries_status ON deliveries (status, id);

-- Slots of the per-host concurrency limit shared by every worker; a slot
-- whose holder died frees itself when it expires.
CREATE TABLE host_slots (
	host       TEXT       NOT NULL,
	slot       INTEGER    NOT NULL,
	holder     TEXT       NOT NULL,
	expires_at {{time}}   NOT NULL,
	PRIMARY KEY (host, slot)
);
