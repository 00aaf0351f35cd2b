package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/policywatch/policywatch"
)

// ---- re-extraction ----

func (s *Store) RecordReextraction(ctx context.Context, v *policywatch.Version) (bool, error) {
	v.Technical, v.Source = true, "reextract"
	stored := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var same int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM versions WHERE policy_id = ? AND snapshot_id = ? AND sha256 = ?`,
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
	rows, err := s.db.QueryContext(ctx, `SELECT v.policy_id, p.name, pl.name, p.url,
			(SELECT w.id FROM versions w WHERE w.policy_id = v.policy_id
				AND (w.captured_at < v.captured_at OR (w.captured_at = v.captured_at AND w.id < v.id))
				ORDER BY w.captured_at DESC, w.id DESC LIMIT 1),
			v.id, v.captured_at
		FROM versions v JOIN policies p ON p.id = v.policy_id JOIN platforms pl ON pl.id = p.platform_id
		WHERE v.notify_pending = 1 ORDER BY v.id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Change
	for rows.Next() {
		var c policywatch.Change
		var prev sql.NullInt64
		var at int64
		if err := rows.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &prev, &c.ToVersion, &at); err != nil {
			return nil, err
		}
		c.FromVersion, c.CapturedAt = prev.Int64, time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) MarkChangeNotified(ctx context.Context, versionID int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE versions SET notify_pending = 0 WHERE id = ?`, versionID)
		return err
	})
}

// ---- host slots ----

func (s *Store) AcquireHostSlot(ctx context.Context, host string, limit int, holder string, ttl time.Duration) (int, bool, error) {
	now := time.Now()
	worker := workerOf(holder)
	slot, ok := 0, false
	err := s.write(ctx, func(tx *sql.Tx) error {
		for i := range max(limit, 1) {
			// A slot is free once it expires or its holder's worker stops
			// beating (workers.go).
			res, err := tx.ExecContext(ctx, `INSERT INTO host_slots (host, slot, holder, worker, expires_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (host, slot) DO UPDATE SET holder = excluded.holder, worker = excluded.worker,
					expires_at = excluded.expires_at
				WHERE host_slots.expires_at <= ?
					OR EXISTS (SELECT 1 FROM workers w WHERE w.id = host_slots.worker AND w.alive_until <= ?)`,
				host, i, holder, worker, now.Add(ttl).UnixMilli(), now.UnixMilli(), now.UnixMilli())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				slot, ok = i, true
				return nil
			}
		}
		return nil
	})
	return slot, ok, err
}

func (s *Store) ReleaseHostSlot(ctx context.Context, host string, slot int, holder string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM host_slots WHERE host = ? AND slot = ? AND holder = ?`, host, slot, holder)
		return err
	})
}

// ---- subscriptions ----

func (s *Store) CreateSubscription(ctx context.Context, sub *policywatch.Subscription) error {
	sub.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if sub.Lang == "" {
		sub.Lang = "zh"
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if sub.PolicyID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM policies WHERE id = ?`, sub.PolicyID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return notFound("policy", sub.PolicyID)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO subscriptions
			(kind, target, format, platform, policy_id, min_level, admin, lang, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.Kind, sub.Target, sub.Format, sub.Platform, nullID(sub.PolicyID), sub.MinLevel, sub.Admin, sub.Lang,
			sub.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		sub.ID, err = res.LastInsertId()
		return err
	})
}

func (s *Store) ListSubscriptions(ctx context.Context) ([]policywatch.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, target, format, platform, policy_id, min_level, admin, lang, created_at
		FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Subscription
	for rows.Next() {
		var sub policywatch.Subscription
		var policy sql.NullInt64
		var created int64
		if err := rows.Scan(&sub.ID, &sub.Kind, &sub.Target, &sub.Format, &sub.Platform, &policy, &sub.MinLevel,
			&sub.Admin, &sub.Lang, &created); err != nil {
			return nil, err
		}
		sub.PolicyID, sub.CreatedAt = policy.Int64, time.UnixMilli(created).UTC()
		out = append(out, sub)
	}
	return out, rows.Err()
}

func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("subscription", id)
		}
		return nil
	})
}

// ---- deliveries ----

func (s *Store) AddDeliveries(ctx context.Context, ds []*policywatch.Delivery) error {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range ds {
			d.ID, d.CreatedAt, d.UpdatedAt = 0, now, now
			if d.Status == "" {
				d.Status = policywatch.DeliveryPending
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO deliveries
				(subscription_id, event, event_key, policy_id, to_version, payload, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (subscription_id, event_key) DO NOTHING RETURNING id`,
				d.SubscriptionID, d.Event, d.EventKey, d.PolicyID, nullID(d.ToVersion), string(d.Payload), d.Status,
				now.UnixMilli(), now.UnixMilli()).Scan(&d.ID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		return nil
	})
}

const deliveryColumns = `id, subscription_id, event, event_key, policy_id, to_version, payload, status, attempts,
	last_error, created_at, updated_at, sent_at`

func scanDelivery(row scanner) (*policywatch.Delivery, error) {
	var d policywatch.Delivery
	var to, sent sql.NullInt64
	var payload string
	var created, updated int64
	if err := row.Scan(&d.ID, &d.SubscriptionID, &d.Event, &d.EventKey, &d.PolicyID, &to, &payload, &d.Status,
		&d.Attempts, &d.LastError, &created, &updated, &sent); err != nil {
		return nil, err
	}
	d.ToVersion, d.Payload = to.Int64, []byte(payload)
	d.CreatedAt, d.UpdatedAt, d.SentAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC(), fromMillis(sent)
	return &d, nil
}

func (s *Store) FindDelivery(ctx context.Context, id int64) (*policywatch.Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("delivery", id)
	}
	return d, err
}

func (s *Store) UpdateDelivery(ctx context.Context, d *policywatch.Delivery) error {
	d.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	var sent sql.NullInt64
	if !d.SentAt.IsZero() {
		sent = sql.NullInt64{Int64: d.SentAt.UnixMilli(), Valid: true}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = ?, attempts = ?, last_error = ?, updated_at = ?, sent_at = ?
			WHERE id = ?`, d.Status, d.Attempts, d.LastError, d.UpdatedAt.UnixMilli(), sent, d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("delivery", d.ID)
		}
		return nil
	})
}

func (s *Store) ListDeliveries(ctx context.Context, f policywatch.DeliveryFilter) ([]policywatch.Delivery, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE (? = '' OR status = ?) AND (? = 0 OR subscription_id = ?) ORDER BY id DESC LIMIT ?`,
		f.Status, f.Status, f.SubscriptionID, f.SubscriptionID, f.Limit)
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
