package facts

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Inventory is what one version of a policy states: every statement of a
// fact with its line, and which concepts the text names at all.
type Inventory struct {
	*Reading
	All   []Fact // every statement, with its line
	Facts []Fact // one per fact (Extract's answer)

	keys        map[string]int // fact keys stated: first line
	mentions    map[string]int // vocabulary concepts named anywhere, unnegated: first line
	generalWays []string       // ways given for every right

	byLineOnce sync.Once
	byLine     map[int][]int // statements by line: indexes into All

	plainOnce sync.Once
	plainText string // the text as read, in match form, to look names up in; made on first use
}

// plain is the text as read, in match form.
func (inv *Inventory) plain() string {
	inv.plainOnce.Do(func() {
		var b strings.Builder
		for _, s := range inv.Sentences {
			b.WriteString(s.Text)
			b.WriteByte('\n')
		}
		inv.plainText = matchForm(b.String())
	})
	return inv.plainText
}

// Take reads a policy text and takes its inventory.
func Take(text string) *Inventory {
	d := newDoc(text)
	all := extract(d)
	sortFacts(all)
	inv := &Inventory{Reading: d.Reading, All: all, Facts: dedupe(append([]Fact(nil), all...)),
		keys: map[string]int{}, mentions: d.mentions, generalWays: d.generalWays}
	for _, f := range all {
		if _, ok := inv.keys[f.Key()]; !ok {
			inv.keys[f.Key()] = f.Line
		}
	}
	return inv
}

// States returns the line of the version that states f or names its
// concept (0 if none): a fact is only added when the other version says
// nothing of it anywhere, and only removed when nothing of it remains.
func (inv *Inventory) States(f Fact) int {
	if l, ok := inv.keys[f.Key()]; ok {
		return l
	}
	if l, ok := inv.mentions[f.Key()]; ok {
		return l
	}
	if namedByText(f) && inv.names(f) {
		return -1 // named, line unknown
	}
	if c := vocab().byCanonical[f.Type][f.Canonical]; c != nil && inv.namesWithin(c) {
		return -1 // named inside a longer term: 身份信息 in 真实身份信息
	}
	return 0
}

// namesWithin reports a concept one of whose wordings the text contains,
// if only as part of a longer term.
func (inv *Inventory) namesWithin(c *Concept) bool {
	for _, s := range c.Surfaces {
		if k := matchForm(s); utf8.RuneCountInString(k) >= 3 && strings.Contains(inv.plain(), k) {
			return true
		}
	}
	return false
}

// namedByText: facts whose wording, found anywhere in the other version,
// means the version names them too (organisations, products, SDKs,
// contacts).
func namedByText(f Fact) bool {
	switch f.Type {
	case Operator, ThirdParty, SDK, ContactPhone, ContactEmail, ContactAddress:
		return f.Canonical == "" || f.Type != ThirdParty
	}
	return false
}

func (inv *Inventory) names(f Fact) bool {
	v := f.Value
	switch f.Type {
	case SDK:
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "SDK"))
	case ContactPhone:
		return strings.Contains(digitsOf(inv.plain()), digitsOf(v)) && len(digitsOf(v)) >= 5
	case ContactEmail:
		return containsEmail(inv.plain(), matchForm(v))
	}
	key := matchForm(v)
	return key != "" && strings.Contains(inv.plain(), key)
}

// Diff returns the facts the new version states and the old one says
// nothing of (added), and the reverse (removed). A fact reworded, moved or
// named by a synonym is neither.
func Diff(old, new *Inventory) (added, removed []Fact) {
	for _, f := range new.Facts {
		if old.States(f) == 0 {
			added = append(added, f)
		}
	}
	for _, f := range old.Facts {
		if new.States(f) == 0 {
			removed = append(removed, f)
		}
	}
	return added, removed
}

// OnLine returns the statements on a line.
func (inv *Inventory) OnLine(line int) []Fact {
	inv.byLineOnce.Do(func() {
		inv.byLine = map[int][]int{}
		for i, f := range inv.All {
			inv.byLine[f.Line] = append(inv.byLine[f.Line], i)
		}
	})
	var out []Fact
	for _, i := range inv.byLine[line] {
		out = append(out, inv.All[i])
	}
	return out
}

// containsEmail finds an e-mail address as a whole: DPO_pw@x.com does not
// contain pw@x.com.
func containsEmail(text, addr string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], addr)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !strings.ContainsRune(emailChars, rune(text[at-1])) {
			return true
		}
		i = at + 1
	}
}

const emailChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-"

// Terms are the byte ranges of the names a text gives: organisations and
// the vocabulary's personal information, permissions and authorities.
func Terms(text string) [][2]int {
	var out [][2]int
	for _, name := range findOrgs(text) {
		if i := strings.Index(text, name); i >= 0 {
			out = append(out, [2]int{i, i + len(name)})
		}
	}
	for _, typ := range []Type{PI, Permission, ThirdParty} {
		for _, m := range vocab().matchers[typ].find(text) {
			out = append(out, [2]int{m.start, m.end})
		}
	}
	return out
}

// Ways are the ways the version gives to exercise a right: those of its
// own statements and those given for every right. A right stated with no
// way at all cannot be exercised by what the policy says.
func (inv *Inventory) Ways(right string) []string {
	var out []string
	for _, f := range inv.All {
		if f.Type == Right && f.Value == right {
			out = appendNew(out, f.Ways...)
		}
	}
	return appendNew(out, inv.generalWays...)
}

// StatesRight reports whether the version states the right at all.
func (inv *Inventory) StatesRight(right string) bool {
	_, ok := inv.keys[Fact{Type: Right, Value: right, Canonical: right}.Key()]
	return ok
}
