package analyze

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// pair100KB builds a realistic revision of about 100 KB of real policy
// text (CAPP-130 policies joined): one line in ten is edited (a sentence
// added or dropped, a third party or a kind of information put in, a word
// changed), a few paragraphs are inserted, deleted or moved.
func pair100KB(b *testing.B) (string, string) {
	b.Helper()
	dir := filepath.Join(shared, "capp130/policies")
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Skipf("../shared not available: %v", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var lines []string
	size := 0
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(string(raw), "\n") {
			lines = append(lines, l)
			size += len(l) + 1
		}
		if size >= 100_000 {
			break
		}
	}
	rng := rand.New(rand.NewPCG(4, 2))
	edits := []func(string) string{
		func(l string) string {
			return l + "我们还会收集您的人脸信息和精确位置信息，用于身份核验。"
		},
		func(l string) string {
			return l + "我们会将上述信息共享给北京示例数据科技有限公司，用于广告投放。"
		},
		func(l string) string { return strings.Replace(l, "我们", "本公司", 1) },
		func(l string) string {
			if i := strings.Index(l, "。"); i > 0 {
				return l[:i+len("。")]
			}
			return l
		},
		func(l string) string { return strings.Replace(l, "不会", "可能会", 1) },
	}
	var edited []string
	var moved []string
	for i, l := range lines {
		switch r := rng.IntN(100); {
		case l == "":
			edited = append(edited, l)
		case r < 10:
			edited = append(edited, edits[rng.IntN(len(edits))](l))
		case r < 11:
			// deleted
		case r < 12:
			edited = append(edited, l, "为向您提供新的会员服务，我们将在您同意后读取您的通讯录。")
		case r < 13 && i > 10:
			moved = append(moved, l)
		default:
			edited = append(edited, l)
		}
	}
	edited = append(edited, moved...)
	return strings.Join(lines, "\n"), strings.Join(edited, "\n")
}

// BenchmarkAnalyze100KB is the built-in analysis of a 100 KB pair: diff,
// sentence classification, facts of both versions, rules and report.
func BenchmarkAnalyze100KB(b *testing.B) {
	oldText, newText := pair100KB(b)
	r, err := Compare(oldText, newText, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compare(oldText, newText, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Changes)), "changes")
}
