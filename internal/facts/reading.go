package facts

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// Sentence is one sentence of a policy read whole: Markdown emphasis, link
// targets, escapes and list markers are gone, and a sentence broken across
// lines (text out of a PDF, a hard-wrapped page) is joined again. Its facts
// are read from the whole sentence, so that a negation or condition at its
// start governs the terms at its end.
type Sentence struct {
	Text    string
	Line    int   // 1-based line of its first character, over the normalized text
	EndLine int   // line of its last character
	breaks  []int // byte offsets in Text where its later lines begin
	lines   []int // those lines' numbers (a blank line may stand between)
	Item    bool  // a table cell or a list item: an entry of an enumeration

	form      string // the text in matching form, made on first use
	positions []int  // each byte of form's offset in Text
	gates     gate   // the gates whose words it contains, once gated is set
	gated     bool
	negations [][2]int
	negated   bool
	lang      int8 // 1 English prose, -1 not, 0 not yet known
}

// english reports a sentence in English prose: words of lower-case letters
// separated by spaces, not a Chinese sentence with a URL or an "App" in it.
func (s *Sentence) english() bool {
	if s.lang == 0 {
		s.lang = -1
		if englishProse(s.Text) {
			s.lang = 1
		}
	}
	return s.lang == 1
}

// englishProse reports two spaces between lower-case letters.
func englishProse(t string) bool {
	n := 0
	for i := 1; i+1 < len(t); i++ {
		if t[i] == ' ' && t[i-1] >= 'a' && t[i-1] <= 'z' && t[i+1] >= 'a' && t[i+1] <= 'z' {
			if n++; n == 2 {
				return true
			}
		}
	}
	return false
}

// has reports whether the sentence contains one of a gate's words.
func (s *Sentence) has(g gate) bool {
	if !s.gated {
		s.gates, s.gated = gatesOf(s.Text), true
	}
	return s.gates&g != 0
}

// negatedSpans are the sentence's negated stretches (negatedSpans), found
// once.
func (s *Sentence) negatedSpans() [][2]int {
	if !s.negated {
		s.negations, s.negated = negatedSpans(s), true
		if s.english() {
			s.negations = append(s.negations, englishNegatedSpans(s.Text)...)
		}
	}
	return s.negations
}

// LineAt is the line that the byte at offset off of the sentence's text
// stands on.
func (s Sentence) LineAt(off int) int {
	k := sort.Search(len(s.breaks), func(i int) bool { return s.breaks[i] > off })
	if k == 0 {
		return s.Line
	}
	return s.lines[k-1]
}

// Reading is a policy text as sentences.
type Reading struct {
	Lines     []string   // the normalized lines; index+1 is the line number
	Sentences []Sentence // in order
}

// SentencesOn returns the sentences that touch lines from..to (inclusive).
func (r *Reading) SentencesOn(from, to int) []Sentence {
	i := sort.Search(len(r.Sentences), func(i int) bool { return r.Sentences[i].EndLine >= from })
	var out []Sentence
	for ; i < len(r.Sentences) && r.Sentences[i].Line <= to; i++ {
		out = append(out, r.Sentences[i])
	}
	return out
}

// Read splits a normalized text into sentences.
func Read(normalized string) *Reading {
	r := &Reading{Lines: textdiff.Lines(normalized)}
	var para paragraph
	flush := func() {
		r.Sentences = append(r.Sentences, para.sentences()...)
		para = paragraph{}
	}
	blanks := 0          // blank lines since the paragraph's last line
	lastHeading := false // the paragraph's last line is a Markdown heading
	for i, raw := range r.Lines {
		text, item := readLine(raw)
		if strings.TrimSpace(text) == "" {
			blanks++
			continue
		}
		heading := markdownHeading(raw)
		// Text out of a PDF may separate every line by a blank one; a
		// sentence left open runs on over one blank line, when the next
		// line goes on with it (Chinese, or an English word in lower case).
		joins := continues(para.last, text, item) && !heading && !lastHeading && (blanks == 0 || blanks == 1 && runsOn(text))
		if para.text.Len() > 0 && !joins {
			flush()
		}
		blanks, lastHeading = 0, heading
		para.add(text, i+1, item)
	}
	flush()
	return r
}

// paragraph collects lines that make one run of sentences.
type paragraph struct {
	text   strings.Builder
	starts []int // byte offset where each piece begins
	lines  []int // the line of each piece
	last   string
	item   bool
}

func (p *paragraph) add(text string, line int, item bool) {
	if p.text.Len() == 0 {
		p.item = item
	} else if endsLatin(p.last) && startsLatin(text) {
		p.text.WriteByte(' ') // English words the line break kept apart
	}
	p.starts = append(p.starts, p.text.Len())
	p.lines = append(p.lines, line)
	p.text.WriteString(text)
	p.last = text
}

// sentences splits the paragraph at the marks that end a sentence.
func (p *paragraph) sentences() []Sentence {
	text := p.text.String()
	if strings.TrimSpace(text) == "" {
		return nil
	}
	// the piece an offset falls in
	piece := func(off int) int {
		return sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off }) - 1
	}
	var out []Sentence
	start := 0
	emit := func(end int) {
		s := strings.TrimSpace(text[start:end])
		if s == "" {
			start = end
			return
		}
		lead := start + strings.Index(text[start:end], s)
		first, last := piece(lead), piece(lead+len(s)-1)
		sent := Sentence{Text: s, Line: p.lines[first], EndLine: p.lines[last], Item: p.item}
		for k := first + 1; k <= last; k++ {
			sent.breaks = append(sent.breaks, p.starts[k]-lead)
			sent.lines = append(sent.lines, p.lines[k])
		}
		out = append(out, sent)
		start = end
	}
	for i, r := range text {
		if strings.ContainsRune(sentenceEnds, r) || r == '.' && endsEnglishSentence(text, i) {
			emit(i + utf8.RuneLen(r))
		} else if r == '\x1f' { // a table cell boundary
			emit(i)
			start = i + 1
		}
	}
	emit(len(text))
	for i := range out {
		out[i].Text = strings.ReplaceAll(out[i].Text, "\x1f", "")
	}
	return out
}

// markdownHeading reports a line that is a Markdown heading or a line in
// bold alone: a title, no sentence runs on from or into it.
func markdownHeading(raw string) bool {
	raw = strings.TrimSpace(raw)
	return strings.HasPrefix(raw, "#") || len(raw) > 4 && strings.HasPrefix(raw, "**") && strings.HasSuffix(raw, "**") && strings.Count(raw, "**") == 2
}

// runsOn reports a line that can go on with a sentence: it starts with a
// Chinese character or a lower-case letter.
func runsOn(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 'a' && r <= 'z' || r >= 0x3400 && r <= 0x9FFF
}

// endsLatin and startsLatin report a line ending or starting in Latin
// script, where a line break stood for a space.
func endsLatin(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r < utf8.RuneSelf && r != ' ' && r > ' '
}

func startsLatin(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '(')
}

// EndsEnglishSentence reports a full stop at byte i of text that ends an
// English sentence.
func EndsEnglishSentence(text string, i int) bool { return endsEnglishSentence(text, i) }

// endsEnglishSentence reports a full stop at i that ends an English
// sentence: after a lower-case letter or a closing bracket, before a space
// and a capital (or the end). "1.3", "e.g. the" and "Co., Ltd." do not.
func endsEnglishSentence(text string, i int) bool {
	if i == 0 {
		return false
	}
	prev := text[i-1]
	if !(prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9' && i >= 2 && text[i-2] != '.' || prev == ')' || prev == '"') {
		return false
	}
	rest := text[i+1:]
	if rest == "" {
		return true
	}
	if rest[0] != ' ' {
		return false
	}
	rest = strings.TrimLeft(rest, " ")
	return rest == "" || rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] == '(' || rest[0] == '"'
}

// sentenceEnds are the marks that end a sentence (or a clause that stands
// alone: a semicolon separates enumerated statements).
const sentenceEnds = "。；！？;!?"

// continues reports whether a line goes on with the sentence the previous
// line left open: the previous line stops without closing punctuation and
// is no heading, and this line starts no heading, list item or table row.
func continues(prev, next string, nextItem bool) bool {
	if nextItem || startsBlock.MatchString(next) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(prev))
	if strings.ContainsRune(sentenceEnds+"：:", last) || last == '\x1f' {
		return false
	}
	return utf8.RuneCountInString(prev) >= 20 && !looksLikeHeading(prev)
}

// startsBlock matches the numbering and markers that begin a heading, a
// list item or a clause: 一、 （一） 1. 1.1 a. 第一条 ● •.
var startsBlock = lazyregexp.New(`^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+(\.\d+)*[.、．)）]?\s|\d+(\.\d+)+|[a-zA-Z][.、．)）]|第[一二三四五六七八九十百\d]+[章节条部分]|[●•·▪◆■□☐※])`)

// looksLikeHeading reports a short numbered line without closing
// punctuation: a section title, which no sentence runs on from.
func looksLikeHeading(line string) bool {
	return utf8.RuneCountInString(line) <= 40 && startsBlock.MatchString(line)
}

var (
	mdLink    = lazyregexp.New(`!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	mdAuto    = lazyregexp.New(`<(https?://[^>\s]+|mailto:[^>\s]+)>`)
	mdEscape  = lazyregexp.New(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|<>~])`)
	brTag     = lazyregexp.New(`(?i)(<br\s*/?>)+`)
	listStart = lazyregexp.New(`^(\s*([-*+]|>)\s+)+`)
	headStart = lazyregexp.New(`^#{1,6}\s*`)
)

// readLine turns a normalized line into the words a reader sees: link
// texts without their targets, no emphasis or code marks, no escapes, no
// heading, quote or list markers. A table row becomes its cells, separated
// by a cell boundary (\x1f); item reports a list item or a table row.
func readLine(line string) (text string, item bool) {
	if strings.HasPrefix(line, "|") {
		if isRuleRow(line) {
			return "", false
		}
		cs := cells(line)
		for i := range cs {
			cs[i], _ = readLine(cs[i])
		}
		return strings.Join(cs, "\x1f") + "\x1f", true
	}
	if strings.Contains(line, "<br") {
		line = brTag.ReplaceAllString(line, "；")
	}
	if loc := listStart.FindStringIndex(line); loc != nil {
		line, item = line[loc[1]:], true
	}
	line = headStart.ReplaceAllString(line, "")
	if strings.ContainsAny(line, "[<") {
		line = mdLink.ReplaceAllString(line, "$1")
		line = mdAuto.ReplaceAllString(line, "$1")
	}
	if strings.ContainsAny(line, "*_`\\") {
		line = stripEmphasis(line)
	}
	return line, item
}

// stripEmphasis drops Markdown emphasis and code marks and resolves
// escapes. A lone underscore inside a word (DPO_qwen) stays.
func stripEmphasis(line string) string {
	line = strings.NewReplacer("**", "", "__", "", "`", "").Replace(line)
	line = strings.ReplaceAll(line, "*", "")
	line = mdEscape.ReplaceAllString(line, "$1")
	return line
}

func isRuleRow(line string) bool {
	return strings.Trim(line, "|-: ") == "" && strings.Contains(line, "-")
}

// Plain is the text a reader sees, one line per line: ReadLine over every
// line (table rows as their cells).
func Plain(normalized string) string {
	lines := textdiff.Lines(normalized)
	var b strings.Builder
	for _, l := range lines {
		t, _ := readLine(l)
		b.WriteString(strings.ReplaceAll(t, "\x1f", " "))
		b.WriteByte('\n')
	}
	return b.String()
}
