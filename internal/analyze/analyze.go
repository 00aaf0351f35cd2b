// Package analyze explains what changed between two versions of a policy:
// each change (a block of consecutive changed lines) with the clause topics
// it touches, the facts it adds and removes, whether it is substantive or
// editorial (and which editorial kinds), which way it moves users'
// position, and one sentence on its impact; an overall level by the rules
// of rules.go; and a report in Chinese or English. Everything is computed
// offline and every statement points to the change it comes from.
//
// Facts are compared version against version (facts.Diff): a fact is added
// only when the old version says nothing of it anywhere, and each change
// carries the facts its own lines add or drop, marked when the other
// version still states them elsewhere.
package analyze

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/policywatch/policywatch"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/locale"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// Directions of a change for the people whose data it concerns.
const (
	Widens  = "widens"  // more processing, or fewer rights
	Narrows = "narrows" // less processing, or more rights
	Neutral = "neutral"
	Mixed   = "mixed"
)

// FactChanges are the facts a change (or the whole comparison) adds and
// removes.
type FactChanges struct {
	Added   []facts.Fact `json:"added"`
	Removed []facts.Fact `json:"removed"`
}

// Clause is a changed piece of text widened to whole clauses: what the old
// version said there and what the new one says ("" for none).
type Clause struct {
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// The words that changed within each, as rune offsets [start, end),
	// widened to whole names and terms.
	OldMark []int `json:"old_mark,omitempty"`
	NewMark []int `json:"new_mark,omitempty"`

	// the whole sentences around them that the other version does not
	// state, which the rules read
	oldSentences, newSentences []string
}

// Reason says why a change has its level.
type Reason struct {
	Code  string `json:"code"`            // e.g. sensitive_pi_added, right_removed, minor_age_lowered
	Value string `json:"value,omitempty"` // the fact concerned
	From  string `json:"from,omitempty"`  // before, where the rule compares (14)
	To    string `json:"to,omitempty"`    // after (12)
}

// ChangeKind says what a change did to its lines, as the contract names it.
type ChangeKind string

const (
	Added    ChangeKind = "added"
	Removed  ChangeKind = "removed"
	Modified ChangeKind = "modified"
	Moved    ChangeKind = "moved"
)

// Change is one block of consecutive changed lines.
type Change struct {
	ID          int               `json:"id"` // 1-based, in the report's order: substantive first, by level
	Kind        ChangeKind        `json:"kind"`
	OldLine     *int              `json:"old_line"`
	NewLine     *int              `json:"new_line"`
	OldText     string            `json:"old_text"`
	NewText     string            `json:"new_text"`
	Section     string            `json:"section,omitempty"` // the headings it stands under, outermost first, joined by classify.SectionSep
	Categories  []string          `json:"categories"`
	Substantive bool              `json:"substantive"`
	Editorial   string            `json:"editorial,omitempty"` // the main editorial kind, when not substantive
	Edits       []EditorialEdit   `json:"edits,omitempty"`     // editorial differences within it, counted
	Clauses     []Clause          `json:"clauses"`             // what changed, as whole clauses
	Direction   string            `json:"direction"`
	Risk        bool              `json:"risk"` // a changed sentence reads as a potential risk (CAPP-130 risk)
	Facts       FactChanges       `json:"facts"`
	Impact      string            `json:"impact"`
	Anchor      string            `json:"anchor"` // the row on the compare page: n<line> or o<line>
	Level       policywatch.Level `json:"level"`  // this change alone
	Reasons     []Reason          `json:"reasons,omitempty"`

	order     int          // position in the document
	oldRights []facts.Fact // statements of rights with ways on its old lines, for ruleWays
}

// Report is the analysis of two versions.
type Report struct {
	Level      policywatch.Level `json:"level"`
	Summary    string            `json:"summary"`
	Statements []Statement       `json:"statements"` // the summary's statements, each with the changes it rests on
	Changes    []Change          `json:"changes"`
	Editorial  []EditorialEdit   `json:"editorial"` // editorial edits over the whole text, by kind
	Facts      FactChanges       `json:"facts"`
	Engine     string            `json:"engine"`
	EngineNote string            `json:"engine_note,omitempty"` // why the configured model's report is not the one shown
	Lang       string            `json:"lang"`
	Conclusion string            `json:"conclusion"`
	Reasons    []Reason          `json:"reasons"` // why the level is what it is
	Rights     []string          `json:"rights"`  // the rights the new version states, by canonical name (查询/访问 …), for the conclusion
	Stats      textdiff.Stats    `json:"stats"`
	Rules      int               `json:"rules"` // version of the rules that made it (RulesVersion)
	AnalyzedAt time.Time         `json:"analyzed_at"`
}

// RulesVersion changes whenever the rules would judge a pair differently,
// so that reports stored by older rules can be told apart and made anew.
const RulesVersion = 2

// Options shape an analysis.
type Options struct {
	Lang string // "zh" (default) or "en"
	Now  func() time.Time
}

// Compare analyses the change from oldText to newText.
func Compare(oldText, newText string, opt Options) (*Report, error) {
	opt.Lang = locale.Normalize(opt.Lang)
	if opt.Now == nil {
		opt.Now = time.Now
	}
	model, err := classify.Default()
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	oldNorm, newNorm := normalize.Text(oldText), normalize.Text(newText)
	// The old version's inventory, the larger part of the work, is taken
	// while the diff and the new version's are.
	// Each version is read on its own core: its inventory of facts, its
	// canonical text and its lines in context; the diff goes with the new
	// version.
	canon := newCanonicalizer(oldNorm, newNorm)
	var old version
	done := make(chan struct{})
	go func() {
		old = readVersion(oldNorm, canon)
		close(done)
	}()
	res := textdiff.CompareLines(textdiff.Lines(oldNorm), textdiff.Lines(newNorm))
	cur := readVersion(newNorm, canon)
	<-done
	added, removed := facts.Diff(old.inv, cur.inv)
	a := newAnalysis(res, model, canon, old, cur)
	a.added, a.removed = keySet(added), keySet(removed)
	r := &Report{Engine: EngineBuiltin, Lang: opt.Lang, Facts: FactChanges{Added: nonNil(added), Removed: nonNil(removed)},
		Changes: []Change{}, Stats: res.Stats, Rules: RulesVersion, AnalyzedAt: opt.Now().UTC()}
	formatting := 0
	for _, c := range a.changes(a.blocks()) {
		if onlyFormatting(c) {
			formatting++ // punctuation, spacing, wrapping: no change at all
			continue
		}
		r.Changes = append(r.Changes, c)
	}
	number(r.Changes)
	r.Editorial = sumEdits(r.Changes)
	if formatting > 0 {
		r.Editorial = append(r.Editorial, EditorialEdit{Kind: EditFormatting, Count: formatting})
	}
	r.Rights = rightsLeft(cur.inv, r.Changes)
	r.Level, r.Reasons = overall(r, oldNorm != newNorm)
	w := wordsFor(opt.Lang)
	for i := range r.Changes {
		r.Changes[i].Impact = w.impact(r.Changes[i])
	}
	r.Statements = headlines(r)
	r.Summary = w.summary(r)
	r.Conclusion = w.conclusion(r)
	return r, nil
}

func nonNil(fs []facts.Fact) []facts.Fact {
	if fs == nil {
		return []facts.Fact{}
	}
	return fs
}

func keySet(fs []facts.Fact) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Key()] = true
	}
	return out
}

// number orders the changes as the report lists them (substantive ones
// first, most serious first, then in the order of the text; editorial
// ones after) and numbers them in that order, so that a change has one
// number everywhere.
func number(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Substantive != cs[j].Substantive {
			return cs[i].Substantive
		}
		if cs[i].Substantive && cs[i].Level.Rank() != cs[j].Level.Rank() {
			return cs[i].Level.Rank() > cs[j].Level.Rank()
		}
		return cs[i].order < cs[j].order
	})
	for i := range cs {
		cs[i].ID = i + 1
	}
}

// onlyFormatting reports a change of punctuation, spacing or line
// wrapping alone, which the contract does not count as a change.
func onlyFormatting(c Change) bool {
	return !c.Substantive && len(c.Edits) == 1 && c.Edits[0].Kind == EditFormatting
}

// sumEdits adds up the editorial edits of all changes by kind.
func sumEdits(cs []Change) []EditorialEdit {
	index := map[string]int{}
	out := []EditorialEdit{}
	byOrder := append([]Change(nil), cs...)
	sort.SliceStable(byOrder, func(i, j int) bool { return byOrder[i].order < byOrder[j].order })
	for _, c := range byOrder {
		for _, e := range c.Edits {
			key := e.Kind + "\x00" + e.From + "\x00" + e.To
			i, ok := index[key]
			if !ok {
				i = len(out)
				index[key] = i
				out = append(out, EditorialEdit{Kind: e.Kind, From: e.From, To: e.To})
			}
			out[i].Count += e.Count
			for _, item := range e.Items {
				if !slices.Contains(out[i].Items, item) {
					out[i].Items = append(out[i].Items, item)
				}
			}
			if !slices.Contains(out[i].Changes, c.ID) {
				out[i].Changes = append(out[i].Changes, c.ID)
			}
		}
	}
	for i := range out {
		sort.Ints(out[i].Changes)
	}
	return out
}

// rightsLeft are the rights the new version states, less those the rules
// found removed (stated with no way left to exercise them): the only
// rights a conclusion may point users to.
func rightsLeft(inv *facts.Inventory, cs []Change) []string {
	removed := map[string]bool{}
	for _, c := range cs {
		for _, r := range c.Reasons {
			if r.Code == "right_removed" {
				removed[r.Value] = true
			}
		}
	}
	out := []string{}
	for _, f := range inv.Facts {
		if f.Type == facts.Right && !removed[f.Value] && !removed[f.Canonical] && !slices.Contains(out, f.Canonical) {
			out = append(out, f.Canonical)
		}
	}
	return out
}

// Analyzer explains the change between two versions. The built-in
// analyzer is the rules above; a language model may write the prose on top.
type Analyzer interface {
	Analyze(ctx context.Context, oldText, newText string, opt Options) (*Report, error)
	Engine() string
}

// Builtin is the offline analyzer.
type Builtin struct{}

// Analyze implements Analyzer.
func (Builtin) Analyze(ctx context.Context, oldText, newText string, opt Options) (*Report, error) {
	return Compare(oldText, newText, opt)
}

// Engine implements Analyzer.
func (Builtin) Engine() string { return EngineBuiltin }

// EngineBuiltin names the offline analyzer in reports.
const EngineBuiltin = "builtin"

// joinLines joins the rows' texts of one side.
func joinLines(parts []string) string { return strings.Join(parts, "\n") }
