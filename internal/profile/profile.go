// Package profile sums up one version of a policy: its facts grouped by
// type, the sensitive personal information it names, and a checklist
// against the Chinese rules a privacy policy is read against (PIPL,
// GB/T 35273-2020, and the 2019 《App违法违规收集使用个人信息行为认定方法》),
// each item passed or failed with the policy's own line as evidence. It
// also gives the row a policy contributes to the cross-platform matrix.
package profile

import (
	"sort"
	"strings"

	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/lazyregexp"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/runes"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// Profile is what one version of a policy states.
type Profile struct {
	Groups    []Group      `json:"groups"`
	Sensitive []facts.Fact `json:"sensitive"` // sensitive personal information, first mention of each
	Checks    []Check      `json:"checks"`
	Passed    int          `json:"passed"`
}

// Group is the facts of one type, in the order of the text.
type Group struct {
	Type  facts.Type   `json:"type"`
	Facts []facts.Fact `json:"facts"`
}

// Check is one item of the checklist.
type Check struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Basis  string `json:"basis"` // the rule it comes from
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`          // why, in words
	Lines  []int  `json:"lines,omitempty"` // the evidence: lines of the normalized text
	Quote  string `json:"quote,omitempty"` // the policy's wording at the first of them
}

// groupOrder is the order fact types are shown in.
var groupOrder = []facts.Type{
	facts.Operator, facts.ContactPhone, facts.ContactEmail, facts.ContactAddress, facts.ResponseTime,
	facts.PI, facts.Permission, facts.ThirdParty, facts.SDK, facts.Right, facts.Retention,
	facts.StorageLocation, facts.CrossBorder, facts.MinorAge, facts.DateUpdated, facts.DateEffective,
}

// Build profiles a policy text whose facts fs were extracted from it (they
// are passed in so callers that already have them need not extract again).
func Build(text string, fs []facts.Fact, lang string) *Profile {
	lines := textdiff.Lines(normalize.Text(text))
	p := &Profile{Groups: group(fs), Sensitive: sensitive(fs)}
	w := wordsFor(lang)
	p.Checks = []Check{
		checkStated(fs, w, "operator", facts.Operator),
		checkStated(fs, w, "contact", facts.ContactPhone, facts.ContactEmail, facts.ContactAddress),
		checkAccountDeletion(fs, w), checkResponseTime(fs, w),
		checkRecipients(fs, lines, w), checkMinors(fs, w), checkSensitiveMarked(p.Sensitive, lines, w),
		checkStated(fs, w, "storage_location", facts.StorageLocation), checkCrossBorder(fs, w),
		checkStated(fs, w, "dates", facts.DateUpdated, facts.DateEffective),
	}
	for i := range p.Checks {
		c := &p.Checks[i]
		if len(c.Lines) > 0 && c.Quote == "" && c.Lines[0] <= len(lines) {
			c.Quote = runes.Clip(lines[c.Lines[0]-1], 120)
		}
		if c.Pass {
			p.Passed++
		}
	}
	return p
}

func group(fs []facts.Fact) []Group {
	byType := map[facts.Type][]facts.Fact{}
	for _, f := range fs {
		byType[f.Type] = append(byType[f.Type], f)
	}
	var out []Group
	for _, t := range groupOrder {
		g := byType[t]
		if len(g) == 0 {
			continue
		}
		if t == facts.PI {
			// Sensitive first, then by category, each in the order of the text.
			sort.SliceStable(g, func(i, j int) bool {
				si, sj := g[i].IsSensitive(), g[j].IsSensitive()
				if si != sj {
					return si
				}
				return g[i].Category < g[j].Category
			})
		}
		out = append(out, Group{Type: t, Facts: g})
	}
	return out
}

func sensitive(fs []facts.Fact) []facts.Fact {
	var out []facts.Fact
	for _, f := range fs {
		if f.Type == facts.PI && f.IsSensitive() {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func ofType(fs []facts.Fact, types ...facts.Type) []facts.Fact {
	var out []facts.Fact
	for _, f := range fs {
		for _, t := range types {
			if f.Type == t {
				out = append(out, f)
			}
		}
	}
	return out
}

func linesOf(fs []facts.Fact) []int {
	seen := map[int]bool{}
	var out []int
	for _, f := range fs {
		if f.Line > 0 && !seen[f.Line] {
			seen[f.Line] = true
			out = append(out, f.Line)
		}
	}
	sort.Ints(out)
	return out
}

func values(fs []facts.Fact) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Value] {
			seen[f.Value] = true
			out = append(out, f.Value)
		}
	}
	return out
}

// checkStated passes when the policy states any fact of the types; the
// detail is what it states, the evidence where.
func checkStated(fs []facts.Fact, w words, id string, types ...facts.Type) Check {
	c := w.check(id)
	if found := ofType(fs, types...); len(found) > 0 {
		c.Pass, c.Lines, c.Detail = true, linesOf(found), strings.Join(values(found), w.sep())
		return c
	}
	c.Detail = w.msg(id + ".none")
	return c
}

func checkAccountDeletion(fs []facts.Fact, w words) Check {
	c := w.check("account_deletion")
	for _, f := range ofType(fs, facts.Right) {
		if f.Value == "注销账号" {
			c.Pass, c.Lines, c.Detail = true, []int{f.Line}, w.msg("account_deletion.found")
			return c
		}
	}
	c.Detail = w.msg("account_deletion.none")
	return c
}

// checkResponseTime: GB/T 35273-2020 8.7 asks for an answer within 30 days
// at most; the App rules of 2019 and most guidance expect 15 working days
// (facts.MaxResponseWorkingDays, the limit the change analysis flags too).
// Fifteen calendar days are within that; anything longer fails.
func checkResponseTime(fs []facts.Fact, w words) Check {
	c := w.check("response_time")
	rts := ofType(fs, facts.ResponseTime)
	if len(rts) == 0 {
		c.Detail = w.msg("response_time.none")
		return c
	}
	longest, longestFact := -1, rts[0]
	for _, f := range rts {
		n, ok := facts.WorkingDays(f.Value)
		if !ok {
			continue
		}
		if n > longest {
			longest, longestFact = n, f
		}
	}
	c.Lines = linesOf(rts)
	if longest < 0 {
		c.Detail = w.format("response_time.unread", rts[0].Value)
		return c
	}
	c.Pass = longest <= facts.MaxResponseWorkingDays
	if c.Pass {
		c.Detail = w.format("response_time.ok", strings.Join(values(rts), w.sep()))
	} else {
		c.Lines = []int{longestFact.Line}
		c.Detail = w.format("response_time.long", longestFact.Value)
	}
	return c
}

// separateList finds a reference to a list kept apart from the policy,
// such as 《第三方SDK收集使用信息说明》 or 《第三方信息共享清单》.
var separateList = lazyregexp.New(`《[^》]{0,30}(SDK|sdk|第三方|共享|合作方|委托处理)[^》]{0,20}(清单|列表|说明|目录)[^》]{0,6}》`)

func checkRecipients(fs []facts.Fact, lines []string, w words) Check {
	c := w.check("recipients")
	recipients := ofType(fs, facts.ThirdParty, facts.SDK)
	var detailed []facts.Fact
	for _, f := range recipients {
		if f.Purpose != "" && len(f.PI) > 0 {
			detailed = append(detailed, f)
		}
	}
	if len(detailed) > 0 {
		c.Pass, c.Lines = true, linesOf(detailed)
		c.Detail = w.format("recipients.listed", len(detailed), len(recipients))
		return c
	}
	for i, l := range lines {
		if m := separateList.FindString(l); m != "" {
			c.Pass, c.Lines = true, []int{i + 1}
			c.Detail = w.format("recipients.separate", m)
			return c
		}
	}
	if len(recipients) == 0 {
		c.Detail = w.msg("recipients.none")
		return c
	}
	c.Lines = linesOf(recipients)
	c.Detail = w.format("recipients.bare", len(recipients))
	return c
}

func checkMinors(fs []facts.Fact, w words) Check {
	c := w.check("minors")
	ages := ofType(fs, facts.MinorAge)
	for _, f := range ages {
		if f.Value == "14" {
			c.Pass, c.Lines = true, []int{f.Line}
			c.Detail = w.msg("minors.14")
			return c
		}
	}
	if len(ages) == 0 {
		c.Detail = w.msg("minors.none")
		return c
	}
	c.Lines = linesOf(ages)
	c.Detail = w.format("minors.other", strings.Join(values(ages), w.sep()))
	return c
}

var sensitiveMarked = lazyregexp.New(`敏感个人信息|个人敏感信息|敏感信息`)

func checkSensitiveMarked(sens []facts.Fact, lines []string, w words) Check {
	c := w.check("sensitive_marked")
	if len(sens) == 0 {
		c.Pass, c.Detail = true, w.msg("sensitive_marked.nosensitive")
		return c
	}
	for i, l := range lines {
		if sensitiveMarked.MatchString(l) {
			c.Pass, c.Lines = true, []int{i + 1}
			c.Detail = w.format("sensitive_marked.ok", len(sens))
			return c
		}
	}
	c.Lines = linesOf(sens[:min(len(sens), 5)])
	c.Detail = w.format("sensitive_marked.unmarked", len(sens), strings.Join(values(sens[:min(len(sens), 5)]), w.sep()))
	return c
}

func checkCrossBorder(fs []facts.Fact, w words) Check {
	c := w.check("cross_border")
	cb := ofType(fs, facts.CrossBorder)
	if len(cb) == 0 {
		c.Detail = w.msg("cross_border.none")
		return c
	}
	c.Pass, c.Lines = true, linesOf(cb)
	c.Detail = StatedName(CrossBorderStatus(fs), w.p.Lang())
	return c
}

// CrossBorderStatus sums up what a policy states about transfers abroad:
// "present" if any transfer is stated, else "conditional", else "absent";
// "" when it says nothing.
func CrossBorderStatus(fs []facts.Fact) string {
	best := ""
	rank := map[string]int{"": 0, "absent": 1, "conditional": 2, "present": 3}
	for _, f := range ofType(fs, facts.CrossBorder) {
		if rank[f.Stated] > rank[best] {
			best = f.Stated
		}
	}
	return best
}
