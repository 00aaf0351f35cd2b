// Package postgres is the store for many workers on many machines: one
// PostgreSQL database through pgx. It keeps the SQLite store's behaviour
// (the shared suite in storetest holds both to it); where SQLite relies on
// its single writer, this store locks the policy's row.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements policywatch.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ policywatch.Store = (*Store)(nil)

// Open connects to the database a postgres:// URL names and brings its
// schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad PostgreSQL URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot prepare the PostgreSQL database: %w", err)
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool is the connection pool, for the job queue that shares the database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// migrationLock is the advisory lock that makes concurrent openers apply
// migrations one at a time.
const migrationLock = 0x706f6c6963790001

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
			return err
		}
		for _, name := range names {
			var done int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now())`, name); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn in a transaction.
func (s *Store) write(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// ms keeps times to the millisecond, as the SQLite store does, so that both
// stores give back exactly what they were given.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := ms(t)
	return &u
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// ---- policies ----

func (s *Store) CreatePolicy(ctx context.Context, p *policywatch.Policy) error {
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	now := ms(time.Now())
	err = s.write(ctx, func(tx pgx.Tx) error {
		platformID, err := ensurePlatform(ctx, tx, p.Platform, now)
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, platformID, p, 0); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO policies
			(platform_id, name, kind, url, select_css, remove_css, render, interval_seconds, status, created_at, next_check_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
			int64(p.Interval/time.Second), string(orActive(p.Status)), now).Scan(&p.ID)
		if err != nil {
			return err
		}
		p.PlatformID, p.CreatedAt, p.NextCheckAt = platformID, now, now
		p.Status = orActive(p.Status)
		return nil
	})
	return uniqueClash(err, p)
}

// uniqueClash names a clash that a concurrent writer made after
// checkUnique looked.
func uniqueClash(err error, p *policywatch.Policy) error {
	if pgCode(err) == "23505" {
		return policywatch.Errorf(policywatch.ErrAlreadyExists, "a policy %q on %q or at %s already exists", p.Name, p.Platform, p.URL)
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

func ensurePlatform(ctx context.Context, tx pgx.Tx, name string, now time.Time) (int64, error) {
	if strings.TrimSpace(name) == "" {
		return 0, policywatch.Errorf(policywatch.ErrInvalid, "a policy needs a platform")
	}
	if _, err := tx.Exec(ctx, `INSERT INTO platforms (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, now); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM platforms WHERE name = $1`, name).Scan(&id)
	return id, err
}

// checkUnique explains a clash before the database's constraint would.
func checkUnique(ctx context.Context, tx pgx.Tx, platformID int64, p *policywatch.Policy, self int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM policies WHERE platform_id = $1 AND name = $2 AND id <> $3`,
		platformID, p.Name, self).Scan(&id)
	if err == nil {
		return policywatch.Errorf(policywatch.ErrAlreadyExists, "platform %q already has a policy named %q (id %d)", p.Platform, p.Name, id)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if p.URL == "" {
		return nil
	}
	var name string
	err = tx.QueryRow(ctx, `SELECT id, name FROM policies WHERE url = $1 AND select_css = $2 AND id <> $3`,
		p.URL, p.Select, self).Scan(&id, &name)
	if err == nil {
		return policywatch.Errorf(policywatch.ErrAlreadyExists, "%s is already tracked as policy %d (%s)", p.URL, id, name)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	return err
}

func (s *Store) UpdatePolicy(ctx context.Context, p *policywatch.Policy) error {
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx pgx.Tx) error {
		var exists int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM policies WHERE id = $1`, p.ID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return notFound("policy", p.ID)
		}
		platformID, err := ensurePlatform(ctx, tx, p.Platform, ms(time.Now()))
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, platformID, p, p.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE policies SET platform_id = $1, name = $2, kind = $3, url = $4, select_css = $5,
			remove_css = $6, render = $7, interval_seconds = $8, status = $9,
			next_check_at = coalesce($11::timestamptz, next_check_at) WHERE id = $10`,
			platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
			int64(p.Interval/time.Second), string(orActive(p.Status)), p.ID, nullTime(p.NextCheckAt))
		p.PlatformID = platformID
		return err
	})
	return uniqueClash(err, p)
}

const policyColumns = `p.id, p.platform_id, pl.name, p.name, p.kind, p.url, p.select_css, p.remove_css::text, p.render,
	p.interval_seconds, p.status, p.last_error, p.last_error_class, p.consecutive_failures,
	p.created_at, p.last_checked_at, p.last_changed_at, p.next_check_at`

const policyFrom = ` FROM policies p JOIN platforms pl ON pl.id = p.platform_id `

func scanPolicy(row pgx.Row, extra ...any) (*policywatch.Policy, error) {
	var (
		p                             policywatch.Policy
		kind, render, status, class   string
		remove                        string
		interval                      int64
		created                       time.Time
		lastChecked, lastChanged, due *time.Time
	)
	dest := []any{&p.ID, &p.PlatformID, &p.Platform, &p.Name, &kind, &p.URL, &p.Select, &remove, &render,
		&interval, &status, &p.LastError, &class, &p.ConsecutiveFailures,
		&created, &lastChecked, &lastChanged, &due}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	p.Kind, p.Render, p.Status = policywatch.Kind(kind), policywatch.RenderMode(render), policywatch.Status(status)
	p.LastErrorClass = policywatch.ErrorClass(class)
	p.Interval = time.Duration(interval) * time.Second
	if err := json.Unmarshal([]byte(remove), &p.Remove); err != nil {
		return nil, fmt.Errorf("policy %d: bad remove selectors: %w", p.ID, err)
	}
	p.CreatedAt = created.UTC()
	p.LastCheckedAt, p.LastChangedAt, p.NextCheckAt = fromNull(lastChecked), fromNull(lastChanged), fromNull(due)
	return &p, nil
}

func (s *Store) FindPolicy(ctx context.Context, id int64) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.pool.QueryRow(ctx, `SELECT `+policyColumns+policyFrom+`WHERE p.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("policy", id)
	}
	return p, err
}

func (s *Store) FindPolicyByName(ctx context.Context, platform, name string) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.pool.QueryRow(ctx, `SELECT `+policyColumns+policyFrom+`WHERE pl.name = $1 AND p.name = $2`, platform, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, policywatch.Errorf(policywatch.ErrNotFound, "no policy %q on platform %q", name, platform)
	}
	return p, err
}

func (s *Store) ListPolicies(ctx context.Context) ([]policywatch.PolicySummary, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+policyColumns+`,
		(SELECT count(*) FROM versions v WHERE v.policy_id = p.id),
		COALESCE((SELECT a.level FROM analyses a
			WHERE a.to_version = (SELECT id FROM versions v WHERE v.policy_id = p.id ORDER BY captured_at DESC, id DESC LIMIT 1)
			  AND a.from_version = (SELECT id FROM versions v WHERE v.policy_id = p.id ORDER BY captured_at DESC, id DESC LIMIT 1 OFFSET 1)
			ORDER BY a.analyzed_at DESC LIMIT 1), '')`+policyFrom+`ORDER BY pl.name, p.name, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.PolicySummary
	for rows.Next() {
		var n int
		var level string
		p, err := scanPolicy(rows, &n, &level)
		if err != nil {
			return nil, err
		}
		out = append(out, policywatch.PolicySummary{Policy: *p, Versions: n, LastLevel: level})
	}
	return out, rows.Err()
}

func notFound(what string, id int64) error {
	return policywatch.Errorf(policywatch.ErrNotFound, "%s %d not found", what, id)
}

// ---- checks ----

func (s *Store) FetchState(ctx context.Context, policyID int64) (policywatch.FetchState, error) {
	var st policywatch.FetchState
	err := s.pool.QueryRow(ctx, `SELECT etag, last_modified, raw_sha256, held_hash FROM policies WHERE id = $1`, policyID).
		Scan(&st.ETag, &st.LastModified, &st.RawSHA256, &st.HeldHash)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, notFound("policy", policyID)
	}
	return st, err
}

// lockPolicy takes the policy's row for the transaction: checks of one
// policy on other connections or machines wait here, so the one that comes
// second compares its words with what the first recorded.
func lockPolicy(ctx context.Context, tx pgx.Tx, id int64) error {
	var got int64
	err := tx.QueryRow(ctx, `SELECT id FROM policies WHERE id = $1 FOR UPDATE`, id).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("policy", id)
	}
	return err
}

func (s *Store) RecordCheck(ctx context.Context, rec *policywatch.CheckRecord) error {
	run := &rec.Run
	return s.write(ctx, func(tx pgx.Tx) error {
		if err := lockPolicy(ctx, tx, run.PolicyID); err != nil {
			return err
		}
		var changedAt *time.Time
		if rec.Version != nil {
			rec.Version.PolicyID = run.PolicyID
			result, err := insertVersion(ctx, tx, rec.Snapshot, rec.Version, false)
			if err != nil {
				return err
			}
			run.Result, run.VersionID = result, rec.Version.ID
			if result != policywatch.ResultUnchanged {
				changedAt = nullTime(rec.Version.CapturedAt)
			}
		}
		if err := insertRun(ctx, tx, run); err != nil {
			return err
		}
		return updateAfterCheck(ctx, tx, rec, changedAt)
	})
}

// insertVersion stores v (and its snapshot) unless the version it is
// compared with has the same comparison hash; then v takes that version's
// id and the result is unchanged. A check compares with the newest version,
// a back-fill (preceding) with the one captured just before it.
func insertVersion(ctx context.Context, tx pgx.Tx, snap *policywatch.Snapshot, v *policywatch.Version, preceding bool) (policywatch.Result, error) {
	var prevID int64
	var prevHash string
	var row pgx.Row
	if preceding {
		row = tx.QueryRow(ctx, `SELECT id, compare_hash FROM versions WHERE policy_id = $1 AND captured_at <= $2
			ORDER BY captured_at DESC, id DESC LIMIT 1`, v.PolicyID, ms(v.CapturedAt))
	} else {
		row = tx.QueryRow(ctx, `SELECT id, compare_hash FROM versions WHERE policy_id = $1
			ORDER BY captured_at DESC, id DESC LIMIT 1`, v.PolicyID)
	}
	err := row.Scan(&prevID, &prevHash)
	switch {
	case err == nil && prevHash == v.CompareHash:
		v.ID = prevID
		return policywatch.ResultUnchanged, nil
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
		return "", err
	}
	var existing int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM versions WHERE policy_id = $1`, v.PolicyID).Scan(&existing); err != nil {
		return "", err
	}
	if snap != nil {
		snap.PolicyID = v.PolicyID
		err := tx.QueryRow(ctx, `INSERT INTO snapshots
			(policy_id, url, fetched_at, http_status, content_type, sha256, renderer, size, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			snap.PolicyID, snap.URL, ms(snap.FetchedAt), snap.HTTPStatus, snap.ContentType, snap.SHA256,
			snap.Renderer, len(snap.Body), compress.Compress(snap.Body)).Scan(&snap.ID)
		if err != nil {
			return "", err
		}
		v.SnapshotID = snap.ID
	}
	// Only a change a check found is news; a back-fill is history.
	announce := existing > 0 && v.Source == "check"
	if err := storeVersion(ctx, tx, v, announce); err != nil {
		return "", err
	}
	if existing == 0 {
		return policywatch.ResultFirst, nil
	}
	return policywatch.ResultChanged, nil
}

func storeVersion(ctx context.Context, tx pgx.Tx, v *policywatch.Version, announce bool) error {
	return tx.QueryRow(ctx, `INSERT INTO versions
		(policy_id, snapshot_id, captured_at, text, sha256, compare_hash, chars, extractor, source, technical, notify_pending)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		v.PolicyID, nullID(v.SnapshotID), ms(v.CapturedAt), compress.Compress([]byte(v.Text)),
		v.SHA256, v.CompareHash, v.Chars, v.Extractor, v.Source, v.Technical, announce).Scan(&v.ID)
}

func insertRun(ctx context.Context, tx pgx.Tx, run *policywatch.CheckRun) error {
	return tx.QueryRow(ctx, `INSERT INTO check_runs
		(policy_id, started_at, duration_ms, result, error_class, error, http_status, version_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		run.PolicyID, ms(run.StartedAt), run.Duration.Milliseconds(), string(run.Result),
		string(run.ErrorClass), run.Error, run.HTTPStatus, nullID(run.VersionID)).Scan(&run.ID)
}

// updateAfterCheck records the check on the policy: failure counting and
// status, timestamps, and the fetch state.
func updateAfterCheck(ctx context.Context, tx pgx.Tx, rec *policywatch.CheckRecord, changedAt *time.Time) error {
	run := rec.Run
	failingAfter := rec.FailingAfter
	if failingAfter <= 0 {
		failingAfter = policywatch.DefaultFailingAfter
	}
	started := ms(run.StartedAt)
	var next *time.Time
	if !rec.NextCheckAt.IsZero() {
		next = nullTime(rec.NextCheckAt)
	}
	var before, after string
	if err := tx.QueryRow(ctx, `SELECT status FROM policies WHERE id = $1`, run.PolicyID).Scan(&before); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("policy", run.PolicyID)
		}
		return err
	}
	var err error
	if run.Result == policywatch.ResultFailed {
		err = tx.QueryRow(ctx, `UPDATE policies SET
			consecutive_failures = consecutive_failures + 1,
			last_error = $1, last_error_class = $2,
			status = CASE WHEN status = 'paused' THEN status WHEN consecutive_failures + 1 >= $3::int THEN 'failing' ELSE status END,
			last_checked_at = $4::timestamptz,
			next_check_at = coalesce($6::timestamptz, $4::timestamptz + make_interval(secs => interval_seconds))
			WHERE id = $5 RETURNING status`,
			run.Error, string(run.ErrorClass), failingAfter, started, run.PolicyID, next).Scan(&after)
	} else {
		err = tx.QueryRow(ctx, `UPDATE policies SET
			consecutive_failures = 0, last_error = '', last_error_class = '',
			status = CASE WHEN status = 'paused' THEN status ELSE 'active' END,
			last_checked_at = $1::timestamptz,
			next_check_at = coalesce($4::timestamptz, $1::timestamptz + make_interval(secs => interval_seconds)),
			last_changed_at = GREATEST(last_changed_at, $2::timestamptz)
			WHERE id = $3 RETURNING status`,
			started, changedAt, run.PolicyID, next).Scan(&after)
	}
	if err != nil {
		return err
	}
	rec.StatusBefore, rec.StatusAfter = policywatch.Status(before), policywatch.Status(after)
	if st := rec.State; st != nil {
		_, err = tx.Exec(ctx, `UPDATE policies SET etag = $1, last_modified = $2, raw_sha256 = $3, held_hash = $4 WHERE id = $5`,
			st.ETag, st.LastModified, st.RawSHA256, st.HeldHash, run.PolicyID)
	}
	return err
}

func (s *Store) ImportVersion(ctx context.Context, snap *policywatch.Snapshot, v *policywatch.Version) (policywatch.Result, error) {
	var result policywatch.Result
	err := s.write(ctx, func(tx pgx.Tx) error {
		if err := lockPolicy(ctx, tx, v.PolicyID); err != nil {
			return err
		}
		var err error
		if result, err = insertVersion(ctx, tx, snap, v, true); err != nil {
			return err
		}
		if result == policywatch.ResultUnchanged {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE policies SET last_changed_at = GREATEST(last_changed_at, $1) WHERE id = $2`,
			ms(v.CapturedAt), v.PolicyID)
		return err
	})
	return result, err
}

// ---- versions, snapshots, runs ----

const versionColumns = `id, policy_id, snapshot_id, captured_at, sha256, compare_hash, chars, extractor, source, technical`

func scanVersion(row pgx.Row, extra ...any) (*policywatch.Version, error) {
	var v policywatch.Version
	var snap *int64
	var captured time.Time
	if err := row.Scan(append([]any{&v.ID, &v.PolicyID, &snap, &captured, &v.SHA256, &v.CompareHash,
		&v.Chars, &v.Extractor, &v.Source, &v.Technical}, extra...)...); err != nil {
		return nil, err
	}
	if snap != nil {
		v.SnapshotID = *snap
	}
	v.CapturedAt = captured.UTC()
	return &v, nil
}

func (s *Store) ListVersions(ctx context.Context, policyID int64) ([]policywatch.Version, error) {
	if _, err := s.FindPolicy(ctx, policyID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = $1 ORDER BY captured_at, id`, policyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

func (s *Store) FindVersion(ctx context.Context, id int64) (*policywatch.Version, error) {
	var text []byte
	v, err := scanVersion(s.pool.QueryRow(ctx, `SELECT `+versionColumns+`, text FROM versions WHERE id = $1`, id), &text)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("version", id)
	}
	if err != nil {
		return nil, err
	}
	plain, err := compress.Decompress(text)
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", id, err)
	}
	v.Text = string(plain)
	return v, nil
}

func (s *Store) LatestVersion(ctx context.Context, policyID int64) (*policywatch.Version, error) {
	v, err := scanVersion(s.pool.QueryRow(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = $1
		ORDER BY captured_at DESC, id DESC LIMIT 1`, policyID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

func (s *Store) FindSnapshot(ctx context.Context, id int64) (*policywatch.Snapshot, error) {
	var snap policywatch.Snapshot
	var fetched time.Time
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT id, policy_id, url, fetched_at, http_status, content_type, sha256, renderer, body
		FROM snapshots WHERE id = $1`, id).Scan(&snap.ID, &snap.PolicyID, &snap.URL, &fetched, &snap.HTTPStatus,
		&snap.ContentType, &snap.SHA256, &snap.Renderer, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("snapshot", id)
	}
	if err != nil {
		return nil, err
	}
	snap.FetchedAt = fetched.UTC()
	if snap.Body, err = compress.Decompress(body); err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return &snap, nil
}

func (s *Store) ListCheckRuns(ctx context.Context, policyID int64, limit int) ([]policywatch.CheckRun, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT id, policy_id, started_at, duration_ms, result, error_class, error,
		http_status, version_id FROM check_runs WHERE policy_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, policyID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.CheckRun
	for rows.Next() {
		var r policywatch.CheckRun
		var started time.Time
		var dur int64
		var result, class string
		var version *int64
		if err := rows.Scan(&r.ID, &r.PolicyID, &started, &dur, &result, &class, &r.Error, &r.HTTPStatus, &version); err != nil {
			return nil, err
		}
		r.StartedAt, r.Duration = started.UTC(), time.Duration(dur)*time.Millisecond
		r.Result, r.ErrorClass = policywatch.Result(result), policywatch.ErrorClass(class)
		if version != nil {
			r.VersionID = *version
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ---- analyses ----

func (s *Store) SaveAnalysis(ctx context.Context, a *policywatch.Analysis) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO analyses (from_version, to_version, engine, lang, level, summary, report, analyzed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (from_version, to_version, engine, lang) DO UPDATE SET
			level = excluded.level, summary = excluded.summary, report = excluded.report, analyzed_at = excluded.analyzed_at`,
		a.FromVersion, a.ToVersion, a.Engine, a.Lang, a.Level, a.Summary, compress.Compress(a.Report), ms(a.AnalyzedAt))
	if pgCode(err) == "23503" { // foreign_key_violation
		return policywatch.Errorf(policywatch.ErrNotFound, "version %d or %d not found", a.FromVersion, a.ToVersion)
	}
	return err
}

const analysisColumns = `from_version, to_version, engine, lang, level, summary, analyzed_at`

func scanAnalysis(row pgx.Row, extra ...any) (policywatch.Analysis, error) {
	var a policywatch.Analysis
	var at time.Time
	err := row.Scan(append([]any{&a.FromVersion, &a.ToVersion, &a.Engine, &a.Lang, &a.Level, &a.Summary, &at}, extra...)...)
	a.AnalyzedAt = at.UTC()
	return a, err
}

func (s *Store) FindAnalyses(ctx context.Context, from, to int64) ([]policywatch.Analysis, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+analysisColumns+`, report FROM analyses
		WHERE from_version = $1 AND to_version = $2 ORDER BY analyzed_at DESC, engine`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Analysis
	for rows.Next() {
		var report []byte
		a, err := scanAnalysis(rows, &report)
		if err != nil {
			return nil, err
		}
		if a.Report, err = compress.Decompress(report); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) ListAnalyses(ctx context.Context, policyID int64) ([]policywatch.Analysis, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+analysisColumns+` FROM analyses
		WHERE to_version IN (SELECT id FROM versions WHERE policy_id = $1) ORDER BY analyzed_at DESC, engine`, policyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Analysis
	for rows.Next() {
		a, err := scanAnalysis(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ---- changes ----

func (s *Store) ListChanges(ctx context.Context, f policywatch.ChangeFilter) ([]policywatch.Change, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.pool.Query(ctx, `SELECT * FROM (
		SELECT v.policy_id, p.name AS policy, pl.name AS platform, p.url,
			(SELECT w.id FROM versions w WHERE w.policy_id = v.policy_id
				AND (w.captured_at < v.captured_at OR (w.captured_at = v.captured_at AND w.id < v.id))
				ORDER BY w.captured_at DESC, w.id DESC LIMIT 1) AS prev,
			v.id, v.captured_at
		FROM versions v JOIN policies p ON p.id = v.policy_id JOIN platforms pl ON pl.id = p.platform_id
		WHERE ($1::bigint = 0 OR v.policy_id = $1) AND ($2::text = '' OR pl.name = $2) AND NOT v.technical
	) c WHERE prev IS NOT NULL ORDER BY captured_at DESC, id DESC LIMIT $3`,
		f.PolicyID, f.Platform, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Change
	for rows.Next() {
		var c policywatch.Change
		var at time.Time
		if err := rows.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &c.FromVersion, &c.ToVersion, &at); err != nil {
			return nil, err
		}
		c.CapturedAt = at.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
