package extract

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// RepairPDFText rebuilds paragraphs from text extracted out of a PDF: it
// drops running headers, footers and page numbers, closes up spaced-out
// characters, and joins sentences broken across lines and pages. Pages are
// separated by form feeds, as pdftotext writes them; text without form
// feeds (such as seed 000) is treated as one page.
func RepairPDFText(s string) string {
	pages := splitPages(s)
	dropRunningLines(pages)
	var lines []string
	for _, p := range pages {
		// A page break is not a paragraph break: whether the last line of a
		// page continues is decided like any other line.
		lines = append(lines, trimBlankLines(p)...)
	}
	for i, l := range lines {
		lines[i] = closeUpSpacing(l)
	}
	return strings.Join(joinParagraphs(lines), "\n\n") + "\n"
}

func trimBlankLines(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// splitPages splits at form feeds into pages of right-trimmed lines.
func splitPages(s string) [][]string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var pages [][]string
	for _, page := range strings.Split(s, "\f") {
		var lines []string
		for _, l := range strings.Split(page, "\n") {
			lines = append(lines, strings.TrimRightFunc(l, unicode.IsSpace))
		}
		pages = append(pages, lines)
	}
	return pages
}

// pageNumber matches lines that are only a page number: 第 3 页, 第3页/共8页,
// 3 / 8, - 3 -, Page 3 of 8.
var pageNumber = lazyregexp.New(`(?i)^\s*(第\s*\d+\s*页(\s*[/／,，]?\s*共\s*\d+\s*页)?|\d+\s*[/／]\s*\d+|[-–—]\s*\d+\s*[-–—]|page\s+\d+(\s+of\s+\d+)?|\d+\s+of\s+\d+|\d{1,4})\s*$`)

// strictPageNumber is pageNumber without the bare number, for text whose
// page boundaries are unknown, where "12" alone might be content.
var strictPageNumber = lazyregexp.New(`(?i)^\s*(第\s*\d+\s*页(\s*[/／,，]?\s*共\s*\d+\s*页)?|[-–—]\s*\d+\s*[-–—]|page\s+\d+(\s+of\s+\d+)?|\d+\s+of\s+\d+)\s*$`)

// printDebris matches what a browser's print dialog writes at the top or
// bottom of every page: the file's address (file:///…), or a page's URL
// followed by "1/3", and the print date and time.
var printDebris = lazyregexp.New(`(?i)^\s*(file:///\S*.*|(https?|file)://\S+\s+\d+\s*/\s*\d+|\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?\s+\d{1,2}:\d{2}(:\d{2})?\s*(am|pm|上午|下午)?.*)\s*$`)

const zoneLines = 2 // lines at the top and bottom of a page that may be running

// dropRunningLines blanks page numbers and lines repeated at the top or
// bottom of most pages (running headers and footers). Digits are ignored
// when comparing, so "第1页/共8页" and "第2页/共8页" are the same footer.
func dropRunningLines(pages [][]string) {
	for _, p := range pages {
		for _, i := range zone(p) {
			if printDebris.MatchString(p[i]) {
				p[i] = ""
			}
		}
	}
	if len(pages) < 2 {
		for _, p := range pages {
			for i, l := range p {
				if strictPageNumber.MatchString(l) {
					p[i] = ""
				}
			}
		}
		return
	}
	counts := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, i := range zone(p) {
			sig := signature(p[i])
			if !seen[sig] {
				seen[sig] = true
				counts[sig]++
			}
		}
	}
	need := max(2, int(math.Ceil(0.5*float64(len(pages)))))
	for _, p := range pages {
		removed := map[string]bool{}
		for _, i := range zone(p) {
			sig := signature(p[i])
			switch {
			case pageNumber.MatchString(p[i]):
				p[i] = ""
			case counts[sig] >= need && !removed[sig]:
				// One per page: on the first page the running header is often
				// followed by the same words as the document's title.
				removed[sig] = true
				p[i] = ""
			}
		}
	}
}

// zone returns the indexes of the first and last non-blank lines of a page.
func zone(page []string) []int {
	var idx []int
	for i, n := 0, 0; i < len(page) && n < zoneLines; i++ {
		if strings.TrimSpace(page[i]) != "" {
			idx = append(idx, i)
			n++
		}
	}
	for i, n := len(page)-1, 0; i >= 0 && n < zoneLines; i-- {
		if strings.TrimSpace(page[i]) != "" {
			if !containsInt(idx, i) {
				idx = append(idx, i)
			}
			n++
		}
	}
	return idx
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func signature(line string) string {
	var b strings.Builder
	for _, r := range line {
		switch {
		case unicode.IsSpace(r):
		case unicode.IsDigit(r):
			b.WriteByte('#')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// closeUpSpacing removes the spaces PDFs put between CJK characters
// (justified or letter-spaced text) and collapses letter-spaced Latin words
// such as "P r i v a c y".
func closeUpSpacing(line string) string {
	line = strings.TrimSpace(line)
	if !strings.Contains(line, " ") {
		return line
	}
	runes := []rune(line)
	var b strings.Builder
	for i, r := range runes {
		if unicode.IsSpace(r) && i > 0 && i < len(runes)-1 && isCJK(prevNonSpace(runes, i)) && isCJK(nextNonSpace(runes, i)) {
			continue
		}
		b.WriteRune(r)
	}
	return collapseLetterSpacing(b.String())
}

var wordGap = lazyregexp.New(`\s{2,}`)

// collapseLetterSpacing joins words written one letter at a time; two or
// more spaces separate the words.
func collapseLetterSpacing(line string) string {
	tokens := strings.Fields(line)
	if len(tokens) < 4 {
		return line
	}
	single := 0
	for _, t := range tokens {
		if len([]rune(t)) == 1 {
			single++
		}
	}
	if float64(single) < 0.8*float64(len(tokens)) {
		return line
	}
	words := wordGap.Split(line, -1)
	for i, w := range words {
		words[i] = strings.ReplaceAll(w, " ", "")
	}
	return strings.Join(words, " ")
}

func prevNonSpace(rs []rune, i int) rune {
	for j := i - 1; j >= 0; j-- {
		if !unicode.IsSpace(rs[j]) {
			return rs[j]
		}
	}
	return 0
}

func nextNonSpace(rs []rune, i int) rune {
	for j := i + 1; j < len(rs); j++ {
		if !unicode.IsSpace(rs[j]) {
			return rs[j]
		}
	}
	return 0
}

// isCJK reports Han characters and CJK/full-width punctuation.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) || // full-width forms
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

// terminal punctuation ends a paragraph; continuing punctuation never does.
const (
	terminalPunct   = "。！？；：.!?;:」』】）)》"
	continuingPunct = "，、,（(《【“‘-—"
)

// listStart matches lines that begin a list item or a heading and so start
// a new paragraph even after a full line.
var listStart = lazyregexp.New(`^(\d+(\.\d+)*[.、．)）]|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+[章条节部分]|[•●▪◆■□·\-*]\s|[A-Za-z][.、)]\S)`)

// joinParagraphs rebuilds paragraphs: a line continues into the next when it
// fills the line width and does not end a sentence, or ends with a comma.
// Blank lines separate paragraphs, unless the extractor put one after
// nearly every line, in which case they mean nothing.
func joinParagraphs(lines []string) []string {
	full := fullWidth(lines)
	blanksMeaningful := blankRatio(lines) < 0.5
	var paras []string
	cur, prev := "", "" // paragraph so far, and its last line
	flush := func() {
		if cur != "" {
			paras = append(paras, cur)
		}
		cur, prev = "", ""
	}
	for _, line := range lines {
		if line == "" {
			if blanksMeaningful {
				flush()
			}
			continue
		}
		switch {
		case prev == "" || !continues(prev, line, full):
			flush()
		case splitsWord(prev, line):
			cur = strings.TrimSuffix(cur, "-")
		default:
			cur += joiner(prev, line)
		}
		cur += line
		prev = line
	}
	flush()
	return paras
}

// continues decides whether next carries on the sentence of prev.
func continues(prev, next string, full int) bool {
	if listStart.MatchString(next) {
		return false
	}
	last := lastRune(prev)
	if strings.ContainsRune(continuingPunct, last) {
		return true
	}
	if strings.ContainsRune(terminalPunct, last) {
		return false
	}
	return displayWidth(prev) >= full*70/100
}

// splitsWord reports a Latin word hyphenated across two lines.
func splitsWord(prev, next string) bool {
	rs := []rune(prev)
	if len(rs) < 2 || rs[len(rs)-1] != '-' || !unicode.IsLetter(rs[len(rs)-2]) || rs[len(rs)-2] >= 0x3000 {
		return false
	}
	first := []rune(next)[0]
	return unicode.IsLower(first)
}

// joiner is what goes between two joined lines: nothing in Chinese, a space
// between Latin words.
func joiner(prev, next string) string {
	a, b := lastRune(prev), []rune(next)[0]
	if a < 0x3000 && b < 0x3000 && (unicode.IsLetter(a) || unicode.IsDigit(a) || strings.ContainsRune(",.;:!?)", a)) && (unicode.IsLetter(b) || unicode.IsDigit(b) || b == '(') {
		return " "
	}
	return ""
}

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// fullWidth estimates the width of a full line: the 80th percentile of the
// widths of the document's lines.
func fullWidth(lines []string) int {
	var widths []int
	for _, l := range lines {
		if l != "" {
			widths = append(widths, displayWidth(l))
		}
	}
	if len(widths) == 0 {
		return 0
	}
	sort.Ints(widths)
	return widths[len(widths)*80/100]
}

// displayWidth counts wide (CJK) characters as two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 2
		default:
			w++
		}
	}
	return w
}

// blankRatio is the share of text lines directly followed by a blank line.
func blankRatio(lines []string) float64 {
	text, followed := 0, 0
	for i, l := range lines {
		if l == "" {
			continue
		}
		text++
		if i+1 < len(lines) && lines[i+1] == "" {
			followed++
		}
	}
	if text == 0 {
		return 0
	}
	return float64(followed) / float64(text)
}
