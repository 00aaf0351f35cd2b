// Package store opens the configured storage back end. The back ends live in
// subpackages (sqlite, postgres); storetest is the suite every back
// end must pass.
package store

import (
	"context"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/store/postgres"
	"github.com/policywatch/policywatch/internal/store/sqlite"
)

// DefaultDSN is the database used when none is given.
const DefaultDSN = "./policywatch.db"

// Open opens the store a DSN names: postgres:// or postgresql:// URLs select
// PostgreSQL; anything else is a SQLite file path (optionally sqlite:// or
// file: prefixed).
func Open(ctx context.Context, dsn string) (policywatch.Store, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
