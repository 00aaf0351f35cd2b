package llm

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/locale"
	"github.com/policywatch/policywatch/internal/runes"
)

// promptFact is a fact as the model sees it.
type promptFact struct {
	Type        facts.Type `json:"type"`
	Value       string     `json:"value"`
	Canonical   string     `json:"canonical,omitempty"`
	Sensitive   bool       `json:"sensitive,omitempty"`
	Category    string     `json:"category,omitempty"`
	Stated      string     `json:"stated,omitempty"`
	Destination string     `json:"destination,omitempty"`
	Role        string     `json:"role,omitempty"`
	PI          []string   `json:"information,omitempty"`
	Ways        []string   `json:"ways,omitempty"`
	Elsewhere   int        `json:"elsewhere,omitempty"`
}

type promptChange struct {
	ID          int                `json:"id"`
	Kind        analyze.ChangeKind `json:"kind"`
	Section     string             `json:"section,omitempty"`
	OldLine     *int               `json:"old_line"`
	NewLine     *int               `json:"new_line"`
	Categories  []string           `json:"categories"`
	Substantive bool               `json:"substantive"`
	Editorial   string             `json:"editorial,omitempty"`
	Direction   string             `json:"direction"`
	Level       policywatch.Level  `json:"level"`
	Reasons     []analyze.Reason   `json:"reasons,omitempty"`
	Clauses     []analyze.Clause   `json:"changed_clauses,omitempty"`
	Added       []promptFact       `json:"facts_added,omitempty"`
	Removed     []promptFact       `json:"facts_removed,omitempty"`
	OldText     string             `json:"old_text,omitempty"`
	NewText     string             `json:"new_text,omitempty"`
	Impact      string             `json:"builtin_impact"`
}

type promptInput struct {
	Level     policywatch.Level `json:"level"`
	Reasons   []analyze.Reason  `json:"level_reasons,omitempty"`
	Rights    []string          `json:"rights_in_new_version"`
	Editorial []string          `json:"editorial_edits,omitempty"`
	Changes   []promptChange    `json:"changes"`
	Omitted   int               `json:"changes_omitted,omitempty"` // beyond the input bound
}

// maxTextPerChange keeps one long rewritten section from using the whole
// input bound.
const maxTextPerChange = 1500

// prompt builds the system and user messages. Substantive changes come
// first (the report lists them so) and carry their texts; editorial ones
// are summed up by kind. The input is bounded by maxInput characters;
// changes beyond it are counted, not sent (their built-in impacts stay in
// the report).
func prompt(r *analyze.Report, maxInput int) (system, user string) {
	system = locale.NewPrinter(r.Lang).Print("llm.system") + "\n" + answerSchema
	in := promptInput{Level: r.Level, Reasons: firstReasons(r.Reasons, 20), Rights: r.Rights}
	for _, l := range r.EditorialLines() {
		in.Editorial = append(in.Editorial, l.Text)
	}
	budget := maxInput - utf8.RuneCountInString(fmt.Sprint(in.Editorial)) - 2000
	for _, c := range r.Changes {
		if !c.Substantive {
			continue
		}
		pc := promptChange{ID: c.ID, Kind: c.Kind, Section: c.Section, OldLine: c.OldLine, NewLine: c.NewLine, Categories: c.Categories,
			Substantive: c.Substantive, Editorial: c.Editorial, Direction: c.Direction, Level: c.Level, Reasons: c.Reasons,
			Clauses: c.Clauses, Added: promptFacts(c.Facts.Added), Removed: promptFacts(c.Facts.Removed), Impact: c.Impact}
		if len(c.Clauses) == 0 {
			pc.OldText, pc.NewText = runes.Clip(c.OldText, maxTextPerChange), runes.Clip(c.NewText, maxTextPerChange)
		}
		encoded, _ := json.Marshal(pc)
		cost := utf8.RuneCount(encoded)
		if cost > budget {
			in.Omitted++
			continue
		}
		budget -= cost
		in.Changes = append(in.Changes, pc)
	}
	b, _ := json.Marshal(in)
	return system, string(b)
}

// firstReasons are the first n distinct reasons.
func firstReasons(rs []analyze.Reason, n int) []analyze.Reason {
	var out []analyze.Reason
	seen := map[analyze.Reason]bool{}
	for _, r := range rs {
		if !seen[r] && len(out) < n {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

func promptFacts(fs []facts.Fact) []promptFact {
	var out []promptFact
	for _, f := range fs {
		out = append(out, promptFact{Type: f.Type, Value: f.Value, Canonical: f.Canonical, Sensitive: f.IsSensitive(),
			Category: f.Category, Stated: f.Stated, Destination: f.Destination, Role: f.Role, PI: f.PI, Ways: f.Ways, Elsewhere: f.Elsewhere})
	}
	return out
}
