package search

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

func mustParse(t *testing.T, q string) Phrase {
	t.Helper()
	p, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return p
}

func TestParse(t *testing.T) {
	tests := []struct {
		q, want        string
		indexed, cased bool
		like, fts5     string
	}{
		{"人脸识别", "人脸识别", true, false, "%人脸识别%", `"人脸识别"`},
		{" 友盟 ", "友盟", false, false, "%友盟%", `"友盟"`},
		{"ＳＤＫ", "SDK", true, true, "%SDK%", `"SDK"`},
		{"face\n  id", "face id", true, true, "%face id%", `"face id"`},
		{`100%_\ "x"`, `100%_\ "x"`, true, true, `%100\%\_\\ "x"%`, `"100%_\ ""x"""`},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.q)
		if p.String() != tt.want || p.Indexed() != tt.indexed || p.Cased() != tt.cased || p.Like() != tt.like || p.FTS5() != tt.fts5 {
			t.Errorf("Parse(%q) = %q indexed %v cased %v like %q fts5 %q", tt.q, p, p.Indexed(), p.Cased(), p.Like(), p.FTS5())
		}
	}
	for _, q := range []string{"", " \n\t", strings.Repeat("字", MaxRunes+1)} {
		if _, err := Parse(q); !policywatch.IsClass(err, policywatch.ErrInvalid) {
			t.Errorf("Parse(%q): %v, want invalid", q, err)
		}
	}
}

// A phrase's folded form is in a text's folded copy exactly where Lines
// finds the phrase: what lets an index keep texts folded.
func TestFolded(t *testing.T) {
	tests := []struct {
		q, folded, like string
	}{
		{"人脸识别", "人脸识别", "%人脸识别%"},
		{"ＳＤＫ", "sdk", "%sdk%"},
		{"Face ID", "face id", "%face id%"},
		{"ÉCRAN", "écran", "%écran%"},
		{`100%_\ X`, `100%_\ x`, `%100\%\_\\ x%`},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.q)
		if p.Folded() != tt.folded || p.FoldedLike() != tt.like {
			t.Errorf("Parse(%q): folded %q like %q, want %q %q", tt.q, p.Folded(), p.FoldedLike(), tt.folded, tt.like)
		}
	}
	text := "第一行 Cookie\n第二行 ÉCRAN 与 SDK\n友盟"
	for _, q := range []string{"cookie", "COOKIE", "écran", "Sdk", "友盟", "行 c", "absent"} {
		p := mustParse(t, q)
		if in, lines := strings.Contains(Folded(text), p.Folded()), len(p.Lines(text)) > 0; in != lines {
			t.Errorf("%q: in the folded text %v, lines found %v", q, in, lines)
		}
	}
}

// reference is Lines by definition: each numbered line of the text,
// lower-cased, containing the phrase lower-cased.
func reference(p Phrase, text string) []Match {
	var out []Match
	for i, l := range textdiff.Lines(text) {
		if strings.Contains(strings.ToLower(l), strings.ToLower(p.String())) {
			out = append(out, Match{Line: i + 1, Text: l})
		}
	}
	return out
}

func TestLines(t *testing.T) {
	texts := []string{
		"",
		"人脸识别",
		"# 标题\n\n我们使用人脸识别和人脸识别。\n\n人脸识别\n",
		"Face ID\nface id\nFACE  ID\nno\n",
		"İstanbul FACE ID\nface id", // İ lower-cases to two bytes more
		"\n\n\n友盟\n\n友盟+SDK",
	}
	phrases := []string{"人脸识别", "face id", "友盟", "\n", "sdk", "istanbul"}
	for _, text := range texts {
		for _, q := range phrases {
			p, err := Parse(q)
			if err != nil {
				continue
			}
			if got, want := p.Lines(text), reference(p, text); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Lines(%q, %q) = %v, want %v", q, text, got, want)
			}
		}
	}
	if got := mustParse(t, "人脸识别").Lines(texts[2]); len(got) != 2 || got[0].Line != 3 || got[1].Line != 5 {
		t.Errorf("one hit per line, blank lines counted: %v", got)
	}
}

// Over real policies, Lines agrees with its definition for phrases of each
// kind.
func TestLinesCAPP130(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/capp130/policies/*.txt")
	if len(files) == 0 {
		t.Skip("../shared/capp130 not present")
	}
	phrases := []string{"人脸识别", "友盟", "信息", "SDK", "id", "第三方", "。"}
	for _, f := range files[:min(len(files), 30)] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := normalize.Text(string(b))
		for _, q := range phrases {
			p := mustParse(t, q)
			if got, want := p.Lines(text), reference(p, text); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, %q: %d hits, want %d", filepath.Base(f), q, len(got), len(want))
			}
		}
	}
}

func TestMark(t *testing.T) {
	tests := []struct{ q, line, before, match, after string }{
		{"face id", "We use Face ID here", "We use ", "Face ID", " here"},
		{"人脸", "使用人脸识别", "使用", "人脸", "识别"},
		{"istanbul", "in İstanbul.", "in ", "İstanbul", "."},
		{"友盟", "no match", "no match", "", ""},
	}
	for _, tt := range tests {
		b, m, a, ok := mustParse(t, tt.q).Mark(tt.line)
		if b != tt.before || m != tt.match || a != tt.after || ok != (tt.match != "") {
			t.Errorf("Mark(%q, %q) = %q %q %q %v", tt.q, tt.line, b, m, a, ok)
		}
	}
}
