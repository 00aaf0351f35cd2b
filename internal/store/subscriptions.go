package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/policywatch/policywatch"
)

func (s *Store) CreateSubscription(ctx context.Context, sub *policywatch.Subscription) error {
	sub.CreatedAt = ms(time.Now())
	if sub.Lang == "" {
		sub.Lang = "zh"
	}
	err := s.write(ctx, func(tx handle) error {
		return tx.row(ctx, `INSERT INTO subscriptions
			(id, kind, target, format, platform, policy_id, min_level, admin, lang, created_at)
			VALUES (`+tx.d.nextID("subscriptions")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			sub.Kind, sub.Target, sub.Format, sub.Platform, nullID(sub.PolicyID), sub.MinLevel, sub.Admin, sub.Lang,
			tx.d.time(sub.CreatedAt)).Scan(&sub.ID)
	})
	if s.d.classOf(err) == policywatch.ErrNotFound { // the only foreign key: the policy
		return notFound("policy", sub.PolicyID)
	}
	return err
}

func (s *Store) ListSubscriptions(ctx context.Context) ([]policywatch.Subscription, error) {
	rows, err := s.read().query(ctx, `SELECT id, kind, target, format, platform, policy_id, min_level, admin, lang, created_at
		FROM subscriptions ORDER BY id`)
	return collect(rows, err, func(row scanner) (policywatch.Subscription, error) {
		var sub policywatch.Subscription
		var policy sql.NullInt64
		err := row.Scan(&sub.ID, &sub.Kind, &sub.Target, &sub.Format, &sub.Platform, &policy, &sub.MinLevel,
			&sub.Admin, &sub.Lang, at(&sub.CreatedAt))
		sub.PolicyID = policy.Int64
		return sub, err
	})
}

func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id)
	return affected(res, err, "subscription", id)
}
