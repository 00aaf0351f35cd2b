package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// ---- workers' heartbeats ----

// forgetAfter is how long a dead worker stays listed: far longer than any
// of its slots or jobs can matter.
const forgetAfter = 24 * time.Hour

func (s *Store) Heartbeat(ctx context.Context, worker string, ttl time.Duration) ([]string, error) {
	if worker == "" {
		return nil, errors.New("heartbeat: empty worker name")
	}
	now := time.Now()
	var dead []string
	err := s.write(ctx, func(tx *sql.Tx) error {
		dead = nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO workers (id, started_at, seen_at, alive_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, alive_until = excluded.alive_until`,
			worker, now.UnixMilli(), now.UnixMilli(), now.Add(max(ttl, 0)).UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM workers WHERE alive_until < ?`, now.Add(-forgetAfter).UnixMilli()); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM workers WHERE alive_until <= ? AND id <> ? ORDER BY id`,
			now.UnixMilli(), worker)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			dead = append(dead, id)
		}
		return rows.Err()
	})
	return dead, err
}

// workerOf is the worker a host slot's holder belongs to: the holder up to
// its last "/", or all of it.
func workerOf(holder string) string {
	if i := strings.LastIndexByte(holder, '/'); i >= 0 {
		return holder[:i]
	}
	return holder
}
