-- Workers' heartbeats, so that a dead worker's host slots (and, in the job
-- queue, its checks) are taken over as soon as its heartbeat lapses rather
-- than when a slot's TTL runs out. Times are the database's, so that the
-- clocks of the workers' machines never matter.
CREATE TABLE workers (
	id          TEXT       PRIMARY KEY,
	started_at  {{time}}   NOT NULL,
	seen_at     {{time}}   NOT NULL,
	alive_until {{time}}   NOT NULL
);

-- The worker a slot's holder belongs to: the holder up to its last "/".
ALTER TABLE host_slots ADD COLUMN worker TEXT NOT NULL DEFAULT '';
