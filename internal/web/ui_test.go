package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/locale"
)

// uiFixture is the fixture with what a walk through the UI meets beyond
// the demo: a policy with Markdown headings (as HTML pages are stored), a
// policy whose last check failed once (HTTP 404), one that keeps meeting
// a bot wall (failing), and a logged-in client.
type uiFixture struct {
	*fixture
	headingsFrom, headingsTo int64
	gone, wall               int64 // policies
	admin                    *http.Client
}

const headingsOld = "# 示例隐私政策\n\n## 一、我们如何收集信息\n\n我们会收集您的手机号码，用于注册账号。这一段文字足够长，读起来像一份政策。\n\n### 1.1 设备信息\n\n我们会收集设备型号和操作系统版本。\n\n## 二、我们如何共享信息\n\n我们不会向第三方出售您的个人信息。除法律法规另有规定外，我们只在实现本政策所述目的所必需的最短期限内保存您的个人信息，期满后予以删除或匿名化处理。我们采取加密、访问控制和安全审计等措施保护您的个人信息，防止其遭到未经授权的访问、公开披露、使用、修改或丢失。您可以通过设置页面查阅、更正、删除您的个人信息，或注销您的账号。\n"

const headingsNew = "# 示例隐私政策\n\n## 一、我们如何收集和使用信息\n\n我们会收集您的手机号码，用于注册账号。这一段文字足够长，读起来像一份政策。\n\n\n### 1.1 设备信息\n我们会收集设备型号、操作系统版本和设备标识符。\n\n## 二、我们如何共享信息\n\n我们不会向第三方出售您的个人信息。除法律法规另有规定外，我们只在实现本政策所述目的所必需的最短期限内保存您的个人信息，期满后予以删除或匿名化处理。我们采取加密、访问控制和安全审计等措施保护您的个人信息，防止其遭到未经授权的访问、公开披露、使用、修改或丢失。您可以通过设置页面查阅、更正、删除您的个人信息，或注销您的账号。\n\n## 三、联系我们\n\n邮箱：privacy@example.com\n"

func newUIFixture(t *testing.T) *uiFixture {
	t.Helper()
	f := &uiFixture{fixture: newFixture(t, Options{})}
	ctx := context.Background()
	f.headingsFrom = f.importText("示例", "带标题的政策", headingsOld, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	f.headingsTo = f.importText("示例", "带标题的政策", headingsNew, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wall" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<html><head><title>安全验证</title></head><body><p>请完成验证：拖动滑块</p></body></html>")
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(site.Close)
	add := func(name, path string, checks int) int64 {
		p := &policywatch.Policy{Name: name, Platform: "出错的平台", URL: site.URL + path, Kind: policywatch.KindPrivacy,
			Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := f.store.CreatePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		for range checks {
			if out := f.checker.Check(ctx, p.ID); out.Result != policywatch.ResultFailed {
				t.Fatalf("check of %s: %s, want failed", path, out.Result)
			}
		}
		return p.ID
	}
	f.gone = add("已删除的政策", "/gone", 1)
	f.wall = add("被拦截的政策", "/wall", policywatch.DefaultFailingAfter)
	f.admin = loggedIn(t, f.fixture)
	addSubscriptions(t, f.fixture)
	return f
}

// policyOf is the policy of a version.
func (f *fixture) policyOf(version int64) int64 {
	v, err := f.store.FindVersion(context.Background(), version)
	if err != nil {
		f.t.Fatal(err)
	}
	return v.PolicyID
}

// loggedIn is a client with an admin session.
func loggedIn(t *testing.T, f *fixture) *http.Client {
	t.Helper()
	c := client()
	csrf := formToken(t, c, f.http.URL+"/login")
	resp, err := c.PostForm(f.http.URL+"/login", url.Values{"csrf": {csrf}, "token": {testToken}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	return c
}

// uiPage is a page of the walk: how to get it and the status it answers.
type uiPage struct {
	name   string
	status int
	get    func(lang string) (int, string)
}

// pages are every kind of page, each in a state the walk met.
func (f *uiFixture) pages(t *testing.T) []uiPage {
	anon := func(path string) func(string) (int, string) {
		return func(lang string) (int, string) {
			code, _, body := f.get(withLang(path, lang))
			return code, body
		}
	}
	as := func(path string) func(string) (int, string) {
		return func(lang string) (int, string) {
			resp, err := f.admin.Get(f.http.URL + withLang(path, lang))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
	}
	badForm := func(lang string) (int, string) {
		csrf := formToken(t, f.admin, f.http.URL+"/policies/new")
		resp, err := f.admin.PostForm(f.http.URL+withLang("/policies", lang), url.Values{"csrf": {csrf},
			"url": {"https://www.example.com/p"}, "name": {"x"}, "platform": {"y"}, "every": {"每天"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	badSubscription := func(lang string) (int, string) {
		csrf := formToken(t, f.admin, f.http.URL+"/subscriptions")
		resp, err := f.admin.PostForm(f.http.URL+withLang("/subscriptions", lang), url.Values{"csrf": {csrf},
			"kind": {"email"}, "target": {"某人的邮箱"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	importRows := func(text string) func(lang string) (int, string) {
		return func(lang string) (int, string) {
			csrf := formToken(t, f.admin, f.http.URL+"/policies/import")
			resp, err := f.admin.PostForm(f.http.URL+withLang("/policies/import", lang), url.Values{"csrf": {csrf}, "text": {text}})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
	}
	zeekr, _ := f.store.FindVersion(context.Background(), f.zeekrFrom)
	return []uiPage{
		{"home", 200, anon("/")},
		{"matrix", 200, anon("/matrix")},
		{"changes", 200, anon("/changes")},
		{"platform", 200, anon("/platforms/" + url.PathEscape("出错的平台"))},
		{"policy", 200, anon(fmt.Sprintf("/policies/%d", zeekr.PolicyID))},
		{"policy, last check failed", 200, anon(fmt.Sprintf("/policies/%d", f.gone))},
		{"policy, failing", 200, anon(fmt.Sprintf("/policies/%d", f.wall))},
		{"policy as admin", 200, as(fmt.Sprintf("/policies/%d", f.wall))},
		{"profile", 200, anon(fmt.Sprintf("/policies/%d/profile", zeekr.PolicyID))},
		{"compare", 200, anon(f.compareURL(f.zeekrFrom, f.zeekrTo, ""))},
		{"compare inline", 200, anon(f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=inline"))},
		{"compare folded", 200, anon(f.compareURL(f.manyFrom, f.manyTo, "&view=inline"))},
		{"compare headings", 200, anon(f.compareURL(f.headingsFrom, f.headingsTo, ""))},
		{"compare headings inline", 200, anon(f.compareURL(f.headingsFrom, f.headingsTo, "&view=inline"))},
		{"compare with itself", 200, anon(f.compareURL(f.zeekrTo, f.zeekrTo, ""))},
		{"version", 200, anon(fmt.Sprintf("/versions/%d", f.zeekrTo))},
		{"version with headings", 200, anon(fmt.Sprintf("/versions/%d", f.headingsTo))},
		{"login", 200, anon("/login")},
		{"add form", 200, as("/policies/new")},
		{"add form, bad interval", 400, badForm},
		{"subscriptions", 200, as("/subscriptions")},
		{"subscriptions, bad form", 400, badSubscription},
		{"delivery log", 200, as("/deliveries")},
		{"import form", 200, as("/policies/import")},
		{"import, rows skipped", 200, importRows("url,name,platform\nhttps://www.daoru.cn/a,甲,导入\nftp://www.daoru.cn/b,乙,导入\nhttps://www.daoru.cn/a,丙,导入\n,丁,导入\nhttps://www.daoru.cn/e,,导入\n")},
		{"import, file refused", 400, importRows("网址,名称\nhttps://www.daoru.cn/x,某\n")},
		{"delete confirmation", 200, as(fmt.Sprintf("/policies/%d/delete", f.wall))},
		{"not found", 404, anon("/policies/99999")},
		{"bad compare", 400, anon("/compare?from=x&to=1")},
		{"compare across policies", 400, anon(f.compareURL(f.zeekrFrom, f.manyTo, ""))},
	}
}

func withLang(path, lang string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + lang
}

// keyLike are tokens shaped like the catalogue's keys: dotted lower-case
// words.
var keyLike = regexp.MustCompile(`[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+`)

var links = regexp.MustCompile(`(href|src|action)="[^"]*"`)

// TestNoPageShowsAMessageKey: no page, in either language, shows a
// catalogue key instead of its text (a key missing from the catalogue
// prints as itself), in its text or its attributes.
func TestNoPageShowsAMessageKey(t *testing.T) {
	f := newUIFixture(t)
	keys := map[string]bool{}
	areas := map[string]bool{}
	for _, k := range locale.Keys("en") {
		keys[k] = true
		if area, _, ok := strings.Cut(k, "."); ok {
			areas[area] = true
		}
	}
	files := regexp.MustCompile(`\.(css|js|svg|atom|txt|patch|com|cn|html|png)$`)
	for _, pg := range f.pages(t) {
		for _, lang := range []string{"zh", "en"} {
			code, body := pg.get(lang)
			if code != pg.status {
				t.Errorf("%s (%s): status %d, want %d", pg.name, lang, code, pg.status)
			}
			seen := map[string]bool{}
			body = links.ReplaceAllString(body, "") // /compare.patch is a route, not a key
			for _, tok := range keyLike.FindAllString(body, -1) {
				area := tok[:strings.IndexByte(tok, '.')]
				if seen[tok] || !(keys[tok] || areas[area] && !files.MatchString(tok)) {
					continue
				}
				seen[tok] = true
				t.Errorf("%s (%s) shows the key %q", pg.name, lang, tok)
			}
		}
	}
}

// policyText are the parts of a page that quote a policy (its words are
// its own, in any language) or show a stored technical message on demand.
var policyText = regexp.MustCompile(`(?s)<table class="diff.*?</table>|<ol class="text">.*?</ol>|<q[ >].*?</q>|<code>.*?</code>|` +
	`<details class="failure-detail">.*?</details>|<a [^>]*rel="noopener[^>]*>.*?</a>|<table class="list facts">.*?</table>|` +
	`<p class="terms">.*?</p>|<(script|style|title)[^>]*>.*?</(script|style|title)>|<select[^>]*>.*?</select>`)

// visibleText is what a reader sees of a page's own words.
func visibleText(body string) string {
	body = policyText.ReplaceAllString(body, " ")
	body = regexp.MustCompile(`(?s)<[^>]+>`).ReplaceAllString(body, "\n")
	return html.UnescapeString(body)
}

// english finds English prose: two or more Latin words in a row, or a
// parenthesised word.
var english = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,})+|\([a-z]{3,}\)|\b[0-9]+ changes\b`)

// englishAllowed are the Latin words a Chinese page may show: commands
// and variables the reader types, and names.
var englishAllowed = regexp.MustCompile(`^(policywatch (add|serve|import-declarations)|Open Terms Archive|serve --demo|policywatch add --from|POLICYWATCH_ADMIN_TOKEN|Android ID|` +
	`url,name,platform(,kind,select,remove,render,every)?|kind,select,remove,render,every)$`) // the import's columns

// TestChinesePagesSpeakChinese: the Chinese UI says nothing in English:
// no check errors as stored ("HTTP 404 Not Found", "the site answered with
// a bot check…"), no (absent)/(present), no English error titles or form
// errors, no "1 changes".
func TestChinesePagesSpeakChinese(t *testing.T) {
	// The check catches what the walk found.
	for _, leak := range []string{`<dd class="error">[http_status] HTTP 404 Not Found</dd>`, `<td>境外 <small>(absent)</small></td>`,
		`<h1>Bad Request</h1>`, `<p>请求有误：from and to must be version ids</p>`, `<span>1 changes</span>`} {
		if !english.MatchString(visibleText(leak)) {
			t.Errorf("the check misses %s", leak)
		}
	}
	f := newUIFixture(t)
	for _, pg := range f.pages(t) {
		_, body := pg.get("zh")
		for _, m := range english.FindAllString(visibleText(body), -1) {
			if !englishAllowed.MatchString(m) {
				t.Errorf("%s: English in the Chinese page: %q", pg.name, m)
			}
		}
	}
}

func TestPluralsInEnglish(t *testing.T) {
	f := newUIFixture(t)
	_, _, body := f.get(f.compareURL(f.zeekrFrom, f.zeekrTo, "&lang=en"))
	if !strings.Contains(body, ">1 change</span>") {
		t.Error(`the toolbar does not say "1 change"`)
	}
	if strings.Contains(body, "(s)") || regexp.MustCompile(`\b1 changes\b`).MatchString(body) {
		t.Error("a count with the wrong plural")
	}
}

// TestStatusAgreesWithTheLastError: an active policy whose last check
// failed does not say 正常 beside the error; a policy whose checks pass
// shows no error; the error says what went wrong in the reader's
// language, with the stored message behind it.
func TestStatusAgreesWithTheLastError(t *testing.T) {
	f := newUIFixture(t)
	for _, tt := range []struct {
		name      string
		id        int64
		lang      string
		want, not []string
	}{
		{"failed once", f.gone, "zh", []string{`<span class="status lastfailed"`, ">最近一次检查失败</span>", "网站返回了错误状态 HTTP 404", "<summary>原始信息</summary><code>HTTP 404 Not Found</code>"},
			[]string{">正常<"}},
		{"failed once", f.gone, "en", []string{">Last check failed</span>", "The site answered with HTTP 404"}, []string{">Active<"}},
		{"failing", f.wall, "zh", []string{`<span class="status failing">抓取失败</span>`, "网站返回的是人机验证或反爬虫页面，不是政策", "（连续 3 次失败）"},
			[]string{">正常<"}},
	} {
		_, _, body := f.get(fmt.Sprintf("/policies/%d?lang=%s", tt.id, tt.lang))
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): lacks %q", tt.name, tt.lang, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(body, n) {
				t.Errorf("%s (%s): says %q", tt.name, tt.lang, n)
			}
		}
	}
	zeekr, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	_, _, body := f.get(fmt.Sprintf("/policies/%d", zeekr.PolicyID))
	if !strings.Contains(body, `<span class="status active">正常</span>`) || strings.Contains(body, "最近错误") {
		t.Error("a healthy policy's page")
	}
	// Lists of policies say the same.
	for _, path := range []string{"/", "/platforms/" + url.PathEscape("出错的平台")} {
		_, _, list := f.get(path)
		for _, want := range []string{`<span class="status lastfailed">最近一次检查失败</span>`, `<span class="status failing">抓取失败</span>`} {
			if !strings.Contains(list, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
	}
}

// TestVersionsAreNumberedPerPolicy: pages call a policy's versions v1,
// v2, …, while links keep the ids.
func TestVersionsAreNumberedPerPolicy(t *testing.T) {
	f := newUIFixture(t)
	from, to := f.headingsFrom, f.headingsTo
	if from == 1 {
		t.Fatal("the test needs a policy whose first version is not id 1")
	}
	v, _ := f.store.FindVersion(context.Background(), to)
	_, _, policy := f.get(fmt.Sprintf("/policies/%d", v.PolicyID))
	_, _, compare := f.get(f.compareURL(from, to, ""))
	_, _, version := f.get(fmt.Sprintf("/versions/%d", to))
	_, _, profile := f.get(fmt.Sprintf("/policies/%d/profile", v.PolicyID))
	for _, tt := range []struct{ page, body, want string }{
		{"policy", policy, `<td class="vno"><strong>v1</strong></td>`},
		{"policy", policy, `<td class="vno"><strong>v2</strong></td>`},
		{"policy timeline", policy, "<title>v2 · "},
		{"policy", policy, fmt.Sprintf(`href="/compare?from=%d&amp;to=%d"`, from, to)},
		{"compare header", compare, fmt.Sprintf(`<a href="/versions/%d">v1</a>`, from)},
		{"compare header", compare, fmt.Sprintf(`<a href="/versions/%d">v2</a>`, to)},
		{"compare picker", compare, fmt.Sprintf(`<option value="%d" selected>v2 · `, to)},
		{"version", version, "<small>v2</small>"},
		{"profile", profile, fmt.Sprintf(`<a href="/versions/%d">v2</a>`, to)},
	} {
		if !strings.Contains(tt.body, tt.want) {
			t.Errorf("%s lacks %q", tt.page, tt.want)
		}
	}
	for name, body := range map[string]string{"policy": policy, "compare": compare, "version": version, "profile": profile} {
		if regexp.MustCompile(fmt.Sprintf(`#%d\b|#%d\b`, from, to)).MatchString(visibleText(body)) {
			t.Errorf("%s shows a version's id", name)
		}
	}
}

func TestCompareWithItselfSaysSoOnce(t *testing.T) {
	f := newUIFixture(t)
	for _, lang := range []string{"zh", "en"} {
		_, _, body := f.get(f.compareURL(f.zeekrTo, f.zeekrTo, "&lang="+lang))
		if n := strings.Count(body, `class="notice"`); n != 1 {
			t.Errorf("%s: %d notices, want 1", lang, n)
		}
		p := &page{Lang: lang}
		for _, key := range []string{"compare.notanalysed", "compare.nochanges", "compare.onlyformat"} {
			if strings.Contains(body, p.T(key)) {
				t.Errorf("%s: says %q beside the notice", lang, p.T(key))
			}
		}
		if !strings.Contains(body, p.T("compare.samever")) || strings.Contains(body, `<table class="diff`) {
			t.Errorf("%s: no notice, or a diff", lang)
		}
	}
}

func TestLoginSaysWhereTheTokenComesFrom(t *testing.T) {
	f := newFixture(t, Options{})
	for _, lang := range []string{"zh", "en"} {
		if _, _, body := f.get("/login?lang=" + lang); !strings.Contains(body, "POLICYWATCH_ADMIN_TOKEN") {
			t.Errorf("%s: the login page does not name POLICYWATCH_ADMIN_TOKEN", lang)
		}
	}
}

// TestHeadingsShowAsHeadings: Markdown headings of a stored text show as
// headings, without their marks, in the version and compare pages; their
// line numbers are the normalized text's.
func TestHeadingsShowAsHeadings(t *testing.T) {
	f := newUIFixture(t)
	_, _, version := f.get(fmt.Sprintf("/versions/%d", f.headingsTo))
	for _, want := range []string{`<li id="L1" value="1" class="h1">示例隐私政策</li>`, `<li id="L3" value="3" class="h2 para">一、我们如何收集和使用信息</li>`,
		`<li id="L7" value="7" class="h3 para">1.1 设备信息</li>`, `<li id="L8" value="8">我们会收集设备型号`} {
		if !strings.Contains(version, want) {
			t.Errorf("version page lacks %s", want)
		}
	}
	if regexp.MustCompile(`<li[^>]*></li>`).MatchString(version) {
		t.Error("version page shows a blank line")
	}
	for _, view := range []string{"", "&view=inline"} {
		_, _, compare := f.get(f.compareURL(f.headingsFrom, f.headingsTo, view+"&context=all"))
		table := compare[strings.Index(compare, `<table class="diff`):]
		if strings.Contains(table, "# ") {
			t.Errorf("compare%s shows heading marks", view)
		}
		if !regexp.MustCompile(`<td class="tx[^"]* h2">(<span class="mk"[^>]*>[^<]*</span>)?一、我们如何收集<ins>和使用</ins>信息</td>`).MatchString(table) {
			t.Errorf("compare%s: the edited heading is not a marked h2", view)
		}
		// No row of blank lines: every numbered row has text.
		emptySide := regexp.MustCompile(`<td class="tx [a-z]+ nil"></td>`) // the missing side of an added or removed line
		if regexp.MustCompile(`<td class="tx[^"]*">(<span class="mk"[^>]*>[^<]*</span>)?</td>`).MatchString(emptySide.ReplaceAllString(table, "")) {
			t.Errorf("compare%s has an empty row", view)
		}
	}
}

// TestAnalysisLinksReachTheirRows: with blank lines left out of the view,
// every link of the analysis to a row still finds it, in both layouts.
func TestAnalysisLinksReachTheirRows(t *testing.T) {
	f := newUIFixture(t)
	rowID := regexp.MustCompile(`<tr id="([no]\d+)"`)
	link := regexp.MustCompile(`href="#([no]\d+)"`)
	for _, pair := range [][2]int64{{f.headingsFrom, f.headingsTo}, {f.zeekrFrom, f.zeekrTo}, {f.manyFrom, f.manyTo}} {
		for _, view := range []string{"&view=side", "&view=inline"} {
			u := f.compareURL(pair[0], pair[1], view)
			_, _, body := f.get(u)
			ids := map[string]bool{}
			for _, m := range rowID.FindAllStringSubmatch(body, -1) {
				ids[m[1]] = true
			}
			links := link.FindAllStringSubmatch(body, -1)
			if len(links) == 0 {
				t.Errorf("%s: no links to rows", u)
			}
			for _, m := range links {
				if !ids[m[1]] {
					t.Errorf("%s: a link to #%s, which no row has", u, m[1])
				}
			}
		}
	}
}
