package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"text/template"
)

// The schema, written once for both databases: each migration is a
// template whose words for the types that differ ({{serial}}, {{bigint}},
// {{time}}, {{bytes}}, {{json}}, {{boolean}}, {{no}}, and {{set "col"}}
// for a true flag in a condition) become the dialect's (columnTypes);
// {{list "a" "b"}} is a list to range over. A
// migration named NAME.sqlite.sql or NAME.postgres.sql is for that
// database alone.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockKey is the advisory lock that makes concurrent openers of a
// PostgreSQL database apply migrations one at a time.
const migrationLockKey = 0x706f6c6963790001

// migrationNames are the dialect's migrations in order, each with the name
// schema_migrations records it by: "migrations/" and the file's name
// without a database's suffix, as when each database had a folder of its
// own, so that databases made then are up to date.
func (d *dialect) migrationNames() (files, names []string, err error) {
	all, err := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(all)
	for _, f := range all {
		base := strings.TrimSuffix(path.Base(f), ".sql")
		if only := path.Ext(base); only != "" {
			if only != "."+d.name {
				continue
			}
			base = strings.TrimSuffix(base, only)
		}
		files = append(files, f)
		names = append(names, "migrations/"+base+".sql")
	}
	return files, names, err
}

// migrationSQL is a migration in the dialect's SQL.
func (d *dialect) migrationSQL(file string) (string, error) {
	funcs := template.FuncMap{"set": d.columnTypes.set, "list": func(words ...string) []string { return words }}
	for word, sql := range d.columnTypes.words() {
		funcs[word] = func() string { return sql }
	}
	t, err := template.New(path.Base(file)).Funcs(funcs).ParseFS(migrations, file)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = t.Execute(&b, nil)
	return b.String(), err
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
			name TEXT PRIMARY KEY, applied_at `+s.d.columnTypes.time+` NOT NULL)`); err != nil {
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
			body, err := s.d.migrationSQL(files[i])
			if err != nil {
				return err
			}
			// As rendered: a migration is in the dialect's SQL already.
			if _, err := tx.q.ExecContext(ctx, body); err != nil {
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
// are zstd-compressed; search texts are folded as Go folds them): each runs once, after the migrations, and is
// recorded in schema_migrations under its name when it has finished. Each
// must be safe to run again and beside another opener running it.
var backfills = []struct {
	name string
	run  func(*Store, context.Context) error
}{
	{"backfill/search_texts", (*Store).backfillSearch},
	{"backfill/search_folded", (*Store).backfillFolded},
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
