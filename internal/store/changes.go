package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	// The level is the newest analysis's of the pair; a level filter lets
	// through what was not analysed (Level.AtLeast).
	rows, err := s.read().query(ctx, `SELECT c.policy_id, c.policy, c.platform, c.url, c.prev, c.id, c.captured_at, c.level,
			COALESCE((SELECT a.summary FROM analyses a WHERE a.from_version = c.prev AND a.to_version = c.id AND a.lang = $4
				ORDER BY a.analyzed_at DESC LIMIT 1), '')
		FROM (SELECT x.*, COALESCE((SELECT a.level FROM analyses a WHERE a.from_version = x.prev AND a.to_version = x.id
					ORDER BY a.analyzed_at DESC LIMIT 1), '') AS level
			FROM (`+changeFrom+`WHERE (CAST($1 AS BIGINT) = 0 OR v.policy_id = $1) AND (CAST($2 AS TEXT) = '' OR v.policy_id IN (SELECT pp.id FROM policies pp
					JOIN platforms ppl ON ppl.id = pp.platform_id WHERE ppl.name = $2))
				AND NOT v.technical) x
			WHERE x.prev IS NOT NULL) c
		WHERE CAST($3 AS TEXT) = '' OR c.level = '' OR `+levelRank("c.level")+` >= `+levelRank("CAST($3 AS TEXT)")+`
		ORDER BY c.captured_at DESC, c.id DESC LIMIT $5 OFFSET $6`,
		f.PolicyID, f.Platform, string(f.MinLevel), f.Lang, f.Limit, max(f.Offset, 0))
	return collect(rows, err, func(row scanner) (policywatch.Change, error) {
		var c policywatch.Change
		var prev sql.NullInt64
		err := row.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &prev, &c.ToVersion, at(&c.CapturedAt), &c.Level, &c.Summary)
		c.FromVersion = prev.Int64
		return c, err
	})
}

// levelRank is SQL ranking the level expr as policywatch.Level.Rank does:
// none 0 … major 4, anything else -1.
func levelRank(expr string) string {
	var b strings.Builder
	b.WriteString("(CASE " + expr)
	for i, l := range policywatch.Levels {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", l, i)
	}
	b.WriteString(" ELSE -1 END)")
	return b.String()
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
