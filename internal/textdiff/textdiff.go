// Package textdiff compares two versions of a policy line by line: equal,
// inserted, deleted, modified (replace) and moved lines with 1-based line
// numbers on both sides over the normalized text, the exact characters
// changed inside a modified line, and a flag on differences of formatting
// alone (whitespace, line wrapping, full-/half-width forms, quote styles).
package textdiff

import (
	"strings"

	"github.com/policywatch/policywatch/internal/normalize"
)

// Op is what happened to a line.
type Op string

const (
	Equal   Op = "equal"
	Insert  Op = "insert"
	Delete  Op = "delete"
	Replace Op = "replace" // the same paragraph, edited
	Move    Op = "move"    // the same paragraph, elsewhere (possibly edited)
)

// Span marks changed characters inside a row's old or new text. Offsets
// are in Unicode code points, End exclusive.
type Span struct {
	Side  string `json:"side"` // "old" or "new"
	Start int    `json:"start"`
	End   int    `json:"end"`
	Op    string `json:"op"` // "delete" (old side) or "insert" (new side)
}

// Row is one line of the comparison. OldNo and NewNo are 1-based; 0 means
// the line does not exist on that side. Rows come in the order of the new
// text, deleted lines where they stood; a moved line's row stands at its new
// place and names its old line.
type Row struct {
	Op         Op
	OldNo      int
	NewNo      int
	Old        string
	New        string
	Spans      []Span
	Formatting bool // only formatting differs: whitespace, wrapping, width, quotes
}

// Stats counts rows by kind. Changed rows that differ in formatting only
// (a blank line added, a paragraph re-wrapped) count under Formatting and
// not under Added, Removed, Modified or Moved, so that the figures say how
// much the words changed.
type Stats struct {
	Added      int `json:"added"`
	Removed    int `json:"removed"`
	Modified   int `json:"modified"`
	Moved      int `json:"moved"`
	Unchanged  int `json:"unchanged"`
	Formatting int `json:"formatting"`
}

// Result is a comparison.
type Result struct {
	Stats Stats
	Rows  []Row
}

// Compare normalizes both texts (normalize.Text) and compares them.
func Compare(oldText, newText string) Result {
	return CompareLines(Lines(normalize.Text(oldText)), Lines(normalize.Text(newText)))
}

// Lines splits normalized text into lines; a final newline ends the last
// line rather than starting an empty one.
func Lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// CompareLines compares two sequences of lines.
func CompareLines(oldLines, newLines []string) Result {
	a, b := internLines(oldLines, newLines)
	var rows []Row
	for _, e := range align(a, b) {
		if e.equal {
			for i := 0; i < e.aHi-e.aLo; i++ {
				rows = append(rows, Row{Op: Equal, OldNo: e.aLo + i + 1, NewNo: e.bLo + i + 1,
					Old: oldLines[e.aLo+i], New: newLines[e.bLo+i]})
			}
			continue
		}
		rows = append(rows, pairBlock(oldLines, newLines, e)...)
	}
	rows = findMoves(rows)
	for i := range rows {
		if r := &rows[i]; r.Op == Replace || r.Op == Move {
			r.Spans = lineSpans(r.Old, r.New)
		}
	}
	markFormatting(rows)
	return Result{Stats: count(rows), Rows: rows}
}

// internLines gives equal lines equal ids.
func internLines(oldLines, newLines []string) ([]int, []int) {
	ids := make(map[string]int, len(oldLines))
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return intern(oldLines), intern(newLines)
}

func count(rows []Row) Stats {
	var s Stats
	for _, r := range rows {
		if r.Formatting {
			s.Formatting++
			continue
		}
		switch r.Op {
		case Equal:
			s.Unchanged++
		case Insert:
			s.Added++
		case Delete:
			s.Removed++
		case Replace:
			s.Modified++
		case Move:
			s.Moved++
		}
	}
	return s
}

// Changed reports whether the row is anything but an unchanged line.
func (r Row) Changed() bool { return r.Op != Equal }

// Block is a run of consecutive changed rows: one change.
type Block struct{ Start, End int } // row indexes, End exclusive

// Blocks returns the changes of a comparison; formatting-only rows are
// left out when ignoreFormatting is set.
func (res Result) Blocks(ignoreFormatting bool) []Block {
	var out []Block
	start := -1
	for i, r := range res.Rows {
		changed := r.Changed() && !(ignoreFormatting && r.Formatting)
		switch {
		case changed && start < 0:
			start = i
		case !changed && start >= 0:
			out = append(out, Block{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, Block{start, len(res.Rows)})
	}
	return out
}
