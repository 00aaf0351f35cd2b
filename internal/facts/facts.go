// Package facts finds the facts a privacy policy states: who issues it,
// the third parties and SDKs that receive data, the personal information it
// processes (mapped to the categories of GB/T 35273-2020 Appendix A, with
// the sensitive ones of its Appendix B and PIPL Art. 28 flagged), system
// permissions, users' rights, retention periods, storage location,
// cross-border transfer, minors' age thresholds, contacts, response time
// and dates. Each fact keeps the policy's own wording and the line it is
// on, so every statement built on it can be traced back.
package facts

import (
	"sort"
	"strings"

	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// Fact types, as the contract names them.
const (
	Operator        = "operator"
	ThirdParty      = "third_party"
	SDK             = "sdk"
	PI              = "pi"
	Permission      = "permission"
	Right           = "right"
	Retention       = "retention"
	StorageLocation = "storage_location"
	CrossBorder     = "cross_border"
	MinorAge        = "minor_age"
	ContactPhone    = "contact_phone"
	ContactEmail    = "contact_email"
	ContactAddress  = "contact_address"
	ResponseTime    = "response_time"
	DateUpdated     = "date_updated"
	DateEffective   = "date_effective"
)

// Fact is one thing a policy states.
type Fact struct {
	Type      string `json:"type"`
	Value     string `json:"value"`               // the policy's own wording (or the right's or permission's name)
	Sensitive *bool  `json:"sensitive,omitempty"` // personal information: sensitive per GB/T 35273 App. B / PIPL 28
	Line      int    `json:"line,omitempty"`      // 1-based, over the normalized text

	Category string   `json:"category,omitempty"` // personal information: GB/T 35273-2020 Appendix A category
	Stated   string   `json:"stated,omitempty"`   // cross-border transfer: "present", "conditional" or "absent"
	Role     string   `json:"role,omitempty"`     // third party: 关联方, 共同处理, 委托处理, 共享 …
	Purpose  string   `json:"purpose,omitempty"`  // third party, SDK: what for
	PI       []string `json:"pi,omitempty"`       // third party, SDK: the information they get
	URL      string   `json:"url,omitempty"`      // third party, SDK: their policy or site
	Context  string   `json:"context,omitempty"`  // the sentence it comes from
}

// Key identifies a fact for comparing versions: two versions state the
// same fact when type and value agree (and, for cross-border transfer,
// whether it is stated present or absent).
func (f Fact) Key() string {
	k := f.Type + "\x00" + normalize.KeyOfText(f.Value)
	if f.Stated != "" {
		k += "\x00" + f.Stated
	}
	return k
}

// doc is a policy's normalized text, split for the extractors.
type doc struct {
	lines     []string   // normalized lines; index+1 is the line number
	sentences [][]string // of each line
}

func newDoc(text string) *doc {
	d := &doc{lines: textdiff.Lines(normalize.Text(text))}
	d.sentences = make([][]string, len(d.lines))
	for i, l := range d.lines {
		d.sentences[i] = sentencesOf(l)
	}
	return d
}

// hasAny reports whether s contains any of the words: a cheap test that
// spares running a regular expression on most sentences.
func hasAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (d *doc) line(i int) string { return d.lines[i] }

// Extract finds the facts of a policy text. Facts of one type and value are
// reported once, at their first line, except where several records are
// expected (third parties and SDKs from tables keep their details).
func Extract(text string) []Fact {
	d := newDoc(text)
	var out []Fact
	op := operator(d)
	if op != nil {
		out = append(out, *op)
	}
	out = append(out, organisations(d, op)...)
	out = append(out, sdks(d)...)
	out = append(out, personalInformation(d)...)
	out = append(out, permissions(d)...)
	out = append(out, rights(d)...)
	out = append(out, retention(d)...)
	out = append(out, storageAndTransfer(d)...)
	out = append(out, minorAges(d)...)
	out = append(out, contacts(d)...)
	out = append(out, responseTimes(d)...)
	out = append(out, dates(d)...)
	return dedupe(out)
}

// dedupe keeps the first fact of each key, merging the details later
// mentions add (a third party named in prose and again in a table).
func dedupe(facts []Fact) []Fact {
	index := map[string]int{}
	var out []Fact
	for _, f := range facts {
		k := f.Key()
		if i, ok := index[k]; ok {
			merge(&out[i], f)
			continue
		}
		index[k] = len(out)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return typeOrder[out[i].Type] < typeOrder[out[j].Type]
		}
		return out[i].Line < out[j].Line
	})
	return out
}

var typeOrder = map[string]int{Operator: 0, ThirdParty: 1, SDK: 2, PI: 3, Permission: 4, Right: 5, Retention: 6,
	StorageLocation: 7, CrossBorder: 8, MinorAge: 9, ContactPhone: 10, ContactEmail: 11, ContactAddress: 12,
	ResponseTime: 13, DateUpdated: 14, DateEffective: 15}

func merge(dst *Fact, src Fact) {
	if dst.Purpose == "" {
		dst.Purpose = src.Purpose
	}
	if dst.URL == "" {
		dst.URL = src.URL
	}
	if len(dst.PI) == 0 {
		dst.PI = src.PI
	}
	if dst.Role == "" {
		dst.Role = src.Role
	}
}

// Diff returns the facts of b not in a (added) and of a not in b (removed).
func Diff(a, b []Fact) (added, removed []Fact) {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, f := range a {
		inA[f.Key()] = true
	}
	for _, f := range b {
		inB[f.Key()] = true
	}
	for _, f := range b {
		if !inA[f.Key()] {
			added = append(added, f)
		}
	}
	for _, f := range a {
		if !inB[f.Key()] {
			removed = append(removed, f)
		}
	}
	return added, removed
}

// InLines returns the facts on the given lines (1-based, inclusive range).
func InLines(facts []Fact, from, to int) []Fact {
	var out []Fact
	for _, f := range facts {
		if f.Line >= from && f.Line <= to {
			out = append(out, f)
		}
	}
	return out
}

// sentencesOf splits a line into sentences (for context and negation).
func sentencesOf(line string) []string {
	var out []string
	start := 0
	for i, r := range line {
		if strings.ContainsRune("。；！？;", r) {
			end := i + len(string(r))
			out = append(out, line[start:end])
			start = end
		}
	}
	if start < len(line) {
		out = append(out, line[start:])
	}
	return out
}

func boolPtr(b bool) *bool { return &b }
