// Package storetest is the behaviour every policywatch.Store must have. The
// store's tests run it on each database with a function that opens a fresh,
// empty store.
package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// Run runs the suite. open must return a new empty store for each call.
func Run(t *testing.T, open func(t *testing.T) policywatch.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s policywatch.Store)
	}{
		{"CreateAndFindPolicy", testCreateAndFindPolicy},
		{"DuplicatePolicies", testDuplicatePolicies},
		{"UpdatePolicy", testUpdatePolicy},
		{"ListPolicies", testListPolicies},
		{"RecordFirstChangedUnchanged", testRecordFirstChangedUnchanged},
		{"FailuresMakeFailing", testFailuresMakeFailing},
		{"PausedStaysPaused", testPausedStaysPaused},
		{"FetchState", testFetchState},
		{"ImportVersion", testImportVersion},
		{"ConcurrentChecksRecordOnce", testConcurrentChecksRecordOnce},
		{"FailedWriteLeavesNothing", testFailedWriteLeavesNothing},
		{"NotFound", testNotFound},
		{"Analyses", testAnalyses},
		{"ListChanges", testListChanges},
		{"ChangePages", testChangePages},
		{"VersionFacts", testVersionFacts},
		{"ListMatrix", testListMatrix},
		{"Overviews", testOverviews},
		{"StatusTransitionsAndNextCheck", testStatusTransitionsAndNextCheck},
		{"Reextraction", testReextraction},
		{"PendingChanges", testPendingChanges},
		{"HostSlots", testHostSlots},
		{"Heartbeats", testHeartbeats},
		{"Subscriptions", testSubscriptions},
		{"Deliveries", testDeliveries},
		{"CheckStats", testCheckStats},
		{"CreatePolicies", testCreatePolicies},
		{"CreatePoliciesAllOrNothing", testCreatePoliciesAllOrNothing},
		{"ConcurrentCreateSameURL", testConcurrentCreateSameURL},
		{"DeletePolicy", testDeletePolicy},
		{"IDsNeverGivenTwice", testIDsNeverGivenTwice},
		{"Search", testSearch},
		{"SearchReextraction", testSearchReextraction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

func newPolicy(t *testing.T, s policywatch.Store, platform, name, url string) *policywatch.Policy {
	t.Helper()
	p := &policywatch.Policy{Platform: platform, Name: name, URL: url, Kind: policywatch.KindPrivacy,
		Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval, Remove: []string{".ad", "#nav"}}
	if err := s.CreatePolicy(ctx, p); err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	return p
}

func version(text string, at time.Time) *policywatch.Version {
	norm := normalize.Text(text)
	return &policywatch.Version{
		CapturedAt:  at,
		Text:        text,
		SHA256:      normalize.Hash(norm),
		CompareHash: normalize.KeyHash(text),
		Chars:       len([]rune(norm)),
		Extractor:   "test",
		Source:      "check",
	}
}

func check(policyID int64, at time.Time, v *policywatch.Version, body string) *policywatch.CheckRecord {
	rec := &policywatch.CheckRecord{
		Run:   policywatch.CheckRun{PolicyID: policyID, StartedAt: at, Duration: 120 * time.Millisecond, HTTPStatus: 200},
		State: &policywatch.FetchState{ETag: `"e-` + body + `"`, RawSHA256: normalize.Hash(body)},
	}
	if v != nil {
		rec.Version = v
		rec.Snapshot = &policywatch.Snapshot{URL: "https://example.com/p", FetchedAt: at, HTTPStatus: 200,
			ContentType: "text/html", SHA256: normalize.Hash(body), Renderer: "http", Body: []byte(body)}
	} else {
		rec.Run.Result = policywatch.ResultUnchanged
	}
	return rec
}

func record(t *testing.T, s policywatch.Store, rec *policywatch.CheckRecord) {
	t.Helper()
	if err := s.RecordCheck(ctx, rec); err != nil {
		t.Fatalf("RecordCheck: %v", err)
	}
}

// recordAll records a check finding each version in turn, the bodies
// fetched named prefix and the version's number.
func recordAll(t *testing.T, s policywatch.Store, policyID int64, prefix string, vs ...*policywatch.Version) {
	t.Helper()
	for i, v := range vs {
		record(t, s, check(policyID, v.CapturedAt, v, fmt.Sprint(prefix, i)))
	}
}

var t0 = time.Date(2025, 11, 10, 21, 38, 0, 0, time.UTC)

func testCreateAndFindPolicy(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "极氪", "极氪个人信息保护政策", "https://www.zeekrlife.com/privacy")
	if p.ID == 0 || p.PlatformID == 0 || p.CreatedAt.IsZero() {
		t.Fatalf("ids not set: %+v", p)
	}
	got, err := s.FindPolicy(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name || got.Platform != "极氪" || got.URL != p.URL || got.Status != policywatch.StatusActive ||
		got.Interval != policywatch.DefaultInterval || strings.Join(got.Remove, ",") != ".ad,#nav" || got.Render != policywatch.RenderAuto {
		t.Errorf("round trip differs: %+v", got)
	}
	if got.NextCheckAt.IsZero() || got.NextCheckAt.After(time.Now().Add(time.Second)) {
		t.Errorf("a new policy should be due at once, next check %v", got.NextCheckAt)
	}
	byName, err := s.FindPolicyByName(ctx, "极氪", "极氪个人信息保护政策")
	if err != nil || byName.ID != p.ID {
		t.Errorf("FindPolicyByName = %v, %v", byName, err)
	}
	second := newPolicy(t, s, "极氪", "极氪儿童个人信息保护规则", "https://www.zeekrlife.com/children")
	if second.PlatformID != p.PlatformID {
		t.Errorf("same platform name got a second platform")
	}
}

func testDuplicatePolicies(t *testing.T, s policywatch.Store) {
	newPolicy(t, s, "A", "隐私政策", "https://a.example/privacy")
	dupName := &policywatch.Policy{Platform: "A", Name: "隐私政策", URL: "https://a.example/other", Render: policywatch.RenderAuto}
	if err := s.CreatePolicy(ctx, dupName); !policywatch.IsClass(err, policywatch.ErrAlreadyExists) {
		t.Errorf("same platform and name: got %v", err)
	}
	dupURL := &policywatch.Policy{Platform: "B", Name: "x", URL: "https://a.example/privacy", Render: policywatch.RenderAuto}
	if err := s.CreatePolicy(ctx, dupURL); !policywatch.IsClass(err, policywatch.ErrAlreadyExists) {
		t.Errorf("same URL: got %v", err)
	}
	// One page is one policy, whatever part of it is selected; a fragment
	// tells two parts apart.
	sameURLOtherPart := &policywatch.Policy{Platform: "A", Name: "儿童政策", URL: "https://a.example/privacy", Select: "#children", Render: policywatch.RenderAuto}
	if err := s.CreatePolicy(ctx, sameURLOtherPart); !policywatch.IsClass(err, policywatch.ErrAlreadyExists) {
		t.Errorf("same URL with another selector: got %v", err)
	}
	sameURLOtherPart.URL += "#children"
	if err := s.CreatePolicy(ctx, sameURLOtherPart); err != nil {
		t.Errorf("same page, another fragment: %v", err)
	}
	sameURLOtherPart.URL = "https://a.example/privacy"
	if err := s.UpdatePolicy(ctx, sameURLOtherPart); !policywatch.IsClass(err, policywatch.ErrAlreadyExists) {
		t.Errorf("edited to a URL tracked already: got %v", err)
	}
	noPlatform := &policywatch.Policy{Name: "x", URL: "https://c.example/"}
	if err := s.CreatePolicy(ctx, noPlatform); !policywatch.IsClass(err, policywatch.ErrInvalid) {
		t.Errorf("no platform: got %v", err)
	}
}

func testUpdatePolicy(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/privacy")
	p.Select, p.Remove, p.Render, p.Interval, p.Status = "main", nil, policywatch.RenderBrowser, time.Hour, policywatch.StatusPaused
	p.Platform = "A2"
	if err := s.UpdatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindPolicy(ctx, p.ID)
	if got.Select != "main" || len(got.Remove) != 0 || got.Render != policywatch.RenderBrowser ||
		got.Interval != time.Hour || got.Status != policywatch.StatusPaused || got.Platform != "A2" {
		t.Errorf("update not saved: %+v", got)
	}
	missing := *p
	missing.ID = 9999
	if err := s.UpdatePolicy(ctx, &missing); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("update of missing policy: %v", err)
	}
}

func testListPolicies(t *testing.T, s policywatch.Store) {
	b := newPolicy(t, s, "B", "隐私政策", "https://b.example/")
	a2 := newPolicy(t, s, "A", "用户协议", "https://a.example/terms")
	a1 := newPolicy(t, s, "A", "隐私政策", "https://a.example/privacy")
	record(t, s, check(a1.ID, t0, version("第一版", t0), "1"))
	record(t, s, check(a1.ID, t0.Add(time.Hour), version("第二版", t0.Add(time.Hour)), "2"))
	list, err := s.ListPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, p := range list {
		order = append(order, p.ID)
	}
	// platform, then name (UTF-8 byte order)
	want := []int64{a2.ID, a1.ID, b.ID}
	if "用户协议" > "隐私政策" {
		want = []int64{a1.ID, a2.ID, b.ID}
	}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order = %v, want %v", order, want)
	}
	for _, p := range list {
		if p.ID == a1.ID && (p.Versions != 2 || !p.LastChangedAt.Equal(t0.Add(time.Hour))) {
			t.Errorf("a1 summary: %d versions, last change %v", p.Versions, p.LastChangedAt)
		}
	}
}

func testRecordFirstChangedUnchanged(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	text1 := "# 隐私政策\n\n我们会收集您的手机号码。\n"
	first := check(p.ID, t0, version(text1, t0), "<p>1</p>")
	record(t, s, first)
	if first.Run.Result != policywatch.ResultFirst || first.Version.ID == 0 || first.Snapshot.ID == 0 || first.Run.ID == 0 {
		t.Fatalf("first check: %+v", first.Run)
	}

	// Same words, re-wrapped: the store itself refuses a duplicate version.
	t1 := t0.Add(time.Hour)
	same := check(p.ID, t1, version("# 隐私政策\n我们会收集您的\n手机号码。\n", t1), "<p>1b</p>")
	record(t, s, same)
	if same.Run.Result != policywatch.ResultUnchanged || same.Run.VersionID != first.Version.ID {
		t.Errorf("same words: result %s version %d", same.Run.Result, same.Run.VersionID)
	}

	t2 := t0.Add(2 * time.Hour)
	text2 := "# 隐私政策\n\n我们会收集您的手机号码和身份证号码。\n"
	changed := check(p.ID, t2, version(text2, t2), "<p>2</p>")
	record(t, s, changed)
	if changed.Run.Result != policywatch.ResultChanged {
		t.Errorf("changed: %s", changed.Run.Result)
	}

	unchanged := check(p.ID, t2.Add(time.Hour), nil, "<p>2</p>")
	record(t, s, unchanged)

	versions, err := s.ListVersions(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || versions[0].ID != first.Version.ID || versions[1].ID != changed.Version.ID {
		t.Fatalf("versions = %+v", versions)
	}
	if versions[0].Text != "" {
		t.Errorf("ListVersions should not carry text")
	}
	v, err := s.FindVersion(ctx, changed.Version.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Text != text2 || !v.CapturedAt.Equal(t2) || v.SnapshotID != changed.Snapshot.ID || v.Chars == 0 || v.SHA256 == "" {
		t.Errorf("version round trip: %+v", v)
	}
	snap, err := s.FindSnapshot(ctx, v.SnapshotID)
	if err != nil {
		t.Fatal(err)
	}
	if string(snap.Body) != "<p>2</p>" || snap.ContentType != "text/html" || snap.HTTPStatus != 200 {
		t.Errorf("snapshot round trip: %+v", snap)
	}
	latest, err := s.LatestVersion(ctx, p.ID)
	if err != nil || latest.ID != changed.Version.ID {
		t.Errorf("LatestVersion = %+v, %v", latest, err)
	}
	runs, err := s.ListCheckRuns(ctx, p.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 || runs[0].Result != policywatch.ResultUnchanged || runs[3].Result != policywatch.ResultFirst {
		t.Errorf("runs = %+v", runs)
	}
	got, _ := s.FindPolicy(ctx, p.ID)
	if !got.LastChangedAt.Equal(t2) || !got.LastCheckedAt.Equal(t2.Add(time.Hour)) {
		t.Errorf("policy times: changed %v checked %v", got.LastChangedAt, got.LastCheckedAt)
	}
	if !got.NextCheckAt.Equal(t2.Add(time.Hour).Add(policywatch.DefaultInterval)) {
		t.Errorf("next check %v", got.NextCheckAt)
	}
}

func failure(policyID int64, at time.Time) *policywatch.CheckRecord {
	return &policywatch.CheckRecord{
		Run: policywatch.CheckRun{PolicyID: policyID, StartedAt: at, Result: policywatch.ResultFailed,
			ErrorClass: policywatch.ErrHTTPStatus, Error: "HTTP 500 Internal Server Error", HTTPStatus: 500},
		FailingAfter: 3,
	}
}

func testFailuresMakeFailing(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	for i := 1; i <= 3; i++ {
		record(t, s, failure(p.ID, t0.Add(time.Duration(i)*time.Minute)))
		got, _ := s.FindPolicy(ctx, p.ID)
		if got.ConsecutiveFailures != i || got.LastErrorClass != policywatch.ErrHTTPStatus || got.LastError == "" {
			t.Fatalf("after %d failures: %+v", i, got)
		}
		wantStatus := policywatch.StatusActive
		if i >= 3 {
			wantStatus = policywatch.StatusFailing
		}
		if got.Status != wantStatus {
			t.Errorf("after %d failures: status %s, want %s", i, got.Status, wantStatus)
		}
	}
	record(t, s, check(p.ID, t0.Add(time.Hour), version("恢复了", t0.Add(time.Hour)), "ok"))
	got, _ := s.FindPolicy(ctx, p.ID)
	if got.Status != policywatch.StatusActive || got.ConsecutiveFailures != 0 || got.LastError != "" {
		t.Errorf("after recovery: %+v", got)
	}
}

func testPausedStaysPaused(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	p.Status = policywatch.StatusPaused
	if err := s.UpdatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		record(t, s, failure(p.ID, t0.Add(time.Duration(i)*time.Minute)))
	}
	record(t, s, check(p.ID, t0.Add(time.Hour), version("x", t0.Add(time.Hour)), "x"))
	if got, _ := s.FindPolicy(ctx, p.ID); got.Status != policywatch.StatusPaused {
		t.Errorf("status %s, want paused", got.Status)
	}
}

func testFetchState(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	st, err := s.FetchState(ctx, p.ID)
	if err != nil || st != (policywatch.FetchState{}) {
		t.Fatalf("new policy state = %+v, %v", st, err)
	}
	rec := check(p.ID, t0, version("x", t0), "body")
	rec.State = &policywatch.FetchState{ETag: `"abc"`, LastModified: "Mon, 10 Nov 2025 21:38:00 GMT", RawSHA256: "r", HeldHash: "h"}
	record(t, s, rec)
	st, _ = s.FetchState(ctx, p.ID)
	if st != *rec.State {
		t.Errorf("state = %+v, want %+v", st, *rec.State)
	}
	fail := failure(p.ID, t0.Add(time.Minute))
	record(t, s, fail)
	if st2, _ := s.FetchState(ctx, p.ID); st2 != *rec.State {
		t.Errorf("a failure without state changed the state: %+v", st2)
	}
}

func testImportVersion(t *testing.T, s policywatch.Store) {
	p := &policywatch.Policy{Platform: "极氪", Name: "极氪个人信息保护政策", Render: policywatch.RenderAuto}
	if err := s.CreatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	late := version("第二版：新增了人脸识别。", t0.Add(30*24*time.Hour))
	late.PolicyID, late.Source = p.ID, "import"
	snap := &policywatch.Snapshot{URL: "v2.txt", FetchedAt: late.CapturedAt, ContentType: "text/plain", Renderer: "import", Body: []byte("v2")}
	if res, err := s.ImportVersion(ctx, snap, late); err != nil || res != policywatch.ResultFirst {
		t.Fatalf("first import: %s %v", res, err)
	}
	early := version("第一版。", t0)
	early.PolicyID, early.Source = p.ID, "import"
	if res, err := s.ImportVersion(ctx, nil, early); err != nil || res != policywatch.ResultChanged {
		t.Fatalf("back-fill: %s %v", res, err)
	}
	again := version("第一版。", t0.Add(time.Hour))
	again.PolicyID = p.ID
	if res, err := s.ImportVersion(ctx, nil, again); err != nil || res != policywatch.ResultUnchanged || again.ID != early.ID {
		t.Fatalf("re-import of the same words: %s %v (id %d, want %d)", res, err, again.ID, early.ID)
	}
	versions, _ := s.ListVersions(ctx, p.ID)
	if len(versions) != 2 || versions[0].ID != early.ID || versions[1].ID != late.ID {
		t.Errorf("versions not in capture order: %+v", versions)
	}
	got, _ := s.FindPolicy(ctx, p.ID)
	if !got.LastChangedAt.Equal(late.CapturedAt) {
		t.Errorf("last change = %v, want the newest capture %v", got.LastChangedAt, late.CapturedAt)
	}
}

func testConcurrentChecksRecordOnce(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	var wg sync.WaitGroup
	results := make([]policywatch.Result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := t0.Add(time.Duration(i) * time.Millisecond)
			rec := check(p.ID, at, version("同一个文本。", at), "same")
			if err := s.RecordCheck(ctx, rec); err != nil {
				t.Error(err)
			}
			results[i] = rec.Run.Result
		}()
	}
	wg.Wait()
	versions, _ := s.ListVersions(ctx, p.ID)
	if len(versions) != 1 {
		t.Errorf("%d versions recorded for the same words, want 1 (results %v)", len(versions), results)
	}
	firsts := 0
	for _, r := range results {
		if r == policywatch.ResultFirst {
			firsts++
		}
	}
	if firsts != 1 {
		t.Errorf("results %v: want exactly one first", results)
	}
}

func testFailedWriteLeavesNothing(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	rec := check(p.ID, t0, version("x", t0), "x")
	rec.Run.PolicyID = p.ID + 1000 // no such policy: the last statement fails
	if err := s.RecordCheck(ctx, rec); err == nil {
		t.Fatal("recording a check of a missing policy succeeded")
	}
	if versions, _ := s.ListVersions(ctx, p.ID); len(versions) != 0 {
		t.Errorf("versions left behind")
	}
	if v, err := s.FindVersion(ctx, rec.Version.ID); err == nil && v != nil && rec.Version.ID != 0 {
		t.Errorf("half-written version %d survived the failed transaction", rec.Version.ID)
	}
}

func testNotFound(t *testing.T, s policywatch.Store) {
	if _, err := s.FindPolicy(ctx, 42); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("FindPolicy: %v", err)
	}
	if _, err := s.FindVersion(ctx, 42); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("FindVersion: %v", err)
	}
	if _, err := s.ListVersions(ctx, 42); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("ListVersions: %v", err)
	}
	if _, err := s.FindSnapshot(ctx, 42); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("FindSnapshot: %v", err)
	}
	if _, err := s.FetchState(ctx, 42); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("FetchState: %v", err)
	}
	if _, err := s.FindPolicyByName(ctx, "x", "y"); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("FindPolicyByName: %v", err)
	}
	if v, err := s.LatestVersion(ctx, 42); v != nil || err != nil {
		t.Errorf("LatestVersion of nothing = %v, %v", v, err)
	}
}

func testAnalyses(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "极氪", "隐私政策", "https://example.com/a")
	other := newPolicy(t, s, "极氪", "儿童政策", "https://example.com/b")
	v1, v2, v3 := version("第一版 文字", t0), version("第二版 文字", t0.Add(time.Hour)), version("第三版 文字", t0.Add(2*time.Hour))
	recordAll(t, s, p.ID, "body", v1, v2, v3)
	ov := version("别的政策", t0)
	record(t, s, check(other.ID, t0, ov, "other"))

	save := func(a policywatch.Analysis) {
		t.Helper()
		if err := s.SaveAnalysis(ctx, &a); err != nil {
			t.Fatalf("SaveAnalysis: %v", err)
		}
	}
	report := []byte(`{"level":"minor","summary":"运营者变更","changes":[]}`)
	save(policywatch.Analysis{FromVersion: v1.ID, ToVersion: v2.ID, Engine: "builtin", Lang: "zh", Level: "minor", Summary: "运营者变更", Report: report, AnalyzedAt: t0.Add(time.Hour)})
	save(policywatch.Analysis{FromVersion: v1.ID, ToVersion: v2.ID, Engine: "builtin", Lang: "en", Level: "minor", Summary: "operator changed", Report: report, AnalyzedAt: t0.Add(time.Hour)})
	save(policywatch.Analysis{FromVersion: v2.ID, ToVersion: v3.ID, Engine: "builtin", Lang: "zh", Level: "editorial", Summary: "日期", Report: report, AnalyzedAt: t0.Add(2 * time.Hour)})
	// The same pair, engine and language again replaces the first.
	save(policywatch.Analysis{FromVersion: v2.ID, ToVersion: v3.ID, Engine: "builtin", Lang: "zh", Level: "major", Summary: "新增人脸", Report: report, AnalyzedAt: t0.Add(3 * time.Hour)})
	// A pair that is not consecutive does not count as the latest change.
	save(policywatch.Analysis{FromVersion: v1.ID, ToVersion: v3.ID, Engine: "builtin", Lang: "zh", Level: "substantive", Summary: "跨两版", Report: report, AnalyzedAt: t0.Add(4 * time.Hour)})

	got, err := s.FindAnalyses(ctx, v2.ID, v3.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("FindAnalyses: %v, %d", err, len(got))
	}
	if a := got[0]; a.Level != "major" || a.Summary != "新增人脸" || string(a.Report) != string(report) || !a.AnalyzedAt.Equal(t0.Add(3*time.Hour)) || a.Engine != "builtin" || a.Lang != "zh" {
		t.Fatalf("analysis %+v", a)
	}
	if got, _ := s.FindAnalyses(ctx, v1.ID, v2.ID); len(got) != 2 {
		t.Fatalf("two languages: %d", len(got))
	}
	if got, err := s.FindAnalyses(ctx, v3.ID, v1.ID); err != nil || len(got) != 0 {
		t.Fatalf("unanalysed pair: %v, %d", err, len(got))
	}
	list, err := s.ListAnalyses(ctx, p.ID)
	if err != nil || len(list) != 4 || list[0].FromVersion != v1.ID || list[0].ToVersion != v3.ID || list[0].Report != nil {
		t.Fatalf("ListAnalyses: %v, %+v", err, list)
	}
	if list, _ := s.ListAnalyses(ctx, other.ID); len(list) != 0 {
		t.Fatalf("other policy's analyses: %+v", list)
	}
	policies, err := s.ListPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range policies {
		want := map[int64]policywatch.Level{p.ID: "major", other.ID: ""}[ps.ID]
		if ps.LastLevel != want {
			t.Errorf("%s: last level %q, want %q", ps.Name, ps.LastLevel, want)
		}
	}
	err = s.SaveAnalysis(ctx, &policywatch.Analysis{FromVersion: v1.ID, ToVersion: 99999, Engine: "builtin", Lang: "zh", Level: "none", Report: report, AnalyzedAt: t0})
	if !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Fatalf("analysis of a missing version: %v", err)
	}
}

func testListChanges(t *testing.T, s policywatch.Store) {
	a := newPolicy(t, s, "极氪", "隐私政策", "https://example.com/a")
	b := newPolicy(t, s, "腾讯", "QQ隐私保护指引", "https://example.com/b")
	a1, a2, a3 := version("甲 第一版", t0), version("甲 第二版", t0.Add(time.Hour)), version("甲 第三版", t0.Add(3*time.Hour))
	recordAll(t, s, a.ID, "a", a1, a2, a3)
	b1, b2 := version("乙 第一版", t0), version("乙 第二版", t0.Add(2*time.Hour))
	recordAll(t, s, b.ID, "b", b1, b2)
	// An unchanged check adds no change.
	record(t, s, check(b.ID, t0.Add(4*time.Hour), version("乙 第二版", t0.Add(4*time.Hour)), "b-again"))

	all, err := s.ListChanges(ctx, policywatch.ChangeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int64{{a2.ID, a3.ID}, {b1.ID, b2.ID}, {a1.ID, a2.ID}}
	if len(all) != len(want) {
		t.Fatalf("changes: %+v", all)
	}
	for i, w := range want {
		if all[i].FromVersion != w[0] || all[i].ToVersion != w[1] {
			t.Errorf("change %d: %d→%d, want %d→%d", i, all[i].FromVersion, all[i].ToVersion, w[0], w[1])
		}
	}
	if c := all[0]; c.Policy != "隐私政策" || c.Platform != "极氪" || c.URL != "https://example.com/a" || !c.CapturedAt.Equal(t0.Add(3*time.Hour)) || c.PolicyID != a.ID {
		t.Errorf("change's policy: %+v", c)
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{PolicyID: b.ID}); len(got) != 1 || got[0].ToVersion != b2.ID {
		t.Errorf("one policy's changes: %+v", got)
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Platform: "极氪"}); len(got) != 2 {
		t.Errorf("one platform's changes: %+v", got)
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Limit: 1}); len(got) != 1 || got[0].ToVersion != a3.ID {
		t.Errorf("limit: %+v", got)
	}
}
