package analyze

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/policywatch/policywatch/internal/facts"
)

// clauseMarks end a clause: the report quotes whole clauses, never pieces
// of words.
const clauseMarks = "，。；：！？,;:!?、\n"

// changedClauses returns what a block changed, read as a reader sees it
// (no Markdown): its sentences are aligned first; a sentence only one
// side has is added or removed whole, a sentence edited is narrowed to the
// clauses that changed. Sentences that differ only in editorial ways, and
// sentences the other version still states elsewhere, are left out.
func (a *analysis) changedClauses(oldText, newText string) []Clause {
	oldS, newS := sentencesOf(readable(oldText)), sentencesOf(readable(newText))
	oldK, newK := a.keys(oldS), a.keys(newS)
	var out []Clause
	for _, run := range alignRuns(oldK, newK) {
		dels, inss := run.old, run.new
		pairs := pairSentences(oldS, newS, dels, inss)
		paired := map[int]bool{}
		for _, p := range pairs {
			paired[p[0]], paired[-1-p[1]] = true, true
		}
		// In the order of the new text: removals before the insertions
		// that follow them.
		for _, d := range dels {
			if !paired[d] && oldK[d] != "" && !a.newDoc.states(oldK[d]) {
				out = append(out, Clause{Old: oldS[d], oldSentences: []string{oldS[d]}})
			}
		}
		for _, i := range inss {
			if p, ok := pairOf(pairs, i); ok {
				out = append(out, a.editedClauses(oldS[p], newS[i])...)
				continue
			}
			if newK[i] != "" && !a.oldDoc.states(newK[i]) {
				out = append(out, Clause{New: newS[i], newSentences: []string{newS[i]}})
			}
		}
	}
	return out
}

func (a *analysis) keys(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = a.canon.canonical(s, "")
	}
	return out
}

// run is a stretch of sentences that differ: indexes into each side.
type run struct{ old, new []int }

// alignRuns aligns two lists of sentence keys and returns the stretches
// between equal sentences.
func alignRuns(oldK, newK []string) []run {
	ids := map[string]rune{}
	encode := func(ks []string) []rune {
		out := make([]rune, len(ks))
		for i, k := range ks {
			id, ok := ids[k]
			if !ok {
				id = rune(0xF0000 + len(ids)) // private use: no clash with text
				ids[k] = id
			}
			out[i] = id
		}
		return out
	}
	ra, rb := encode(oldK), encode(newK)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 200 * time.Millisecond
	var out []run
	var cur *run
	op, np := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			if cur != nil {
				out = append(out, *cur)
				cur = nil
			}
			op, np = op+n, np+n
			continue
		}
		if cur == nil {
			cur = &run{}
		}
		for k := 0; k < n; k++ {
			if d.Type == diffmatchpatch.DiffDelete {
				cur.old = append(cur.old, op+k)
			} else {
				cur.new = append(cur.new, np+k)
			}
		}
		if d.Type == diffmatchpatch.DiffDelete {
			op += n
		} else {
			np += n
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// pairSentences pairs removed and inserted sentences that are versions of
// one sentence (most characters in common), in order.
func pairSentences(oldS, newS []string, dels, inss []int) [][2]int {
	var out [][2]int
	used := map[int]bool{}
	last := -1
	for _, d := range dels {
		best, bestSim := -1, 0.5
		for _, i := range inss {
			if used[i] || i <= last {
				continue
			}
			if sim := similarity(oldS[d], newS[i]); sim > bestSim {
				best, bestSim = i, sim
			}
		}
		if best >= 0 {
			used[best] = true
			last = best
			out = append(out, [2]int{d, best})
		}
	}
	return out
}

func pairOf(pairs [][2]int, newIndex int) (int, bool) {
	for _, p := range pairs {
		if p[1] == newIndex {
			return p[0], true
		}
	}
	return 0, false
}

// similarity is the share of characters two sentences have in common, in
// order (by diff-match-patch), of the longer one.
func similarity(a, b string) float64 {
	if englishProse.MatchString(a) && englishProse.MatchString(b) {
		return wordSimilarity(a, b)
	}
	return commonShare([]rune(a), []rune(b))
}

// commonShare is the share of two sequences, of the longer, that they have
// in common in order.
func commonShare(ra, rb []rune) float64 {
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 50 * time.Millisecond
	common := 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		if d.Type == diffmatchpatch.DiffEqual {
			common += utf8.RuneCountInString(d.Text)
		}
	}
	return float64(common) / float64(max(len(ra), len(rb)))
}

// wordSimilarity is similarity counted in words: English sentences share
// most of their letters whatever they say.
func wordSimilarity(a, b string) float64 {
	ids := map[string]rune{}
	encode := func(s string) []rune {
		var out []rune
		for _, w := range strings.Fields(strings.ToLower(s)) {
			id, ok := ids[w]
			if !ok {
				id = rune(0xF0000 + len(ids))
				ids[w] = id
			}
			out = append(out, id)
		}
		return out
	}
	return commonShare(encode(a), encode(b))
}

// editedClauses narrows an edited sentence to the clauses that changed.
// 您 and 你 compare alike, so a text that swapped them throughout does not
// turn every clause into a change.
func (a *analysis) editedClauses(oldSentence, newSentence string) []Clause {
	oldR, newR := []rune(oldSentence), []rune(newSentence)
	cmpA := []rune(strings.ReplaceAll(oldSentence, "您", "你"))
	cmpB := []rune(strings.ReplaceAll(newSentence, "您", "你"))
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 100 * time.Millisecond
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(cmpA, cmpB, false))

	var hunks []hunk
	var cur *hunk
	op, np := 0, 0
	for _, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		if d.Type == diffmatchpatch.DiffEqual {
			if cur != nil {
				hunks = append(hunks, *cur)
				cur = nil
			}
			op, np = op+n, np+n
			continue
		}
		if cur == nil {
			cur = &hunk{os: op, oe: op, ns: np, ne: np}
		}
		if d.Type == diffmatchpatch.DiffDelete {
			op += n
			cur.oe = op
		} else {
			np += n
			cur.ne = np
		}
	}
	if cur != nil {
		hunks = append(hunks, *cur)
	}
	// Widen each hunk to whole clauses on both sides; join hunks that then
	// overlap.
	type widened struct{ clause, changed hunk }
	var ws []widened
	for _, h := range hunks {
		w := hunk{}
		w.os, w.oe = widen(oldR, h.os, h.oe)
		w.ns, w.ne = widen(newR, h.ns, h.ne)
		if n := len(ws); n > 0 && (w.os < ws[n-1].clause.oe || w.ns < ws[n-1].clause.ne) {
			last := &ws[n-1]
			last.clause.oe, last.clause.ne = max(last.clause.oe, w.oe), max(last.clause.ne, w.ne)
			last.changed.oe, last.changed.ne = max(last.changed.oe, h.oe), max(last.changed.ne, h.ne)
			continue
		}
		ws = append(ws, widened{clause: w, changed: h})
	}
	var out []Clause
	for _, w := range ws {
		h := w.clause
		c := Clause{Old: string(oldR[h.os:h.oe]), New: string(newR[h.ns:h.ne])}
		if strings.TrimSpace(c.Old) != "" {
			c.oldSentences = []string{oldSentence}
		}
		if strings.TrimSpace(c.New) != "" {
			c.newSentences = []string{newSentence}
		}
		if a.canon.canonical(c.Old, "") == a.canon.canonical(c.New, "") {
			continue // an editorial piece
		}
		c.OldMark = mark([]rune(c.Old), w.changed.os-h.os, w.changed.oe-h.os)
		c.NewMark = mark([]rune(c.New), w.changed.ns-h.ns, w.changed.ne-h.ns)
		out = append(out, c)
	}
	return out
}

// hunk is a changed stretch of two texts, as rune offsets.
type hunk struct{ os, oe, ns, ne int }

// mark widens the changed runes [s, e) of a clause to the whole names and
// terms they fall in (浩物网络科技 → 浙江浩物网络科技有限公司); nil when
// nothing changed on that side.
func mark(clause []rune, s, e int) []int {
	if s >= e || s < 0 || e > len(clause) {
		return nil
	}
	text := string(clause)
	for _, t := range facts.Terms(text) {
		ts, te := utf8.RuneCountInString(text[:t[0]]), utf8.RuneCountInString(text[:t[1]])
		if ts < e && s < te { // overlaps
			s, e = min(s, ts), max(e, te)
		}
	}
	return []int{s, e}
}

// readable is a text as a reader sees it: Markdown marks and link targets
// gone.
func readable(s string) string {
	return strings.TrimRight(facts.Plain(s), "\n")
}

// widen extends [s, e) of text to the clause marks around it, keeping the
// mark that closes the clause. An empty range (a pure insertion on the
// other side) at a clause boundary stays where it is.
func widen(text []rune, s, e int) (int, int) {
	// A full stop followed by a space ends an English clause too.
	isMarkAt := func(i int) bool {
		return strings.ContainsRune(clauseMarks, text[i]) || text[i] == '.' && (i+1 == len(text) || text[i+1] == ' ')
	}
	if s == e && (s == 0 || s == len(text) || isMarkAt(s-1)) {
		return s, e
	}
	for s > 0 && !isMarkAt(s-1) {
		s--
	}
	if e > s && isMarkAt(e-1) {
		return s, e
	}
	for e < len(text) && !isMarkAt(e) {
		e++
	}
	if e < len(text) && text[e] != '\n' {
		e++
	}
	return s, e
}

// quote shortens a clause for the report at a clause mark, never inside a
// word, keeping at most n characters.
func quote(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	s = strings.TrimRight(s, "，,、；;：: ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := -1
	for i := n; i > n/3; i-- {
		if strings.ContainsRune("，。；：！？,;:!?、 ", rs[i-1]) {
			cut = i
			break
		}
	}
	if cut < 0 {
		cut = n
	}
	return strings.TrimRight(string(rs[:cut]), "，。；：、,;: ") + "…"
}
