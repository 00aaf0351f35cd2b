package textdiff

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

const (
	// pairThreshold is the similarity at which a deleted and an inserted
	// line count as versions of one paragraph (a replace row).
	pairThreshold = 0.4
	// fuzzyMoveThreshold is the similarity at which a deleted line and an
	// inserted line elsewhere count as one paragraph moved and edited.
	fuzzyMoveThreshold = 0.8
	// minMoveRunes: shorter lines ("(一)", "1.") recur too often to call
	// their disappearance here and appearance there a move.
	minMoveRunes = 8
	// fullPairCells bounds the exact pairing of a change block; larger
	// blocks are paired within a window along the diagonal.
	fullPairCells = 1 << 16
	pairWindow    = 48
	// fuzzyMoveCells bounds the search for edited moves.
	fuzzyMoveCells = 1 << 16
)

// profile is a line's multiset of character bigrams, sorted, for a Dice
// similarity that works for Chinese (no spaces) and Latin text alike.
type profile []uint64

func newProfile(line string) profile {
	_, p := appendProfile(make([]uint64, 0, len(line)/3+1), line) // a character per three bytes in Chinese
	return p
}

// appendProfile appends the profile of line to buf and returns buf and the
// profile, which shares buf's memory.
func appendProfile(buf []uint64, line string) ([]uint64, profile) {
	start := len(buf)
	prev := rune(-1)
	for i := 0; i < len(line); {
		r, ok := cjk3(line, i)
		size := 3
		if !ok { // as []rune(line) reads it: an invalid byte is U+FFFD
			r, size = utf8.DecodeRuneInString(line[i:])
		}
		i += size
		if prev >= 0 {
			buf = append(buf, uint64(prev)<<21|uint64(r))
		}
		prev = r
	}
	if len(buf) == start && prev >= 0 {
		buf = append(buf, uint64(prev)) // one character
	}
	p := profile(buf[start:len(buf):len(buf)])
	slices.Sort(p)
	return buf, p
}

// profileBufs hold the memory of a change block's profiles while the block
// is paired, for the next block to reuse.
var profileBufs = sync.Pool{New: func() any { return new([]uint64) }}

// blockProfiles are the profiles of a change block's old and new lines, in
// the memory of buf (when it grows, the profiles made so far stay where
// they are, and the next block gets the larger buffer).
func blockProfiles(olds, news []string, buf *[]uint64) (po, pn []profile) {
	b := (*buf)[:0]
	po, pn = make([]profile, len(olds)), make([]profile, len(news))
	for i, l := range olds {
		b, po[i] = appendProfile(b, l)
	}
	for i, l := range news {
		b, pn[i] = appendProfile(b, l)
	}
	*buf = b
	return po, pn
}

// similarity is the Dice coefficient of two bigram profiles: 1 for equal
// lines, near 0 for unrelated ones.
func similarity(a, b profile) float64 {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 1
		}
		return 0
	}
	common, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// pairLines pairs the lines of a change block that are versions of the
// same paragraph, in order: similar lines (replace rows) and identical
// ones such as the blank lines between paragraphs (equal rows). It returns
// the pairs as indexes into olds and news.
func pairLines(olds, news []string) [][2]int {
	switch {
	case len(olds) == 1 && len(news) == 1:
		// The common edit: one line changed. Shared ends decide most
		// cases without building bigram profiles.
		if olds[0] == news[0] || endsSimilarity(olds[0], news[0]) >= pairThreshold ||
			similarity(newProfile(olds[0]), newProfile(news[0])) >= pairThreshold {
			return [][2]int{{0, 0}}
		}
	case len(olds) > 0 && len(news) > 0:
		buf := profileBufs.Get().(*[]uint64)
		defer profileBufs.Put(buf)
		po, pn := blockProfiles(olds, news, buf)
		sim := func(x, y int) float64 {
			if olds[x] == news[y] {
				return 1
			}
			return similarity(po[x], pn[y])
		}
		if len(olds)*len(news) <= fullPairCells {
			return pairExact(len(olds), len(news), sim)
		}
		return pairWindowed(len(olds), len(news), sim)
	}
	return nil
}

// appendBlock appends a change block's rows: its pairs (from pairLines),
// and the rest as deletions and insertions.
func appendBlock(rows []Row, oldLines, newLines []string, e edit, pairs [][2]int) []Row {
	olds, news := oldLines[e.aLo:e.aHi], newLines[e.bLo:e.bHi]
	x, y := 0, 0
	flush := func(toX, toY int) {
		for ; x < toX; x++ {
			rows = append(rows, Row{Op: Delete, OldNo: e.aLo + x + 1, Old: olds[x]})
		}
		for ; y < toY; y++ {
			rows = append(rows, Row{Op: Insert, NewNo: e.bLo + y + 1, New: news[y]})
		}
	}
	for _, p := range pairs {
		flush(p[0], p[1])
		op := Replace
		if olds[x] == news[y] {
			op = Equal
		}
		rows = append(rows, Row{Op: op, OldNo: e.aLo + x + 1, NewNo: e.bLo + y + 1, Old: olds[x], New: news[y]})
		x, y = x+1, y+1
	}
	flush(len(olds), len(news))
	return rows
}

// endsSimilarity is the share of two lines covered by their common prefix
// and suffix, counted as similarity counts: a lower bound of how alike an
// edited line is to its original.
func endsSimilarity(a, b string) float64 {
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	for p > 0 && p < len(a) && !utf8.RuneStart(a[p]) { // back to a character boundary
		p--
	}
	s := 0
	for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && !utf8.RuneStart(a[len(a)-s]) {
		s--
	}
	if len(a)+len(b) == 0 {
		return 1
	}
	return 2 * float64(p+s) / float64(len(a)+len(b))
}

// pairExact finds the order-preserving pairing with the greatest total
// similarity, counting only pairs above pairThreshold.
func pairExact(n, m int, sim func(x, y int) float64) [][2]int {
	w := m + 1
	score := make([]float64, (n+1)*w)
	for x := 1; x <= n; x++ {
		for y := 1; y <= m; y++ {
			best := max(score[(x-1)*w+y], score[x*w+y-1])
			if s := sim(x-1, y-1); s >= pairThreshold {
				best = max(best, score[(x-1)*w+y-1]+s)
			}
			score[x*w+y] = best
		}
	}
	var pairs [][2]int
	for x, y := n, m; x > 0 && y > 0; {
		switch {
		case score[x*w+y] == score[(x-1)*w+y]:
			x--
		case score[x*w+y] == score[x*w+y-1]:
			y--
		default:
			pairs = append(pairs, [2]int{x - 1, y - 1})
			x, y = x-1, y-1
		}
	}
	slices.Reverse(pairs)
	return pairs
}

// pairWindowed pairs each old line with the most similar new line within a
// window after the previous pair: linear in the block size, for blocks too
// large to pair exactly (a policy rewritten from top to bottom).
func pairWindowed(n, m int, sim func(x, y int) float64) [][2]int {
	var pairs [][2]int
	nextY := 0
	for x := 0; x < n && nextY < m; x++ {
		// Keep near the diagonal so an unmatched stretch does not drag the
		// window away from where the line's counterpart should be.
		center := max(nextY, x*m/n-pairWindow/2)
		bestY, best := -1, pairThreshold
		for y := center; y < min(m, center+pairWindow); y++ {
			if s := sim(x, y); s >= best {
				bestY, best = y, s
			}
		}
		if bestY >= 0 {
			pairs = append(pairs, [2]int{x, bestY})
			nextY = bestY + 1
		}
	}
	return pairs
}

// findMoves turns a deletion and an insertion of the same paragraph into
// one move row at the new place: first exact matches (by comparison key),
// then edited ones above fuzzyMoveThreshold.
func findMoves(rows []Row) []Row {
	deleted := map[string][]int{}
	for i, r := range rows {
		if r.Op == Delete && atLeastRunes(r.oldKey, minMoveRunes) {
			deleted[r.oldKey] = append(deleted[r.oldKey], i)
		}
	}
	if len(deleted) == 0 {
		return rows
	}
	gone := map[int]bool{}
	for i := range rows {
		r := &rows[i]
		if r.Op != Insert {
			continue
		}
		if idx := deleted[r.newKey]; len(idx) > 0 {
			d := rows[idx[0]]
			deleted[r.newKey] = idx[1:]
			gone[idx[0]] = true
			r.Op, r.OldNo, r.Old, r.oldKey = Move, d.OldNo, d.Old, d.oldKey
		}
	}
	fuzzyMoves(rows, gone)
	if len(gone) == 0 {
		return rows
	}
	out := rows[:0]
	for i, r := range rows {
		if !gone[i] {
			out = append(out, r)
		}
	}
	return out
}

// atLeastRunes reports whether s has at least n characters, counting them
// only when its length in bytes does not tell.
func atLeastRunes(s string, n int) bool {
	switch {
	case len(s) >= n*utf8.UTFMax:
		return true
	case len(s) < n:
		return false
	}
	return utf8.RuneCountInString(s) >= n
}

// fuzzyMoves pairs the remaining long deletions and insertions that are
// nearly the same paragraph, best matches first.
func fuzzyMoves(rows []Row, gone map[int]bool) {
	var dels, ins []int
	for i, r := range rows {
		switch {
		case r.Op == Delete && !gone[i] && atLeastRunes(r.Old, 2*minMoveRunes):
			dels = append(dels, i)
		case r.Op == Insert && atLeastRunes(r.New, 2*minMoveRunes):
			ins = append(ins, i)
		}
	}
	if len(dels) == 0 || len(ins) == 0 || len(dels)*len(ins) > fuzzyMoveCells {
		return
	}
	type candidate struct {
		d, i int
		sim  float64
	}
	var cands []candidate
	dp := make(map[int]profile, len(dels))
	for _, d := range dels {
		dp[d] = newProfile(rows[d].Old)
	}
	for _, i := range ins {
		p := newProfile(rows[i].New)
		for _, d := range dels {
			if s := similarity(dp[d], p); s >= fuzzyMoveThreshold {
				cands = append(cands, candidate{d, i, s})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].sim > cands[y].sim })
	used := map[int]bool{}
	for _, c := range cands {
		if gone[c.d] || used[c.i] {
			continue
		}
		gone[c.d], used[c.i] = true, true
		r := &rows[c.i]
		r.Op, r.OldNo, r.Old, r.oldKey = Move, rows[c.d].OldNo, rows[c.d].Old, rows[c.d].oldKey
	}
}

// markFormatting flags changed rows that differ in formatting only: a row
// whose two sides have the same comparison key, a blank line added or
// removed, or a block whose lines, joined, say the same as before (text
// re-wrapped across lines). A move is never formatting: the paragraph now
// stands elsewhere.
func markFormatting(rows []Row) {
	for i := range rows {
		r := &rows[i]
		switch r.Op {
		case Replace:
			r.Formatting = r.oldKey == r.newKey
		case Insert:
			r.Formatting = r.newKey == ""
		case Delete:
			r.Formatting = r.oldKey == ""
		}
	}
	for _, b := range (Result{Rows: rows}).Blocks(false) {
		if blockIsReformatted(rows[b.Start:b.End]) {
			for i := b.Start; i < b.End; i++ {
				rows[i].Formatting = true
			}
		}
	}
}

// blockIsReformatted reports a change block whose old lines and new lines,
// each joined, have the same comparison key (the key of joined lines is the
// concatenation of the lines' keys). The keys' lengths are added first: in
// most blocks the words changed and the two sides differ in length.
func blockIsReformatted(block []Row) bool {
	oldLen, newLen := 0, 0
	for _, r := range block {
		if r.Op == Move {
			return false // a move's old side is elsewhere; judged on its own
		}
		if r.OldNo > 0 {
			oldLen += len(r.oldKey)
		}
		if r.NewNo > 0 {
			newLen += len(r.newKey)
		}
	}
	if oldLen != newLen {
		return false
	}
	var oldSide, newSide strings.Builder
	for _, r := range block {
		if r.OldNo > 0 {
			oldSide.WriteString(r.oldKey)
		}
		if r.NewNo > 0 {
			newSide.WriteString(r.newKey)
		}
	}
	return oldSide.String() == newSide.String()
}
