package store

import (
	"context"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store/pgtest"
)

// bothDatabases runs fn on a new SQLite file and a new PostgreSQL database.
func bothDatabases(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.NewDatabase(t)) })
}

func addVersion(t *testing.T, s *Store, platform, text string) *policywatch.Version {
	t.Helper()
	ctx := context.Background()
	p := &policywatch.Policy{Platform: platform, Name: "隐私政策", Kind: policywatch.KindPrivacy,
		Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
	if err := s.CreatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	norm := normalize.Text(text)
	v := &policywatch.Version{PolicyID: p.ID, CapturedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Text: text,
		SHA256: normalize.Hash(norm), CompareHash: normalize.KeyHash(text), Chars: len([]rune(norm)),
		Extractor: "test", Source: policywatch.SourceImport}
	if _, err := s.ImportVersion(ctx, nil, v); err != nil {
		t.Fatal(err)
	}
	return v
}

func countHits(t *testing.T, s *Store, phrase string) int {
	t.Helper()
	res, err := s.Search(context.Background(), policywatch.SearchQuery{Phrase: phrase, AllVersions: true, Limit: policywatch.MaxSearchLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Hits)
}

// A database made before the search index: opening it indexes the
// versions it has, once.
func TestSearchBackfill(t *testing.T) {
	bothDatabases(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		for i := range 2*backfillBatch + 3 {
			addVersion(t, s, "平台"+string(rune('a'+i%26))+string(rune('a'+i/26)), "我们使用人脸识别技术。")
		}
		// As before the index: no texts, no record of the back-fill.
		for _, q := range []string{`DELETE FROM search_texts`, `DELETE FROM schema_migrations WHERE name = 'backfill/search_texts'`} {
			if _, err := s.exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if n := countHits(t, s, "人脸识别"); n != 0 {
			t.Fatalf("%d hits with the index emptied", n)
		}
		s.Close()
		s = open(t, dsn)
		if n := countHits(t, s, "人脸识别"); n != 2*backfillBatch+3 {
			t.Errorf("%d hits after the back-fill, want %d", n, 2*backfillBatch+3)
		}
		if n := countHits(t, s, "识别"); n != 2*backfillBatch+3 {
			t.Errorf("%d hits of a short phrase after the back-fill, want %d", n, 2*backfillBatch+3)
		}
	})
}

// Deleting a policy deletes its versions' texts from the index.
func TestSearchForgetsDeletedVersions(t *testing.T) {
	bothDatabases(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		gone := addVersion(t, s, "甲", "我们接入友盟SDK。")
		addVersion(t, s, "乙", "我们也接入友盟SDK。")
		if _, err := s.exec(ctx, `DELETE FROM policies WHERE id = $1`, gone.PolicyID); err != nil {
			t.Fatal(err)
		}
		for _, phrase := range []string{"友盟SDK", "友盟"} {
			if n := countHits(t, s, phrase); n != 1 {
				t.Errorf("%s: %d hits after deleting one of two policies", phrase, n)
			}
		}
		var texts int
		if err := s.read().row(ctx, `SELECT count(*) FROM search_texts`).Scan(&texts); err != nil || texts != 1 {
			t.Errorf("%d texts indexed (%v), want 1", texts, err)
		}
	})
}
