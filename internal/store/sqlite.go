package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/search"
)

// sqliteDialect: times are Unix milliseconds in INTEGER columns, booleans
// 0 and 1, and the process's one writer takes the whole database.
var sqliteDialect = &dialect{
	name: "sqlite",
	rewrite: strings.NewReplacer(
		// The database's clock, in milliseconds.
		"now()", "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
		// Durations are milliseconds already.
		"::interval", "",
		// A write transaction holds the whole database.
		" FOR UPDATE", "",
		// TRUE is 1 in SQLite, but only the 1 of a partial index's WHERE
		// makes its query use it.
		"= TRUE", "= 1",
	),
	time:      func(t time.Time) any { return t.UnixMilli() },
	duration:  func(d time.Duration) any { return d.Milliseconds() },
	classOf:   sqliteClass,
	oneWriter: true,
	columnTypes: columnTypes{serial: "INTEGER PRIMARY KEY", bigint: "INTEGER", time: "INTEGER",
		bytes: "BLOB", json: "TEXT", boolean: "INTEGER", no: "0"},
	containing: sqliteContaining,
	nextID: func(table string) string {
		return `(SELECT max(coalesce((SELECT max(id) FROM ` + table + `), 0),
			coalesce((SELECT id FROM retired_ids WHERE name = '` + table + `'), 0)) + 1)`
	},
	// The index answers for the versions asked about as fast.
	checking: sqliteContaining,
}

// sqliteContaining finds a phrase with FTS5's trigram index, or, when it
// is shorter than a trigram, by reading the texts of the versions asked
// about: with LIKE where case matters (which folds only ASCII letters,
// as texts are mostly Chinese), by plain comparison where it cannot.
func sqliteContaining(p search.Phrase, arg string) (string, any) {
	switch {
	case p.Indexed():
		return `v.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ` + arg + `)`, p.FTS5()
	case p.Cased():
		return `EXISTS (SELECT 1 FROM search_texts t WHERE t.version_id = v.id AND t.body LIKE ` + arg + ` ESCAPE '\')`, p.Like()
	default:
		return `EXISTS (SELECT 1 FROM search_texts t WHERE t.version_id = v.id AND instr(t.body, ` + arg + `) > 0)`, p.String()
	}
}

func sqliteClass(err error) policywatch.ErrorClass {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return policywatch.ErrAlreadyExists
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return policywatch.ErrNotFound
		}
	}
	return ""
}

// openSQLite opens (creating if needed) the database file at path.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	if path == "" {
		return nil, errors.New("empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("cannot open database %s: directory %s does not exist", path, dir)
		}
	}
	// Every user of the file needs these: WAL, a busy timeout for the
	// other processes' writes, foreign keys, and write transactions that
	// take the write lock when they begin, so that two of them never
	// deadlock upgrading a read.
	dsn := "file:" + escapePath(path) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	// The first connection to a new file turns it to WAL, for which it
	// takes the file to itself: another process opening it that moment is
	// told it is busy, whatever its busy timeout, and tries again.
	for try := 0; ; try++ {
		err = db.PingContext(ctx)
		var e *sqlite.Error
		if err == nil || try == 100 || !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	return &Store{db: db, d: sqliteDialect}, nil
}

// escapePath makes a file path safe inside a SQLite URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
