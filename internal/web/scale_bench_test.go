package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/profile"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
)

// The pages that list many policies, at 2,000 policies: server time of
// one request (handler and store, no network) to each, over a database
// built once per run from the 130 CAPP-130 policies (../shared).
//
//	go test ./internal/web -run '^$' -bench 'Pages2000' -benchtime 20x

const scalePolicies = 2000

// scaleEdits make a policy's later versions: the second adds device
// information, the third face recognition (sensitive).
var scaleEdits = []string{"",
	"\n为保障账号安全，我们会收集您的设备型号、操作系统版本和唯一设备识别码。",
	"\n为核验您的身份，我们会收集您的人脸识别特征，并与第三方认证机构共享。"}

// scaleText is one distinct text of the fixture, with what the store keeps
// of it, made once however many policies share it.
type scaleText struct {
	text  string
	facts *policywatch.VersionFacts
}

// buildScaleStore fills st with scalePolicies policies on 400 platforms:
// a third with one version, a third with two, a third with three (each
// change analysed), every version's facts stored as a check stores them.
func buildScaleStore(b *testing.B, st policywatch.Store) {
	names, err := testpages.PolicyNames()
	if err != nil {
		b.Skip(err)
	}
	ctx := context.Background()
	start := time.Now()
	texts := make([][]scaleText, len(names))
	reports := make([][]*policywatch.Analysis, len(names)) // by base, then change (1, 2)
	for i, name := range names {
		base, err := testpages.Policy(name)
		if err != nil {
			b.Fatal(err)
		}
		text := base
		for j, edit := range scaleEdits {
			text += edit
			vf, err := profile.Stored(0, text, start)
			if err != nil {
				b.Fatal(err)
			}
			texts[i] = append(texts[i], scaleText{text: text, facts: vf})
			if j == 0 {
				reports[i] = append(reports[i], nil)
				continue
			}
			report, err := analyze.Builtin{}.Analyze(ctx, texts[i][j-1].text, text, analyze.Options{Lang: "zh"})
			if err != nil {
				b.Fatal(err)
			}
			body, _ := json.Marshal(report)
			reports[i] = append(reports[i], &policywatch.Analysis{Engine: report.Engine, Lang: report.Lang,
				Level: report.Level, Summary: report.Summary, Report: body, AnalyzedAt: report.AnalyzedAt})
		}
	}
	prepared := time.Since(start)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := range scalePolicies {
		base := n % len(names)
		p := &policywatch.Policy{Platform: fmt.Sprintf("平台%03d", n%400), Name: fmt.Sprintf("%s隐私政策%04d", names[base], n),
			URL: fmt.Sprintf("https://p%04d.example.com/privacy", n), Kind: policywatch.KindPrivacy,
			Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(ctx, p); err != nil {
			b.Fatal(err)
		}
		var prev int64
		for j := range n%3 + 1 {
			text := texts[base][j]
			norm := normalize.Text(text.text)
			v := &policywatch.Version{PolicyID: p.ID, CapturedAt: t0.Add(time.Duration(n)*time.Minute + time.Duration(j)*30*24*time.Hour),
				Text: text.text, SHA256: normalize.Hash(norm), CompareHash: normalize.KeyHash(text.text),
				Chars: len([]rune(norm)), Extractor: "bench", Source: policywatch.SourceImport}
			if _, err := st.ImportVersion(ctx, nil, v); err != nil {
				b.Fatal(err)
			}
			vf := *text.facts
			vf.VersionID = v.ID
			if err := st.SaveVersionFacts(ctx, &vf); err != nil {
				b.Fatal(err)
			}
			if j > 0 {
				a := *reports[base][j]
				a.FromVersion, a.ToVersion = prev, v.ID
				if err := st.SaveAnalysis(ctx, &a); err != nil {
					b.Fatal(err)
				}
			}
			prev = v.ID
		}
	}
	b.Logf("fixture: %d policies from %d texts; texts prepared in %v, stored in %v", scalePolicies, len(names),
		prepared.Round(time.Millisecond), (time.Since(start) - prepared).Round(time.Millisecond))
}

// benchScalePages measures each page over the fixture in st. Pages of one
// policy go round the policies with three versions, so that every request
// finds the diff cache cold, as a visitor would.
func benchScalePages(b *testing.B, st policywatch.Store) {
	srv, err := New(st, Options{AdminToken: "x"})
	if err != nil {
		b.Fatal(err)
	}
	keys, err := st.ListPolicyKeys(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var threeVersions []int64
	for _, k := range keys {
		var n int
		fmt.Sscanf(k.Name[strings.LastIndex(k.Name, "政策")+len("政策"):], "%d", &n)
		if n%3 == 2 {
			threeVersions = append(threeVersions, k.ID)
		}
	}
	round := func(format string) func(i int) string {
		return func(i int) string { return fmt.Sprintf(format, threeVersions[i%len(threeVersions)]) }
	}
	fixed := func(path string) func(int) string { return func(int) string { return path } }
	pages := []struct {
		name string
		path func(i int) string
	}{
		{"home", fixed("/")},
		{"home-page10", fixed("/?page=10")},
		{"home-search", fixed("/?q=" + url.QueryEscape("QQ"))},
		{"matrix", fixed("/matrix")},
		{"changes", fixed("/changes")},
		{"changes-major", fixed("/changes?level=major")},
		{"changes-platform", fixed("/changes?platform=" + url.QueryEscape("平台123"))},
		{"changes-page20", fixed("/changes?page=20")},
		{"platform", fixed("/platforms/" + url.PathEscape("平台123"))},
		{"policy", round("/policies/%d")},
		{"profile", round("/policies/%d/profile")},
		{"api-changes", fixed("/api/v1/changes")},
		// Full-text search, once the server has it (skipped while /search is not a route).
		{"search", fixed("/search?q=" + url.QueryEscape("人脸识别"))},
	}
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			var size, i int
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, httptest.NewRequest("GET", pg.path(i), nil))
				if w.Code == 404 && pg.name == "search" {
					b.Skip("no /search on this server")
				}
				if w.Code != 200 {
					b.Fatalf("%s: status %d", pg.path(i), w.Code)
				}
				size = w.Body.Len()
				i++
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
}

// BenchmarkPages2000SQLite builds its database in a temporary folder, or
// keeps it at $POLICYWATCH_BENCH_DB and reuses it from there next time.
func BenchmarkPages2000SQLite(b *testing.B) {
	path := os.Getenv("POLICYWATCH_BENCH_DB")
	reuse := path != ""
	if !reuse {
		path = filepath.Join(b.TempDir(), "scale.db")
	} else if _, err := os.Stat(path); err != nil {
		reuse = false
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if !reuse {
		buildScaleStore(b, st)
	}
	benchScalePages(b, st)
}

func BenchmarkPages2000Postgres(b *testing.B) {
	st, err := store.Open(context.Background(), pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	buildScaleStore(b, st)
	benchScalePages(b, st)
}
