package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ---- workers' heartbeats ----

// forgetAfter is how long a dead worker stays listed: far longer than any
// of its slots or jobs can matter.
const forgetAfter = 24 * time.Hour

func (s *Store) Heartbeat(ctx context.Context, worker string, ttl time.Duration) ([]string, error) {
	if worker == "" {
		return nil, errors.New("heartbeat: empty worker name")
	}
	var dead []string
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO workers (id, started_at, seen_at, alive_until)
			VALUES ($1, now(), now(), now() + $2::interval)
			ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, alive_until = excluded.alive_until`,
			worker, max(ttl, 0)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM workers WHERE alive_until < now() - $1::interval`, forgetAfter); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM workers WHERE alive_until <= now() AND id <> $1 ORDER BY id`, worker)
		if err != nil {
			return err
		}
		dead, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
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
