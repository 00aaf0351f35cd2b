// Package normalize turns extracted text into the three forms policywatch
// uses:
//
//   - Clean: the readable text that is stored. Line structure and the
//     policy's own characters are kept; invisible debris (BOM, zero-width
//     characters, NBSP, trailing blanks, runs of blank lines) is removed.
//   - Text: the normalized text that `show` prints and diffs number lines
//     over. Unicode NFKC folds full-/half-width and compatibility forms, and
//     whitespace runs inside a line collapse to one space.
//   - Key: the comparison key. Line wrapping, all whitespace, Markdown block
//     markers and quote styles are ignored, so a re-wrapped or re-punctuated
//     page hashes the same as before and is not a new version.
package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// invisible reports runes that carry no visible text and differ between
// otherwise identical pages (editors, CMSs and copy-paste insert them).
func invisible(r rune) bool {
	switch r {
	case '\uFEFF', // BOM / zero-width no-break space
		'\u200B', '\u200C', '\u200D', '\u2060', // zero-width space, (non-)joiner, word joiner
		'\u00AD',           // soft hyphen
		'\u200E', '\u200F': // direction marks
		return true
	}
	return false
}

// Clean returns the readable form of s: line endings unified, invisible
// characters dropped, NBSP turned into a space, trailing blanks trimmed, and
// runs of blank lines collapsed to one.
func Clean(s string) string {
	out, _ := clean(s)
	return out
}

// clean is Clean in one pass over the text, also reporting whether the
// text changed. Nothing is copied while the output is the input so far,
// so text already clean comes back as it is.
func clean(s string) (string, bool) {
	return rewriteLines(s, func(line string) string {
		if !plainValid(line) {
			line = cleanLine(line)
		}
		return strings.TrimRightFunc(line, unicode.IsSpace)
	})
}

// rewriteLines unifies line endings, passes each line through fix and
// writes what is not blank, one blank line between paragraphs however many
// stood there, each line ending in a newline, and reports whether the text
// changed. Nothing is copied while the output is the input so far.
func rewriteLines(s string, fix func(string) string) (string, bool) {
	crlf := strings.Contains(s, "\r")
	if crlf {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	w := lazyWriter{src: s}
	started, pendingBlank := false, false
	for line := range strings.Lines(s) {
		line = fix(strings.TrimSuffix(line, "\n"))
		if line == "" {
			pendingBlank = started
			continue
		}
		if pendingBlank {
			w.writeNewline()
		}
		w.writeString(line)
		w.writeNewline()
		started, pendingBlank = true, false
	}
	out, changed := w.result()
	return out, changed || crlf
}

// isClean reports text that Clean would return unchanged.
func isClean(s string) bool {
	_, changed := clean(s)
	return !changed
}

// isNormalText reports text that Text would return unchanged.
func isNormalText(s string) bool {
	_, changed := text(s)
	return !changed
}

// lazyWriter builds a transformation of src that usually leaves most of it
// as it was: while what is written matches src at the same place nothing
// is copied, and at the first difference the output so far is copied once.
type lazyWriter struct {
	src      string
	n        int  // bytes written; while !diverged they are src[:n]
	diverged bool // the output has left src and is in out
	out      strings.Builder
}

func (w *lazyWriter) writeString(x string) {
	if !w.diverged {
		// Comparing a substring with itself is immediate (same pointer).
		if w.n+len(x) <= len(w.src) && w.src[w.n:w.n+len(x)] == x {
			w.n += len(x)
			return
		}
		w.diverge(len(x))
	}
	w.out.WriteString(x)
}

func (w *lazyWriter) writeNewline() {
	if !w.diverged {
		if w.n < len(w.src) && w.src[w.n] == '\n' {
			w.n++
			return
		}
		w.diverge(1)
	}
	w.out.WriteByte('\n')
}

func (w *lazyWriter) diverge(more int) {
	w.diverged = true
	w.out.Grow(max(len(w.src), w.n+more) + 16)
	w.out.WriteString(w.src[:w.n])
}

// result is the output and whether it differs from src.
func (w *lazyWriter) result() (string, bool) {
	if !w.diverged {
		return w.src[:w.n], w.n != len(w.src)
	}
	return w.out.String(), true
}

// cleanLine drops invisible runes and maps NBSP to a space.
func cleanLine(line string) string {
	if isPlain(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	for _, r := range line {
		switch {
		case invisible(r):
		case r == '\u00A0':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quickPlain is isPlain for text known to be valid UTF-8 (where U+FFFD is
// a character like any other).
func quickPlain(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case 0xC2, 0xE2, 0xEF:
			r, _ := utf8.DecodeRuneInString(line[i:])
			if r == '\u00A0' || invisible(r) {
				return false
			}
		}
	}
	return true
}

// plainValid is quickPlain(line) && utf8.ValidString(line) in one pass:
// valid UTF-8 without the runes cleanLine changes. Most characters of a
// Chinese policy are three bytes led by E3–EC, which are never among those
// runes and are valid whenever two continuation bytes follow.
func plainValid(line string) bool {
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= 0xE3 && c <= 0xEC && i+2 < len(line) && line[i+1]&0xC0 == 0x80 && line[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError && size == 1 || r == '\u00A0' || invisible(r) {
			return false
		}
		i += size
	}
	return true
}

// isPlain is a fast path: a line without the few runes cleanLine touches.
// Their UTF-8 encodings start with the bytes C2 (NBSP, soft hyphen),
// E2 (zero-width and direction marks), EF (BOM, U+FFFD), so only those
// need a closer look.
func isPlain(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case 0xC2, 0xE2, 0xEF:
			r, _ := utf8.DecodeRuneInString(line[i:])
			if r == '\u00A0' || r == utf8.RuneError || invisible(r) {
				return false
			}
		}
	}
	return utf8.ValidString(line) // cleanLine also repairs invalid UTF-8
}

// Text returns the normalized form of s: Clean, then NFKC, then every run of
// whitespace inside a line collapsed to one space and each line trimmed. It
// works line by line in one pass (NFKC never joins or splits lines), and
// copies nothing while the text is already in that form.
func Text(s string) string {
	out, _ := text(s)
	return out
}

func text(s string) (string, bool) { return rewriteLines(s, normLine) }

// collapseSpaces trims line and turns each whitespace run into one space.
func collapseSpaces(line string) string {
	line = strings.TrimSpace(line)
	if !hasSpaceRun(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	inSpace := false
	for _, r := range line {
		if unicode.IsSpace(r) {
			inSpace = true
			continue
		}
		if inSpace {
			b.WriteByte(' ')
			inSpace = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasSpaceRun(line string) bool {
	prevSpace := false
	for _, r := range line {
		space := unicode.IsSpace(r)
		if space && (prevSpace || r != ' ') {
			return true
		}
		prevSpace = space
	}
	return false
}

// Key returns the comparison key of s. Two texts with the same key have the
// same words in the same order: they differ at most in whitespace, line
// wrapping, full-/half-width forms, quote styles or Markdown block markers.
func Key(s string) string { return KeyOfText(Text(s)) }

// KeyOfText is Key for text already in normalized (Text) form.
func KeyOfText(s string) string {
	if !strings.Contains(s, "\n") && keyIsLine(s) {
		return s // nothing to strip or fold: the common case of a line of prose
	}
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\n")
		if isTableRule(line) {
			continue
		}
		line = stripBlockMarker(line)
		for _, r := range line {
			if unicode.IsSpace(r) {
				continue
			}
			b.WriteRune(foldQuote(r))
		}
	}
	return b.String()
}

// keyIsLine reports a line that is its own comparison key: no block marker,
// no whitespace, no quote to fold.
func keyIsLine(line string) bool {
	if line == "" {
		return true
	}
	switch line[0] {
	case '#', '-', '*', '>', '|':
		return false
	}
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '`' {
				return false
			}
			i++
			continue
		}
		if cjk3(line, i) { // U+4E00–U+9FFF: no space, no quote
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) || foldQuote(r) != r || r == utf8.RuneError {
			return false
		}
		i += size
	}
	return true
}

// Hash is the hex SHA-256 of s.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// KeyHash is the hash of the comparison key of s.
func KeyHash(s string) string { return Hash(Key(s)) }

// stripBlockMarker removes a Markdown heading, list or quote marker and the
// pipes of a table row: structure, not words.
func stripBlockMarker(line string) string {
	switch {
	case strings.HasPrefix(line, "#"):
		trimmed := strings.TrimLeft(line, "#")
		if trimmed == "" || trimmed[0] == ' ' {
			return trimmed
		}
	case strings.HasPrefix(line, "- "), strings.HasPrefix(line, "* "), strings.HasPrefix(line, "> "):
		return line[2:]
	case strings.HasPrefix(line, "|"):
		return strings.ReplaceAll(line, "|", " ")
	}
	return line
}

// isTableRule reports a Markdown table's header separator such as |---|---|.
func isTableRule(line string) bool {
	if !strings.HasPrefix(line, "|") {
		return false
	}
	for _, r := range line {
		switch r {
		case '|', '-', ':', ' ':
		default:
			return false
		}
	}
	return true
}

// foldQuote maps the quote marks that editors swap freely to ASCII ones.
func foldQuote(r rune) rune {
	switch r {
	case '“', '”', '„', '«', '»', '「', '」', '『', '』':
		return '"'
	case '‘', '’', '‚', '`':
		return '\''
	}
	return r
}
