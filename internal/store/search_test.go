package store

import (
	"context"
	"fmt"
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

// A PostgreSQL database made before the search texts had folded copies:
// opening it fills them, builds their index and finds phrases in any
// case, short ones too, hit lines as the texts write them.
func TestSearchBackfillFolded(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	s := open(t, dsn)
	const n = backfillBatch + 3
	for i := range n {
		addVersion(t, s, "平台"+string(rune('a'+i%26))+string(rune('a'+i/26)), "我们使用 Cookie 和人脸识别。\nÉCRAN Öffentlich")
	}
	// As migration 0010 left it: no copies, the index on the texts.
	for _, q := range []string{
		`DROP INDEX search_texts_folded_trgm`,
		`ALTER TABLE search_texts DROP COLUMN folded`,
		`CREATE INDEX search_texts_trgm ON search_texts USING gin (body gin_trgm_ops) WITH (fastupdate = off)`,
		`DELETE FROM schema_migrations WHERE name IN ('migrations/0011_search_folded.sql', 'backfill/search_folded')`,
	} {
		if _, err := s.exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	s = open(t, dsn)
	var unfolded int
	if err := s.read().row(ctx, `SELECT count(*) FROM search_texts WHERE folded IS NULL`).Scan(&unfolded); err != nil || unfolded != 0 {
		t.Errorf("%d texts without their folded copy (%v)", unfolded, err)
	}
	var indexes int
	if err := s.read().row(ctx, `SELECT count(*) FROM pg_indexes WHERE tablename = 'search_texts' AND indexdef LIKE '%gin (folded gin_trgm_ops)%'`).Scan(&indexes); err != nil || indexes != 1 {
		t.Errorf("%d trigram indexes of the folded copies (%v)", indexes, err)
	}
	for _, phrase := range []string{"cookie", "COOKIE", "人脸识别", "识别", "écran", "öf", "É"} {
		if got := countHits(t, s, phrase); got != n {
			t.Errorf("%s: %d hits after the back-fill, want %d", phrase, got, n)
		}
	}
	res, err := s.Search(ctx, policywatch.SearchQuery{Phrase: "cookie", Limit: 1})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Text != "我们使用 Cookie 和人脸识别。" {
		t.Errorf("hit %+v (%v), want the line as written", res, err)
	}
}

// More versions than the first stretches a phrase is looked for in by
// reading them: pages of hits, short phrases and long, common and not,
// follow one another without a hit missed or repeated.
func TestSearchStretches(t *testing.T) {
	bothDatabases(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		const n = 2*firstStretch + 50
		want := map[string]int{"友盟": 0, "友盟sdk": 0, "号政策": n}
		for i := range n {
			text := fmt.Sprintf("第%d号政策\n我们不接入第三方工具。", i)
			if i%3 == 0 {
				text = fmt.Sprintf("第%d号政策\n我们接入友盟SDK。\n友盟负责统计。", i)
				want["友盟"] += 2
				want["友盟sdk"]++
			}
			addVersion(t, s, fmt.Sprintf("平台%03d", i), text)
		}
		for phrase, count := range want {
			all, err := s.Search(ctx, policywatch.SearchQuery{Phrase: phrase, Limit: policywatch.MaxSearchLimit})
			if err != nil {
				t.Fatal(err)
			}
			if len(all.Hits) != count || all.More {
				t.Fatalf("%s: %d hits (more %v), want %d", phrase, len(all.Hits), all.More, count)
			}
			var paged []policywatch.SearchHit
			for off := 0; ; off += 37 {
				page, err := s.Search(ctx, policywatch.SearchQuery{Phrase: phrase, Limit: 37, Offset: off})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, page.Hits...)
				if !page.More {
					break
				}
			}
			if len(paged) != count {
				t.Fatalf("%s: %d hits in pages, want %d", phrase, len(paged), count)
			}
			for i := range paged {
				if paged[i].VersionID != all.Hits[i].VersionID || paged[i].Line != all.Hits[i].Line {
					t.Fatalf("%s: hit %d is %+v in pages, %+v in one", phrase, i, paged[i], all.Hits[i])
				}
				if i > 0 && paged[i].Platform < paged[i-1].Platform {
					t.Fatalf("%s: hit %d on %s after %s", phrase, i, paged[i].Platform, paged[i-1].Platform)
				}
			}
		}
	})
}
