package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// forgetAfter is how long a dead worker stays listed: far longer than any
// of its slots or jobs can matter.
const forgetAfter = 24 * time.Hour

func (s *Store) Heartbeat(ctx context.Context, worker string, ttl time.Duration) ([]string, error) {
	if worker == "" {
		return nil, errors.New("heartbeat: empty worker name")
	}
	var dead []string
	err := s.write(ctx, func(tx handle) error {
		if _, err := tx.exec(ctx, `INSERT INTO workers (id, started_at, seen_at, alive_until)
			VALUES ($1, now(), now(), now() + $2::interval)
			ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, alive_until = excluded.alive_until`,
			worker, tx.d.duration(max(ttl, 0))); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM workers WHERE alive_until < now() - $1::interval`,
			tx.d.duration(forgetAfter)); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT id FROM workers WHERE alive_until <= now() AND id <> $1 ORDER BY id`, worker)
		dead, err = collect(rows, err, func(row scanner) (string, error) {
			var id string
			err := row.Scan(&id)
			return id, err
		})
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
