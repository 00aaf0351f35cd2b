package track

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/profile"
	"github.com/policywatch/policywatch/internal/testpages"
)

// TestFactsStoredWithVersions: every version a check, an import or a
// re-extraction records has its facts, matrix row and profiles stored.
func TestFactsStoredWithVersions(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	url := h.site.html("/p", testpages.HTML(capp(t, "WPS"), testpages.Options{}))
	p := h.add(url)
	if o := h.check(p); o.Result != policywatch.ResultFirst {
		t.Fatalf("first check: %+v", o)
	}
	imported, err := h.checker.Import(ctx, ImportRequest{Platform: "导入", Name: "政策", CapturedAt: time.Now().Add(-time.Hour),
		FileName: "p.txt", Body: []byte(capp(t, "KEEP"))})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{h.versions(p)[0].ID, imported.VersionID} {
		vf, err := h.store.FindVersionFacts(ctx, id)
		if err != nil {
			t.Fatalf("version %d: %v", id, err)
		}
		if vf.Rules != profile.RulesVersion {
			t.Errorf("version %d: rules %d", id, vf.Rules)
		}
		fs, err := profile.StoredFacts(vf)
		if err != nil || len(fs) == 0 {
			t.Errorf("version %d: %d facts, %v", id, len(fs), err)
		}
		for _, lang := range []string{"zh", "en"} {
			if prof, err := profile.StoredProfile(vf, lang); err != nil || len(prof.Checks) != 10 {
				t.Errorf("version %d: profile in %s: %v", id, lang, err)
			}
		}
		if _, err := profile.StoredRow(id, vf.Matrix); err != nil {
			t.Error(err)
		}
	}
}

// TestBackfillFacts: versions recorded without facts (a database from
// before they were stored) get them from the back-fill, once.
func TestBackfillFacts(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	p := h.add("https://example.com/none")
	var ids []int64
	for i, name := range []string{"WPS", "KEEP"} {
		text := capp(t, name)
		norm := normalize.Text(text)
		v := &policywatch.Version{PolicyID: p.ID, CapturedAt: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC), Text: text,
			SHA256: normalize.Hash(norm), CompareHash: normalize.Hash(normalize.KeyOfText(norm)),
			Chars: len([]rune(norm)), Extractor: "old", Source: "import"}
		if _, err := h.store.ImportVersion(ctx, nil, v); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := BackfillFacts(ctx, h.store, log)
	if err != nil || n != 2 {
		t.Fatalf("back-fill: %d, %v", n, err)
	}
	for _, id := range ids {
		vf, err := h.store.FindVersionFacts(ctx, id)
		if err != nil {
			t.Fatalf("version %d: %v", id, err)
		}
		if prof, err := profile.StoredProfile(vf, "zh"); err != nil || len(prof.Groups) == 0 {
			t.Errorf("version %d: empty profile (%v)", id, err)
		}
	}
	if n, err := BackfillFacts(ctx, h.store, log); err != nil || n != 0 {
		t.Errorf("second back-fill: %d, %v", n, err)
	}
}
