// Package store keeps policywatch's data in SQL: one implementation of
// policywatch.Store on database/sql for both databases it runs on, SQLite
// (one file in WAL mode through modernc.org/sqlite, pure Go; the default)
// and PostgreSQL (through pgx, for many workers on many machines). One file
// per entity holds its queries, written once; dialect.go holds what the two
// databases do differently (time types, the database's clock, row locks,
// error codes), sqlite.go and postgres.go how each is opened, and
// migrations/ the schema of both (templates of their type names). storetest
// is the suite the store passes on both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/policywatch/policywatch"
)

// DefaultDSN is the database used when none is given.
const DefaultDSN = "./policywatch.db"

// Store implements policywatch.Store on SQLite or PostgreSQL.
type Store struct {
	db   *sql.DB
	pool *pgxpool.Pool // under db on PostgreSQL; nil on SQLite
	d    *dialect
	// writeMu serialises this process's writes on SQLite, which has one
	// writer at a time: waiting on a Go mutex is far cheaper than SQLite's
	// sleeping busy handler. Other processes (and the job queue) are still
	// covered by busy_timeout. Unused on PostgreSQL.
	writeMu sync.Mutex
}

var _ policywatch.Store = (*Store)(nil)

// Open opens the store a DSN names and brings its schema up to date:
// postgres:// or postgresql:// URLs select PostgreSQL; anything else is a
// SQLite file path (optionally sqlite:// or file: prefixed), created if
// needed.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	pg := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	var (
		s   *Store
		err error
	)
	if pg {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err = s.migrate(ctx); err == nil {
		err = s.backfill(ctx)
	}
	if err != nil {
		s.Close()
		if pg {
			return nil, fmt.Errorf("cannot prepare the PostgreSQL database: %w", err)
		}
		return nil, fmt.Errorf("cannot prepare database %s: %w", dsn, err)
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// DB is the store's connection pool, for the job queue that shares the
// database: on SQLite it has the settings every user of the file needs
// (WAL, busy timeout, foreign keys, immediate write transactions).
func (s *Store) DB() *sql.DB { return s.db }

// Pool is the pgx pool under DB on PostgreSQL, for the job queue's pgx
// driver; nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Exclusive runs fn while no other process sharing the database runs fn
// under the same key: on PostgreSQL under a session advisory lock held by
// one connection; on SQLite fn simply runs, its write transactions being
// exclusive already.
func (s *Store) Exclusive(ctx context.Context, key int64, fn func(context.Context) error) error {
	if s.d.advisoryLock == "" {
		return fn(ctx)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, s.d.advisoryLock, key); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), s.d.advisoryUnlock, key)
	return fn(ctx)
}

// querier is what a handle runs statements on: the pool or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// handle runs statements written once for both databases (PostgreSQL's
// $1 placeholders and idioms) in the dialect of the store.
type handle struct {
	q querier
	d *dialect
}

func (h handle) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return h.q.ExecContext(ctx, h.d.sql(query), args...)
}

func (h handle) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return h.q.QueryContext(ctx, h.d.sql(query), args...)
}

func (h handle) row(ctx context.Context, query string, args ...any) *sql.Row {
	return h.q.QueryRowContext(ctx, h.d.sql(query), args...)
}

// read is the pool, for statements that write nothing.
func (s *Store) read() handle { return handle{s.db, s.d} }

// write runs fn in a write transaction.
func (s *Store) write(ctx context.Context, fn func(tx handle) error) error {
	if s.d.oneWriter {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(handle{tx, s.d}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// exec runs one writing statement on its own, atomic without a
// transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.d.oneWriter {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	return s.read().exec(ctx, query, args...)
}

// affected returns ErrNotFound for what when a statement changed no row.
func affected(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = notFound(what, id)
	}
	return err
}

func notFound(what string, id int64) error {
	return policywatch.Errorf(policywatch.ErrNotFound, "%s %d not found", what, id)
}

// noRows reports whether err says a query returned no row.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

type scanner interface{ Scan(dest ...any) error }

// collect reads every row with scan.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
