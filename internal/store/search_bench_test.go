package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store/pgtest"
)

// benchPolicies is how many policies the search benchmark loads: the
// CAPP-130 texts repeated, one version each.
const benchPolicies = 2000

// BenchmarkSearch searches the current versions of 2,000 policies (the
// CAPP-130 texts repeated) for a Chinese phrase of four characters, one of
// two (below the trigram index: the texts are read) and an English word,
// one page of hits as /search and the API ask for it (100), on SQLite and
// PostgreSQL; it logs the hits and the index's size.
//
//	go test ./internal/store -run '^$' -bench Search -benchtime 20x
func BenchmarkSearch(b *testing.B) {
	files, _ := filepath.Glob("../../../shared/capp130/policies/*.txt")
	if len(files) == 0 {
		b.Skip("../shared/capp130 not present")
	}
	var texts []string
	for _, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(t))
	}
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{
		{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "bench.db") }},
		{"postgres", pgtest.NewDatabase},
	} {
		b.Run(db.name, func(b *testing.B) {
			s, err := Open(context.Background(), db.dsn(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			start := time.Now()
			loadPolicies(b, s, texts, benchPolicies)
			if s.d.name == "postgres" {
				// As autovacuum leaves it: the GIN index's pending
				// entries merged, statistics for the planner.
				if _, err := s.db.Exec(`VACUUM ANALYZE search_texts`); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: %d policies loaded in %v; %s", db.name, benchPolicies, time.Since(start).Round(time.Millisecond), indexSize(b, s))
			for _, phrase := range []string{"人脸识别", "友盟", "cookie"} {
				b.Run(phrase, func(b *testing.B) {
					var res *policywatch.SearchResult
					for b.Loop() {
						var err error
						if res, err = s.Search(context.Background(), policywatch.SearchQuery{Phrase: phrase}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(len(res.Hits)), "hits")
				})
			}
		})
	}
}

// loadPolicies imports n policies, each with one of texts (in turn) as
// its version, its first line naming the policy so that no two are equal.
func loadPolicies(b *testing.B, s *Store, texts []string, n int) {
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		p := &policywatch.Policy{Platform: fmt.Sprintf("平台%04d", i/5), Name: fmt.Sprintf("隐私政策%d", i),
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
		if err := s.CreatePolicy(ctx, p); err != nil {
			b.Fatal(err)
		}
		text := fmt.Sprintf("第%d号政策\n%s", i, texts[i%len(texts)])
		norm := normalize.Text(text)
		v := &policywatch.Version{PolicyID: p.ID, CapturedAt: at, Text: text, SHA256: normalize.Hash(norm),
			CompareHash: normalize.KeyHash(text), Chars: len([]rune(norm)), Extractor: "bench", Source: policywatch.SourceImport}
		if _, err := s.ImportVersion(ctx, nil, v); err != nil {
			b.Fatal(err)
		}
	}
}

// indexSize says what the search index takes beside the versions' own
// (compressed) texts.
func indexSize(b *testing.B, s *Store) string {
	ctx := context.Background()
	var texts, index, versions int64
	var q string
	if s.d.name == "sqlite" {
		// dbstat: the pages of each table and index.
		q = `SELECT
			(SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_texts')),
			(SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_index%'),
			(SELECT sum(pgsize) FROM dbstat WHERE name IN ('versions'))`
	} else {
		// search_texts: the texts and their folded copies.
		q = `SELECT pg_table_size('search_texts'), pg_relation_size('search_texts_folded_trgm'), pg_table_size('versions')`
	}
	if err := s.read().row(ctx, q).Scan(&texts, &index, &versions); err != nil {
		return fmt.Sprintf("sizes unknown: %v", err)
	}
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	return fmt.Sprintf("versions %.1f MB, search texts %.1f MB, trigram index %.1f MB", mb(versions), mb(texts), mb(index))
}
