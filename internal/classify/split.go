package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// closers may follow a sentence's final mark and belong to the sentence.
const closers = "”’」』）)】》\"'"

// SplitSentences splits a policy text into sentences: at 。！？；… and at
// . ! ? ; followed by a space (Latin script), and at every line end, so that
// list items, headings and table rows are sentences of their own. A colon
// ends a sentence only at the end of a line ("包括：" then a list), not in
// "客服电话：400…".
func SplitSentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		out = appendLineSentences(out, strings.TrimSpace(line))
	}
	return out
}

func appendLineSentences(out []string, line string) []string {
	if line == "" {
		return out
	}
	start := 0
	var prev rune
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		end := i + size
		if ends(prev, r, line[end:]) {
			for end < len(line) {
				c, n := utf8.DecodeRuneInString(line[end:])
				if !strings.ContainsRune(closers, c) {
					break
				}
				end += n
			}
			if s := strings.TrimSpace(line[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
		prev = r
		i = end
	}
	if s := strings.TrimSpace(line[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// ends reports whether r closes a sentence, given the character before it
// and the text after it. A full stop after a digit is a list number ("1. "),
// not an end.
func ends(prev, r rune, rest string) bool {
	switch r {
	case '。', '！', '？', '；', '…':
		return !strings.HasPrefix(rest, "…") // "……" ends once, at its last mark
	case '.', '!', '?', ';':
		if r == '.' && unicode.IsDigit(prev) {
			return false
		}
		next, _ := utf8.DecodeRuneInString(rest)
		return rest == "" || unicode.IsSpace(next)
	}
	return false
}
