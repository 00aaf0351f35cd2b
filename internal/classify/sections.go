package classify

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
	"github.com/policywatch/policywatch/internal/normalize"
)

// headingNumber matches the numbering Chinese policies put before section
// titles: 一、 （一） 1. 1、 1.1 第一条 第一章 Part / Section.
var headingNumber = lazyregexp.New(`^(#+\s*|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+(\.\d+)*[.、．]?\s*\S|第[一二三四五六七八九十百\d]+[章节条部分]|(?i:part|section|article)\s+\w)`)

// IsHeading reports a line that titles a section: a Markdown heading, or a
// short line without closing punctuation, numbered or not.
func IsHeading(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	if strings.HasPrefix(line, "#") {
		return true
	}
	n := utf8.RuneCountInString(line)
	if n > 40 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune("。；;：:，,！？!?、", last) {
		return false
	}
	return headingNumber.MatchString(line) || n <= 20
}

// Sections gives each line of a text the section it stands in: the top
// heading (一、…, or a Markdown # heading) and the nearest heading above,
// joined. Heading lines get their own parent section.
func Sections(lines []string) []string {
	out := make([]string, len(lines))
	top, near := "", ""
	for i, l := range lines {
		if IsHeading(l) {
			t := strings.TrimSpace(strings.TrimLeft(l, "# "))
			if isTopHeading(l) || top == "" {
				top, near = t, ""
			} else {
				near = t
			}
			out[i] = top
			continue
		}
		if near != "" {
			out[i] = top + sectionSep + near
		} else {
			out[i] = top
		}
	}
	return out
}

var topNumber = lazyregexp.New(`^(#{1,2}\s|[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十百\d]+[章部分]|\d+[.、．]\s*[^\d])`)

func isTopHeading(line string) bool { return topNumber.MatchString(strings.TrimSpace(line)) }

// Policy is a policy's text split into sentences, each with its section,
// and indexed for finding sentences in it.
type Policy struct {
	Name      string
	Sentences []string
	Sections  []string // of each sentence
	Lines     []int    // line (0-based, among non-blank lines of the normalized text) of each sentence
	key       string   // comparison keys of the sentences, concatenated
	starts    []int    // where each sentence's key starts in key
}

// NewPolicy splits and indexes a policy's text.
func NewPolicy(name, text string) *Policy {
	p := &Policy{Name: name}
	var lines []string
	for _, l := range strings.Split(normalize.Text(text), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	sections := Sections(lines)
	var b strings.Builder
	for i, l := range lines {
		for _, s := range appendLineSentences(nil, l) {
			p.Sentences = append(p.Sentences, s)
			p.Sections = append(p.Sections, sections[i])
			p.Lines = append(p.Lines, i)
			p.starts = append(p.starts, b.Len())
			b.WriteString(normalize.KeyOfText(s))
		}
	}
	p.key = b.String()
	return p
}

// Context returns sentence i with its neighbours and section.
func (p *Policy) Context(i int) Sentence {
	s := Sentence{Text: p.Sentences[i], Section: p.Sections[i]}
	if i > 0 {
		s.Prev = p.Sentences[i-1]
	}
	if i+1 < len(p.Sentences) {
		s.Next = p.Sentences[i+1]
	}
	return s
}

// listMarker matches the marker CAPP-130 sentences keep at their start
// ("2.," "(3)" "a.").
var listMarker = lazyregexp.New(`^\s*([0-9a-zA-Z一二三四五六七八九十]+[.、)）,，]+|[（(][0-9一二三四五六七八九十a-zA-Z]+[)）][,，]?|[•◆●▪■□◇·○★☆\-*][,，]?)\s*`)

// findKey returns where the sentence's key occurs, or -1.
func (p *Policy) findKey(sentence string) int {
	k := normalize.KeyOfText(normalize.Text(listMarker.ReplaceAllString(sentence, "")))
	if utf8.RuneCountInString(k) < 6 {
		return -1
	}
	return strings.Index(p.key, k)
}

// spacedCommas undoes a CAPP-130 artifact: an ASCII comma written where
// the policy had a space ("利用,Cookie,向您", "•,我们会…").
func spacedCommas(s string) string { return strings.ReplaceAll(s, ",", " ") }

// sentenceKey is the comparison key of sentence i, without its list marker.
func (p *Policy) sentenceKey(i int) string {
	return normalize.KeyOfText(listMarker.ReplaceAllString(p.Sentences[i], ""))
}

// sentenceAt returns the index of the sentence holding key offset off.
func (p *Policy) sentenceAt(off int) int {
	lo, hi := 0, len(p.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if p.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// Locate finds each example in the policies and takes its context from
// there: the sentences around it and its section, as a policy being
// analysed provides them. A sentence found in several policies is placed in
// the one its neighbours in the file are in (the task files keep document
// order). Examples not found keep their neighbours in the file.
func Locate(examples []Example, policies []*Policy) (found int) {
	prevPolicy := -1
	// Most sentences are whole sentences of a policy: an index of those
	// answers at once; only the rest are searched for as substrings.
	exact := map[string][]int{}
	for i, p := range policies {
		for j := range p.Sentences {
			k := p.sentenceKey(j)
			if ps := exact[k]; len(ps) == 0 || ps[len(ps)-1] != i {
				exact[k] = append(ps, i)
			}
		}
	}
	hits := func(s string) []int {
		if ps, ok := exact[normalize.KeyOfText(normalize.Text(listMarker.ReplaceAllString(s, "")))]; ok {
			return ps
		}
		var out []int
		for i, p := range policies {
			if p.findKey(s) >= 0 {
				out = append(out, i)
			}
		}
		return out
	}
	// The files keep document order: a sentence is nearly always in the
	// policy of the one before. That policy is what pickPolicy would choose
	// among several, so a hit there settles it without looking elsewhere.
	inPrevious := func(s string) bool { return prevPolicy >= 0 && policies[prevPolicy].findKey(s) >= 0 }
	for i := range examples {
		ex := &examples[i]
		var cands []int
		switch {
		case inPrevious(ex.Text):
			cands = []int{prevPolicy}
		case strings.Contains(ex.Text, ",") && inPrevious(spacedCommas(ex.Text)):
			ex.Text = spacedCommas(ex.Text)
			cands = []int{prevPolicy}
		default:
			cands = hits(ex.Text)
		}
		if len(cands) == 0 && strings.Contains(ex.Text, ",") {
			// Found only as the policy wrote it: keep that text, which is
			// what the classifier sees in real policies.
			if cands = hits(spacedCommas(ex.Text)); len(cands) > 0 {
				ex.Text = spacedCommas(ex.Text)
			}
		}
		if len(cands) == 0 {
			continue
		}
		choice := cands[0]
		if len(cands) > 1 {
			choice = pickPolicy(cands, prevPolicy, hits(ex.Prev), hits(ex.Next))
		}
		p := policies[choice]
		ctx := p.Context(p.sentenceAt(p.findKey(ex.Text)))
		ex.Section, ex.Prev, ex.Next = ctx.Section, ctx.Prev, ctx.Next
		prevPolicy = choice
		found++
	}
	return found
}

// pickPolicy prefers the policy of the sentence before, then one holding a
// neighbour, then the first candidate.
func pickPolicy(cands []int, prev int, prevHits, nextHits []int) int {
	for _, c := range cands {
		if c == prev {
			return c
		}
	}
	for _, c := range cands {
		for _, n := range append(prevHits, nextHits...) {
			if c == n {
				return c
			}
		}
	}
	return cands[0]
}
