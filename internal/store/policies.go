package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
)

func (s *Store) CreatePolicy(ctx context.Context, p *policywatch.Policy) error {
	err := s.write(ctx, func(tx handle) error {
		return newPolicies(tx).insert(ctx, p)
	})
	return s.uniqueClash(err, p)
}

func (s *Store) CreatePolicies(ctx context.Context, ps []*policywatch.Policy) ([]error, error) {
	skipped := make([]error, len(ps))
	err := s.write(ctx, func(tx handle) error {
		ins := newPolicies(tx)
		for i, p := range ps {
			err := ins.insert(ctx, p)
			if policywatch.IsClass(err, policywatch.ErrAlreadyExists) {
				skipped[i] = err // found by checkUnique: nothing was written
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, p := range ps {
			p.ID, p.PlatformID = 0, 0 // rolled back
		}
		return nil, err
	}
	return skipped, nil
}

// policyWriter adds policies in one transaction, remembering the platforms
// it has seen (a bulk import names the same few again and again).
type policyWriter struct {
	tx        handle
	now       time.Time
	platforms map[string]int64
	locked    bool
}

func newPolicies(tx handle) *policyWriter {
	return &policyWriter{tx: tx, now: ms(time.Now()), platforms: map[string]int64{}}
}

// insert stores p unless checkUnique finds it a duplicate.
func (w *policyWriter) insert(ctx context.Context, p *policywatch.Policy) error {
	if err := w.lockUnique(ctx); err != nil {
		return err
	}
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	platformID, ok := w.platforms[p.Platform]
	if !ok {
		if platformID, err = ensurePlatform(ctx, w.tx, p.Platform, w.now); err != nil {
			return err
		}
		w.platforms[p.Platform] = platformID
	}
	if err := checkUnique(ctx, w.tx, platformID, p, 0); err != nil {
		return err
	}
	err = w.tx.row(ctx, `INSERT INTO policies
		(id, platform_id, name, kind, url, select_css, remove_css, render, interval_seconds, status, created_at, next_check_at)
		VALUES (`+w.tx.d.nextID("policies")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
		int64(p.Interval/time.Second), string(orActive(p.Status)), w.tx.d.time(w.now)).Scan(&p.ID)
	if err != nil {
		return err
	}
	p.PlatformID, p.CreatedAt, p.NextCheckAt = platformID, w.now, w.now
	p.Status = orActive(p.Status)
	return nil
}

func (w *policyWriter) lockUnique(ctx context.Context) error {
	if w.locked {
		return nil
	}
	w.locked = true
	return lockUnique(ctx, w.tx)
}

// policyUniqueKey is the lock under which policies are checked for
// duplicates and written.
const policyUniqueKey = 0x706f6c6963790002

// lockUnique makes writers of policies on other connections wait until
// this transaction ends, so that two of them never both find a URL free
// and both store it. A unique index cannot say "same URL" (the schema's
// index is on URL and selector, and databases made before this rule may
// hold one URL twice, which such an index would refuse to be built on);
// SQLite's write transactions hold the database already.
func lockUnique(ctx context.Context, tx handle) error {
	if tx.d.xactLock == "" {
		return nil
	}
	_, err := tx.exec(ctx, tx.d.xactLock, int64(policyUniqueKey))
	return err
}

func (s *Store) UpdatePolicy(ctx context.Context, p *policywatch.Policy) error {
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx handle) error {
		if err := lockUnique(ctx, tx); err != nil {
			return err
		}
		if err := lockPolicy(ctx, tx, p.ID); err != nil {
			return err
		}
		platformID, err := ensurePlatform(ctx, tx, p.Platform, time.Now())
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, platformID, p, p.ID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE policies SET platform_id = $1, name = $2, kind = $3, url = $4, select_css = $5,
			remove_css = $6, render = $7, interval_seconds = $8, status = $9,
			next_check_at = coalesce($11, next_check_at) WHERE id = $10`,
			platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
			int64(p.Interval/time.Second), string(orActive(p.Status)), p.ID, tx.d.nullTime(p.NextCheckAt))
		p.PlatformID = platformID
		return err
	})
	return s.uniqueClash(err, p)
}

// lockPolicy takes the policy's row for the transaction (on SQLite the
// transaction holds the database already): checks of one policy on other
// connections or machines wait here, so the one that comes second compares
// its words with what the first recorded.
func lockPolicy(ctx context.Context, tx handle, id int64) error {
	var got int64
	err := tx.row(ctx, `SELECT id FROM policies WHERE id = $1 FOR UPDATE`, id).Scan(&got)
	if noRows(err) {
		return notFound("policy", id)
	}
	return err
}

// uniqueClash names a clash that the database's constraints found after
// checkUnique looked (it should not happen: checkUnique runs under
// lockUnique).
func (s *Store) uniqueClash(err error, p *policywatch.Policy) error {
	if s.d.classOf(err) == policywatch.ErrAlreadyExists {
		return policywatch.Errorl(policywatch.ErrAlreadyExists, "exists.policy", p.Name, p.Platform, p.URL)
	}
	return err
}

func orActive(s policywatch.Status) policywatch.Status {
	if s == "" {
		return policywatch.StatusActive
	}
	return s
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func ensurePlatform(ctx context.Context, tx handle, name string, now time.Time) (int64, error) {
	if strings.TrimSpace(name) == "" {
		return 0, policywatch.Errorf(policywatch.ErrInvalid, "a policy needs a platform")
	}
	if _, err := tx.exec(ctx, `INSERT INTO platforms (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, tx.d.time(now)); err != nil {
		return 0, err
	}
	var id int64
	err := tx.row(ctx, `SELECT id FROM platforms WHERE name = $1`, name).Scan(&id)
	return id, err
}

// checkUnique is the rule for duplicates: no two policies have the same
// platform and name, or the same URL (whatever their selectors: one page
// is one policy; a URL fragment tells two parts of a page apart).
func checkUnique(ctx context.Context, tx handle, platformID int64, p *policywatch.Policy, self int64) error {
	var id int64
	err := tx.row(ctx, `SELECT id FROM policies WHERE platform_id = $1 AND name = $2 AND id <> $3`,
		platformID, p.Name, self).Scan(&id)
	if err == nil {
		return policywatch.Errorl(policywatch.ErrAlreadyExists, "exists.policy.name", p.Platform, p.Name, id)
	}
	if !noRows(err) {
		return err
	}
	if p.URL == "" {
		return nil
	}
	var name string
	// url <> '' lets the query use the partial index on (url, select_css)
	// whatever the URL.
	err = tx.row(ctx, `SELECT id, name FROM policies WHERE url = $1 AND url <> '' AND id <> $2 ORDER BY id LIMIT 1`,
		p.URL, self).Scan(&id, &name)
	if err == nil {
		return policywatch.Errorl(policywatch.ErrAlreadyExists, "exists.policy.url", p.URL, id, name)
	}
	if noRows(err) {
		return nil
	}
	return err
}

const policyColumns = `p.id, p.platform_id, pl.name, p.name, p.kind, p.url, p.select_css, CAST(p.remove_css AS TEXT), p.render,
	p.interval_seconds, p.status, p.last_error, p.last_error_class, p.consecutive_failures,
	p.created_at, p.last_checked_at, p.last_changed_at, p.next_check_at`

const policyFrom = ` FROM policies p JOIN platforms pl ON pl.id = p.platform_id `

func scanPolicy(row scanner, extra ...any) (*policywatch.Policy, error) {
	var (
		p                           policywatch.Policy
		kind, render, status, class string
		remove                      string
		interval                    int64
	)
	dest := []any{&p.ID, &p.PlatformID, &p.Platform, &p.Name, &kind, &p.URL, &p.Select, &remove, &render,
		&interval, &status, &p.LastError, &class, &p.ConsecutiveFailures,
		at(&p.CreatedAt), at(&p.LastCheckedAt), at(&p.LastChangedAt), at(&p.NextCheckAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	p.Kind, p.Render, p.Status = policywatch.Kind(kind), policywatch.RenderMode(render), policywatch.Status(status)
	p.LastErrorClass = policywatch.ErrorClass(class)
	p.Interval = time.Duration(interval) * time.Second
	if err := json.Unmarshal([]byte(remove), &p.Remove); err != nil {
		return nil, fmt.Errorf("policy %d: bad remove selectors: %w", p.ID, err)
	}
	return &p, nil
}

func (s *Store) FindPolicy(ctx context.Context, id int64) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.read().row(ctx, `SELECT `+policyColumns+policyFrom+`WHERE p.id = $1`, id))
	if noRows(err) {
		return nil, notFound("policy", id)
	}
	return p, err
}

func (s *Store) FindPolicyByName(ctx context.Context, platform, name string) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.read().row(ctx, `SELECT `+policyColumns+policyFrom+`WHERE pl.name = $1 AND p.name = $2`, platform, name))
	if noRows(err) {
		return nil, policywatch.Errorf(policywatch.ErrNotFound, "no policy %q on platform %q", name, platform)
	}
	return p, err
}

func (s *Store) ListPolicies(ctx context.Context) ([]policywatch.PolicySummary, error) {
	rows, err := s.read().query(ctx, `SELECT `+policyColumns+`,
		(SELECT count(*) FROM versions v WHERE v.policy_id = p.id),
		COALESCE((SELECT a.level FROM analyses a
			WHERE a.to_version = (SELECT id FROM versions v WHERE v.policy_id = p.id ORDER BY captured_at DESC, id DESC LIMIT 1)
			  AND a.from_version = (SELECT id FROM versions v WHERE v.policy_id = p.id ORDER BY captured_at DESC, id DESC LIMIT 1 OFFSET 1)
			ORDER BY a.analyzed_at DESC LIMIT 1), '')`+policyFrom+`ORDER BY pl.name, p.name, p.id`)
	return collect(rows, err, func(row scanner) (policywatch.PolicySummary, error) {
		var sum policywatch.PolicySummary
		p, err := scanPolicy(row, &sum.Versions, &sum.LastLevel)
		if err != nil {
			return sum, err
		}
		sum.Policy = *p
		return sum, nil
	})
}

// DeletePolicy deletes what refers to the policy child before parent, then
// the policy (whose foreign keys cascade to anything a later table adds),
// then its platform if no policy is left on it.
func (s *Store) DeletePolicy(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx handle) error {
		if err := lockPolicy(ctx, tx, id); err != nil {
			return err
		}
		var platformID int64
		if err := tx.row(ctx, `SELECT platform_id FROM policies WHERE id = $1`, id).Scan(&platformID); err != nil {
			return err
		}
		for _, stmt := range []string{
			// Deliveries about the policy, whatever subscription made them
			// (one to every policy included); its own subscriptions'.
			`DELETE FROM deliveries WHERE policy_id = $1
				OR subscription_id IN (SELECT id FROM subscriptions WHERE policy_id = $1)`,
			`DELETE FROM subscriptions WHERE policy_id = $1`,
			`DELETE FROM analyses WHERE from_version IN (SELECT id FROM versions WHERE policy_id = $1)
				OR to_version IN (SELECT id FROM versions WHERE policy_id = $1)`,
			`DELETE FROM check_runs WHERE policy_id = $1`,
			// The versions take the change outbox (notify_pending) with them.
			`DELETE FROM versions WHERE policy_id = $1`,
			`DELETE FROM snapshots WHERE policy_id = $1`,
			`DELETE FROM policies WHERE id = $1`,
		} {
			if _, err := tx.exec(ctx, stmt, id); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM platforms WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM policies WHERE platform_id = $1)`, platformID)
		return err
	})
}
