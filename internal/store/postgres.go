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
}

// postgresContaining finds a phrase with LIKE (ILIKE when it has letters
// of a case), which pg_trgm's GIN index answers when the phrase has a
// trigram; a shorter phrase without letters of any case is found by plain
// comparison (strpos). ILIKE lower-cases every text it reads, several
// times slower than LIKE: only phrases with letters pay for it.
func postgresContaining(p search.Phrase, arg string) (string, any) {
	switch {
	case p.Cased():
		return `v.id IN (SELECT t.version_id FROM search_texts t WHERE t.body ILIKE ` + arg + `)`, p.Like()
	case p.Indexed():
		return `v.id IN (SELECT t.version_id FROM search_texts t WHERE t.body LIKE ` + arg + `)`, p.Like()
	default:
		return `EXISTS (SELECT 1 FROM search_texts t WHERE t.version_id = v.id AND strpos(t.body, ` + arg + `) > 0)`, p.String()
	}
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
