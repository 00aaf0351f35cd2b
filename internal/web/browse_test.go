package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// The pages that list many policies and changes: home, /platforms/{name},
// /changes and GET /api/v1/changes.

// addPolicies registers n policies without versions on platform.
func (f *fixture) addPolicies(platform string, n int) {
	f.t.Helper()
	for i := range n {
		p := &policywatch.Policy{Platform: platform, Name: fmt.Sprintf("政策%03d", i), URL: fmt.Sprintf("https://bulk.example/%s/%d", url.PathEscape(platform), i),
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
		if err := f.store.CreatePolicy(context.Background(), p); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestHomeGroupedAndPaginated(t *testing.T) {
	f := newFixture(t, Options{})
	f.addPolicies("龙批量", 120) // 龙 sorts after the others
	total := 120 + 6          // the demo's four, QQ and the hostile one

	code, _, first := f.get("/")
	if code != 200 {
		t.Fatalf("home: %d", code)
	}
	for _, want := range []string{
		`href="/platforms/%E6%9E%81%E6%B0%AA"`, // 极氪's group heading links to its page
		fmt.Sprintf("政策 %d 项 · 平台 %d 个", total, 7),
		fmt.Sprintf("/compare?from=%d&amp;to=%d", f.zeekrFrom, f.zeekrTo), // its last change links to the comparison
		"第 1 页，共 2 页", `rel="next" href="/?page=2"`,
	} {
		if !strings.Contains(first, want) {
			t.Errorf("home page 1 lacks %q", want)
		}
	}
	// 车300 has one version: no change yet, not its capture date.
	che := first[strings.Index(first, "车300隐私政策"):]
	che = che[:strings.Index(che, "</tr>")]
	if !strings.Contains(che, "尚无变更") || strings.Contains(che, "2023") {
		t.Errorf("a policy that never changed: %s", che)
	}
	if n := strings.Count(first, `<a href="/policies/`); n != policiesPerPage {
		t.Errorf("page 1 lists %d policies, want %d", n, policiesPerPage)
	}
	_, _, second := f.get("/?page=2&lang=en")
	if n := strings.Count(second, `<a href="/policies/`); n != total-policiesPerPage {
		t.Errorf("page 2 lists %d policies, want %d", n, total-policiesPerPage)
	}
	for _, want := range []string{"Page 2 of 2", `rel="prev"`, "no change yet"} {
		if !strings.Contains(second, want) {
			t.Errorf("home page 2 lacks %q", want)
		}
	}
	if strings.Contains(second, `rel="next"`) {
		t.Error("the last page links to a next one")
	}
	// The search still filters (and pages what it finds).
	_, _, found := f.get("/?q=" + url.QueryEscape("ＱＱ"))
	if !strings.Contains(found, "QQ隐私保护指引") || strings.Contains(found, "政策000") || strings.Contains(found, `rel="next"`) {
		t.Errorf("search for QQ (full width): %s", found)
	}
	for _, bad := range []string{"0", "-1", "x", "99999999999"} {
		if code, _, _ := f.get("/?page=" + bad); code != 400 {
			t.Errorf("page %q: %d, want 400", bad, code)
		}
	}
	if code, _, past := f.get("/?page=9"); code != 200 || strings.Contains(past, `<a href="/policies/`) {
		t.Errorf("a page past the end: %d", code)
	}
}

func TestPlatformPage(t *testing.T) {
	f := newFixture(t, Options{})
	code, _, body := f.get("/platforms/" + url.PathEscape("腾讯"))
	if code != 200 {
		t.Fatalf("platform page: %d", code)
	}
	for _, want := range []string{"<h1>腾讯</h1>", "QQ隐私保护指引", "/platforms/%E8%85%BE%E8%AE%AF/feed.atom",
		fmt.Sprintf("/compare?from=%d&amp;to=%d", f.manyFrom, f.manyTo)} {
		if !strings.Contains(body, want) {
			t.Errorf("platform page lacks %q", want)
		}
	}
	if strings.Contains(body, "极氪个人信息保护政策") {
		t.Error("another platform's policy on 腾讯's page")
	}
	if code, _, _ := f.get("/platforms/" + url.PathEscape("没有这个平台")); code != 404 {
		t.Errorf("unknown platform: %d, want 404", code)
	}

	// A hostile platform name, with a slash, is one escaped path segment.
	hostile := `<b onmouseover="x">坏/平台</b>`
	f.importText(hostile, `<script>alert(1)</script>`, strings.Repeat("第一版的文字。", 40), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	f.importText(hostile, `<script>alert(1)</script>`, strings.Repeat("第二版的文字。", 40), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
	for _, path := range []string{"/platforms/" + url.PathEscape(hostile), "/", "/changes", "/changes?platform=" + url.QueryEscape(hostile)} {
		code, _, page := f.get(path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b onmouseover") {
			t.Errorf("%s: not escaped", path)
		}
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the hostile policy's name is missing", path)
		}
	}
	_, _, page := f.get("/")
	if !strings.Contains(page, `href="/platforms/%3Cb%20onmouseover=%22x%22%3E%E5%9D%8F%2F%E5%B9%B3%E5%8F%B0%3C%2Fb%3E"`) {
		t.Errorf("hostile platform's link: %s", page[strings.Index(page, "坏"):][:300])
	}
	if code, _, _ := f.get("/platforms/x?page=abc"); code != 400 && code != 404 {
		t.Errorf("bad page on a platform: %d", code)
	}
}

func TestChangesPage(t *testing.T) {
	f := newFixture(t, Options{})
	// A policy of 55 versions (54 changes), a day apart, after everything else.
	var last int64
	for i := range 55 {
		text := strings.Repeat("本政策适用于示例服务的全部功能。", 20) + fmt.Sprintf("\n本版本编号为 %d。", i)
		if i == 54 { // the last change is major
			text += "\n为核验身份，我们会收集您的人脸识别特征和身份证号码。"
		}
		last = f.importText("多变", "常改的政策", text, time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC))
	}
	code, _, body := f.get("/changes")
	if code != 200 {
		t.Fatalf("changes: %d", code)
	}
	if n := strings.Count(body, `class="compare"`); n != changesPerPage {
		t.Errorf("page 1 lists %d changes, want %d", n, changesPerPage)
	}
	if !strings.Contains(body, `rel="next" href="/changes?page=2"`) || !strings.Contains(body, "第 1 页") {
		t.Error("no link to page 2")
	}
	// Newest first: the last import leads.
	if i := strings.Index(body, fmt.Sprintf("to=%d", last)); i < 0 || i > strings.Index(body, `class="compare"`) {
		t.Errorf("the newest change is not first")
	}
	_, _, second := f.get("/changes?page=2")
	for _, want := range []string{fmt.Sprintf("from=%d&amp;to=%d", f.zeekrFrom, f.zeekrTo), fmt.Sprintf("from=%d&amp;to=%d", f.manyFrom, f.manyTo), `rel="prev"`} {
		if !strings.Contains(second, want) {
			t.Errorf("page 2 lacks %q", want)
		}
	}

	// Zeekr's and QQ's changes are minor, the last one major.
	_, _, minor := f.get("/changes?level=minor")
	_, _, major := f.get("/changes?level=major&lang=en")
	for _, c := range []struct {
		page string
		to   int64
		want bool
	}{{minor, f.zeekrTo, true}, {minor, f.manyTo, true}, {major, last, true}, {major, f.zeekrTo, false}, {major, f.manyTo, false}} {
		if got := strings.Contains(c.page, fmt.Sprintf("to=%d\"", c.to)); got != c.want {
			t.Errorf("change to %d listed %v, want %v", c.to, got, c.want)
		}
	}
	if n := strings.Count(major, `class="compare"`); n != 1 {
		t.Errorf("major changes: %d, want 1", n)
	}
	if !strings.Contains(major, `<option value="major" selected>major or higher</option>`) {
		t.Error("the level filter does not show its choice")
	}
	_, _, zeekr := f.get("/changes?platform=" + url.QueryEscape("极氪"))
	if n := strings.Count(zeekr, `class="compare"`); n != 1 || !strings.Contains(zeekr, fmt.Sprintf("to=%d", f.zeekrTo)) {
		t.Errorf("极氪's changes: %d", n)
	}
	if strings.Contains(zeekr, `rel="next"`) {
		t.Error("one change, two pages")
	}
	if code, _, body := f.get("/changes?level=huge"); code != 400 || !strings.Contains(body, "huge") {
		t.Errorf("unknown level: %d", code)
	}
	if code, _, _ := f.get("/changes?page=0"); code != 400 {
		t.Errorf("page 0: %d", code)
	}
	if _, _, none := f.get("/changes?platform=" + url.QueryEscape("没有")); !strings.Contains(none, "没有符合条件的变更") {
		t.Error("no changes: no notice")
	}

	// The JSON equivalent.
	code, _, list := apiDo(t, f, "GET", "/api/v1/changes?platform="+url.QueryEscape("腾讯"), "", "")
	if code != 200 || len(list) != 1 {
		t.Fatalf("API changes: %d %v", code, list)
	}
	c := list[0].(map[string]any)
	if c["policy"] != "QQ隐私保护指引" || c["platform"] != "腾讯" || c["from_version"] != policywatch.FormatID(f.manyFrom) ||
		c["to_version"] != policywatch.FormatID(f.manyTo) || c["level"] != "minor" || c["summary"] == "" ||
		!strings.HasSuffix(c["compare_url"].(string), fmt.Sprintf("/compare?from=%d&to=%d", f.manyFrom, f.manyTo)) || c["captured_at"] != "2024-06-01T00:00:00Z" {
		t.Errorf("API change: %v", c)
	}
	if code, _, all := apiDo(t, f, "GET", "/api/v1/changes?page=2", "", ""); code != 200 || len(all) != 54+2-changesPerPage {
		t.Errorf("API page 2: %d, %d changes", code, len(all))
	}
	// A Link header names the next page, on the pages that have one.
	if _, h, _ := f.get("/api/v1/changes?lang=en"); h.Get("Link") != "<"+f.http.URL+`/api/v1/changes?lang=en&page=2>; rel="next"` {
		t.Errorf("API page 1: Link %q", h.Get("Link"))
	}
	if _, h, _ := f.get("/api/v1/changes?page=2"); h.Get("Link") != "" {
		t.Errorf("API last page: Link %q", h.Get("Link"))
	}
	if code, obj, _ := apiDo(t, f, "GET", "/api/v1/changes?level=x", "", ""); code != 400 || obj["class"] != "invalid" {
		t.Errorf("API bad level: %d %v", code, obj)
	}
}

// TestPagesReadStoredFacts: the matrix and the profile read the facts
// stored with each version; a version recorded before they were stored
// is pending on the matrix page until the back-fill reaches it, and is
// extracted once (and stored) by the API and the profile page.
func TestPagesReadStoredFacts(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	p := &policywatch.Policy{Platform: "旧库", Name: "旧政策", Kind: policywatch.KindPrivacy, Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
	if err := f.store.CreatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	text := readTestdata(t, "kfc.txt")
	norm := normalize.Text(text)
	v := &policywatch.Version{PolicyID: p.ID, CapturedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Text: text,
		SHA256: normalize.Hash(norm), CompareHash: normalize.Hash(normalize.KeyOfText(norm)), Chars: len([]rune(norm)),
		Extractor: "old", Source: policywatch.SourceImport}
	if _, err := f.store.ImportVersion(ctx, nil, v); err != nil {
		t.Fatal(err)
	}
	_, _, page := f.get("/matrix")
	if !strings.Contains(page, "另有 1 项政策的事实正在后台提取") || strings.Contains(page, "旧政策") {
		t.Errorf("a policy without stored facts is not pending on the matrix")
	}
	if !strings.Contains(page, "极氪个人信息保护政策") {
		t.Error("the matrix lacks the policies whose facts are stored")
	}
	code, _, rows := apiDo(t, f, "GET", "/api/v1/matrix?platform="+url.QueryEscape("旧库"), "", "")
	if code != 200 || len(rows) != 1 {
		t.Fatalf("API matrix of a pending policy: %d, %d rows", code, len(rows))
	}
	// ?page= gives a page of the rows, as /matrix shows them.
	_, _, all := apiDo(t, f, "GET", "/api/v1/matrix", "", "")
	if code, _, first := apiDo(t, f, "GET", "/api/v1/matrix?page=1", "", ""); code != 200 || len(first) != min(len(all), matrixPerPage) {
		t.Errorf("API matrix page 1: %d, %d rows of %d", code, len(first), len(all))
	}
	if code, _, beyond := apiDo(t, f, "GET", "/api/v1/matrix?page=99", "", ""); code != 200 || len(beyond) != 0 {
		t.Errorf("API matrix page 99: %d, %d rows", code, len(beyond))
	}
	if code, _, _ := apiDo(t, f, "GET", "/api/v1/matrix?page=0", "", ""); code != 400 {
		t.Errorf("API matrix page 0: %d", code)
	}
	if _, err := f.store.FindVersionFacts(ctx, v.ID); err != nil {
		t.Errorf("facts extracted for the API are not stored: %v", err)
	}
	_, _, page = f.get("/matrix")
	if strings.Contains(page, "正在后台提取") || !strings.Contains(page, "旧政策") {
		t.Error("the matrix does not show the facts stored since")
	}
	if code, _, _ := f.get(fmt.Sprintf("/policies/%d/profile", p.ID)); code != 200 {
		t.Errorf("profile: %d", code)
	}
}
