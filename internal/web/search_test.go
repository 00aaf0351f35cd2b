package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/jsonview"
)

func searchURL(q string, extra ...string) string {
	return "/search?q=" + url.QueryEscape(q) + strings.Join(extra, "")
}

// The search page groups hits by policy, marks the phrase, links each hit to
// its line on the version page (which has that anchor and that text), says
// where the phrase first appeared, in Chinese and English.
func TestSearchPage(t *testing.T) {
	f := newFixture(t, Options{})
	code, _, body := f.get(searchURL("还会收集您的位置"))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	links := regexp.MustCompile(`href="/versions/(\d+)#L(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(links) != 3 {
		t.Fatalf("%d hit links, want the 3 edited lines:\n%s", len(links), body)
	}
	for _, l := range links {
		if l[1] != fmt.Sprint(f.manyTo) {
			t.Errorf("hit in version %s, want %d", l[1], f.manyTo)
		}
		_, _, page := f.get("/versions/" + l[1])
		line := regexp.MustCompile(`<li id="L` + l[2] + `"[^>]*>([^<]*)</li>`).FindStringSubmatch(page)
		if line == nil || !strings.Contains(line[1], "我们还会收集您的位置信息。") {
			t.Errorf("line %s of version %s: %v", l[2], l[1], line)
		}
	}
	for _, want := range []string{"全文搜索", "腾讯 · QQ隐私保护指引", "<mark>还会收集您的位置</mark>", "1 个政策中的 3 处",
		"最早出现于 2024年06月01日 08:00 的版本", "此后一直存在"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q", want)
		}
	}
	_, _, en := f.get(searchURL("还会收集您的位置", "&lang=en"))
	for _, want := range []string{"Full-text search", "in 1 policies: 3 matches", "first appeared in the version of", "present ever since", "line "} {
		if !strings.Contains(en, want) {
			t.Errorf("English: missing %q", want)
		}
	}
	// History, and a phrase of two characters.
	if _, _, all := f.get(searchURL("浩物", "&all_versions=true")); !strings.Contains(all, "<mark>浩物</mark>") ||
		!strings.Contains(all, fmt.Sprintf(`href="/versions/%d#L`, f.zeekrFrom)) {
		t.Error("浩物 not found in the Zeekr policy's first version")
	}
	if _, _, now := f.get(searchURL("浩物")); !strings.Contains(now, "没有找到「浩物」") {
		t.Error("浩物, gone from the current Zeekr policy, found in current versions")
	}
	// The box in every page's navigation; a page without a phrase.
	if _, _, home := f.get("/"); !strings.Contains(home, `action="/search"`) {
		t.Error("no search box in the navigation")
	}
	if code, _, empty := f.get("/search"); code != 200 || !strings.Contains(empty, "中文按字查找") {
		t.Errorf("/search without q: %d", code)
	}
	if code, _, long := f.get(searchURL(strings.Repeat("长", 201))); code != 400 || !strings.Contains(long, "搜索词太长") {
		t.Errorf("overlong phrase: %d", code)
	}
}

// Policy text and the phrase are text, never markup.
func TestSearchPageEscapes(t *testing.T) {
	f := newFixture(t, Options{})
	_, _, body := f.get(searchURL("<script>alert("))
	if !strings.Contains(body, "<mark>&lt;script&gt;alert(</mark>&#39;pwned&#39;)&lt;/script&gt;") {
		t.Errorf("hit not shown escaped:\n%s", body)
	}
	for _, q := range []string{`" onmouseover="alert(2)`, `<img src=x onerror=alert(1)>`} {
		_, _, body := f.get(searchURL(q))
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, `" onmouseover="`) {
			t.Errorf("%s: markup passed through:\n%s", q, body)
		}
		if !strings.Contains(body, "<mark>") {
			t.Errorf("%s: not found", q)
		}
	}
}

// GET /api/v1/search is the command's JSON; a Link header leads on.
func TestAPISearch(t *testing.T) {
	f := newFixture(t, Options{})
	code, h, body := f.get("/api/v1/search?q=" + url.QueryEscape("还会收集您的位置") + "&limit=2")
	var hits []jsonview.SearchHit
	if err := json.Unmarshal([]byte(body), &hits); code != 200 || err != nil || len(hits) != 2 {
		t.Fatalf("status %d, %v: %s", code, err, body)
	}
	if hits[0].VersionID != fmt.Sprint(f.manyTo) || hits[0].Platform != "腾讯" || !strings.Contains(hits[0].Text, "位置信息") ||
		hits[0].FirstVersionID != fmt.Sprint(f.manyTo) || !hits[0].Continuous || hits[0].Line == 0 {
		t.Errorf("hit %+v", hits[0])
	}
	if _, _, body := f.get("/api/v1/search?q=" + url.QueryEscape("还会收集您的位置") + "&all_versions=1"); !strings.Contains(body, `"line":`) {
		t.Errorf("all_versions=1: %s", body)
	}
	next := regexp.MustCompile(`^<(/api/v1/search\?[^>]+)>; rel="next"$`).FindStringSubmatch(h.Get("Link"))
	if next == nil {
		t.Fatalf("Link %q", h.Get("Link"))
	}
	_, h, body = f.get(next[1])
	var rest []jsonview.SearchHit
	json.Unmarshal([]byte(body), &rest)
	if len(rest) != 1 || rest[0].Line <= hits[1].Line || h.Get("Link") != "" {
		t.Errorf("next page %s (Link %q)", body, h.Get("Link"))
	}
	for _, bad := range []string{"q=", "q=x&all_versions=maybe", "q=x&limit=-1", "q=x&offset=a"} {
		code, _, body := f.get("/api/v1/search?" + bad)
		if code != 400 || !strings.Contains(body, `"class":"invalid"`) {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
}
