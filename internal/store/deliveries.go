package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/policywatch/policywatch"
)

func (s *Store) AddDeliveries(ctx context.Context, ds []*policywatch.Delivery) error {
	now := ms(time.Now())
	return s.write(ctx, func(tx handle) error {
		for _, d := range ds {
			d.ID, d.CreatedAt, d.UpdatedAt = 0, now, now
			if d.Status == "" {
				d.Status = policywatch.DeliveryPending
			}
			err := tx.row(ctx, `INSERT INTO deliveries
				(id, subscription_id, event, event_key, policy_id, to_version, payload, status, created_at, updated_at)
				VALUES (`+tx.d.nextID("deliveries")+`, $1, $2, $3, $4, $5, $6, $7, $8, $8)
				ON CONFLICT (subscription_id, event_key) DO NOTHING RETURNING id`,
				d.SubscriptionID, d.Event, d.EventKey, d.PolicyID, nullID(d.ToVersion), string(d.Payload), d.Status,
				tx.d.time(now)).Scan(&d.ID)
			if err != nil && !noRows(err) {
				return err
			}
		}
		return nil
	})
}

const deliveryColumns = `id, subscription_id, event, event_key, policy_id, to_version, CAST(payload AS TEXT), status, attempts,
	last_error, created_at, updated_at, sent_at`

func scanDelivery(row scanner) (policywatch.Delivery, error) {
	var d policywatch.Delivery
	var to sql.NullInt64
	var payload string
	err := row.Scan(&d.ID, &d.SubscriptionID, &d.Event, &d.EventKey, &d.PolicyID, &to, &payload, &d.Status,
		&d.Attempts, &d.LastError, at(&d.CreatedAt), at(&d.UpdatedAt), at(&d.SentAt))
	d.ToVersion, d.Payload = to.Int64, []byte(payload)
	return d, err
}

func (s *Store) FindDelivery(ctx context.Context, id int64) (*policywatch.Delivery, error) {
	d, err := scanDelivery(s.read().row(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = $1`, id))
	if noRows(err) {
		return nil, notFound("delivery", id)
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func (s *Store) UpdateDelivery(ctx context.Context, d *policywatch.Delivery) error {
	d.UpdatedAt = ms(time.Now())
	res, err := s.exec(ctx, `UPDATE deliveries SET status = $1, attempts = $2, last_error = $3, updated_at = $4, sent_at = $5
		WHERE id = $6`, d.Status, d.Attempts, d.LastError, s.d.time(d.UpdatedAt), s.d.nullTime(d.SentAt), d.ID)
	return affected(res, err, "delivery", d.ID)
}

func (s *Store) ListDeliveries(ctx context.Context, f policywatch.DeliveryFilter) ([]policywatch.Delivery, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.read().query(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE (CAST($1 AS TEXT) = '' OR status = $1) AND (CAST($2 AS BIGINT) = 0 OR subscription_id = $2)
			AND (CAST($3 AS BIGINT) = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`,
		f.Status, f.SubscriptionID, f.Before, f.Limit)
	return collect(rows, err, scanDelivery)
}

func (s *Store) DeliveryCounts(ctx context.Context) (map[int64]policywatch.DeliveryCounts, error) {
	rows, err := s.read().query(ctx, `SELECT subscription_id, status, COUNT(*) FROM deliveries GROUP BY subscription_id, status`)
	type count struct {
		sub    int64
		status policywatch.DeliveryStatus
		n      int
	}
	counts, err := collect(rows, err, func(row scanner) (count, error) {
		var c count
		err := row.Scan(&c.sub, &c.status, &c.n)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]policywatch.DeliveryCounts{}
	for _, c := range counts {
		dc := out[c.sub]
		switch c.status {
		case policywatch.DeliverySent:
			dc.Sent += c.n
		case policywatch.DeliveryPending:
			dc.Pending += c.n
		case policywatch.DeliveryFailed:
			dc.Failed += c.n
		}
		out[c.sub] = dc
	}
	return out, nil
}
