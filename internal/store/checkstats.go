package store

import (
	"context"
	"time"

	"github.com/policywatch/policywatch"
)

// checkCountShards spreads the counts of concurrent checks over rows: on
// PostgreSQL a check's transaction holds the row it adds to until it
// commits.
const checkCountShards = 8

// countCheck adds a check to its count (CheckStats), in the check's
// transaction.
func countCheck(ctx context.Context, tx handle, run *policywatch.CheckRun) error {
	_, err := tx.exec(ctx, `INSERT INTO check_counts (result, error_class, renderer, le_ms, shard, checks, duration_us)
		VALUES ($1, $2, $3, $4, $5, 1, $6)
		ON CONFLICT (result, error_class, renderer, le_ms, shard) DO UPDATE
		SET checks = check_counts.checks + 1, duration_us = check_counts.duration_us + excluded.duration_us`,
		string(run.Result), string(run.ErrorClass), string(run.Renderer),
		policywatch.DurationBucket(run.Duration).Milliseconds(), run.PolicyID%checkCountShards, run.Duration.Microseconds())
	return err
}

func (s *Store) CheckStats(ctx context.Context) ([]policywatch.CheckStat, error) {
	rows, err := s.read().query(ctx, `SELECT result, error_class, renderer, le_ms, CAST(SUM(checks) AS BIGINT), CAST(SUM(duration_us) AS BIGINT)
		FROM check_counts GROUP BY result, error_class, renderer, le_ms ORDER BY result, error_class, renderer, le_ms`)
	return collect(rows, err, func(row scanner) (policywatch.CheckStat, error) {
		var c policywatch.CheckStat
		var result, class, renderer string
		var le, us int64
		err := row.Scan(&result, &class, &renderer, &le, &c.Checks, &us)
		c.Result, c.ErrorClass, c.Renderer = policywatch.Result(result), policywatch.ErrorClass(class), policywatch.Renderer(renderer)
		c.UpTo, c.Total = time.Duration(le)*time.Millisecond, time.Duration(us)*time.Microsecond
		return c, err
	})
}
