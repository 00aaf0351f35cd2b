-- Workers' heartbeats, so that a dead worker's host slots (and, in the job
-- queue, its checks) are taken over as soon as its heartbeat lapses rather
-- than when a slot's TTL runs out. Times in Unix milliseconds.
CREATE TABLE workers (
	id          TEXT    PRIMARY KEY,
	started_at  INTEGER NOT NULL,
	seen_at     INTEGER NOT NULL,
	alive_until INTEGER NOT NULL
);

-- The worker a slot's holder belongs to: the holder up to its last "/".
ALTER TABLE host_slots ADD COLUMN worker TEXT NOT NULL DEFAULT '';
