package analyze

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/lazyregexp"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// analysis is the state of one Compare.
type analysis struct {
	res              textdiff.Result
	model            *classify.Model
	oldInv, newInv   *facts.Inventory
	oldCtx, newCtx   []classify.Sentence // each line with its neighbours and section
	oldSec, newSec   []string            // each line's section path
	canon            *canonicalizer
	oldDoc, newDoc   *document       // each version's sentences undone of editorial kinds, to look sentences up in
	added, removed   map[string]bool // keys of the facts the new version adds and drops
	oldText, newText string
}

// version is what the analysis reads of one version.
type version struct {
	text string
	inv  *facts.Inventory
	ctx  []classify.Sentence // each line with its neighbours and section
	sec  []string            // each line's section path
	doc  *document
}

func readVersion(norm string, canon *canonicalizer) version {
	v := version{text: norm, inv: facts.Take(norm), doc: newDocument(norm, canon)}
	v.ctx, v.sec = contexts(v.inv.Lines)
	return v
}

func newAnalysis(res textdiff.Result, model *classify.Model, canon *canonicalizer, old, cur version) *analysis {
	return &analysis{res: res, model: model, canon: canon, oldInv: old.inv, newInv: cur.inv, oldText: old.text, newText: cur.text,
		oldCtx: old.ctx, newCtx: cur.ctx, oldSec: old.sec, newSec: cur.sec, oldDoc: old.doc, newDoc: cur.doc}
}

// document is a version's sentences, undone of editorial kinds: what a
// sentence of a change is looked up in, to tell text moved or reworded
// from text new.
type document struct {
	sentences map[string]bool
	text      string // the sentences' canonical forms in order, run together
	trigrams  bitset // the text's three-character runs, hashed: a quick "not in the text"
}

// bitset is a Bloom filter of one hash over 2²¹ bits.
type bitset []uint64

const bitsetBits = 1 << 21

func trigram(a, b, c rune) uint32 {
	return (uint32(a)*1000003 ^ uint32(b)*8191 ^ uint32(c)) % bitsetBits
}

func (b bitset) set(h uint32)      { b[h/64] |= 1 << (h % 64) }
func (b bitset) has(h uint32) bool { return b[h/64]&(1<<(h%64)) != 0 }

func newDocument(norm string, canon *canonicalizer) *document {
	d := &document{sentences: map[string]bool{}}
	var b strings.Builder
	for _, s := range sentencesOf(norm) {
		if k := canon.canonical(s, ""); k != "" {
			d.sentences[k] = true
			b.WriteString(k)
		}
	}
	d.text = b.String()
	d.trigrams = make(bitset, bitsetBits/64)
	var r0, r1 rune
	for i, r := range []rune(d.text) {
		if i >= 2 {
			d.trigrams.set(trigram(r0, r1, r))
		}
		r0, r1 = r1, r
	}
	return d
}

// states reports whether the document has a sentence of that canonical
// form.
func (d *document) states(key string) bool { return d.sentences[key] }

// contains reports whether the document's text runs through the
// canonical text, whatever its sentences and lines: a passage re-wrapped
// or split into other sentences.
func (d *document) contains(text string) bool {
	if text == "" {
		return false
	}
	rs := []rune(text)
	for i := 2; i < len(rs); i += 3 {
		if !d.trigrams.has(trigram(rs[i-2], rs[i-1], rs[i])) {
			return false // a run of the text the document does not have
		}
	}
	return strings.Contains(d.text, text)
}

// contexts gives each line its neighbours and section, as the classifier
// was trained to see sentences, and its section path for the report.
func contexts(lines []string) ([]classify.Sentence, []string) {
	plain := make([]string, len(lines))
	for i, l := range lines {
		plain[i] = strings.TrimSpace(facts.Plain(l))
	}
	sections := classify.Sections(plain)
	out := make([]classify.Sentence, len(lines))
	prevText := func(i int) string {
		for j := i - 1; j >= 0; j-- {
			if plain[j] != "" {
				return plain[j]
			}
		}
		return ""
	}
	nextText := func(i int) string {
		for j := i + 1; j < len(plain); j++ {
			if plain[j] != "" {
				return plain[j]
			}
		}
		return ""
	}
	for i, l := range plain {
		out[i] = classify.Sentence{Text: l, Prev: prevText(i), Next: nextText(i), Section: sections[i]}
	}
	return out, sections
}

// blocks are the changes: runs of changed rows, rows that differ only in
// formatting left out, and runs that only blank lines or formatting
// separate joined into one. A run is then cut where its rows turn from
// editorial-only (您 for 你 throughout, bold marks) to changed in content
// and back, so that a text edited everywhere in small ways does not make
// one change of a whole chapter.
func (a *analysis) blocks() []textdiff.Block {
	rows := a.res.Rows
	var joined []textdiff.Block
	for _, b := range a.res.Blocks(true) {
		if n := len(joined); n > 0 && onlyFormattingBetween(rows, joined[n-1].End, b.Start) {
			joined[n-1].End = b.End
			continue
		}
		joined = append(joined, b)
	}
	var out []textdiff.Block
	for _, b := range joined {
		out = append(out, a.splitByContent(b)...)
	}
	return out
}

// splitByContent cuts a block between rows changed in content and rows
// changed only editorially; formatting rows and blank rows go with the
// rows before them.
func (a *analysis) splitByContent(b textdiff.Block) []textdiff.Block {
	rows := a.res.Rows
	var out []textdiff.Block
	start, kind := b.Start, -1 // kind: 0 editorial, 1 content, -1 none yet
	for i := b.Start; i < b.End; i++ {
		k := a.rowKind(rows[i])
		if k < 0 {
			continue
		}
		if kind >= 0 && k != kind {
			out = append(out, textdiff.Block{Start: start, End: i})
			start = i
		}
		kind = k
	}
	return append(out, textdiff.Block{Start: start, End: b.End})
}

// rowKind is 1 for a row changed in content, 0 for one changed only in
// editorial ways, -1 for formatting, blank or unchanged rows.
func (a *analysis) rowKind(r textdiff.Row) int {
	if !r.Changed() || r.Formatting || strings.TrimSpace(r.Old)+strings.TrimSpace(r.New) == "" {
		return -1
	}
	if r.Op == textdiff.Replace && a.canon.canonical(r.Old, "") == a.canon.canonical(r.New, "") {
		return 0
	}
	return 1
}

// onlyFormattingBetween reports rows from..to that are formatting changes
// or blank on both sides.
func onlyFormattingBetween(rows []textdiff.Row, from, to int) bool {
	if from >= to {
		return true
	}
	for _, r := range rows[from:to] {
		blank := strings.TrimSpace(r.Old) == "" && strings.TrimSpace(r.New) == ""
		if !(r.Changed() && r.Formatting) && !blank {
			return false
		}
	}
	return true
}

// changes analyses the blocks, on all cores: each block is independent.
func (a *analysis) changes(blocks []textdiff.Block) []Change {
	out := make([]Change, len(blocks))
	workers := min(runtime.GOMAXPROCS(0), len(blocks))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(blocks); i += workers {
				out[i] = a.change(a.res.Rows[blocks[i].Start:blocks[i].End])
				out[i].order = i
			}
		}()
	}
	wg.Wait()
	return out
}

// change analyses one block.
func (a *analysis) change(rows []textdiff.Row) Change {
	c := Change{Kind: kindOf(rows), Categories: []string{}, Clauses: []Clause{}}
	var oldParts, newParts []string
	var oldLines, newLines []int
	for _, r := range rows {
		if r.Formatting || !r.Changed() {
			continue
		}
		if r.OldNo > 0 {
			oldParts = append(oldParts, r.Old)
			oldLines = append(oldLines, r.OldNo)
		}
		if r.NewNo > 0 {
			newParts = append(newParts, r.New)
			newLines = append(newLines, r.NewNo)
		}
	}
	// The old side in the old version's order: rows come in the new
	// version's, and a paragraph moved within the block would otherwise
	// read as changed.
	order := make([]int, len(oldLines))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return oldLines[order[i]] < oldLines[order[j]] })
	sortedParts, sortedLines := make([]string, len(order)), make([]int, len(order))
	for k, i := range order {
		sortedParts[k], sortedLines[k] = oldParts[i], oldLines[i]
	}
	oldParts, oldLines = sortedParts, sortedLines
	c.OldText, c.NewText = joinLines(oldParts), joinLines(newParts)
	if len(oldLines) > 0 {
		n := minInt(oldLines)
		c.OldLine = &n
	}
	if len(newLines) > 0 {
		n := newLines[0]
		c.NewLine = &n
		c.Anchor = fmt.Sprintf("n%d", n)
		c.Section = a.newSec[n-1]
	} else {
		c.Anchor = fmt.Sprintf("o%d", *c.OldLine)
		c.Section = a.oldSec[*c.OldLine-1]
	}
	c.Facts = a.blockFacts(oldLines, newLines)
	for _, f := range factsOn(a.oldInv, oldLines) {
		if f.Type == facts.Right && len(f.Ways) > 0 {
			c.oldRights = append(c.oldRights, f)
		}
	}
	c.Categories, c.Risk = a.categories(rows)
	c.Edits = a.canon.countEdits(c.OldText, c.NewText)
	a.judge(&c)
	return c
}

func minInt(xs []int) int {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}

// blockFacts are the facts the block's own lines add and drop: stated on
// its new lines and not on its old ones, or the reverse. A fact the other
// version still states elsewhere carries that line (Elsewhere).
func (a *analysis) blockFacts(oldLines, newLines []int) FactChanges {
	oldSide, newSide := factsOn(a.oldInv, oldLines), factsOn(a.newInv, newLines)
	return FactChanges{Added: onlyOn(newSide, oldSide, a.added, a.oldInv), Removed: onlyOn(oldSide, newSide, a.removed, a.newInv)}
}

// onlyOn are the facts of one side of a block the other side does not
// state; those the other version states elsewhere (not in counted) carry
// where.
func onlyOn(side, other []facts.Fact, counted map[string]bool, otherInv *facts.Inventory) []facts.Fact {
	out := []facts.Fact{}
	for _, f := range side {
		if _, ok := findKey(other, f.Key()); ok {
			continue
		}
		if !counted[f.Key()] {
			f.Elsewhere = lineOr(otherInv.States(f))
		}
		out = append(out, f)
	}
	return out
}

// lineOr turns "named, line unknown" (-1) into line 1 rather than 0, which
// would read as "stated nowhere".
func lineOr(l int) int {
	if l < 0 {
		return 1
	}
	return l
}

// factsOn are an inventory's statements on the given lines, one per key.
func factsOn(inv *facts.Inventory, lines []int) []facts.Fact {
	var out []facts.Fact
	seen := map[string]bool{}
	for _, l := range lines {
		for _, f := range inv.OnLine(l) {
			if !seen[f.Key()] {
				seen[f.Key()] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func findKey(fs []facts.Fact, key string) (facts.Fact, bool) {
	for _, f := range fs {
		if f.Key() == key {
			return f, true
		}
	}
	return facts.Fact{}, false
}

func kindOf(rows []textdiff.Row) ChangeKind {
	ins, del, mov, n := 0, 0, 0, 0
	for _, r := range rows {
		if r.Formatting || !r.Changed() {
			continue
		}
		n++
		switch r.Op {
		case textdiff.Insert:
			ins++
		case textdiff.Delete:
			del++
		case textdiff.Move:
			mov++
		}
	}
	switch n {
	case ins:
		return Added
	case del:
		return Removed
	case mov:
		return Moved
	}
	return Modified
}

// categories classifies the block's changed lines in their context: the new
// version's lines, and the old version's for what was removed.
func (a *analysis) categories(rows []textdiff.Row) ([]string, bool) {
	counts := map[string]int{}
	risk := false
	classifyLine := func(ctx []classify.Sentence, no int) {
		if no <= 0 || no > len(ctx) || strings.TrimSpace(ctx[no-1].Text) == "" || classify.IsHeading(ctx[no-1].Text) {
			return
		}
		res := a.model.Classify(ctx[no-1])
		for _, l := range res.Labels {
			counts[l]++
		}
		risk = risk || res.Risk
	}
	for _, r := range rows {
		if r.Formatting || !r.Changed() {
			continue
		}
		switch r.Op {
		case textdiff.Delete:
			classifyLine(a.oldCtx, r.OldNo)
		default:
			classifyLine(a.newCtx, r.NewNo)
		}
	}
	out := []string{}
	for _, t := range classify.Topics {
		if counts[t] > 0 {
			out = append(out, t)
		}
	}
	return out, risk
}

var (
	// englishProse tells English text, which the clause classifier
	// (trained on Chinese policies) cannot read.
	englishProse = lazyregexp.New(`[a-z]{2,} [a-z]{2,} [a-z]{2,}`)
	// English statements of processing: "we collect …", "is shared with …".
	englishProcesses = lazyregexp.New(`(?i)\b(we|us|our [a-z ]{0,20}(partners|providers|affiliates))\b[^.;]{0,60}\b(collect|use|process|share|disclose|store|retain|obtain|receive|access|analy[sz]e|transfer|sell|combine|infer|record)\w*|\b(is|are|be|been|will be|may be)\s+(\w+ly\s+)?(collected|used|processed|shared|disclosed|stored|retained|obtained|received|accessed|analy[sz]ed|transferred|sold|combined|recorded)\b`)
)

// englishProcessing reads an English sentence: 1 when it states that
// information is handled and nothing negates it, else 0.
func englishProcessing(text string) float64 {
	loc := englishProcesses.FindStringIndex(text)
	if loc == nil || englishDenial.MatchString(text[:loc[1]]) {
		return 0
	}
	return 1
}

var englishDenial = lazyregexp.New(`(?i)\b(do not|does not|don't|will not|won't|never|not)\b`)

// processing is how likely a clause is about handling personal
// information (collection, use, sharing, permissions), by the clause
// classifier, read in the section it stands in.
func (a *analysis) processing(text, section string) float64 {
	if englishProse.MatchString(text) {
		return englishProcessing(text)
	}
	res := a.model.Classify(classify.Sentence{Text: text, Section: section})
	p := 0.0
	for _, t := range []string{"collection", "usage", "sharing", "permission"} {
		p = max(p, res.Scores[t])
	}
	return p
}
