package analyze

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata")

// TestGoldenReport: the whole report on one real pair of the development
// set (豆包's privacy policy, 2024-09-05 → 2024-10-14: the Ola Friend
// earphones, a new kind of MAC address, a new permission), in Chinese and
// in English. Any change of wording shows here; go test -update rewrites
// the files after a deliberate one.
func TestGoldenReport(t *testing.T) {
	const pair = "doubao-privacy-policy-2024-10-14"
	oldText := readShared(t, filepath.Join("histories", pair, "old.md"))
	newText := readShared(t, filepath.Join("histories", pair, "new.md"))
	for _, lang := range []string{"zh", "en"} {
		r, err := Compare(oldText, newText, Options{Lang: lang, Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := r.WriteMarkdown(&got, MarkdownOptions{Title: "豆包隐私政策", Heading: true, From: "2024-09-05", To: "2024-10-14",
			LinkTo: "/compare?from=1&to=2"}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join("testdata", pair+"."+lang+".md")
		if *update {
			if err := os.WriteFile(file, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (go test -update writes it)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s report differs from %s:\n%s", lang, file, got.String())
		}
	}
}
