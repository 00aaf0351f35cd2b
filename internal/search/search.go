// Package search says what a search phrase is and which lines of a text
// contain it: the one definition the store, the command line and the web
// pages share. A phrase matches as a substring of a line of the normalized
// text (the text `policywatch show` prints and the version pages number),
// without word segmentation, so that 友盟 is found inside 友盟+SDK; letters
// match whatever their case.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// MaxRunes bounds a phrase: a search is for words, not documents.
const MaxRunes = 200

// TrigramRunes is the shortest phrase a trigram index can find; shorter
// ones are found by reading the texts.
const TrigramRunes = 3

// Phrase is a normalized search phrase.
type Phrase struct {
	text   string // normalized as texts are, on one line
	folded string // text in lower case
}

// Parse normalizes q as texts are normalized (full-width letters and
// digits made ordinary, runs of spaces one space) onto one line: a phrase
// never spans lines.
func Parse(q string) (Phrase, error) {
	text := strings.Join(strings.Fields(normalize.Text(q)), " ")
	if text == "" {
		return Phrase{}, policywatch.Errorl(policywatch.ErrInvalid, "invalid.search.empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxRunes {
		return Phrase{}, policywatch.Errorl(policywatch.ErrInvalid, "invalid.search.long", n, MaxRunes)
	}
	return Phrase{text: text, folded: fold(text)}, nil
}

// String is the phrase as it is searched for.
func (p Phrase) String() string { return p.text }

// Indexed reports whether a trigram index can find the phrase.
func (p Phrase) Indexed() bool { return utf8.RuneCountInString(p.text) >= TrigramRunes }

// Cased reports whether the phrase has letters with a case: one without
// (Chinese, digits) can be found by exact comparison.
func (p Phrase) Cased() bool {
	for _, r := range p.text {
		if unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) {
			return true
		}
	}
	return false
}

// Like is the phrase as a LIKE pattern matching texts containing it, with
// \ escaping the wildcards.
func (p Phrase) Like() string {
	return "%" + likeEscaper.Replace(p.text) + "%"
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Folded is the phrase in lower case, as it is found in a Folded text.
func (p Phrase) Folded() string { return p.folded }

// FoldedLike is the phrase in lower case as a LIKE pattern matching Folded
// texts containing it, with \ escaping the wildcards: a comparison of
// bytes, where ILIKE would lower-case every text it reads.
func (p Phrase) FoldedLike() string {
	return "%" + likeEscaper.Replace(p.folded) + "%"
}

// Folded is text in the case phrases are compared in, for an index to
// keep beside the text: a phrase's Folded form is in it where Lines finds
// the phrase in text.
func Folded(text string) string { return fold(text) }

// FTS5 is the phrase as an SQLite FTS5 query: one quoted phrase, which the
// trigram tokenizer turns into consecutive trigrams (a substring).
func (p Phrase) FTS5() string {
	return `"` + strings.ReplaceAll(p.text, `"`, `""`) + `"`
}

// Match is a line containing the phrase.
type Match struct {
	Line int    // 1-based
	Text string // the line
}

// Lines returns the lines of text (normalized) that contain the phrase, in
// order, each once; numbered as textdiff.Lines numbers them.
func (p Phrase) Lines(text string) []Match {
	folded := fold(text)
	if len(folded) != len(text) {
		// Lower case changed some letters' length: offsets in folded
		// are not offsets in text, but its lines are text's lines.
		return p.linesApart(text, folded)
	}
	var out []Match
	line, lineStart := 1, 0 // the line at lineStart
	for pos := 0; pos < len(folded); {
		i := strings.Index(folded[pos:], p.folded)
		if i < 0 {
			break
		}
		at := pos + i
		line += strings.Count(text[lineStart:at], "\n")
		if nl := strings.LastIndexByte(text[:at], '\n'); nl >= 0 {
			lineStart = nl + 1
		} else {
			lineStart = 0
		}
		end := len(text)
		if nl := strings.IndexByte(text[at:], '\n'); nl >= 0 {
			end = at + nl
		}
		out = append(out, Match{Line: line, Text: text[lineStart:end]})
		pos = end + 1 // the next line
	}
	return out
}

func (p Phrase) linesApart(text, folded string) []Match {
	var out []Match
	lines, foldedLines := strings.Split(text, "\n"), strings.Split(folded, "\n")
	for i, l := range foldedLines {
		if strings.Contains(l, p.folded) {
			out = append(out, Match{Line: i + 1, Text: lines[i]})
		}
	}
	return out
}

// Contains reports whether text contains the phrase.
func (p Phrase) Contains(text string) bool { return strings.Contains(fold(text), p.folded) }

// Mark splits line around the phrase's first occurrence: before, the
// phrase as the line writes it, after. ok is false when the line does not
// contain it.
func (p Phrase) Mark(line string) (before, match, after string, ok bool) {
	folded := fold(line)
	i := strings.Index(folded, p.folded)
	if i < 0 {
		return line, "", "", false
	}
	if len(folded) != len(line) {
		// Offsets differ: find the matching stretch rune by rune.
		return markApart(line, p.folded)
	}
	j := i + len(p.folded)
	return line[:i], line[i:j], line[j:], true
}

// markApart finds the first stretch of line whose lower case is folded.
func markApart(line, folded string) (before, match, after string, ok bool) {
	for i := range line {
		var b strings.Builder
		for j, r := range line[i:] {
			b.WriteString(fold(string(r)))
			if b.Len() >= len(folded) {
				if b.String() == folded {
					end := i + j + utf8.RuneLen(r)
					return line[:i], line[i:end], line[end:], true
				}
				break
			}
		}
	}
	return line, "", "", false
}

// fold is s in lower case, the case both sides of a comparison are put in.
func fold(s string) string { return strings.ToLower(s) }
