package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/policywatch/policywatch"
)

// Policies as lists of many policies show them: the keys that order and
// filter them, and the overviews of one page of them.

func (s *Store) ListPolicyKeys(ctx context.Context) ([]policywatch.PolicyKey, error) {
	rows, err := s.read().query(ctx, `SELECT p.id, pl.name, p.name, p.url`+policyFrom+`ORDER BY pl.name, p.name, p.id`)
	return collect(rows, err, func(row scanner) (policywatch.PolicyKey, error) {
		var k policywatch.PolicyKey
		return k, row.Scan(&k.ID, &k.Platform, &k.Name, &k.URL)
	})
}

// overviewQuery reads the overviews of the policies whose ids are the
// statement's arguments (placeholders in). newest is the newest version
// that is not a technical re-extraction, prev the version captured just
// before it (as changes.go pairs them), and the level that of their
// analysis.
func overviewQuery(in string) string {
	return `SELECT o.id, o.platform, o.name, o.url, o.kind, o.status, o.last_error_class, o.last_checked_at,
		o.versions, o.newest, o.newest_at, o.prev,
		COALESCE((SELECT a.level FROM analyses a WHERE a.from_version = o.prev AND a.to_version = o.newest
			ORDER BY a.analyzed_at DESC LIMIT 1), '')
	FROM (SELECT n.*, nv.captured_at AS newest_at,
			(SELECT w.id FROM versions w WHERE w.policy_id = n.id
				AND (w.captured_at < nv.captured_at OR (w.captured_at = nv.captured_at AND w.id < nv.id))
				ORDER BY w.captured_at DESC, w.id DESC LIMIT 1) AS prev
		FROM (SELECT p.id, pl.name AS platform, p.name, p.url, p.kind, p.status, p.last_error_class, p.last_checked_at,
				(SELECT count(*) FROM versions v WHERE v.policy_id = p.id AND NOT v.technical) AS versions,
				(SELECT v.id FROM versions v WHERE v.policy_id = p.id AND NOT v.technical
					ORDER BY v.captured_at DESC, v.id DESC LIMIT 1) AS newest
			` + policyFrom + `WHERE p.id IN (` + in + `)) n
		LEFT JOIN versions nv ON nv.id = n.newest) o`
}

func (s *Store) ListOverviews(ctx context.Context, ids []int64) ([]policywatch.PolicyOverview, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "$"+strconv.Itoa(i+1), id
	}
	rows, err := s.read().query(ctx, overviewQuery(strings.Join(marks, ", ")), args...)
	found, err := collect(rows, err, scanOverview)
	if err != nil {
		return nil, err
	}
	// In the order asked for, which is the order of ListPolicyKeys.
	byID := make(map[int64]policywatch.PolicyOverview, len(found))
	for _, o := range found {
		byID[o.ID] = o
	}
	out := make([]policywatch.PolicyOverview, 0, len(found))
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

func scanOverview(row scanner) (policywatch.PolicyOverview, error) {
	var (
		o                   policywatch.PolicyOverview
		kind, status, class string
		level               string
		newest, prev        sql.NullInt64
	)
	err := row.Scan(&o.ID, &o.Platform, &o.Name, &o.URL, &kind, &status, &class, at(&o.LastCheckedAt),
		&o.Versions, &newest, at(&o.LastChange.CapturedAt), &prev, &level)
	o.Kind, o.Status, o.LastErrorClass = policywatch.Kind(kind), policywatch.Status(status), policywatch.ErrorClass(class)
	o.Changes = max(o.Versions-1, 0)
	if prev.Valid {
		c := &o.LastChange
		c.PolicyID, c.Policy, c.Platform, c.URL = o.ID, o.Name, o.Platform, o.URL
		c.FromVersion, c.ToVersion, c.Level = prev.Int64, newest.Int64, policywatch.Level(level)
		o.LastLevel = c.Level
	} else {
		o.LastChange = policywatch.Change{}
	}
	return o, err
}
