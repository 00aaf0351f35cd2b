package textdiff

import (
	"sync"
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
	enc := encoders.Get().(*tokenEncoder)
	defer enc.release()
	a, b := enc.encode(oldLine, &enc.a), enc.encode(newLine, &enc.b)

	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 250 * time.Millisecond
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))

	var spans []Span
	oldPos, newPos := 0, 0
	for _, d := range diffs {
		n := 0
		for _, r := range d.Text {
			n += enc.runes(r)
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			oldPos, newPos = oldPos+n, newPos+n
		case diffmatchpatch.DiffDelete:
			spans = appendSpan(spans, Span{Side: Old, Start: oldPos, End: oldPos + n, Op: Delete})
			oldPos += n
		case diffmatchpatch.DiffInsert:
			spans = appendSpan(spans, Span{Side: New, Start: newPos, End: newPos + n, Op: Insert})
			newPos += n
		}
	}
	return spans
}

// tokenEncoder turns each token into one rune for diff-match-patch. A
// one-character token (each Chinese character) stands for itself; longer
// tokens (Latin words, runs of space) and characters of the private use
// planes get runes of their own from tokenBase up, so no map is built for
// an all-Chinese line.
type tokenEncoder struct {
	vocab  map[string]rune
	tokens []string
	a, b   []rune // the encoded lines' memory, reused
}

// encoders are reused from one line to the next: their memory is what a
// comparison of many modified lines would otherwise allocate most.
var encoders = sync.Pool{New: func() any { return new(tokenEncoder) }}

func (e *tokenEncoder) release() {
	clear(e.vocab)
	clear(e.tokens) // let the lines go
	e.tokens = e.tokens[:0]
	encoders.Put(e)
}

// encode encodes s into the memory of *buf, which it keeps for next time.
func (e *tokenEncoder) encode(s string, buf *[]rune) []rune {
	out := (*buf)[:0]
	if cap(out) < len(s)/3+1 {
		out = make([]rune, 0, len(s)/3+1)
	}
	for i := 0; i < len(s); {
		if r, ok := cjk3(s, i); ok {
			// A Chinese character or mark, a token of its own: the common case.
			out = append(out, r)
			i += 3
			continue
		}
		j := nextToken(s, i)
		out = append(out, e.code(s[i:j]))
		i = j
	}
	*buf = out
	return out
}

// cjk3 decodes a well-formed three-byte character of U+3001–U+9FFF at
// s[i:]: CJK marks, kana and ideographs, none of them a word letter or a
// space (U+3000, the ideographic space, is one and is left out).
func cjk3(s string, i int) (rune, bool) {
	if i+2 >= len(s) {
		return 0, false
	}
	c0, c1, c2 := s[i], s[i+1], s[i+2]
	if c0 < 0xE3 || c0 > 0xE9 || c1&0xC0 != 0x80 || c2&0xC0 != 0x80 || c0 == 0xE3 && c1 == 0x80 && c2 == 0x80 {
		return 0, false
	}
	return rune(c0&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), true
}

// code is the rune standing for token t.
func (e *tokenEncoder) code(t string) rune {
	r, size := utf8.DecodeRuneInString(t)
	if size == len(t) && r < tokenBase {
		return r
	}
	code, ok := e.vocab[t]
	if !ok {
		if e.vocab == nil {
			e.vocab = make(map[string]rune)
		}
		code = rune(tokenBase + len(e.tokens))
		e.vocab[t] = code
		e.tokens = append(e.tokens, t)
	}
	return code
}

// runes is the length in characters of the token a rune stands for.
func (e *tokenEncoder) runes(r rune) int {
	if r < tokenBase {
		return 1
	}
	return utf8.RuneCountInString(e.tokens[r-tokenBase])
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

// eachToken calls fn with each token of s: words of Latin script or
// digits, runs of space, and single other characters (each Chinese
// character, each mark). Tokens are substrings of s: nothing is copied.
func eachToken(s string, fn func(string)) {
	for i := 0; i < len(s); {
		j := nextToken(s, i)
		fn(s[i:j])
		i = j
	}
}

// nextToken is where the token starting at s[i] ends.
func nextToken(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	j := i + size
	switch {
	case isWordRune(r):
		j = scan(s, j, isWordRune)
	case unicode.IsSpace(r):
		j = scan(s, j, unicode.IsSpace)
	}
	return j
}

// scan advances from i over the runes for which keep holds.
func scan(s string, i int, keep func(rune) bool) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !keep(r) {
			break
		}
		i += size
	}
	return i
}

// isWordRune reports letters and digits of scripts that separate words with
// spaces; Chinese, Japanese and Korean characters are tokens of their own.
func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	case r >= 0x2E80 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF, r >= 0xF900 && r <= 0xFAFF, r >= 0xFF00 && r <= 0xFFEF:
		return false // CJK, kana, Hangul, compatibility and width forms: the common case, decided quickly
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// LineSpans marks what changed between two lines, as the comparison does
// for a modified row.
func LineSpans(oldLine, newLine string) []Span { return lineSpans(oldLine, newLine) }
