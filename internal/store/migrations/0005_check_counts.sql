-- Checks counted by result, error class, renderer and duration bucket, each
-- added in its check's transaction: /metrics reads its check counters here,
-- so that checks run by any process (`check` from cron, workers on other
-- machines) are counted, and deleting a policy lowers no count. le_ms is the
-- duration bucket's upper bound in milliseconds (0: longer than the last).
-- Concurrent checks add to one of several shards (by policy), so that they
-- do not queue for one row's lock.
CREATE TABLE check_counts (
	result      TEXT       NOT NULL,
	error_class TEXT       NOT NULL,
	renderer    TEXT       NOT NULL,
	le_ms       {{bigint}} NOT NULL,
	shard       {{bigint}} NOT NULL,
	checks      {{bigint}} NOT NULL,
	duration_us {{bigint}} NOT NULL,
	PRIMARY KEY (result, error_class, renderer, le_ms, shard)
);

-- The checks recorded before, by what their runs kept (not their renderer),
-- in the buckets of policywatch.CheckDurationBuckets.
INSERT INTO check_counts (result, error_class, renderer, le_ms, shard, checks, duration_us)
SELECT result, error_class, 'unknown', le_ms, 0, COUNT(*), SUM(duration_ms) * 1000
FROM (SELECT result, error_class, duration_ms, CASE
		WHEN duration_ms <= 5 THEN 5 WHEN duration_ms <= 10 THEN 10 WHEN duration_ms <= 25 THEN 25
		WHEN duration_ms <= 50 THEN 50 WHEN duration_ms <= 100 THEN 100 WHEN duration_ms <= 250 THEN 250
		WHEN duration_ms <= 500 THEN 500 WHEN duration_ms <= 1000 THEN 1000 WHEN duration_ms <= 2500 THEN 2500
		WHEN duration_ms <= 5000 THEN 5000 WHEN duration_ms <= 10000 THEN 10000 WHEN duration_ms <= 30000 THEN 30000
		WHEN duration_ms <= 60000 THEN 60000 ELSE 0 END AS le_ms
	FROM check_runs) AS runs
GROUP BY result, error_class, le_ms;
