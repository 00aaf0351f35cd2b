package textdiff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
)

// rebuild applies rows: the old text from the rows that have an old line
// (in old-line order), the new text from those that have a new line (in row
// order). It fails the test when numbering is broken.
func rebuild(t testing.TB, rows []Row) (oldLines, newLines []string) {
	t.Helper()
	type numbered struct {
		no   int
		text string
	}
	var olds []numbered
	lastNew, lastOld := 0, 0
	for i, r := range rows {
		if r.OldNo > 0 {
			olds = append(olds, numbered{r.OldNo, r.Old})
			if r.Op != Move {
				if r.OldNo <= lastOld {
					t.Fatalf("row %d: old line %d out of order after %d", i, r.OldNo, lastOld)
				}
				lastOld = r.OldNo
			}
		}
		if r.NewNo > 0 {
			if r.NewNo != lastNew+1 {
				t.Fatalf("row %d: new line %d follows %d", i, r.NewNo, lastNew)
			}
			lastNew = r.NewNo
			newLines = append(newLines, r.New)
		}
		checkRow(t, i, r)
	}
	slices.SortFunc(olds, func(a, b numbered) int { return a.no - b.no })
	for i, o := range olds {
		if o.no != i+1 {
			t.Fatalf("old lines numbered %d where %d expected", o.no, i+1)
		}
		oldLines = append(oldLines, o.text)
	}
	return oldLines, newLines
}

// checkRow asserts a row's shape: which sides it has, and spans in bounds.
func checkRow(t testing.TB, i int, r Row) {
	t.Helper()
	hasOld, hasNew := r.OldNo > 0, r.NewNo > 0
	switch r.Op {
	case Equal:
		if !hasOld || !hasNew || r.Old != r.New {
			t.Fatalf("row %d: bad equal row %+v", i, r)
		}
	case Insert:
		if hasOld || !hasNew || r.Old != "" {
			t.Fatalf("row %d: bad insert row %+v", i, r)
		}
	case Delete:
		if !hasOld || hasNew || r.New != "" {
			t.Fatalf("row %d: bad delete row %+v", i, r)
		}
	case Replace, Move:
		if !hasOld || !hasNew {
			t.Fatalf("row %d: %s row lacks a side %+v", i, r.Op, r)
		}
	default:
		t.Fatalf("row %d: unknown op %q", i, r.Op)
	}
	for _, s := range r.Spans {
		text := r.Old
		if s.Side == New {
			text = r.New
		}
		if s.Start < 0 || s.End <= s.Start || s.End > len([]rune(text)) {
			t.Fatalf("row %d: span %+v out of bounds of %q", i, s, text)
		}
	}
}

func assertRebuilds(t testing.TB, oldText, newText string, res Result) {
	t.Helper()
	o, n := rebuild(t, res.Rows)
	if want := Lines(normalize.Text(oldText)); !slices.Equal(o, want) {
		t.Fatalf("old text not rebuilt: %d lines, want %d", len(o), len(want))
	}
	if want := Lines(normalize.Text(newText)); !slices.Equal(n, want) {
		t.Fatalf("new text not rebuilt: %d lines, want %d", len(n), len(want))
	}
}

func zeekr(t testing.TB) (string, string) {
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	a, err1 := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-11-10.txt"))
	b, err2 := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt"))
	if err1 != nil || err2 != nil {
		t.Skip("zeekr fixtures missing")
	}
	return string(a), string(b)
}

func spanText(r Row, s Span) string {
	text := r.Old
	if s.Side == New {
		text = r.New
	}
	return string([]rune(text)[s.Start:s.End])
}

func TestZeekrPairMarksOnlyTheOperatorNames(t *testing.T) {
	a, b := zeekr(t)
	res := Compare(a, b)
	assertRebuilds(t, a, b, res)
	var changed []Row
	for _, r := range res.Rows {
		if r.Changed() {
			changed = append(changed, r)
		}
	}
	if len(changed) != 1 {
		t.Fatalf("%d changed rows, want 1: %+v", len(changed), changed)
	}
	r := changed[0]
	if r.Op != Replace || r.OldNo != 147 || r.NewNo != 147 || r.Formatting {
		t.Fatalf("changed row: %+v", r)
	}
	var got []string
	for _, s := range r.Spans {
		got = append(got, string(s.Side)+":"+spanText(r, s))
	}
	want := []string{"old:浩物网络科技", "new:吉利汽车备件"}
	if !slices.Equal(got, want) {
		t.Errorf("spans = %v, want %v", got, want)
	}
	if res.Stats != (Stats{Modified: 1, Unchanged: len(res.Rows) - 1}) {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestMovedParagraphIsOneMove(t *testing.T) {
	src := policy(t, "KEEP")
	lines := strings.Split(normalize.Text(src), "\n")
	// Move a long paragraph from near the top to near the end.
	from := -1
	for i := 10; i < len(lines); i++ {
		if len([]rune(lines[i])) > 60 {
			from = i
			break
		}
	}
	moved := lines[from]
	edited := append(append([]string{}, lines[:from]...), lines[from+1:]...)
	to := len(edited) - 5
	edited = append(edited[:to], append([]string{moved}, edited[to:]...)...)
	newText := strings.Join(edited, "\n")

	res := Compare(src, newText)
	assertRebuilds(t, src, newText, res)
	if res.Stats.Moved != 1 || res.Stats.Added != 0 || res.Stats.Removed != 0 || res.Stats.Modified != 0 {
		t.Fatalf("stats = %+v, want exactly one move", res.Stats)
	}
	for _, r := range res.Rows {
		if r.Op == Move && (r.OldNo != from+1 || r.New != moved || len(r.Spans) != 0) {
			t.Errorf("move row %+v", r)
		}
	}
}

func TestMovedAndEditedParagraph(t *testing.T) {
	para := "我们会在您使用相关服务时收集您的设备信息，包括设备型号、操作系统版本、设备标识符。"
	edited := "我们会在您使用相关服务时收集您的设备信息，包括设备型号、操作系统版本、设备标识符和IP地址。"
	old := "第一段，开头。\n" + para + "\n第三段，中间的内容。\n第四段，另一些内容。\n第五段，结尾。\n"
	neu := "第一段，开头。\n第三段，中间的内容。\n第四段，另一些内容。\n" + edited + "\n第五段，结尾。\n"
	res := Compare(old, neu)
	assertRebuilds(t, old, neu, res)
	if res.Stats.Moved != 1 || res.Stats.Added+res.Stats.Removed != 0 {
		t.Fatalf("stats %+v", res.Stats)
	}
	for _, r := range res.Rows {
		if r.Op == Move {
			if len(r.Spans) != 1 || spanText(r, r.Spans[0]) != "和IP地址" {
				t.Errorf("spans of the edited move: %+v", r.Spans)
			}
		}
	}
}

func TestFormattingOnlyEdits(t *testing.T) {
	old := "一、我们如何收集\n\n我们会收集您的手机号码，用于注册和登录。我们不会出售您的信息。\n\n二、联系我们\n"
	neu := "一、 我们如何收集\n\n我们会收集您的手机号码， 用于注册和登录。\n我们不会出售您的信息。\n\n\n二、联系我们\n"
	res := Compare(old, neu)
	assertRebuilds(t, old, neu, res)
	if len(res.Blocks(false)) == 0 {
		t.Fatal("no change found at all")
	}
	if blocks := res.Blocks(true); len(blocks) != 0 {
		t.Errorf("formatting-only edits left %d changes when formatting is ignored: %+v", len(blocks), res.Rows)
	}
	for _, r := range res.Rows {
		if r.Changed() && !r.Formatting {
			t.Errorf("row not flagged as formatting: %+v", r)
		}
	}
	// A real change next to a formatting change is still a change.
	neu2 := strings.Replace(neu, "手机号码", "身份证号码", 1)
	if len(Compare(old, neu2).Blocks(true)) == 0 {
		t.Error("a word change was hidden as formatting")
	}
}

func TestWordLevelSpansForLatinText(t *testing.T) {
	res := Compare("We collect your email address to send receipts.\n", "We collect your phone number to send receipts.\n")
	r := res.Rows[0]
	if r.Op != Replace {
		t.Fatalf("%+v", r)
	}
	var got []string
	for _, s := range r.Spans {
		got = append(got, string(s.Side)+":"+spanText(r, s))
	}
	if want := []string{"old:email address", "new:phone number"}; !slices.Equal(got, want) {
		t.Errorf("spans %v, want %v", got, want)
	}
}

func TestInsertDeleteAndEqual(t *testing.T) {
	same := Compare("甲\n乙\n", "甲\n乙\n")
	if same.Stats != (Stats{Unchanged: 2}) {
		t.Errorf("equal texts: %+v", same.Stats)
	}
	res := Compare("甲。\n乙。\n丙。\n", "甲。\n新增的一条完全不同的规定。\n丙。\n丁。\n")
	assertRebuilds(t, "甲。\n乙。\n丙。\n", "甲。\n新增的一条完全不同的规定。\n丙。\n丁。\n", res)
	if res.Stats.Added != 2 || res.Stats.Removed != 1 || res.Stats.Modified != 0 {
		t.Errorf("stats %+v", res.Stats)
	}
	if empty := Compare("", "一行\n"); empty.Stats != (Stats{Added: 1}) {
		t.Errorf("from nothing: %+v", empty.Stats)
	}
}

func TestRandomEditsRebuild(t *testing.T) {
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range names[:30] {
		src := policy(t, name)
		edited := editLines(rng, Lines(normalize.Text(src)), 0.3)
		newText := strings.Join(edited, "\n")
		res := Compare(src, newText)
		assertRebuilds(t, src, newText, res)
	}
}

// editLines changes about share of the lines: edits inside a line, deletions,
// insertions of other text, and a few moves.
func editLines(rng *rand.Rand, lines []string, share float64) []string {
	var out []string
	var carried []string
	for _, l := range lines {
		if rng.Float64() >= share {
			out = append(out, l)
			continue
		}
		switch rng.IntN(5) {
		case 0, 1: // edit a few characters
			rs := []rune(l)
			if len(rs) > 4 {
				i := rng.IntN(len(rs) - 2)
				rs = append(rs[:i], append([]rune("修订内容"), rs[i+2:]...)...)
			}
			out = append(out, string(rs))
		case 2: // delete
		case 3: // insert a new line before it
			out = append(out, fmt.Sprintf("新增条款第%d条：我们可能会向合作伙伴提供必要的信息。", rng.IntN(1000)), l)
		case 4: // carry it further down
			carried = append(carried, l)
		}
		if len(carried) > 0 && rng.IntN(8) == 0 {
			out = append(out, carried...)
			carried = nil
		}
	}
	return append(out, carried...)
}

func policy(t testing.TB, name string) string {
	s, err := testpages.Policy(name)
	if err != nil {
		t.Skip(err)
	}
	return s
}

func FuzzCompare(f *testing.F) {
	f.Add("甲\n乙\n丙\n", "甲\n丁\n丙\n")
	f.Add("我们会收集您的手机号码。\n\n联系我们\n", "联系我们\n\n我们会收集您的手机号码和身份证号码。\n")
	f.Add("a\n\n\nb", "b\na")
	f.Add("", "x")
	f.Add("We collect email.\nWe keep it 30 days.", "We keep it 90 days.\nWe collect email.")
	f.Add("甲\n我们会收集\n乙", "甲\n我们会收集您的手机号码\n乙")
	f.Add("甲\nabc\n乙", "甲\nabcd\n乙")
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		res := Compare(oldText, newText)
		assertRebuilds(t, oldText, newText, res)
		if s := res.Stats; s.Added+s.Removed+s.Modified+s.Moved+s.Unchanged+s.Formatting != len(res.Rows) {
			t.Fatalf("stats %+v do not add up to %d rows", s, len(res.Rows))
		}
	})
}

// largePair builds a ~1 MB pair from the CAPP-130 policies with 30% of the
// lines edited, deleted, inserted or moved.
func largePair(b testing.TB) (string, string) {
	names, err := testpages.PolicyNames()
	if err != nil {
		b.Skip(err)
	}
	var lines []string
	size := 0
	for i := 0; size < 1<<20; i++ {
		src, _ := testpages.Policy(names[i%len(names)])
		for _, l := range Lines(normalize.Text(src)) {
			lines = append(lines, l)
			size += len(l) + 1
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	return strings.Join(lines, "\n") + "\n", strings.Join(editLines(rng, lines, 0.3), "\n") + "\n"
}

func TestLargePairIsFastAndCorrect(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	a, b := largePair(t)
	res := Compare(a, b)
	assertRebuilds(t, a, b, res)
	if res.Stats.Modified == 0 || res.Stats.Moved == 0 || res.Stats.Added == 0 {
		t.Errorf("stats %+v", res.Stats)
	}
}

// BenchmarkCompare1MB: the engine alone on a ~1 MB pair with 30% of lines
// changed.
func BenchmarkCompare1MB(b *testing.B) {
	a, c := largePair(b)
	b.SetBytes(int64(len(a)))
	for b.Loop() {
		Compare(a, c)
	}
}

// WriteLargePair writes the benchmark pair for comparisons with other tools
// (scripts/bench-diff.sh).
func TestWriteLargePair(t *testing.T) {
	dir := os.Getenv("POLICYWATCH_WRITE_PAIR")
	if dir == "" {
		t.Skip("set POLICYWATCH_WRITE_PAIR=dir to write the benchmark pair")
	}
	a, b := largePair(t)
	os.WriteFile(filepath.Join(dir, "old.txt"), []byte(a), 0o644)
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte(b), 0o644)
}

func TestIsWordRuneFastPathAgrees(t *testing.T) {
	slow := func(r rune) bool {
		if r < 0x80 {
			return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		}
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return false
		}
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFFEF {
			// In these blocks the fast path says "not a word letter": Chinese
			// and Korean characters are tokens of their own, as are the
			// few letters of the width-form block that survive NFKC.
			continue
		}
		if isWordRune(r) != slow(r) {
			t.Fatalf("isWordRune(%U) differs", r)
		}
	}
}
