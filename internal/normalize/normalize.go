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

	"golang.org/x/text/unicode/norm"
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
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	var b strings.Builder
	b.Grow(len(s))
	started, pendingBlank := false, false
	for line := range strings.Lines(s) {
		line = strings.TrimRightFunc(cleanLine(strings.TrimSuffix(line, "\n")), unicode.IsSpace)
		if line == "" {
			pendingBlank = started
			continue
		}
		if started {
			b.WriteByte('\n')
			if pendingBlank {
				b.WriteByte('\n')
			}
		}
		b.WriteString(line)
		started, pendingBlank = true, false
	}
	if started {
		b.WriteByte('\n')
	}
	return b.String()
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

// isPlain is a fast path: a line without the few runes cleanLine touches.
func isPlain(line string) bool {
	for _, r := range line {
		if r == '\u00A0' || r == utf8.RuneError || invisible(r) {
			return false
		}
	}
	return true
}

// Text returns the normalized form of s: Clean, then NFKC, then every run of
// whitespace inside a line collapsed to one space and each line trimmed.
func Text(s string) string {
	s = norm.NFKC.String(Clean(s))
	var b strings.Builder
	b.Grow(len(s))
	prevBlank := true
	for line := range strings.Lines(s) {
		line = collapseSpaces(strings.TrimRight(line, "\n"))
		if line == "" {
			if !prevBlank {
				b.WriteByte('\n')
			}
			prevBlank = true
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
		prevBlank = false
	}
	out := b.String()
	// A blank line kept before the end of the text is not a separator.
	for strings.HasSuffix(out, "\n\n") {
		out = out[:len(out)-1]
	}
	return out
}

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
