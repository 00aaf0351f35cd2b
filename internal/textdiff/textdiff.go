// Package textdiff compares two versions of a policy line by line: equal,
// inserted, deleted, modified (replace) and moved lines with 1-based line
// numbers on both sides over the normalized text, the exact characters
// changed inside a modified line, and a flag on differences of formatting
// alone (whitespace, line wrapping, full-/half-width forms, quote styles).
package textdiff

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

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

// Side is the version a span or segment belongs to.
type Side string

const (
	Old Side = "old"
	New Side = "new"
)

// Span marks changed characters inside a row's old or new text. Offsets
// are in Unicode code points, End exclusive.
type Span struct {
	Side  Side `json:"side"`
	Start int  `json:"start"`
	End   int  `json:"end"`
	Op    Op   `json:"op"` // Delete on the old side, Insert on the new
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

	oldKey, newKey string // comparison keys of changed rows, computed once
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
	var oldNorm string
	done := make(chan struct{})
	go func() { // the two texts normalize independently
		oldNorm = normalize.Text(oldText)
		close(done)
	}()
	newNorm := normalize.Text(newText)
	<-done
	return CompareLines(Lines(oldNorm), Lines(newNorm))
}

// Lines splits normalized text into lines; a final newline ends the last
// line rather than starting an empty one.
func Lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// CompareLines compares two sequences of lines. The change blocks are
// paired, and the changed rows keyed and marked, on all cores: each block
// and each row is independent of the others.
func CompareLines(oldLines, newLines []string) Result {
	a, b, nIDs := internLines(oldLines, newLines)
	edits := align(a, b, nIDs)
	pairs := make([][][2]int, len(edits))
	parallel(len(edits), 16, func(i int) {
		if e := edits[i]; !e.equal {
			pairs[i] = pairLines(oldLines[e.aLo:e.aHi], newLines[e.bLo:e.bHi])
		}
	})
	n := 0 // rows: a row per line of each side, less one per pair
	for i, e := range edits {
		n += e.aHi - e.aLo + e.bHi - e.bLo - len(pairs[i])
		if e.equal {
			n -= e.aHi - e.aLo
		}
	}
	rows := make([]Row, 0, n)
	for i, e := range edits {
		if e.equal {
			for i := 0; i < e.aHi-e.aLo; i++ {
				rows = append(rows, Row{Op: Equal, OldNo: e.aLo + i + 1, NewNo: e.bLo + i + 1,
					Old: oldLines[e.aLo+i], New: newLines[e.bLo+i]})
			}
			continue
		}
		rows = appendBlock(rows, oldLines, newLines, e, pairs[i])
	}
	addKeys(rows)
	rows = findMoves(rows)
	addSpans(rows)
	markFormatting(rows)
	return Result{Stats: count(rows), Rows: rows}
}

// parallel calls fn for 0 … n-1 on all cores, handing out chunks of
// indexes as workers free up.
func parallel(n, chunk int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

// addKeys computes the comparison keys of the changed rows, which moves
// and formatting are judged by.
func addKeys(rows []Row) {
	parallel(len(rows), 256, func(i int) {
		r := &rows[i]
		switch r.Op {
		case Replace:
			r.oldKey, r.newKey = normalize.KeyOfText(r.Old), normalize.KeyOfText(r.New)
		case Delete:
			r.oldKey = normalize.KeyOfText(r.Old)
		case Insert:
			r.newKey = normalize.KeyOfText(r.New)
		}
	})
}

// addSpans marks the changed characters of modified and moved rows.
func addSpans(rows []Row) {
	var idx []int
	for i, r := range rows {
		if r.Op == Replace || r.Op == Move {
			idx = append(idx, i)
		}
	}
	parallel(len(idx), 16, func(k int) {
		r := &rows[idx[k]]
		r.Spans = lineSpans(r.Old, r.New)
	})
}

// internLines gives equal lines equal ids, and says how many ids it gave.
func internLines(oldLines, newLines []string) ([]int, []int, int) {
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
	a, b := intern(oldLines), intern(newLines)
	return a, b, len(ids)
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
