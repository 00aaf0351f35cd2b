package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/policywatch/policywatch"
)

// ---- re-extraction ----

func (s *Store) RecordReextraction(ctx context.Context, v *policywatch.Version) (bool, error) {
	v.Technical, v.Source = true, "reextract"
	stored := false
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := lockPolicy(ctx, tx, v.PolicyID); err != nil {
			return err
		}
		var same int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM versions WHERE policy_id = $1 AND snapshot_id = $2 AND sha256 = $3`,
			v.PolicyID, v.SnapshotID, v.SHA256).Scan(&same); err != nil {
			return err
		}
		if same > 0 {
			return nil
		}
		stored = true
		return storeVersion(ctx, tx, v, false)
	})
	return stored, err
}

// ---- the change outbox ----

func (s *Store) PendingChanges(ctx context.Context, limit int) ([]policywatch.Change, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT v.policy_id, p.name, pl.name, p.url,
			(SELECT w.id FROM versions w WHERE w.policy_id = v.policy_id
				AND (w.captured_at < v.captured_at OR (w.captured_at = v.captured_at AND w.id < v.id))
				ORDER BY w.captured_at DESC, w.id DESC LIMIT 1),
			v.id, v.captured_at
		FROM versions v JOIN policies p ON p.id = v.policy_id JOIN platforms pl ON pl.id = p.platform_id
		WHERE v.notify_pending ORDER BY v.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Change
	for rows.Next() {
		var c policywatch.Change
		var prev *int64
		var at time.Time
		if err := rows.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &prev, &c.ToVersion, &at); err != nil {
			return nil, err
		}
		if prev != nil {
			c.FromVersion = *prev
		}
		c.CapturedAt = at.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) MarkChangeNotified(ctx context.Context, versionID int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE versions SET notify_pending = false WHERE id = $1`, versionID)
	return err
}

// ---- host slots ----

func (s *Store) AcquireHostSlot(ctx context.Context, host string, limit int, holder string, ttl time.Duration) (int, bool, error) {
	// One statement per slot: each is atomic on its own, and a taken slot
	// costs one index probe. A slot is free once it expires or its
	// holder's worker stops beating (workers.go); times are the
	// database's, so that the workers' clocks never matter.
	worker := workerOf(holder)
	for i := range max(limit, 1) {
		tag, err := s.pool.Exec(ctx, `INSERT INTO host_slots (host, slot, holder, worker, expires_at)
			VALUES ($1, $2, $3, $4, now() + $5::interval)
			ON CONFLICT (host, slot) DO UPDATE SET holder = excluded.holder, worker = excluded.worker,
				expires_at = excluded.expires_at
			WHERE host_slots.expires_at <= now()
				OR EXISTS (SELECT 1 FROM workers w WHERE w.id = host_slots.worker AND w.alive_until <= now())`,
			host, i, holder, worker, ttl)
		if err != nil {
			return 0, false, err
		}
		if tag.RowsAffected() > 0 {
			return i, true, nil
		}
	}
	return 0, false, nil
}

func (s *Store) ReleaseHostSlot(ctx context.Context, host string, slot int, holder string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM host_slots WHERE host = $1 AND slot = $2 AND holder = $3`, host, slot, holder)
	return err
}

// ---- subscriptions ----

func (s *Store) CreateSubscription(ctx context.Context, sub *policywatch.Subscription) error {
	sub.CreatedAt = ms(time.Now())
	if sub.Lang == "" {
		sub.Lang = "zh"
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO subscriptions
		(kind, target, format, platform, policy_id, min_level, admin, lang, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		sub.Kind, sub.Target, sub.Format, sub.Platform, nullID(sub.PolicyID), sub.MinLevel, sub.Admin, sub.Lang,
		sub.CreatedAt).Scan(&sub.ID)
	if pgCode(err) == "23503" { // foreign key: no such policy
		return notFound("policy", sub.PolicyID)
	}
	return err
}

func (s *Store) ListSubscriptions(ctx context.Context) ([]policywatch.Subscription, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, target, format, platform, policy_id, min_level, admin, lang, created_at
		FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Subscription
	for rows.Next() {
		var sub policywatch.Subscription
		var policy *int64
		if err := rows.Scan(&sub.ID, &sub.Kind, &sub.Target, &sub.Format, &sub.Platform, &policy, &sub.MinLevel,
			&sub.Admin, &sub.Lang, &sub.CreatedAt); err != nil {
			return nil, err
		}
		if policy != nil {
			sub.PolicyID = *policy
		}
		sub.CreatedAt = sub.CreatedAt.UTC()
		out = append(out, sub)
	}
	return out, rows.Err()
}

func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("subscription", id)
	}
	return nil
}

// ---- deliveries ----

func (s *Store) AddDeliveries(ctx context.Context, ds []*policywatch.Delivery) error {
	now := ms(time.Now())
	return s.write(ctx, func(tx pgx.Tx) error {
		for _, d := range ds {
			d.ID, d.CreatedAt, d.UpdatedAt = 0, now, now
			if d.Status == "" {
				d.Status = policywatch.DeliveryPending
			}
			err := tx.QueryRow(ctx, `INSERT INTO deliveries
				(subscription_id, event, event_key, policy_id, to_version, payload, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
				ON CONFLICT (subscription_id, event_key) DO NOTHING RETURNING id`,
				d.SubscriptionID, d.Event, d.EventKey, d.PolicyID, nullID(d.ToVersion), string(d.Payload), d.Status,
				now).Scan(&d.ID)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		return nil
	})
}

const deliveryColumns = `id, subscription_id, event, event_key, policy_id, to_version, payload::text, status, attempts,
	last_error, created_at, updated_at, sent_at`

func scanDelivery(row pgx.Row) (*policywatch.Delivery, error) {
	var d policywatch.Delivery
	var to *int64
	var payload string
	var sent *time.Time
	if err := row.Scan(&d.ID, &d.SubscriptionID, &d.Event, &d.EventKey, &d.PolicyID, &to, &payload, &d.Status,
		&d.Attempts, &d.LastError, &d.CreatedAt, &d.UpdatedAt, &sent); err != nil {
		return nil, err
	}
	if to != nil {
		d.ToVersion = *to
	}
	d.Payload = []byte(payload)
	d.CreatedAt, d.UpdatedAt, d.SentAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC(), fromNull(sent)
	return &d, nil
}

func (s *Store) FindDelivery(ctx context.Context, id int64) (*policywatch.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("delivery", id)
	}
	return d, err
}

func (s *Store) UpdateDelivery(ctx context.Context, d *policywatch.Delivery) error {
	d.UpdatedAt = ms(time.Now())
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET status = $1, attempts = $2, last_error = $3, updated_at = $4, sent_at = $5
		WHERE id = $6`, d.Status, d.Attempts, d.LastError, d.UpdatedAt, nullTime(d.SentAt), d.ID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("delivery", d.ID)
	}
	return nil
}

func (s *Store) ListDeliveries(ctx context.Context, f policywatch.DeliveryFilter) ([]policywatch.Delivery, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE ($1::text = '' OR status = $1) AND ($2::bigint = 0 OR subscription_id = $2) ORDER BY id DESC LIMIT $3`,
		f.Status, f.SubscriptionID, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}
