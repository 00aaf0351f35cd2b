// Package analyze explains what changed between two versions of a policy:
// each change (a block of consecutive changed lines) with the clause topics
// it touches, the facts it adds and removes, whether it is substantive or
// editorial, which way it moves users' position, and one sentence on its
// impact; an overall level by explicit rules; and a report in Chinese or
// English. Everything is computed offline and every statement points to the
// change it comes from.
package analyze

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// Levels, from nothing to the most serious.
const (
	LevelNone        = "none"        // no change after normalization
	LevelEditorial   = "editorial"   // formatting, dates, typos, renumbering only
	LevelMinor       = "minor"       // substantive but not widening: replacements, contacts, narrowing, clarifications
	LevelSubstantive = "substantive" // widens processing or changes users' rights
	LevelMajor       = "major"       // see majorReasons
)

var levelRank = map[string]int{LevelNone: 0, LevelEditorial: 1, LevelMinor: 2, LevelSubstantive: 3, LevelMajor: 4}

// Rank orders levels (none 0 … major 4).
func Rank(level string) int { return levelRank[level] }

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

// Change is one block of consecutive changed lines.
type Change struct {
	ID          int         `json:"id"`   // 1-based, in order
	Kind        string      `json:"kind"` // added, removed, modified, moved
	OldLine     *int        `json:"old_line"`
	NewLine     *int        `json:"new_line"`
	OldText     string      `json:"old_text"`
	NewText     string      `json:"new_text"`
	Categories  []string    `json:"categories"`
	Substantive bool        `json:"substantive"`
	Editorial   string      `json:"editorial,omitempty"` // why not substantive: formatting, dates, renumbering, typo
	Direction   string      `json:"direction"`
	Risk        bool        `json:"risk"` // a changed sentence reads as a potential risk (CAPP-130 risk)
	Facts       FactChanges `json:"facts"`
	Impact      string      `json:"impact"`
	Anchor      string      `json:"anchor"` // the row on the compare page: n<line> or o<line>
	Level       string      `json:"level"`  // this change alone
	Reasons     []string    `json:"reasons,omitempty"`
}

// Report is the analysis of two versions.
type Report struct {
	Level      string         `json:"level"`
	Summary    string         `json:"summary"`
	Statements []Statement    `json:"statements"` // the summary's statements, each with the changes it rests on
	Changes    []Change       `json:"changes"`
	Facts      FactChanges    `json:"facts"`
	Engine     string         `json:"engine"`
	EngineNote string         `json:"engine_note,omitempty"` // why the configured model's report is not the one shown
	Lang       string         `json:"lang"`
	Conclusion string         `json:"conclusion"`
	Reasons    []string       `json:"reasons"` // why the level is what it is
	Stats      textdiff.Stats `json:"stats"`
	AnalyzedAt time.Time      `json:"analyzed_at"`
}

// Options shape an analysis.
type Options struct {
	Lang string // "zh" (default) or "en"
	Now  func() time.Time
}

// Compare analyses the change from oldText to newText.
func Compare(oldText, newText string, opt Options) (*Report, error) {
	if opt.Lang != "en" {
		opt.Lang = "zh"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	model, err := classify.Default()
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	oldNorm, newNorm := normalize.Text(oldText), normalize.Text(newText)
	// The facts of the old version, the larger part of the work, are
	// found while the diff and the new version's facts are.
	var oldFacts []facts.Fact
	done := make(chan struct{})
	go func() {
		oldFacts = facts.Extract(oldNorm)
		close(done)
	}()
	res := textdiff.Compare(oldNorm, newNorm)
	newFacts := facts.Extract(newNorm)
	<-done
	added, removed := facts.Diff(oldFacts, newFacts)
	a := &analysis{
		res: res, model: model, lang: opt.Lang,
		oldCtx: contexts(textdiff.Lines(oldNorm)), newCtx: contexts(textdiff.Lines(newNorm)),
		added: added, removed: removed,
	}
	a.ageFrom, a.ageTo = ageLowered(oldFacts, newFacts)
	r := &Report{Engine: EngineBuiltin, Lang: opt.Lang, Facts: FactChanges{Added: nonNil(added), Removed: nonNil(removed)},
		Stats: res.Stats, AnalyzedAt: opt.Now().UTC()}
	for _, b := range res.Blocks(false) {
		c := a.change(len(r.Changes)+1, res.Rows[b.Start:b.End])
		r.Changes = append(r.Changes, c)
	}
	r.Level, r.Reasons = overall(r)
	r.Statements = headlines(r)
	r.Summary = summary(r)
	r.Conclusion = conclusion(r)
	return r, nil
}

func nonNil(fs []facts.Fact) []facts.Fact {
	if fs == nil {
		return []facts.Fact{}
	}
	return fs
}

// analysis is the state of one Compare.
type analysis struct {
	res            textdiff.Result
	model          *classify.Model
	lang           string
	oldCtx, newCtx []classify.Sentence // each line with its neighbours and section
	added, removed []facts.Fact
	placed         map[string]bool // facts assigned to a change
	ageFrom, ageTo int             // minors' age threshold lowered from, to (zeros if not)
}

// contexts gives each line its neighbours and section, as the classifier
// was trained to see sentences.
func contexts(lines []string) []classify.Sentence {
	sections := classify.Sections(lines)
	out := make([]classify.Sentence, len(lines))
	prevText := func(i int) string {
		for j := i - 1; j >= 0; j-- {
			if lines[j] != "" {
				return lines[j]
			}
		}
		return ""
	}
	nextText := func(i int) string {
		for j := i + 1; j < len(lines); j++ {
			if lines[j] != "" {
				return lines[j]
			}
		}
		return ""
	}
	for i, l := range lines {
		out[i] = classify.Sentence{Text: l, Prev: prevText(i), Next: nextText(i), Section: sections[i]}
	}
	return out
}

func (a *analysis) change(id int, rows []textdiff.Row) Change {
	c := Change{ID: id, Kind: kindOf(rows)}
	var oldParts, newParts []string
	oldFrom, oldTo, newFrom, newTo := 0, 0, 0, 0
	for _, r := range rows {
		if r.OldNo > 0 {
			oldParts = append(oldParts, r.Old)
			if oldFrom == 0 || r.OldNo < oldFrom {
				oldFrom = r.OldNo
			}
			oldTo = max(oldTo, r.OldNo)
		}
		if r.NewNo > 0 {
			newParts = append(newParts, r.New)
			if newFrom == 0 {
				newFrom = r.NewNo
			}
			newTo = max(newTo, r.NewNo)
		}
	}
	c.OldText, c.NewText = strings.Join(oldParts, "\n"), strings.Join(newParts, "\n")
	if oldFrom > 0 {
		c.OldLine = &oldFrom
	}
	if newFrom > 0 {
		c.NewLine = &newFrom
		c.Anchor = fmt.Sprintf("n%d", newFrom)
	} else {
		c.Anchor = fmt.Sprintf("o%d", oldFrom)
	}
	c.Facts = FactChanges{Added: []facts.Fact{}, Removed: []facts.Fact{}}
	if newFrom > 0 {
		c.Facts.Added = a.take(a.added, newFrom, newTo)
	}
	if oldFrom > 0 {
		c.Facts.Removed = a.take(a.removed, oldFrom, oldTo)
	}
	c.Categories, c.Risk = a.categories(rows)
	judge(&c, rows)
	markAgeLowered(&c, a.ageFrom, a.ageTo)
	c.Impact = impact(c, a.lang)
	return c
}

// take returns the facts on lines from..to that no change has taken yet. A
// fact can change without its own line changing (a statement counted once
// for the document); such facts stay in the report's totals only.
func (a *analysis) take(fs []facts.Fact, from, to int) []facts.Fact {
	if a.placed == nil {
		a.placed = map[string]bool{}
	}
	out := []facts.Fact{}
	for _, f := range fs {
		k := f.Key() + "@" + fmt.Sprint(f.Line)
		if f.Line >= from && f.Line <= to && !a.placed[k] {
			a.placed[k] = true
			out = append(out, f)
		}
	}
	return out
}

func kindOf(rows []textdiff.Row) string {
	ins, del, mov := 0, 0, 0
	for _, r := range rows {
		switch r.Op {
		case textdiff.Insert:
			ins++
		case textdiff.Delete:
			del++
		case textdiff.Move:
			mov++
		}
	}
	switch len(rows) {
	case ins:
		return "added"
	case del:
		return "removed"
	case mov:
		return "moved"
	}
	return "modified"
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
		if r.Formatting {
			continue
		}
		switch r.Op {
		case textdiff.Delete:
			classifyLine(a.oldCtx, r.OldNo)
		default:
			classifyLine(a.newCtx, r.NewNo)
		}
	}
	var out []string
	for _, t := range classify.Topics {
		if counts[t] > 0 {
			out = append(out, t)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out, risk
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
