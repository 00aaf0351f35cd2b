// Package facts finds the facts a privacy policy states: who issues it,
// the third parties, authorities and SDKs that receive data, the personal
// information it processes (mapped to the categories of GB/T 35273-2020
// Appendix A, with the sensitive ones of its Appendix B and PIPL Art. 28
// flagged), system permissions, users' rights, retention periods, storage
// location, cross-border transfer, minors' age thresholds, contacts,
// response time and dates. Each fact keeps the policy's own wording and the
// line it is on, so every statement built on it can be traced back, and a
// canonical name, so that two versions are compared by what they say and
// not by how they word it.
package facts

import (
	"sort"
	"strings"

	"github.com/policywatch/policywatch/internal/normalize"
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
	Value     string `json:"value"`               // the policy's own wording (or the right's name)
	Canonical string `json:"canonical,omitempty"` // the concept the wording names: 身份证件号码 for 身份证号
	Sensitive *bool  `json:"sensitive,omitempty"` // personal information: sensitive per GB/T 35273 App. B / PIPL 28
	Line      int    `json:"line,omitempty"`      // 1-based, over the normalized text

	Category    string   `json:"category,omitempty"`    // personal information: GB/T 35273-2020 Appendix A category
	Stated      string   `json:"stated,omitempty"`      // cross-border transfer: "present", "conditional" or "absent"
	Destination string   `json:"destination,omitempty"` // cross-border transfer: where to, when named
	Role        string   `json:"role,omitempty"`        // third party: 关联方, 共同处理, 委托处理, 共享, 国家机关 …
	Purpose     string   `json:"purpose,omitempty"`     // third party, SDK: what for
	PI          []string `json:"pi,omitempty"`          // third party, SDK, cross-border: the information they get
	URL         string   `json:"url,omitempty"`         // third party, SDK: their policy or site
	Ways        []string `json:"ways,omitempty"`        // right: how to exercise it (a menu path, phone, e-mail …)
	Context     string   `json:"context,omitempty"`     // the sentence it comes from

	// Elsewhere, on a fact a change adds or drops, is the line of the
	// other version that still states it: the change moved or reworded
	// it, the policy as a whole did not gain or lose it.
	Elsewhere int `json:"elsewhere,omitempty"`
}

// IsSensitive reports sensitive personal information.
func (f Fact) IsSensitive() bool { return f.Sensitive != nil && *f.Sensitive }

// Key identifies a fact for comparing versions: two versions state the
// same fact when type and canonical value agree (and, for cross-border
// transfer, the stated status and destination).
func (f Fact) Key() string {
	k := f.Type + "\x00" + canonicalValue(f)
	if f.Type == CrossBorder {
		k += "\x00" + f.Stated + "\x00" + f.Destination
	}
	return k
}

// canonicalValue is what a fact's value means, whatever the wording.
func canonicalValue(f Fact) string {
	if f.Canonical != "" {
		return f.Canonical
	}
	switch f.Type {
	case Retention, ResponseTime:
		return canonicalPeriod(f.Value)
	case ContactPhone:
		return digitsOf(f.Value)
	case ContactEmail:
		return strings.ToLower(f.Value)
	case DateUpdated, DateEffective:
		return canonicalDate(f.Value)
	case SDK:
		return matchForm(strings.TrimSuffix(strings.TrimSpace(f.Value), "SDK"))
	}
	return matchForm(normalize.KeyOfText(f.Value))
}

// doc is a policy's normalized text, read for the extractors.
type doc struct {
	lines []string // normalized lines; index+1 is the line number
	*Reading
	mentions map[string]int // keys of vocabulary concepts named anywhere, unnegated: first line
}

func newDoc(text string) *doc {
	r := Read(normalize.Text(text))
	return &doc{lines: r.Lines, Reading: r, mentions: map[string]int{}}
}

func (d *doc) line(i int) string { return d.lines[i] }

// mention records that a concept is named on a line.
func (d *doc) mention(f Fact) {
	k := f.Key()
	if _, ok := d.mentions[k]; !ok {
		d.mentions[k] = f.Line
	}
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

// Extract finds the facts of a policy text. Facts of one type and value are
// reported once, at their first line, except where several records are
// expected (third parties and SDKs from tables keep their details).
func Extract(text string) []Fact { return dedupe(extract(newDoc(text))) }

// extract returns every statement of a fact, in the extractors' order.
func extract(d *doc) []Fact {
	var out []Fact
	op := operator(d)
	if op != nil {
		out = append(out, *op)
	}
	out = append(out, organisations(d, op)...)
	out = append(out, authorities(d)...)
	out = append(out, products(d)...)
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
	return out
}

// dedupe keeps the first fact of each key, merging the details later
// mentions add (a third party named in prose and again in a table).
func dedupe(facts []Fact) []Fact {
	index := map[string]int{}
	var out []Fact
	for _, f := range facts {
		k := f.Key()
		if i, ok := index[k]; ok {
			if f.Line < out[i].Line {
				f.Purpose, f.URL, f.PI, f.Role, f.Ways = orString(f.Purpose, out[i].Purpose), orString(f.URL, out[i].URL),
					orStrings(f.PI, out[i].PI), orString(f.Role, out[i].Role), orStrings(f.Ways, out[i].Ways)
				out[i] = f
				continue
			}
			merge(&out[i], f)
			continue
		}
		index[k] = len(out)
		out = append(out, f)
	}
	sortFacts(out)
	return out
}

func sortFacts(fs []Fact) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Type != fs[j].Type {
			return typeOrder[fs[i].Type] < typeOrder[fs[j].Type]
		}
		return fs[i].Line < fs[j].Line
	})
}

var typeOrder = map[string]int{Operator: 0, ThirdParty: 1, SDK: 2, PI: 3, Permission: 4, Right: 5, Retention: 6,
	StorageLocation: 7, CrossBorder: 8, MinorAge: 9, ContactPhone: 10, ContactEmail: 11, ContactAddress: 12,
	ResponseTime: 13, DateUpdated: 14, DateEffective: 15}

func merge(dst *Fact, src Fact) {
	dst.Purpose = orString(dst.Purpose, src.Purpose)
	dst.URL = orString(dst.URL, src.URL)
	dst.PI = orStrings(dst.PI, src.PI)
	dst.Role = orString(dst.Role, src.Role)
	for _, w := range src.Ways {
		if !containsString(dst.Ways, w) {
			dst.Ways = append(dst.Ways, w)
		}
	}
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func orStrings(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
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

func boolPtr(b bool) *bool { return &b }
