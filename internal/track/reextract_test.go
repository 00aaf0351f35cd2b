package track

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
)

// TestReextract: a version made by an older extractor is extracted again
// from its snapshot; the new text is recorded as a technical version that is
// not a change, and the next check compares with it.
func TestReextract(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	page := testpages.HTML(capp(t, "WPS"), testpages.Options{Chrome: true})
	url := h.site.html("/p", page)
	p := h.add(url)

	// What an older extractor made of this page: the site's menu kept in.
	old := "首页 产品 下载 关于我们\n" + capp(t, "WPS")
	norm := normalize.Text(old)
	v := &policywatch.Version{PolicyID: p.ID, CapturedAt: time.Now().Add(-time.Hour), Text: old,
		SHA256: normalize.Hash(norm), CompareHash: normalize.Hash(normalize.KeyOfText(norm)),
		Chars: len([]rune(norm)), Extractor: "old", Source: "check"}
	snap := &policywatch.Snapshot{URL: url, FetchedAt: v.CapturedAt, HTTPStatus: 200,
		ContentType: "text/html; charset=utf-8", SHA256: normalize.Hash(page), Renderer: "http", Body: []byte(page)}
	if _, err := h.store.ImportVersion(ctx, snap, v); err != nil {
		t.Fatal(err)
	}

	res, err := h.checker.Reextract(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Versions != 1 || res.Recorded != 1 {
		t.Fatalf("first re-extraction: %+v", res)
	}
	vs := h.versions(p)
	if len(vs) != 2 || !vs[1].Technical || vs[1].SnapshotID != v.SnapshotID || vs[1].Source != "reextract" {
		t.Fatalf("versions after re-extraction: %+v", vs)
	}
	if text := h.text(vs[1].ID); strings.Contains(text, "首页 产品 下载") || !strings.Contains(text, "WPS") {
		t.Errorf("re-extracted text:\n%.300s", text)
	}
	if again, _ := h.checker.Reextract(ctx, p.ID); again.Recorded != 0 || again.Unchanged != 1 {
		t.Errorf("second re-extraction: %+v", again)
	}
	if changes, _ := h.store.ListChanges(ctx, policywatch.ChangeFilter{PolicyID: p.ID}); len(changes) != 0 {
		t.Errorf("a re-extraction listed as a change: %+v", changes)
	}
	if pending, _ := h.store.PendingChanges(ctx, 10); len(pending) != 0 {
		t.Errorf("a re-extraction waits to be announced: %+v", pending)
	}
	// The page has not changed: the check compares like with like.
	if o := h.check(p); o.Result != policywatch.ResultUnchanged {
		t.Errorf("check after re-extraction: %s %s", o.Result, o.Error)
	}
}
