package textdiff

import (
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// tokenBase maps tokens to runes in the supplementary private use areas,
// which no normalized policy text contains.
const tokenBase = 0xF0000

// lineSpans marks what changed between two versions of a line: character
// by character in Chinese, word by word in Latin script, with
// diff-match-patch's semantic cleanup so that a changed name is marked as
// a whole and not as scattered coincidences.
func lineSpans(oldLine, newLine string) []Span {
	if oldLine == newLine {
		return nil
	}
	vocab := map[string]rune{}
	var tokens []string
	encode := func(s string) []rune {
		var out []rune
		for _, t := range tokenize(s) {
			r, ok := vocab[t]
			if !ok {
				r = rune(tokenBase + len(tokens))
				vocab[t] = r
				tokens = append(tokens, t)
			}
			out = append(out, r)
		}
		return out
	}
	a, b := encode(oldLine), encode(newLine)

	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 250 * time.Millisecond
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))

	var spans []Span
	oldPos, newPos := 0, 0
	for _, d := range diffs {
		n := 0
		for _, r := range d.Text {
			n += utf8.RuneCountInString(tokens[r-tokenBase])
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			oldPos, newPos = oldPos+n, newPos+n
		case diffmatchpatch.DiffDelete:
			spans = appendSpan(spans, Span{Side: "old", Start: oldPos, End: oldPos + n, Op: "delete"})
			oldPos += n
		case diffmatchpatch.DiffInsert:
			spans = appendSpan(spans, Span{Side: "new", Start: newPos, End: newPos + n, Op: "insert"})
			newPos += n
		}
	}
	return spans
}

// appendSpan merges a span into the previous one on the same side when
// they touch.
func appendSpan(spans []Span, s Span) []Span {
	if s.Start == s.End {
		return spans
	}
	for i := len(spans) - 1; i >= 0; i-- {
		if spans[i].Side == s.Side {
			if spans[i].End == s.Start {
				spans[i].End = s.End
				return spans
			}
			break
		}
	}
	return append(spans, s)
}

// tokenize splits a line into words of Latin script or digits, runs of
// space, and single other characters (each Chinese character, each mark).
func tokenize(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch {
		case isWordRune(rs[i]):
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
		case unicode.IsSpace(rs[i]):
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

// isWordRune reports letters and digits of scripts that separate words with
// spaces; Chinese, Japanese and Korean characters are tokens of their own.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
