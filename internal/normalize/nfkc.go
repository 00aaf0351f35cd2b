package normalize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfkc returns the NFKC form of one line. Chinese policies are made of a
// few kinds of character whose NFKC form is known without looking them up:
// ASCII, CJK ideographs and most CJK punctuation (unchanged), full-width
// ASCII forms (mapped to ASCII) and the ideographic space (mapped to a
// space). A line made only of those is normalized here, several times faster
// than the general algorithm; any other character sends the whole line to
// golang.org/x/text/unicode/norm. Both give the same result: all the
// characters above are starters that compose with nothing, so no
// composition or reordering can involve them (see TestNFKCFastPath).
func nfkc(line string) string {
	changed := false
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		switch fastClass(r) {
		case stable:
		case mapped:
			changed = true
		default:
			return norm.NFKC.String(line)
		}
		i += size
	}
	if !changed {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	for _, r := range line {
		if fastClass(r) == mapped {
			r = fastMap(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

type class uint8

const (
	other  class = iota // unknown here: use the general algorithm
	stable              // its own NFKC form, and composes with nothing
	mapped              // NFKC maps it to one ASCII character (fastMap)
)

func fastClass(r rune) class {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, // CJK Unified Ideographs
		r >= 0x3400 && r <= 0x4DBF: // Extension A
		return stable
	case r >= 0xFF01 && r <= 0xFF5E, r == 0x3000: // full-width ASCII, ideographic space
		return mapped
	}
	switch r {
	case '、', '。', '〃', '〈', '〉', '《', '》', '「', '」', '『', '』', '【', '】', '〔', '〕', '〖', '〗',
		'〘', '〙', '〚', '〛', '〜', '“', '”', '‘', '’', '—', '–', '·', '•', '●', '○', '■', '□', '◆', '◇',
		'★', '☆', '→', '←', '↑', '↓', '×', '÷', '§', '©', '®', '°', '±', '¥':
		return stable
	}
	return other
}

func fastMap(r rune) rune {
	if r == 0x3000 {
		return ' '
	}
	return r - 0xFEE0 // FF01–FF5E → 0021–007E
}

// normLine is collapseSpaces(nfkc(cleanLine(line))) in one pass: drop
// invisible characters, map full-width forms, and turn each run of
// whitespace into one space, trimming the ends. Lines holding a character
// the fast path does not know take the three steps one by one.
func normLine(line string) string {
	if lineIsNormal(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	space := false // a space is pending
	for i := 0; i < len(line); {
		r, size := rune(line[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(line[i:])
		}
		i += size
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u00A0' || r == 0x3000:
			space = b.Len() > 0
			continue
		case r < utf8.RuneSelf:
		case invisible(r):
			continue
		default:
			switch fastClass(r) {
			case mapped:
				r = fastMap(r)
			case other:
				return collapseSpaces(norm.NFKC.String(cleanLine(line)))
			}
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lineIsNormal reports a line normLine would return unchanged: only ASCII
// and stable characters, single spaces between words, none at the ends.
func lineIsNormal(line string) bool {
	if line == "" {
		return true
	}
	if line[0] == ' ' || line[len(line)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case '\t', '\n', '\v', '\f', '\r':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		prevSpace = false
		if cjk3(line, i) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError || fastClass(r) != stable {
			return false
		}
		i += size
	}
	return true
}

// cjk3 reports a well-formed three-byte character of U+4E00–U+9FFF (the
// CJK Unified Ideographs, stable) at s[i:], told from its bytes without
// decoding it: E4 B8 80 … E9 BF BF.
func cjk3(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c0, c1, c2 := s[i], s[i+1], s[i+2]
	return c0 >= 0xE4 && c0 <= 0xE9 && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && (c0 > 0xE4 || c1 >= 0xB8)
}
