package store

import (
	"context"
	"database/sql"

	"github.com/policywatch/policywatch"
)

// Changes are versions recorded after another of their policy: the feeds
// list them (ListChanges), and those a check found wait in an outbox until
// their notifications are made (PendingChanges, MarkChangeNotified).

// changeFrom selects a change: the version v, its policy and platform, and
// prev, the version captured just before it.
const changeFrom = `SELECT v.policy_id, p.name AS policy, pl.name AS platform, p.url,
		(SELECT w.id FROM versions w WHERE w.policy_id = v.policy_id
			AND (w.captured_at < v.captured_at OR (w.captured_at = v.captured_at AND w.id < v.id))
			ORDER BY w.captured_at DESC, w.id DESC LIMIT 1) AS prev,
		v.id, v.captured_at
	FROM versions v JOIN policies p ON p.id = v.policy_id JOIN platforms pl ON pl.id = p.platform_id `

func scanChange(row scanner) (policywatch.Change, error) {
	var c policywatch.Change
	var prev sql.NullInt64
	err := row.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &prev, &c.ToVersion, at(&c.CapturedAt))
	c.FromVersion = prev.Int64
	return c, err
}

func (s *Store) ListChanges(ctx context.Context, f policywatch.ChangeFilter) ([]policywatch.Change, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.read().query(ctx, `SELECT * FROM (`+changeFrom+`
		WHERE (CAST($1 AS BIGINT) = 0 OR v.policy_id = $1) AND (CAST($2 AS TEXT) = '' OR pl.name = $2) AND NOT v.technical
	) c WHERE prev IS NOT NULL ORDER BY captured_at DESC, id DESC LIMIT $3`,
		f.PolicyID, f.Platform, f.Limit)
	return collect(rows, err, scanChange)
}

func (s *Store) PendingChanges(ctx context.Context, limit int) ([]policywatch.Change, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read().query(ctx, changeFrom+`WHERE v.notify_pending = TRUE ORDER BY v.id LIMIT $1`, limit)
	return collect(rows, err, scanChange)
}

func (s *Store) MarkChangeNotified(ctx context.Context, versionID int64) error {
	_, err := s.exec(ctx, `UPDATE versions SET notify_pending = FALSE WHERE id = $1`, versionID)
	return err
}
