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
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/normalize"
)

// Type is what kind of thing a fact is, as the contract names it.
type Type string

// Fact types, as the contract names them.
const (
	Operator        Type = "operator"
	ThirdParty      Type = "third_party"
	SDK             Type = "sdk"
	PI              Type = "pi"
	Permission      Type = "permission"
	Right           Type = "right"
	Retention       Type = "retention"
	StorageLocation Type = "storage_location"
	CrossBorder     Type = "cross_border"
	MinorAge        Type = "minor_age"
	ContactPhone    Type = "contact_phone"
	ContactEmail    Type = "contact_email"
	ContactAddress  Type = "contact_address"
	ResponseTime    Type = "response_time"
	DateUpdated     Type = "date_updated"
	DateEffective   Type = "date_effective"
)

// Fact is one thing a policy states.
type Fact struct {
	Type      Type   `json:"type"`
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

// Period is a retention or response time as a number and a unit (15工作日,
// 30天, 6月), whatever the policy's language and numerals.
func (f Fact) Period() string {
	if f.Canonical != "" {
		return f.Canonical
	}
	return canonicalPeriod(f.Value)
}

// IsSensitive reports sensitive personal information.
func (f Fact) IsSensitive() bool { return f.Sensitive != nil && *f.Sensitive }

// Key identifies a fact for comparing versions: two versions state the
// same fact when type and canonical value agree (and, for cross-border
// transfer, the stated status and destination).
func (f Fact) Key() string {
	k := string(f.Type) + "\x00" + canonicalValue(f)
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

	definitions []int8   // per line: 1 defines terms, -1 does not, 0 not yet known
	generalWays []string // ways to exercise every right
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

// gate is a fixed list of words that an extractor tests a sentence for
// before it runs regular expressions on it. A sentence is tested for every
// gate at once, in one pass (Sentence.has).
type gate uint32

// gateWords are every gate's words by their first rune.
var gateWords = map[rune][]gateWord{}

type gateWord struct {
	word string
	gate gate
}

var gates gate // how many gates there are

func newGate(words ...string) gate {
	if gates == 32 {
		panic("facts: too many gates")
	}
	g := gate(1) << gates
	gates++
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		gateWords[r] = append(gateWords[r], gateWord{w, g})
	}
	return g
}

// in reports whether s contains one of the gate's words.
func (g gate) in(s string) bool { return gatesOf(s)&g != 0 }

// gatesOf is the set of gates whose words s contains.
func gatesOf(s string) gate {
	var set gate
	for i, r := range s {
		for _, w := range gateWords[r] {
			if set&w.gate == 0 && strings.HasPrefix(s[i:], w.word) {
				set |= w.gate
			}
		}
	}
	return set
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
	out = append(out, englishStatements(d)...)
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

var typeOrder = map[Type]int{Operator: 0, ThirdParty: 1, SDK: 2, PI: 3, Permission: 4, Right: 5, Retention: 6,
	StorageLocation: 7, CrossBorder: 8, MinorAge: 9, ContactPhone: 10, ContactEmail: 11, ContactAddress: 12,
	ResponseTime: 13, DateUpdated: 14, DateEffective: 15}

func merge(dst *Fact, src Fact) {
	dst.Purpose = orString(dst.Purpose, src.Purpose)
	dst.URL = orString(dst.URL, src.URL)
	dst.PI = orStrings(dst.PI, src.PI)
	dst.Role = orString(dst.Role, src.Role)
	for _, w := range src.Ways {
		if !slices.Contains(dst.Ways, w) {
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

// The gates of the extractors, one per kind of sentence they read.
var (
	negationGate    = newGate("不", "未", "无")
	negatedVerbGate = newGate(negatedVerbs...)
	rightsGate      = newGate("查", "访问", "知情", "更正", "补充", "修改", "更新", "删除", "撤", "改变", "注销", "副本", "复制", "导出", "转移", "携带", "投诉", "举报")
	retentionGate   = newGate("保存", "保留", "存储", "储存", "留存", "删除", "匿名", "销毁", "最短")
	keepGate        = newGate("存储", "存放", "储存", "保存", "留存")
	abroadGate      = newGate("境外", "跨境", "出境", "海外", "国外")
	periodGate      = newGate("天", "日", "月", "年", "周", "小时")
	transferGate    = newGate("境", "国", "存", "储", "保存", "海外", "传输", "提供", "转移", "传送")
	contactGate     = newGate("电话", "热线", "客服", "拨打", "联系", "致电", "手机", "@", "地址", "寄")
	responseGate    = newGate("回复", "答复", "响应", "处理", "反馈", "予以")
	dateMarkGate    = newGate("年", "-", "/", ".")
	dateWordGate    = newGate("日期", "时间", "更新", "修订", "修改", "发布", "生效", "施行", "实施")
)

// orgWords end organisation names.
var orgWords = []string{"公司", "集团", "研究院", "合伙企业", "Co", "Inc", "LLC", "Ltd", "Limited", "Corp", "GmbH"}
