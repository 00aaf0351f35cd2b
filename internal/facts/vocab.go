package facts

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Concept is one thing policies name in many ways: 身份证, 身份证号 and
// 身份证件号码 are one concept, 身份证件号码. Versions are compared by
// concept, so a change of wording is not a change of fact.
type Concept struct {
	Type      Type // PI, Permission or ThirdParty (an authority)
	Canonical string
	Category  string // personal information: GB/T 35273-2020 Appendix A
	Sensitive bool   // personal information: Appendix B, PIPL Art. 28
	// Generic words (文件, 图片) name personal information only as an item
	// of an enumeration or right after 您的, 上传, 输入 ….
	Generic bool
	// Unambiguous permission words (自启动, 悬浮窗) mean the permission
	// wherever they appear; others only in a sentence about permissions.
	Unambiguous bool
	Surfaces    []string
}

//go:embed vocab.txt
var vocabText string

// vocabEnText is the vocabulary of policies in English: the same format,
// surfaces separated by " | " (they contain spaces), matched as whole
// words without regard to case.
//
//go:embed vocab_en.txt
var vocabEnText string

// vocab holds the concepts of vocab.txt and vocab_en.txt by type, read on
// first use: commands that read no policy do not pay for it.
var vocab = sync.OnceValue(func() *vocabulary { return mustParseVocab(vocabText, vocabEnText) })

// vocabulary is the parsed vocab.txt.
type vocabulary struct {
	concepts    map[Type][]*Concept          // by type
	matchers    map[Type]*matcher            // by type
	byCanonical map[Type]map[string]*Concept // by type, then canonical name
}

func mustParseVocab(zh, en string) *vocabulary {
	v := &vocabulary{concepts: map[Type][]*Concept{}, matchers: map[Type]*matcher{}, byCanonical: map[Type]map[string]*Concept{}}
	zhConcepts, err := parseVocab(zh, false)
	if err != nil {
		panic(err)
	}
	enConcepts, err := parseVocab(en, true)
	if err != nil {
		panic(fmt.Sprintf("vocab_en.txt: %v", err))
	}
	for _, typ := range []Type{PI, Permission, ThirdParty} {
		v.matchers[typ] = &matcher{zh: newRuneMatcher(zhConcepts[typ]), en: newWordMatcher(enConcepts[typ])}
		for _, c := range append(zhConcepts[typ], enConcepts[typ]...) {
			v.concepts[typ] = append(v.concepts[typ], c)
			if v.byCanonical[typ] == nil {
				v.byCanonical[typ] = map[string]*Concept{}
			}
			v.byCanonical[typ][c.Canonical] = c
		}
	}
	return v
}

// parseVocab reads sections "[pi 个人身份信息 sensitive]", "[permission]",
// "[authority]" and lines "canonical: surface surface …", a line marked
// "? " (generic) or "! " (unambiguous).
func parseVocab(text string, english bool) (map[Type][]*Concept, error) {
	concepts := map[Type][]*Concept{}
	var typ Type
	var category string
	sensitive := false
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			f := strings.Fields(strings.Trim(line, "[]"))
			switch {
			case len(f) == 3 && f[0] == "pi":
				typ, category, sensitive = PI, f[1], f[2] == "sensitive"
			case len(f) == 1 && f[0] == "permission":
				typ, category, sensitive = Permission, "", false
			case len(f) == 1 && f[0] == "authority":
				typ, category, sensitive = ThirdParty, "", false
			default:
				return nil, fmt.Errorf("vocab.txt:%d: unknown section %s", n+1, line)
			}
			continue
		}
		if typ == "" {
			return nil, fmt.Errorf("vocab.txt:%d: entry before any section", n+1)
		}
		c := &Concept{Type: typ, Category: category, Sensitive: sensitive}
		switch {
		case strings.HasPrefix(line, "? "):
			c.Generic, line = true, line[2:]
		case strings.HasPrefix(line, "! "):
			c.Unambiguous, line = true, line[2:]
		}
		name, surfaces, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("vocab.txt:%d: want canonical: surfaces", n+1)
		}
		c.Canonical = strings.TrimSpace(name)
		if english {
			for _, w := range strings.Split(surfaces, "|") {
				if w = strings.TrimSpace(w); w != "" {
					c.Surfaces = append(c.Surfaces, w)
				}
			}
		} else {
			c.Surfaces = strings.Fields(surfaces)
		}
		if !slices.Contains(c.Surfaces, c.Canonical) {
			c.Surfaces = append(c.Surfaces, c.Canonical)
		}
		concepts[typ] = append(concepts[typ], c)
	}
	return concepts, nil
}

// Concepts returns the vocabulary's concepts of a type.
func Concepts(typ Type) []*Concept { return vocab().concepts[typ] }

// match is a surface found in a text.
type match struct {
	concept    *Concept
	start, end int // byte offsets in the text
}

// surface is one wording of a concept, in matching form.
type surface struct {
	key     string // upper-cased ASCII, spaces removed
	concept *Concept
	latin   bool // starts or ends with a Latin letter or digit: needs word boundaries
}

// matcher finds a type's concepts in a text, in either language.
type matcher struct {
	zh *runeMatcher
	en *wordMatcher
}

// find returns the concepts named in text, left to right, the longest
// wording at each place, without overlaps.
func (m *matcher) find(text string) []match {
	if m == nil {
		return nil
	}
	return mergeMatches(m.zh.find(text), m.en.find(text))
}

// findIn is find over a sentence, whose matching form is made once.
func (m *matcher) findIn(s *Sentence) []match {
	if m == nil {
		return nil
	}
	if !s.english() {
		return m.zh.findIn(s)
	}
	return mergeMatches(m.zh.findIn(s), m.en.find(s.Text))
}

// mergeMatches joins two lists of matches in order of position, dropping
// English matches that overlap Chinese ones.
func mergeMatches(zh, en []match) []match {
	if len(en) == 0 {
		return zh
	}
	out := append([]match(nil), zh...)
	for _, e := range en {
		if !slices.ContainsFunc(zh, func(z match) bool { return e.start < z.end && z.start < e.end }) {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// runeMatcher finds the longest surfaces of a set of concepts in Chinese
// text.
type runeMatcher struct {
	byFirst map[rune][]surface   // longest first
	first   [1 << 16 / 64]uint64 // which runes of the BMP begin a surface: a cheap test before the map
}

func newRuneMatcher(cs []*Concept) *runeMatcher {
	m := &runeMatcher{byFirst: map[rune][]surface{}}
	defer func() {
		for r := range m.byFirst {
			if r < 1<<16 {
				m.first[r/64] |= 1 << (r % 64)
			}
		}
	}()
	for _, c := range cs {
		for _, s := range c.Surfaces {
			key := matchForm(s)
			r, _ := utf8.DecodeRuneInString(key)
			last, _ := utf8.DecodeLastRuneInString(key)
			m.byFirst[r] = append(m.byFirst[r], surface{key: key, concept: c, latin: isLatin(r) || isLatin(last)})
		}
	}
	for r := range m.byFirst {
		sort.SliceStable(m.byFirst[r], func(i, j int) bool { return len(m.byFirst[r][i].key) > len(m.byFirst[r][j].key) })
	}
	return m
}

func isLatin(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// matchForm upper-cases ASCII letters and drops spaces, so that "Android
// ID", "AndroidID" and "android id" match alike.
func matchForm(s string) string {
	if !needsFolding(s) {
		return s
	}
	// Only ASCII bytes change, so the text is rewritten byte by byte.
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// find returns the concepts named in text, left to right, the longest
// wording at each place, without overlaps.
func (m *runeMatcher) find(text string) []match {
	if m == nil {
		return nil
	}
	// The matching form keeps byte offsets apart from removed spaces:
	// positions maps each byte of form back to text.
	form, positions := matchFormWithPositions(text)
	return m.findForm(form, positions)
}

// findIn is find over a sentence, whose matching form is made once.
func (m *runeMatcher) findIn(s *Sentence) []match {
	if s.form == "" && s.Text != "" {
		s.form, s.positions = matchFormWithPositions(s.Text)
	}
	return m.findForm(s.form, s.positions)
}

func (m *runeMatcher) findForm(form string, positions []int) []match {
	var out []match
	for i := 0; i < len(form); {
		r, size := utf8.DecodeRuneInString(form[i:])
		if r < 1<<16 && m.first[r/64]&(1<<(r%64)) == 0 {
			i += size
			continue
		}
		matched := false
		for _, s := range m.byFirst[r] {
			if !strings.HasPrefix(form[i:], s.key) {
				continue
			}
			end := i + len(s.key)
			if s.latin && !latinBoundary(form, i, end) {
				continue
			}
			start, last := i, end-1
			if positions != nil {
				start, last = positions[i], positions[end-1]
			}
			out = append(out, match{concept: s.concept, start: start, end: last + 1})
			i, matched = end, true
			break
		}
		if !matched {
			i += size
		}
	}
	return out
}

func matchFormWithPositions(text string) (string, []int) {
	if !needsFolding(text) {
		return text, nil // the common case: the form is the text, byte for byte
	}
	b := make([]byte, 0, len(text))
	positions := make([]int, 0, len(text))
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		default:
			b = append(b, c)
		}
		positions = append(positions, i)
	}
	return string(b), positions
}

// needsFolding reports text with spaces or lower-case ASCII letters, whose
// matching form differs from it.
func needsFolding(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == ' ' || c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// latinBoundary reports that form[start:end] is not part of a longer Latin
// word: "IMEI" in "IMEI号" counts, "ID" in "AndroidID" does not.
func latinBoundary(form string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(form[:start])
		first, _ := utf8.DecodeRuneInString(form[start:])
		if isLatin(r) && isLatin(first) {
			return false
		}
	}
	if end < len(form) {
		r, _ := utf8.DecodeRuneInString(form[end:])
		last, _ := utf8.DecodeLastRuneInString(form[:end])
		if isLatin(r) && isLatin(last) {
			return false
		}
	}
	return true
}

// wordMatcher finds English surfaces as whole words, without regard to
// case; a hyphen counts as a space.
type wordMatcher struct {
	byFirst map[byte][]surface // by first byte, longest first
}

func newWordMatcher(cs []*Concept) *wordMatcher {
	m := &wordMatcher{byFirst: map[byte][]surface{}}
	for _, c := range cs {
		for _, s := range c.Surfaces {
			key := wordForm(s)
			if key == "" {
				continue
			}
			m.byFirst[key[0]] = append(m.byFirst[key[0]], surface{key: key, concept: c})
		}
	}
	for b := range m.byFirst {
		sort.SliceStable(m.byFirst[b], func(i, j int) bool { return len(m.byFirst[b][i].key) > len(m.byFirst[b][j].key) })
	}
	return m
}

// wordForm lower-cases ASCII letters and turns hyphens into spaces, byte
// for byte, so offsets in the form are offsets in the text.
func wordForm(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c - 'A' + 'a'
		case c == '-':
			b[i] = ' '
		}
	}
	return string(b)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (m *wordMatcher) find(text string) []match {
	if m == nil || len(m.byFirst) == 0 || !hasLatinWord(text) {
		return nil
	}
	form := wordForm(text)
	var out []match
	for i := 0; i < len(form); i++ {
		if i > 0 && isWordByte(form[i-1]) {
			continue
		}
		for _, s := range m.byFirst[form[i]] {
			end := i + len(s.key)
			if strings.HasPrefix(form[i:], s.key) && (end == len(form) || !isWordByte(form[end])) {
				out = append(out, match{concept: s.concept, start: i, end: end})
				i = end - 1
				break
			}
		}
	}
	return out
}

// hasLatinWord reports a run of three lower-case letters: English prose,
// not a Chinese sentence with an "App" or "SDK" in it.
func hasLatinWord(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			n++
			if n == 3 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}
