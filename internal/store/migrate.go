package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// The schema, one folder of migrations per database: the same tables, in
// each database's types.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrationLockKey is the advisory lock that makes concurrent openers of a
// PostgreSQL database apply migrations one at a time.
const migrationLockKey = 0x706f6c6963790001

// migrationNames are the dialect's migrations in order, each with the name
// schema_migrations records it by: "migrations/" and the file's name, as
// when each database had a package of its own, so that databases made then
// are up to date.
func (d *dialect) migrationNames() (files, names []string, err error) {
	files, err = fs.Glob(migrations, "migrations/"+d.name+"/*.sql")
	sort.Strings(files)
	for _, f := range files {
		names = append(names, "migrations/"+path.Base(f))
	}
	return files, names, err
}

// migrate applies the migrations not yet applied, in one transaction;
// concurrent openers wait on the write lock (SQLite) or an advisory lock
// (PostgreSQL).
func (s *Store) migrate(ctx context.Context) error {
	files, names, err := s.d.migrationNames()
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx handle) error {
		if s.d.xactLock != "" {
			if _, err := tx.exec(ctx, s.d.xactLock, int64(migrationLockKey)); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY, applied_at `+s.d.timeType+` NOT NULL)`); err != nil {
			return err
		}
		for i, name := range names {
			var done int
			if err := tx.row(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			body, err := migrations.ReadFile(files[i])
			if err != nil {
				return err
			}
			// As written: each database's migrations are in its own SQL.
			if _, err := tx.q.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now())`, name); err != nil {
				return err
			}
		}
		return nil
	})
}

// backfills are the steps of the schema that SQL cannot take (the texts
// are zstd-compressed): each runs once, after the migrations, and is
// recorded in schema_migrations under its name when it has finished. Each
// must be safe to run again and beside another opener running it.
var backfills = []struct {
	name string
	run  func(*Store, context.Context) error
}{
	{"backfill/search_texts", (*Store).backfillSearch},
}

// backfill runs the back-fills not yet recorded.
func (s *Store) backfill(ctx context.Context) error {
	for _, b := range backfills {
		var done int
		if err := s.read().row(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, b.name).Scan(&done); err != nil {
			return err
		}
		if done > 0 {
			continue
		}
		if err := b.run(s, ctx); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		if _, err := s.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now())
			ON CONFLICT (name) DO NOTHING`, b.name); err != nil {
			return err
		}
	}
	return nil
}
