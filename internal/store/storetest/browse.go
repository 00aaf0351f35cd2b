package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// The read models of the pages that list many policies: stored facts, the
// matrix, overviews and pages of changes.

func saveFacts(t *testing.T, s policywatch.Store, versionID int64, rules int, tag string) {
	t.Helper()
	err := s.SaveVersionFacts(ctx, &policywatch.VersionFacts{VersionID: versionID, Rules: rules,
		Facts: []byte(`[{"type":"pi","value":"` + tag + `"}]`), Matrix: []byte(`{"sdks":["` + tag + `"]}`),
		Profiles: []byte(`{"zh":{},"en":{}}`), ExtractedAt: t0})
	if err != nil {
		t.Fatalf("SaveVersionFacts: %v", err)
	}
}

func testVersionFacts(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	v1, v2, v3 := version("第一版", t0), version("第二版", t0.Add(time.Hour)), version("第三版", t0.Add(2*time.Hour))
	recordAll(t, s, p.ID, "body", v1, v2, v3)

	if _, err := s.FindVersionFacts(ctx, v1.ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Fatalf("facts not stored yet: %v", err)
	}
	todo, err := s.VersionsWithoutFacts(ctx, 1, 0, 10)
	if err != nil || !slices.Equal(todo, []int64{v3.ID, v2.ID, v1.ID}) {
		t.Fatalf("without facts: %v, %v", todo, err)
	}
	if todo, _ := s.VersionsWithoutFacts(ctx, 1, v3.ID, 1); !slices.Equal(todo, []int64{v2.ID}) {
		t.Errorf("without facts below v3, one: %v", todo)
	}

	saveFacts(t, s, v1.ID, 1, "旧")
	saveFacts(t, s, v1.ID, 2, "新") // replaces
	saveFacts(t, s, v2.ID, 1, "二")
	got, err := s.FindVersionFacts(ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.VersionID != v1.ID || got.Rules != 2 || string(got.Facts) != `[{"type":"pi","value":"新"}]` ||
		string(got.Matrix) != `{"sdks":["新"]}` || string(got.Profiles) != `{"zh":{},"en":{}}` || !got.ExtractedAt.Equal(t0) {
		t.Errorf("stored facts: %+v", got)
	}
	// Rules 2 wants v2 (rules 1) and v3 (none) done again, not v1.
	if todo, _ := s.VersionsWithoutFacts(ctx, 2, 0, 10); !slices.Equal(todo, []int64{v3.ID, v2.ID}) {
		t.Errorf("without facts of rules 2: %v", todo)
	}
	if todo, _ := s.VersionsWithoutFacts(ctx, 1, 0, 10); !slices.Equal(todo, []int64{v3.ID}) {
		t.Errorf("without facts of rules 1: %v", todo)
	}
	err = s.SaveVersionFacts(ctx, &policywatch.VersionFacts{VersionID: 99999, Rules: 1, Facts: []byte(`[]`),
		Matrix: []byte(`{}`), Profiles: []byte(`{}`), ExtractedAt: t0})
	if !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("facts of a missing version: %v", err)
	}
}

func testListMatrix(t *testing.T, s policywatch.Store) {
	a := newPolicy(t, s, "乙平台", "隐私政策", "https://b.example/")
	b := newPolicy(t, s, "甲平台", "隐私政策", "https://a.example/")
	c := newPolicy(t, s, "甲平台", "儿童政策", "https://c.example/")
	newPolicy(t, s, "甲平台", "没有版本", "https://d.example/")
	a1, a2 := version("乙 第一版", t0), version("乙 第二版", t0.Add(time.Hour))
	recordAll(t, s, a.ID, "a", a1, a2)
	b1 := version("甲 第一版", t0)
	recordAll(t, s, b.ID, "b", b1)
	c1 := version("甲 儿童", t0)
	recordAll(t, s, c.ID, "c", c1)
	saveFacts(t, s, a1.ID, 1, "a1")
	saveFacts(t, s, a2.ID, 1, "a2")
	saveFacts(t, s, c1.ID, 1, "c1")

	all, total, err := s.ListMatrix(ctx, policywatch.MatrixFilter{})
	if err != nil || total != 3 || len(all) != 3 {
		t.Fatalf("matrix: %d of %d, %v", len(all), total, err)
	}
	// By platform, then name (乙 U+4E59 before 甲 U+7532); the newest
	// version's row; nil before extraction.
	want := []struct {
		policy, version int64
		matrix          string
	}{{a.ID, a2.ID, `{"sdks":["a2"]}`}, {c.ID, c1.ID, `{"sdks":["c1"]}`}, {b.ID, b1.ID, ""}}
	if all[1].Platform != "甲平台" || all[1].Name != "儿童政策" || all[1].Rules != 1 || all[2].Rules != 0 {
		t.Errorf("rows: %+v", all)
	}
	for i, w := range want {
		if e := all[i]; e.PolicyID != w.policy || e.VersionID != w.version || string(e.Matrix) != w.matrix || (w.matrix == "") != (e.Matrix == nil) {
			t.Errorf("row %d: %+v, want %+v", i, e, w)
		}
	}
	page, total, _ := s.ListMatrix(ctx, policywatch.MatrixFilter{Offset: 1, Limit: 1})
	if total != 3 || len(page) != 1 || page[0].PolicyID != c.ID {
		t.Errorf("second page of one: %+v of %d", page, total)
	}
	one, total, _ := s.ListMatrix(ctx, policywatch.MatrixFilter{Platform: "乙平台"})
	if total != 1 || len(one) != 1 || one[0].PolicyID != a.ID {
		t.Errorf("one platform: %+v of %d", one, total)
	}
}

func testOverviews(t *testing.T, s policywatch.Store) {
	never := newPolicy(t, s, "甲", "从未变更", "https://a.example/")
	changed := newPolicy(t, s, "甲", "变更过", "https://b.example/")
	empty := newPolicy(t, s, "乙", "还没有版本", "https://c.example/")
	record(t, s, check(never.ID, t0, version("只有一版", t0), "n"))
	c1, c2 := version("第一版", t0), version("第二版", t0.Add(2*time.Hour))
	recordAll(t, s, changed.ID, "c", c1, c2)
	// A technical re-extraction after the change is no change and no version.
	re := version("第二版 新提取", t0.Add(2*time.Hour))
	re.PolicyID, re.SnapshotID = changed.ID, c2.SnapshotID
	if _, err := s.RecordReextraction(ctx, re); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAnalysis(ctx, &policywatch.Analysis{FromVersion: c1.ID, ToVersion: c2.ID, Engine: "builtin", Lang: "zh",
		Level: policywatch.LevelMajor, Summary: "新增人脸识别", Report: []byte(`{}`), AnalyzedAt: t0}); err != nil {
		t.Fatal(err)
	}

	keys, err := s.ListPolicyKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range keys {
		names = append(names, fmt.Sprint(k.Platform, "/", k.Name, " ", k.URL))
	}
	wantNames := []string{"乙/还没有版本 https://c.example/", "甲/从未变更 https://a.example/", "甲/变更过 https://b.example/"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("keys: %v", names)
	}

	got, err := s.ListOverviews(ctx, []int64{changed.ID, empty.ID, never.ID, 99999})
	if err != nil || len(got) != 3 {
		t.Fatalf("overviews: %+v, %v", got, err)
	}
	if got[0].ID != changed.ID || got[1].ID != empty.ID || got[2].ID != never.ID {
		t.Fatalf("not in the order asked for: %+v", got)
	}
	ch := got[0]
	if ch.Name != "变更过" || ch.Platform != "甲" || ch.URL != "https://b.example/" || ch.Kind != policywatch.KindPrivacy ||
		ch.Status != policywatch.StatusActive || ch.LastCheckedAt.IsZero() {
		t.Errorf("changed policy's fields: %+v", ch)
	}
	if ch.Versions != 2 || ch.Changes != 1 || ch.LastLevel != policywatch.LevelMajor ||
		ch.LastChange.FromVersion != c1.ID || ch.LastChange.ToVersion != c2.ID || !ch.LastChange.CapturedAt.Equal(c2.CapturedAt) {
		t.Errorf("changed policy: %+v", ch)
	}
	if e := got[1]; e.Versions != 0 || e.Changes != 0 || e.LastChange.ToVersion != 0 || !e.LastChange.CapturedAt.IsZero() || e.LastLevel != "" {
		t.Errorf("policy without versions: %+v", e)
	}
	// A policy that never changed has no last change, whatever its first capture.
	if n := got[2]; n.Versions != 1 || n.Changes != 0 || n.LastChange.ToVersion != 0 || !n.LastChange.CapturedAt.IsZero() {
		t.Errorf("policy that never changed: %+v", n)
	}
	if none, err := s.ListOverviews(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no ids: %+v, %v", none, err)
	}
}

func testChangePages(t *testing.T, s policywatch.Store) {
	a := newPolicy(t, s, "极氪", "隐私政策", "https://example.com/a")
	b := newPolicy(t, s, "腾讯", "QQ隐私保护指引", "https://example.com/b")
	var av []*policywatch.Version
	for i := range 5 {
		av = append(av, version(fmt.Sprint("甲 第", i, "版"), t0.Add(time.Duration(i)*time.Hour)))
	}
	recordAll(t, s, a.ID, "a", av...)
	b1, b2 := version("乙 第一版", t0), version("乙 第二版", t0.Add(90*time.Minute))
	recordAll(t, s, b.ID, "b", b1, b2)
	analyse := func(from, to *policywatch.Version, lang string, level policywatch.Level, summary string) {
		t.Helper()
		if err := s.SaveAnalysis(ctx, &policywatch.Analysis{FromVersion: from.ID, ToVersion: to.ID, Engine: "builtin", Lang: lang,
			Level: level, Summary: summary, Report: []byte(`{}`), AnalyzedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	analyse(av[0], av[1], "zh", policywatch.LevelEditorial, "日期")
	analyse(av[1], av[2], "zh", policywatch.LevelMajor, "新增人脸识别")
	analyse(av[1], av[2], "en", policywatch.LevelMajor, "face recognition added")
	analyse(av[2], av[3], "zh", policywatch.LevelMinor, "联系方式")
	// av[3]→av[4] is not analysed; b1→b2 is substantive.
	analyse(b1, b2, "zh", policywatch.LevelSubstantive, "新增SDK")

	ids := func(cs []policywatch.Change) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ToVersion)
		}
		return out
	}
	all, err := s.ListChanges(ctx, policywatch.ChangeFilter{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{av[4].ID, av[3].ID, av[2].ID, b2.ID, av[1].ID}; !slices.Equal(ids(all), want) {
		t.Fatalf("changes newest first: %v, want %v", ids(all), want)
	}
	if c := all[2]; c.Level != policywatch.LevelMajor || c.Summary != "新增人脸识别" || c.FromVersion != av[1].ID {
		t.Errorf("change's analysis: %+v", c)
	}
	if c := all[0]; c.Level != "" || c.Summary != "" {
		t.Errorf("unanalysed change: %+v", c)
	}
	if en, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Lang: "en"}); en[2].Summary != "face recognition added" || en[1].Summary != "" || en[1].Level != policywatch.LevelMinor {
		t.Errorf("summaries in English: %+v", en)
	}
	// At least substantive: major, substantive, and the unanalysed one.
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{MinLevel: policywatch.LevelSubstantive}); !slices.Equal(ids(got), []int64{av[4].ID, av[2].ID, b2.ID}) {
		t.Errorf("at least substantive: %v", ids(got))
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{MinLevel: policywatch.LevelMajor, Platform: "腾讯"}); len(got) != 0 {
		t.Errorf("major on 腾讯: %v", ids(got))
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{MinLevel: policywatch.LevelEditorial, Platform: "极氪"}); len(got) != 4 {
		t.Errorf("editorial up on 极氪: %v", ids(got))
	}
	// Pages.
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Offset: 2, Limit: 2}); !slices.Equal(ids(got), []int64{av[2].ID, b2.ID}) {
		t.Errorf("second page of two: %v", ids(got))
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Offset: 4, Limit: 2}); !slices.Equal(ids(got), []int64{av[1].ID}) {
		t.Errorf("last page: %v", ids(got))
	}
	if got, _ := s.ListChanges(ctx, policywatch.ChangeFilter{Offset: 10}); len(got) != 0 {
		t.Errorf("past the end: %v", ids(got))
	}
}
