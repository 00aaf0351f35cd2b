package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/store/pgtest"
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

func sqliteDSN(t *testing.T) string { return filepath.Join(t.TempDir(), "test.db") }

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) policywatch.Store { return open(t, sqliteDSN(t)) })
}

func TestPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) policywatch.Store { return open(t, pgtest.NewDatabase(t)) })
}

// Several processes starting at once against a new database: the schema is
// made once, and recorded by the names it always had, so that databases
// made before the stores were one are up to date.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testConcurrentOpen(t, sqliteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { testConcurrentOpen(t, pgtest.NewDatabase(t)) })
}

func testConcurrentOpen(t *testing.T, dsn string) {
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s := open(t, dsn)
	rows, err := s.read().query(context.Background(), `SELECT name FROM schema_migrations ORDER BY name`)
	names, err := collect(rows, err, func(row scanner) (string, error) {
		var name string
		err := row.Scan(&name)
		return name, err
	})
	historic := []string{"migrations/0001_init.sql", "migrations/0002_analyses.sql", "migrations/0003_operate.sql",
		"migrations/0004_workers.sql"}
	_, want, _ := s.d.migrationNames()
	for _, b := range backfills { // recorded too, by name, after the migrations
		want = append([]string{b.name}, want...)
		historic = append([]string{b.name}, historic...)
	}
	if err != nil || !slices.Equal(names, want) || !slices.Equal(names[:len(historic)], historic) {
		t.Errorf("migrations recorded: %v (%v), want %v, starting with %v", names, err, want, historic)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
	if err == nil {
		t.Fatal("opened a database in a missing directory")
	}
}

func TestPathWithSpecialCharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "隐私 政策?#%.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if m, err := filepath.Glob(filepath.Join(filepath.Dir(path), "隐私 政策*.db")); err != nil || len(m) != 1 || m[0] != path {
		t.Errorf("files: %v (%v), want %s", m, err, path)
	}
}

func TestBadURL(t *testing.T) {
	if _, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"); err == nil {
		t.Error("connected to a closed port")
	}
}

// A transaction adding many policies that the database fails part way adds
// none of them.
func TestCreatePoliciesFailingTransaction(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testFailingTransaction(t, open(t, sqliteDSN(t)), false) })
	t.Run("postgres", func(t *testing.T) { testFailingTransaction(t, open(t, pgtest.NewDatabase(t)), true) })
}

func testFailingTransaction(t *testing.T, s *Store, postgres bool) {
	storetest.RefusePolicyNamed(t, s.DB(), postgres, "boom")
	var ps []*policywatch.Policy
	for i, name := range []string{"one", "two", "boom", "four"} {
		ps = append(ps, &policywatch.Policy{Platform: "P", Name: name, URL: fmt.Sprintf("https://p.example/%d", i),
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval})
	}
	if _, err := s.CreatePolicies(context.Background(), ps); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("CreatePolicies: %v, want the database's refusal", err)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM policies`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d policies stored (%v), want none", n, err)
	}
	if err := s.DB().QueryRow(`SELECT count(*) FROM platforms`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d platforms stored (%v), want none", n, err)
	}
}
