package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/search"
)

// postgresDialect: statements run as written; times are timestamps and
// durations intervals, both as pgx passes Go's.
var postgresDialect = &dialect{
	name:     "postgres",
	time:     func(t time.Time) any { return ms(t) },
	duration: func(d time.Duration) any { return d },
	classOf:  postgresClass,
	columnTypes: columnTypes{serial: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT", time: "TIMESTAMPTZ",
		bytes: "BYTEA", json: "JSONB", boolean: "BOOLEAN", no: "false", setIsBare: true},
	advisoryLock:   `SELECT pg_advisory_lock($1)`,
	advisoryUnlock: `SELECT pg_advisory_unlock($1)`,
	xactLock:       `SELECT pg_advisory_xact_lock($1)`,
	containing:     postgresContaining,
	nextID:         func(string) string { return "DEFAULT" },
	checking:       postgresReading,
	readsFirst:     true,
	foldedIndex: `CREATE INDEX IF NOT EXISTS search_texts_folded_trgm ON search_texts
		USING gin (folded gin_trgm_ops) WITH (fastupdate = off)`,
}

// postgresContaining finds a phrase in the texts' folded copies, in lower
// case as they are: with LIKE, which pg_trgm's GIN index answers, when
// the phrase has a trigram; by reading the texts otherwise.
func postgresContaining(p search.Phrase, arg string) (string, any) {
	if p.Indexed() {
		return `v.id IN (SELECT t.version_id FROM search_texts t WHERE t.folded LIKE ` + arg + `)`, p.FoldedLike()
	}
	return postgresReading(p, arg)
}

// postgresReading reads version v's folded text for the phrase. As a
// value of one row (not EXISTS or IN), which the planner cannot turn into
// a pass over every text: it is a text's own check (strpos, 40 KB in
// about 50 µs), for the versions the rest of the statement chose.
func postgresReading(p search.Phrase, arg string) (string, any) {
	return `(SELECT strpos(t.folded, ` + arg + `) > 0 FROM search_texts t WHERE t.version_id = v.id)`, p.Folded()
}

func postgresClass(err error) policywatch.ErrorClass {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		switch e.Code {
		case "23505": // unique_violation
			return policywatch.ErrAlreadyExists
		case "23503": // foreign_key_violation
			return policywatch.ErrNotFound
		}
	}
	return ""
}

// openPostgres connects to the database a postgres:// URL names: a pgx
// pool, which the job queue's driver shares, under database/sql.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad PostgreSQL URL: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// The job queue shares the pool: as many connections as the two
		// had when each had its own.
		cfg.MaxConns *= 2
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to PostgreSQL at %s: %w", cfg.ConnConfig.Host, err)
	}
	return &Store{db: stdlib.OpenDBFromPool(pool), pool: pool, d: postgresDialect}, nil
}
