// Package pgtest gives tests a fresh PostgreSQL database: created on the
// server POLICYWATCH_TEST_POSTGRES names (default the local one, user
// postgres, trust auth) and dropped when the test ends. Tests skip with a
// clear message when no server answers.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultServer is the server used when POLICYWATCH_TEST_POSTGRES is unset.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func server() string {
	if s := os.Getenv("POLICYWATCH_TEST_POSTGRES"); s != "" {
		return s
	}
	return DefaultServer
}

// NewDatabase creates an empty database and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server())
	if err != nil {
		t.Skipf("PostgreSQL not available at %s (set POLICYWATCH_TEST_POSTGRES): %v", server(), err)
	}
	defer admin.Close(context.Background())
	b := make([]byte, 6)
	rand.Read(b)
	name := "policywatch_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("cannot create a test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server())
		if err != nil {
			t.Logf("cannot drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("cannot drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(server())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
