package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/textdiff"
	"github.com/policywatch/policywatch/internal/track"
)

// benchTexts are the policies the benchmark joins: the CAPP-130 excerpts of
// testdata/ and the demo collection's texts (copies of ../shared/seeds and
// fixtures/zeekr; see ../demo/data/SOURCES.md), all in the repository.
var benchTexts = []string{"testdata/qq.txt", "testdata/kfc.txt", "../demo/data/che300.txt",
	"../demo/data/eyueche.txt", "../demo/data/zeekr-2025-12-31.txt"}

// benchComparePage serves the compare page of a ~100 KB policy (real
// policies joined) whose new version changes 10% of its lines.
func benchComparePage(b *testing.B, cold bool) {
	var lines []string
	total := 0
	for _, name := range benchTexts {
		src, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, line := range strings.Split(normalize.Text(string(src)), "\n") {
			if total >= 100<<10 {
				break
			}
			lines = append(lines, line)
			total += len(line) + 1
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	edited := append([]string{}, lines...)
	for i := range edited {
		if edited[i] != "" && rng.Float64() < 0.1 {
			edited[i] = strings.Replace(edited[i], "我们", "本公司及其关联方", 1) + "（已修订）"
		}
	}
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := track.New(st, fetch.New(fetch.Options{}), nil, track.Options{})
	var ids []int64
	for i, text := range []string{strings.Join(lines, "\n"), strings.Join(edited, "\n")} {
		out, err := c.Import(context.Background(), track.ImportRequest{Platform: "基准", Name: "100KB", FileName: "p.txt",
			CapturedAt: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC), Body: []byte(text)})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, out.VersionID)
	}
	srv, err := New(st, Options{AdminToken: "x"})
	if err != nil {
		b.Fatal(err)
	}
	url := fmt.Sprintf("/compare?from=%d&to=%d", ids[0], ids[1])
	var size int
	for b.Loop() {
		if cold {
			srv.diffs = newMemo[pairKey, textdiff.Result](256)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KB/page")
	b.ReportMetric(float64(len(strings.Join(lines, "\n")))/1024, "KB/policy")
}

func BenchmarkComparePage100KB(b *testing.B)       { benchComparePage(b, true) }
func BenchmarkComparePage100KBCached(b *testing.B) { benchComparePage(b, false) }
