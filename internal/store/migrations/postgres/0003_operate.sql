-- Technical re-extractions, the change outbox, notifications and host slots.

-- A technical version is a stored snapshot extracted again by a newer
-- extractor: not a change of the policy, never shown or announced as one.
ALTER TABLE versions ADD COLUMN technical BOOLEAN NOT NULL DEFAULT false;
-- A change recorded by a check waits here until its notifications exist.
ALTER TABLE versions ADD COLUMN notify_pending BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX versions_notify_pending ON versions (id) WHERE notify_pending;

CREATE TABLE subscriptions (
	id         BIGSERIAL PRIMARY KEY,
	kind       TEXT        NOT NULL,
	target     TEXT        NOT NULL,
	format     TEXT        NOT NULL DEFAULT '',
	platform   TEXT        NOT NULL DEFAULT '',
	policy_id  BIGINT      REFERENCES policies (id) ON DELETE CASCADE,
	min_level  TEXT        NOT NULL DEFAULT '',
	admin      BOOLEAN     NOT NULL DEFAULT false,
	lang       TEXT        NOT NULL DEFAULT 'zh',
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE deliveries (
	id              BIGSERIAL PRIMARY KEY,
	subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	event           TEXT        NOT NULL,
	event_key       TEXT        NOT NULL,
	policy_id       BIGINT      NOT NULL,
	to_version      BIGINT,
	payload         JSONB       NOT NULL,
	status          TEXT        NOT NULL DEFAULT 'pending',
	attempts        INTEGER     NOT NULL DEFAULT 0,
	last_error      TEXT        NOT NULL DEFAULT '',
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	sent_at         TIMESTAMPTZ,
	UNIQUE (subscription_id, event_key)
);
CREATE INDEX deliveries_status ON deliveries (status, id);

CREATE TABLE host_slots (
	host       TEXT        NOT NULL,
	slot       INTEGER     NOT NULL,
	holder     TEXT        NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (host, slot)
);
