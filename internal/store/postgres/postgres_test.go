package postgres

import (
	"context"
	"io/fs"
	"sync"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/store/postgres/pgtest"
	"github.com/policywatch/policywatch/internal/store/storetest"
)

func open(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) policywatch.Store {
		return open(t, pgtest.NewDatabase(t))
	})
}

// Several processes starting at once against a new database: the schema is
// made once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s := open(t, dsn)
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(names) {
		t.Errorf("migrations recorded: %d, want %d (%v)", n, len(names), err)
	}
}

func TestBadURL(t *testing.T) {
	if _, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"); err == nil {
		t.Error("connected to a closed port")
	}
}
