package store

import (
	"context"
	"time"
)

// Host slots are the per-host limit on checks at a time, shared by every
// worker on every machine.

func (s *Store) AcquireHostSlot(ctx context.Context, host string, limit int, holder string, ttl time.Duration) (int, bool, error) {
	// One statement per slot: each is atomic on its own, and a taken slot
	// costs one index probe. A slot is free once it expires or its
	// holder's worker stops beating (workers.go); times are the
	// database's, so that the workers' clocks never matter.
	worker := workerOf(holder)
	for i := range max(limit, 1) {
		res, err := s.exec(ctx, `INSERT INTO host_slots (host, slot, holder, worker, expires_at)
			VALUES ($1, $2, $3, $4, now() + $5::interval)
			ON CONFLICT (host, slot) DO UPDATE SET holder = excluded.holder, worker = excluded.worker,
				expires_at = excluded.expires_at
			WHERE host_slots.expires_at <= now()
				OR EXISTS (SELECT 1 FROM workers w WHERE w.id = host_slots.worker AND w.alive_until <= now())`,
			host, i, holder, worker, s.d.duration(ttl))
		if err != nil {
			return 0, false, err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return i, err == nil, err
		}
	}
	return 0, false, nil
}

func (s *Store) ReleaseHostSlot(ctx context.Context, host string, slot int, holder string) error {
	_, err := s.exec(ctx, `DELETE FROM host_slots WHERE host = $1 AND slot = $2 AND holder = $3`, host, slot, holder)
	return err
}
