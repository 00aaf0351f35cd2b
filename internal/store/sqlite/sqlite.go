// Package sqlite is the embedded store: one SQLite file in WAL mode through
// modernc.org/sqlite (pure Go, no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements policywatch.Store on SQLite.
type Store struct {
	db *sql.DB
	// writeMu serialises this process's write transactions: SQLite has one
	// writer at a time, and waiting on a Go mutex is far cheaper than
	// SQLite's sleeping busy handler. Other processes are still covered by
	// busy_timeout.
	writeMu sync.Mutex
}

var _ policywatch.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := OpenDB(path)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot prepare database %s: %w", path, err)
	}
	return s, nil
}

// OpenDB opens the database file at path with the settings every user of it
// needs (WAL, busy timeout, foreign keys, immediate write transactions); the
// job queue opens its own connection with it.
func OpenDB(path string) (*sql.DB, error) {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	if path == "" {
		return nil, errors.New("empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("cannot open database %s: directory %s does not exist", path, dir)
		}
	}
	dsn := "file:" + escapePath(path) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	return db, nil
}

// escapePath makes a file path safe inside a SQLite URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrate applies the embedded migrations not yet applied, each in its own
// transaction; concurrent openers wait on the write lock.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
			return err
		}
		for _, name := range names {
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
				name, time.Now().UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn in a write transaction.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ---- policies ----

func (s *Store) CreatePolicy(ctx context.Context, p *policywatch.Policy) error {
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	return s.write(ctx, func(tx *sql.Tx) error {
		platformID, err := ensurePlatform(ctx, tx, p.Platform, now)
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, platformID, p, 0); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO policies
			(platform_id, name, kind, url, select_css, remove_css, render, interval_seconds, status, created_at, next_check_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
			int64(p.Interval/time.Second), string(orActive(p.Status)), now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		p.ID, err = res.LastInsertId()
		p.PlatformID, p.CreatedAt, p.NextCheckAt = platformID, now, now
		p.Status = orActive(p.Status)
		return err
	})
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

func ensurePlatform(ctx context.Context, tx *sql.Tx, name string, now time.Time) (int64, error) {
	if strings.TrimSpace(name) == "" {
		return 0, policywatch.Errorf(policywatch.ErrInvalid, "a policy needs a platform")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO platforms (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, now.UnixMilli()); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM platforms WHERE name = ?`, name).Scan(&id)
	return id, err
}

// checkUnique explains a clash before the database's constraint would.
func checkUnique(ctx context.Context, tx *sql.Tx, platformID int64, p *policywatch.Policy, self int64) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM policies WHERE platform_id = ? AND name = ? AND id <> ?`,
		platformID, p.Name, self).Scan(&id)
	if err == nil {
		return policywatch.Errorf(policywatch.ErrAlreadyExists, "platform %q already has a policy named %q (id %d)", p.Platform, p.Name, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if p.URL == "" {
		return nil
	}
	var name string
	err = tx.QueryRowContext(ctx, `SELECT id, name FROM policies WHERE url = ? AND select_css = ? AND id <> ?`,
		p.URL, p.Select, self).Scan(&id, &name)
	if err == nil {
		return policywatch.Errorf(policywatch.ErrAlreadyExists, "%s is already tracked as policy %d (%s)", p.URL, id, name)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

func (s *Store) UpdatePolicy(ctx context.Context, p *policywatch.Policy) error {
	remove, err := json.Marshal(nonNil(p.Remove))
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM policies WHERE id = ?`, p.ID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return notFound("policy", p.ID)
		}
		platformID, err := ensurePlatform(ctx, tx, p.Platform, time.Now())
		if err != nil {
			return err
		}
		if err := checkUnique(ctx, tx, platformID, p, p.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE policies SET platform_id = ?, name = ?, kind = ?, url = ?, select_css = ?,
			remove_css = ?, render = ?, interval_seconds = ?, status = ?, next_check_at = coalesce(?, next_check_at) WHERE id = ?`,
			platformID, p.Name, string(p.Kind), p.URL, p.Select, string(remove), string(p.Render),
			int64(p.Interval/time.Second), string(orActive(p.Status)), millisOrNull(p.NextCheckAt), p.ID)
		p.PlatformID = platformID
		return err
	})
}

const policyColumns = `p.id, p.platform_id, pl.name, p.name, p.kind, p.url, p.select_css, p.remove_css, p.render,
	p.interval_seconds, p.status, p.last_error, p.last_error_class, p.consecutive_failures,
	p.created_at, p.last_checked_at, p.last_changed_at, p.next_check_at`

const policyFrom = ` FROM policies p JOIN platforms pl ON pl.id = p.platform_id `

type scanner interface{ Scan(dest ...any) error }

func scanPolicy(row scanner, extra ...any) (*policywatch.Policy, error) {
	var (
		p                             policywatch.Policy
		kind, render, status, class   string
		remove                        string
		interval, created             int64
		lastChecked, lastChanged, due sql.NullInt64
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
	p.CreatedAt = fromMillis(sql.NullInt64{Int64: created, Valid: true})
	p.LastCheckedAt, p.LastChangedAt, p.NextCheckAt = fromMillis(lastChecked), fromMillis(lastChanged), fromMillis(due)
	return &p, nil
}

func millisOrNull(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMilli(n.Int64).UTC()
}

func (s *Store) FindPolicy(ctx context.Context, id int64) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.db.QueryRowContext(ctx, `SELECT `+policyColumns+policyFrom+`WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("policy", id)
	}
	return p, err
}

func (s *Store) FindPolicyByName(ctx context.Context, platform, name string) (*policywatch.Policy, error) {
	p, err := scanPolicy(s.db.QueryRowContext(ctx, `SELECT `+policyColumns+policyFrom+`WHERE pl.name = ? AND p.name = ?`, platform, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, policywatch.Errorf(policywatch.ErrNotFound, "no policy %q on platform %q", name, platform)
	}
	return p, err
}

func (s *Store) ListPolicies(ctx context.Context) ([]policywatch.PolicySummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+policyColumns+`,
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
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified, raw_sha256, held_hash FROM policies WHERE id = ?`, policyID).
		Scan(&st.ETag, &st.LastModified, &st.RawSHA256, &st.HeldHash)
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFound("policy", policyID)
	}
	return st, err
}

func (s *Store) RecordCheck(ctx context.Context, rec *policywatch.CheckRecord) error {
	run := &rec.Run
	return s.write(ctx, func(tx *sql.Tx) error {
		changedAt := sql.NullInt64{}
		if rec.Version != nil {
			rec.Version.PolicyID = run.PolicyID
			result, err := insertVersion(ctx, tx, rec.Snapshot, rec.Version, latestVersion)
			if err != nil {
				return err
			}
			run.Result, run.VersionID = result, rec.Version.ID
			if result != policywatch.ResultUnchanged {
				changedAt = sql.NullInt64{Int64: rec.Version.CapturedAt.UnixMilli(), Valid: true}
			}
		}
		if err := insertRun(ctx, tx, run); err != nil {
			return err
		}
		return updateAfterCheck(ctx, tx, rec, changedAt)
	})
}

// Which stored version a new one is compared with before it is recorded: a
// check compares with the newest (a concurrent check may have recorded the
// same words a moment later), a back-fill with the one captured just before.
const (
	latestVersion = `SELECT id, compare_hash FROM versions WHERE policy_id = ? AND ? IS NOT NULL
		ORDER BY captured_at DESC, id DESC LIMIT 1`
	precedingVersion = `SELECT id, compare_hash FROM versions WHERE policy_id = ? AND captured_at <= ?
		ORDER BY captured_at DESC, id DESC LIMIT 1`
)

// insertVersion stores v (and its snapshot) unless the version found by the
// query `against` has the same comparison hash; then v takes that version's
// id and the result is unchanged.
func insertVersion(ctx context.Context, tx *sql.Tx, snap *policywatch.Snapshot, v *policywatch.Version, against string) (policywatch.Result, error) {
	var prevID int64
	var prevHash string
	err := tx.QueryRowContext(ctx, against, v.PolicyID, v.CapturedAt.UnixMilli()).Scan(&prevID, &prevHash)
	switch {
	case err == nil && prevHash == v.CompareHash:
		v.ID = prevID
		return policywatch.ResultUnchanged, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return "", err
	}
	var existing int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM versions WHERE policy_id = ?`, v.PolicyID).Scan(&existing); err != nil {
		return "", err
	}
	if snap != nil {
		snap.PolicyID = v.PolicyID
		res, err := tx.ExecContext(ctx, `INSERT INTO snapshots
			(policy_id, url, fetched_at, http_status, content_type, sha256, renderer, size, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			snap.PolicyID, snap.URL, snap.FetchedAt.UnixMilli(), snap.HTTPStatus, snap.ContentType, snap.SHA256,
			snap.Renderer, len(snap.Body), compress.Compress(snap.Body))
		if err != nil {
			return "", err
		}
		if snap.ID, err = res.LastInsertId(); err != nil {
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

func storeVersion(ctx context.Context, tx *sql.Tx, v *policywatch.Version, announce bool) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO versions
		(policy_id, snapshot_id, captured_at, text, sha256, compare_hash, chars, extractor, source, technical, notify_pending)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.PolicyID, nullID(v.SnapshotID), v.CapturedAt.UnixMilli(), compress.Compress([]byte(v.Text)),
		v.SHA256, v.CompareHash, v.Chars, v.Extractor, v.Source, v.Technical, announce)
	if err != nil {
		return err
	}
	v.ID, err = res.LastInsertId()
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func insertRun(ctx context.Context, tx *sql.Tx, run *policywatch.CheckRun) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO check_runs
		(policy_id, started_at, duration_ms, result, error_class, error, http_status, version_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		run.PolicyID, run.StartedAt.UnixMilli(), run.Duration.Milliseconds(), string(run.Result),
		string(run.ErrorClass), run.Error, run.HTTPStatus, nullID(run.VersionID))
	if err != nil {
		return err
	}
	run.ID, err = res.LastInsertId()
	return err
}

// updateAfterCheck records the check on the policy: failure counting and
// status, timestamps, and the fetch state.
func updateAfterCheck(ctx context.Context, tx *sql.Tx, rec *policywatch.CheckRecord, changedAt sql.NullInt64) error {
	run := rec.Run
	failingAfter := rec.FailingAfter
	if failingAfter <= 0 {
		failingAfter = policywatch.DefaultFailingAfter
	}
	started := run.StartedAt.UnixMilli()
	var next sql.NullInt64
	if !rec.NextCheckAt.IsZero() {
		next = sql.NullInt64{Int64: rec.NextCheckAt.UnixMilli(), Valid: true}
	}
	var before, after string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM policies WHERE id = ?`, run.PolicyID).Scan(&before); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("policy", run.PolicyID)
		}
		return err
	}
	var err error
	if run.Result == policywatch.ResultFailed {
		err = tx.QueryRowContext(ctx, `UPDATE policies SET
			consecutive_failures = consecutive_failures + 1,
			last_error = ?, last_error_class = ?,
			status = CASE WHEN status = 'paused' THEN status WHEN consecutive_failures + 1 >= ? THEN 'failing' ELSE status END,
			last_checked_at = ?, next_check_at = coalesce(?, ? + interval_seconds * 1000)
			WHERE id = ? RETURNING status`,
			run.Error, string(run.ErrorClass), failingAfter, started, next, started, run.PolicyID).Scan(&after)
	} else {
		err = tx.QueryRowContext(ctx, `UPDATE policies SET
			consecutive_failures = 0, last_error = '', last_error_class = '',
			status = CASE WHEN status = 'paused' THEN status ELSE 'active' END,
			last_checked_at = ?, next_check_at = coalesce(?, ? + interval_seconds * 1000),
			last_changed_at = CASE WHEN ? IS NULL THEN last_changed_at ELSE max(coalesce(last_changed_at, 0), ?) END
			WHERE id = ? RETURNING status`,
			started, next, started, changedAt, changedAt, run.PolicyID).Scan(&after)
	}
	if err != nil {
		return err
	}
	rec.StatusBefore, rec.StatusAfter = policywatch.Status(before), policywatch.Status(after)
	if st := rec.State; st != nil {
		_, err = tx.ExecContext(ctx, `UPDATE policies SET etag = ?, last_modified = ?, raw_sha256 = ?, held_hash = ? WHERE id = ?`,
			st.ETag, st.LastModified, st.RawSHA256, st.HeldHash, run.PolicyID)
	}
	return err
}

func (s *Store) ImportVersion(ctx context.Context, snap *policywatch.Snapshot, v *policywatch.Version) (policywatch.Result, error) {
	var result policywatch.Result
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if result, err = insertVersion(ctx, tx, snap, v, precedingVersion); err != nil {
			return err
		}
		if result == policywatch.ResultUnchanged {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE policies SET last_changed_at = max(coalesce(last_changed_at, 0), ?) WHERE id = ?`,
			v.CapturedAt.UnixMilli(), v.PolicyID)
		return err
	})
	return result, err
}

// ---- versions, snapshots, runs ----

const versionColumns = `id, policy_id, snapshot_id, captured_at, sha256, compare_hash, chars, extractor, source, technical`

func scanVersion(row scanner, extra ...any) (*policywatch.Version, error) {
	var v policywatch.Version
	var snap sql.NullInt64
	var captured int64
	if err := row.Scan(append([]any{&v.ID, &v.PolicyID, &snap, &captured, &v.SHA256, &v.CompareHash,
		&v.Chars, &v.Extractor, &v.Source, &v.Technical}, extra...)...); err != nil {
		return nil, err
	}
	v.SnapshotID = snap.Int64
	v.CapturedAt = time.UnixMilli(captured).UTC()
	return &v, nil
}

func (s *Store) ListVersions(ctx context.Context, policyID int64) ([]policywatch.Version, error) {
	if _, err := s.FindPolicy(ctx, policyID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = ? ORDER BY captured_at, id`, policyID)
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
	v, err := scanVersion(s.db.QueryRowContext(ctx, `SELECT `+versionColumns+`, text FROM versions WHERE id = ?`, id), &text)
	if errors.Is(err, sql.ErrNoRows) {
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
	v, err := scanVersion(s.db.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = ?
		ORDER BY captured_at DESC, id DESC LIMIT 1`, policyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

func (s *Store) FindSnapshot(ctx context.Context, id int64) (*policywatch.Snapshot, error) {
	var snap policywatch.Snapshot
	var fetched int64
	var body []byte
	err := s.db.QueryRowContext(ctx, `SELECT id, policy_id, url, fetched_at, http_status, content_type, sha256, renderer, body
		FROM snapshots WHERE id = ?`, id).Scan(&snap.ID, &snap.PolicyID, &snap.URL, &fetched, &snap.HTTPStatus,
		&snap.ContentType, &snap.SHA256, &snap.Renderer, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("snapshot", id)
	}
	if err != nil {
		return nil, err
	}
	snap.FetchedAt = time.UnixMilli(fetched).UTC()
	if snap.Body, err = compress.Decompress(body); err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return &snap, nil
}

func (s *Store) ListCheckRuns(ctx context.Context, policyID int64, limit int) ([]policywatch.CheckRun, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, policy_id, started_at, duration_ms, result, error_class, error,
		http_status, version_id FROM check_runs WHERE policy_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`, policyID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.CheckRun
	for rows.Next() {
		var r policywatch.CheckRun
		var started, dur int64
		var result, class string
		var version sql.NullInt64
		if err := rows.Scan(&r.ID, &r.PolicyID, &started, &dur, &result, &class, &r.Error, &r.HTTPStatus, &version); err != nil {
			return nil, err
		}
		r.StartedAt, r.Duration = time.UnixMilli(started).UTC(), time.Duration(dur)*time.Millisecond
		r.Result, r.ErrorClass, r.VersionID = policywatch.Result(result), policywatch.ErrorClass(class), version.Int64
		out = append(out, r)
	}
	return out, rows.Err()
}

// ---- analyses ----

func (s *Store) SaveAnalysis(ctx context.Context, a *policywatch.Analysis) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO analyses (from_version, to_version, engine, lang, level, summary, report, analyzed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (from_version, to_version, engine, lang) DO UPDATE SET
				level = excluded.level, summary = excluded.summary, report = excluded.report, analyzed_at = excluded.analyzed_at`,
			a.FromVersion, a.ToVersion, a.Engine, a.Lang, a.Level, a.Summary, compress.Compress(a.Report), a.AnalyzedAt.UnixMilli())
		if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
			return policywatch.Errorf(policywatch.ErrNotFound, "version %d or %d not found", a.FromVersion, a.ToVersion)
		}
		return err
	})
}

const analysisColumns = `from_version, to_version, engine, lang, level, summary, analyzed_at`

func scanAnalysis(row scanner, extra ...any) (policywatch.Analysis, error) {
	var a policywatch.Analysis
	var at int64
	err := row.Scan(append([]any{&a.FromVersion, &a.ToVersion, &a.Engine, &a.Lang, &a.Level, &a.Summary, &at}, extra...)...)
	a.AnalyzedAt = time.UnixMilli(at).UTC()
	return a, err
}

func (s *Store) FindAnalyses(ctx context.Context, from, to int64) ([]policywatch.Analysis, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+analysisColumns+`, report FROM analyses
		WHERE from_version = ? AND to_version = ? ORDER BY analyzed_at DESC, engine`, from, to)
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
	rows, err := s.db.QueryContext(ctx, `SELECT `+analysisColumns+` FROM analyses
		WHERE to_version IN (SELECT id FROM versions WHERE policy_id = ?) ORDER BY analyzed_at DESC, engine`, policyID)
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
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (
		SELECT v.policy_id, p.name, pl.name, p.url,
			(SELECT w.id FROM versions w WHERE w.policy_id = v.policy_id
				AND (w.captured_at < v.captured_at OR (w.captured_at = v.captured_at AND w.id < v.id))
				ORDER BY w.captured_at DESC, w.id DESC LIMIT 1) AS prev,
			v.id, v.captured_at
		FROM versions v JOIN policies p ON p.id = v.policy_id JOIN platforms pl ON pl.id = p.platform_id
		WHERE (? = 0 OR v.policy_id = ?) AND (? = '' OR pl.name = ?) AND v.technical = 0
	) WHERE prev IS NOT NULL ORDER BY captured_at DESC, id DESC LIMIT ?`,
		f.PolicyID, f.PolicyID, f.Platform, f.Platform, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policywatch.Change
	for rows.Next() {
		var c policywatch.Change
		var at int64
		if err := rows.Scan(&c.PolicyID, &c.Policy, &c.Platform, &c.URL, &c.FromVersion, &c.ToVersion, &at); err != nil {
			return nil, err
		}
		c.CapturedAt = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
