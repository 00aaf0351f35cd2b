package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/search"
)

// dialect is what SQLite and PostgreSQL do differently. Statements are
// written once, in PostgreSQL's SQL ($1 placeholders, which modernc.org/sqlite
// binds by number too), and rewritten for SQLite where its SQL differs; the
// arguments and results that differ in type go through time, duration and
// at.
type dialect struct {
	name string
	// rewrite turns a statement into the dialect's SQL; nil leaves it as
	// written.
	rewrite *strings.Replacer
	// time and duration are a time and a length of time as arguments of
	// the dialect's columns and clock.
	time     func(time.Time) any
	duration func(time.Duration) any
	// classOf names the error class of a constraint violation:
	// ErrAlreadyExists for a unique key, ErrNotFound for a foreign key;
	// "" for anything else.
	classOf func(error) policywatch.ErrorClass
	// oneWriter: the database takes one writer at a time (SQLite), so this
	// process queues its writes on a mutex rather than in the database.
	oneWriter bool
	// columnTypes are the dialect's words for the column types of the
	// migrations.
	columnTypes columnTypes
	// advisoryLock and advisoryUnlock take and release a lock shared by
	// every process on the database, given a bigint key; "" when the
	// database has none (SQLite: its write transactions are exclusive).
	advisoryLock, advisoryUnlock string
	// xactLock is a statement taking that lock until the end of the
	// transaction (migrations, the uniqueness check of new policies).
	xactLock string
	// nextID is the value of a new row's id in an INSERT: the table's
	// sequence (PostgreSQL), or one past both the largest id in the table
	// and the largest ever deleted from it (SQLite, retired_ids), so that
	// no id is given twice.
	nextID func(table string) string
	// containing is the condition that version v's text contains the
	// phrase, given as the argument placeholder arg, and that argument: the
	// trigram index where the phrase is long enough, reading the texts
	// otherwise (search.go).
	containing func(p search.Phrase, arg string) (cond string, value any)
	// checking is the same condition for versions chosen otherwise (a
	// stretch of the versions a short phrase is looked for in, the
	// versions of the policies hit for their origins), which it must not
	// answer by first finding every version containing the phrase.
	checking func(p search.Phrase, arg string) (cond string, value any)
	// readsFirst: a phrase with trigrams is looked for in the first
	// versions by reading their texts before the index is asked, as its
	// index checks every candidate's text (PostgreSQL, 40 µs each: a
	// common phrase has thousands), where a common phrase fills a page of
	// hits from the first versions. SQLite's index answers without them.
	readsFirst bool
	// foldedIndex builds the index of the search texts' folded copies
	// (search.Folded) once the copies are filled; "" when the database
	// keeps no copy (SQLite: its trigram index folds case itself).
	foldedIndex string
}

// foldsTexts: search_texts keeps each text's folded copy (column folded).
func (d *dialect) foldsTexts() bool { return d.foldedIndex != "" }

// columnTypes are the SQL of the types whose names differ between the
// databases, as the migrations write them.
type columnTypes struct {
	serial  string // an id column: the table's key, numbered by the database
	bigint  string // a 64-bit integer: ids, sizes, counts
	time    string // a point in time
	bytes   string // compressed bodies and texts
	json    string // a JSON document
	boolean string // a flag
	no      string // a flag's "no", as a default
	// setIsBare: a boolean column alone is a condition (PostgreSQL);
	// otherwise "= 1", which is what lets SQLite use a partial index.
	setIsBare bool
}

// words are the template functions of the types.
func (c columnTypes) words() map[string]string {
	return map[string]string{"serial": c.serial, "bigint": c.bigint, "time": c.time,
		"bytes": c.bytes, "json": c.json, "boolean": c.boolean, "no": c.no}
}

// set is the condition that the flag column is set.
func (c columnTypes) set(column string) string {
	if c.setIsBare {
		return column
	}
	return column + " = 1"
}

func (d *dialect) sql(query string) string {
	if d.rewrite == nil {
		return query
	}
	return d.rewrite.Replace(query)
}

// nullTime is d.time(t), or NULL for the zero time.
func (d *dialect) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.time(t)
}

// ms keeps a time to the millisecond, as both databases store it, so that
// the store gives back exactly what it was given.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// at scans a time column of either database into t: Unix milliseconds
// (SQLite) or a timestamp (PostgreSQL), in UTC; NULL is the zero time.
func at(t *time.Time) timeColumn { return timeColumn{t} }

type timeColumn struct{ t *time.Time }

func (c timeColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMilli(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("cannot read %T as a time", src)
	}
	return nil
}
