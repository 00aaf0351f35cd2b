package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/demo"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/locale"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/testpages"
	"github.com/policywatch/policywatch/internal/textdiff"
	"github.com/policywatch/policywatch/internal/track"
)

const testToken = "test-admin-token-0123456789"

// fixture is a server over the demo collection plus policies made for
// tests: one with several separate changes, one with hostile text.
type fixture struct {
	t       *testing.T
	store   *store.Store
	checker *track.Checker
	server  *Server
	http    *httptest.Server
	// ids
	zeekrFrom, zeekrTo int64
	manyFrom, manyTo   int64
	evilVersion        int64
	evilPolicy         int64
}

func newFixture(t *testing.T, opt Options) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	checker := track.New(st, fetch.New(fetch.Options{AllowPrivate: true, Retries: -1}), nil, track.Options{})
	ctx := context.Background()
	if _, err := demo.Load(ctx, st, checker, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: st, checker: checker}
	zeekr, _ := st.FindPolicyByName(ctx, "极氪", "极氪个人信息保护政策")
	vs, _ := st.ListVersions(ctx, zeekr.ID)
	f.zeekrFrom, f.zeekrTo = vs[0].ID, vs[1].ID

	// A policy with three changes far apart, for navigation and folding.
	lines := strings.Split(normalize.Text(readTestdata(t, "qq.txt")), "\n")
	edited := append([]string{}, lines...)
	for _, i := range []int{20, 120, 220} {
		for edited[i] == "" {
			i++
		}
		edited[i] = edited[i] + "我们还会收集您的位置信息。"
	}
	f.manyFrom = f.importText("腾讯", "QQ隐私保护指引", strings.Join(lines, "\n"), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	f.manyTo = f.importText("腾讯", "QQ隐私保护指引", strings.Join(edited, "\n"), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))

	evil := strings.Repeat("正常的隐私政策文字，用来凑够长度。", 20) + "\n<script>alert('pwned')</script>\n<img src=x onerror=alert(1)>\n\" onmouseover=\"alert(2)\n"
	f.evilVersion = f.importText("恶意", "带标记的政策", evil, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	v, _ := st.FindVersion(ctx, f.evilVersion)
	f.evilPolicy = v.PolicyID

	if opt.AdminToken == "" {
		opt.AdminToken = testToken
	}
	if opt.Checker == nil {
		opt.Checker = checker
	}
	f.server, err = New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	f.http = httptest.NewServer(f.server)
	t.Cleanup(f.http.Close)
	return f
}

// readTestdata returns a file of testdata/ (see testdata/README.md for
// where each comes from).
func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) importText(platform, name, text string, at time.Time) int64 {
	f.t.Helper()
	out, err := f.checker.Import(context.Background(), track.ImportRequest{Platform: platform, Name: name,
		CapturedAt: at, FileName: "x.txt", Body: []byte(text)})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.VersionID
}

// get fetches a path and returns status, headers and body.
func (f *fixture) get(path string, header ...string) (int, http.Header, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.http.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func (f *fixture) compareURL(from, to int64, extra string) string {
	return fmt.Sprintf("/compare?from=%d&to=%d%s", from, to, extra)
}

func TestPagesAndLanguages(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		path, acceptLang string
		want             []string
	}{
		{"/", "", []string{"平台与政策", "极氪个人信息保护政策", "车300", "e约车", "瑞驰汽车"}},
		{"/", "en-US,en;q=0.9", []string{"Platforms and policies", "极氪个人信息保护政策"}},
		{"/?lang=en", "zh-CN", []string{"Platforms and policies"}},
		{"/?q=极氪", "", []string{"极氪个人信息保护政策"}},
		{"/policies/1", "", []string{"版本时间线", "<svg class=\"timeline\"", "与上一版对比"}},
		{f.compareURL(f.zeekrFrom, f.zeekrTo, ""), "", []string{"版本对比", "删除的内容", "新增的内容", "修改的内容",
			"<del>浩物网络科技</del>", "<ins>吉利汽车备件</ins>", `id="n147"`, "2025年11月10日 21:38", "2025年12月31日 02:55",
			"轻微变更", "分析时间", "builtin", "总体评估", "详细变更点分析", "变更内容", "潜在影响", "结论",
			"<mark>浙江浩物网络科技有限公司</mark>", "<mark>浙江吉利汽车备件有限公司</mark>", `href="#n147" class="ref">第147行</a>`, "共同处理"}},
		{f.compareURL(f.zeekrFrom, f.zeekrTo, "&lang=en"), "", []string{"Deleted", "Added", "Modified", "Overall assessment", "Potential impact", "jointly processes", "Analysed"}},
		{f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=inline"), "", []string{`class="diff inline"`, "<del>浩物网络科技</del>", "<ins>吉利汽车备件</ins>"}},
		{fmt.Sprintf("/versions/%d", f.zeekrFrom), "", []string{"浙江浩物网络科技有限公司", `id="L147"`}},
	}
	for _, tt := range tests {
		code, h, body := f.get(tt.path, "Accept-Language", tt.acceptLang)
		if code != 200 {
			t.Errorf("%s: status %d", tt.path, code)
			continue
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("%s: content type %s", tt.path, h.Get("Content-Type"))
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): missing %q", tt.path, tt.acceptLang, w)
			}
		}
	}
	if _, _, body := f.get("/?q=不存在的平台"); !strings.Contains(body, "没有找到匹配的政策") {
		t.Error("search without results says nothing")
	}
}

func TestMobileDefaultsToInline(t *testing.T) {
	f := newFixture(t, Options{})
	_, _, body := f.get(f.compareURL(f.zeekrFrom, f.zeekrTo, ""), "User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
	if !strings.Contains(body, `class="diff inline"`) {
		t.Error("a phone does not get the inline view by default")
	}
	_, _, body = f.get(f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=side"), "User-Agent", "Mobile")
	if !strings.Contains(body, `class="diff side"`) {
		t.Error("view=side is not honoured on a phone")
	}
}

func TestFoldingAndFormattingToggle(t *testing.T) {
	f := newFixture(t, Options{})
	_, _, body := f.get(f.compareURL(f.manyFrom, f.manyTo, ""))
	if !strings.Contains(body, `class="unfold"`) || !strings.Contains(body, " hidden") {
		t.Error("long unchanged runs are not folded")
	}
	if n := strings.Count(body, `data-block="`); n != 3 {
		t.Errorf("%d change blocks marked, want 3", n)
	}
	// A fold says how many lines it hides and how many a click shows.
	folds := regexp.MustCompile(`data-rows="(\d+)"[^>]*>这里折叠了 (\d+) 行未变化的内容，显示其中 40 行</a>`).FindAllStringSubmatch(body, -1)
	if len(folds) == 0 {
		t.Error("no fold says how many lines it hides")
	}
	for _, m := range folds {
		if m[1] != m[2] {
			t.Errorf("a fold hides %s rows but says %s", m[1], m[2])
		}
	}
	_, _, all := f.get(f.compareURL(f.manyFrom, f.manyTo, "&context=all"))
	if strings.Contains(all, `class="unfold"`) {
		t.Error("context=all still folds")
	}
	// Formatting-only: the same words re-wrapped.
	a := f.importText("格式", "格式测试", "第一段文字，内容足够长，用来测试格式的变化是否被识别出来。\n\n第二段文字。"+strings.Repeat("凑字数。", 60), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	b := f.importText("格式", "格式测试", "第一段文字，内容足够长，\n用来测试格式的变化是否被识别出来。\n\n\n第二段文字。"+strings.Repeat("凑字数。", 60)+"\n新增一句真正的话。", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
	_, _, shown := f.get(f.compareURL(a, b, ""))
	_, _, hidden := f.get(f.compareURL(a, b, "&fmt=hide"))
	if strings.Count(shown, `data-block="`) <= strings.Count(hidden, `data-block="`) {
		t.Error("hiding formatting changes did not reduce the changes shown")
	}
	if !strings.Contains(hidden, "quiet") {
		t.Error("formatting rows not quieted")
	}
}

func TestBadCompareRequests(t *testing.T) {
	f := newFixture(t, Options{})
	for path, want := range map[string]int{
		"/compare?from=x&to=2":                  400,
		"/compare?from=1":                       400,
		"/compare?from=1&to=99":                 404,
		f.compareURL(f.zeekrFrom, f.manyTo, ""): 400, // different policies
		"/policies/999":                         404,
		"/policies/abc":                         404,
		"/versions/999":                         404,
		"/no/such/page":                         404,
		"/api/v1/versions/999":                  404,
		"/api/v1/compare?from=1":                400,
	} {
		if code, _, _ := f.get(path); code != want {
			t.Errorf("%s: status %d, want %d", path, code, want)
		}
	}
}

func TestPlainTextAndPatch(t *testing.T) {
	f := newFixture(t, Options{})
	code, h, body := f.get(fmt.Sprintf("/versions/%d.txt", f.zeekrTo))
	v, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || body != normalize.Text(v.Text) {
		t.Fatalf("plain text: %d %s", code, h.Get("Content-Type"))
	}
	code, h, patch := f.get(strings.Replace(f.compareURL(f.manyFrom, f.manyTo, ""), "/compare", "/compare.patch", 1))
	if code != 200 || !strings.Contains(h.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(patch, "--- a/version-") {
		t.Fatalf("patch: %d %v %.100s", code, h, patch)
	}
	// Named by the versions' numbers in their policy, as the pages call them.
	if want := `filename="policy-` + fmt.Sprint(f.policyOf(f.manyFrom)) + `-v1-v2.patch"`; !strings.Contains(h.Get("Content-Disposition"), want) {
		t.Errorf("patch file: %s, want %s", h.Get("Content-Disposition"), want)
	}
	if _, err := exec.LookPath("patch"); err == nil {
		old, _ := f.store.FindVersion(context.Background(), f.manyFrom)
		neu, _ := f.store.FindVersion(context.Background(), f.manyTo)
		target := filepath.Join(t.TempDir(), "p.txt")
		os.WriteFile(target, []byte(normalize.Text(old.Text)), 0o644)
		cmd := exec.Command("patch", "--quiet", target)
		cmd.Stdin = strings.NewReader(patch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch does not apply: %v %s", err, out)
		}
		if got, _ := os.ReadFile(target); string(got) != normalize.Text(neu.Text) {
			t.Error("patched text differs from the new version")
		}
	}
}

func TestSecurityHeadersAndNoInlineScript(t *testing.T) {
	f := newFixture(t, Options{})
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>|<script>`)
	for _, path := range []string{"/", "/policies/1", f.compareURL(f.zeekrFrom, f.zeekrTo, ""), "/login", fmt.Sprintf("/versions/%d", f.evilVersion)} {
		_, h, body := f.get(path)
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if inlineScript.MatchString(body) {
			t.Errorf("%s: inline script in the page", path)
		}
		if strings.Contains(body, " style=") {
			t.Errorf("%s: inline style attribute (blocked by the CSP)", path)
		}
	}
}

func TestPolicyTextIsEscaped(t *testing.T) {
	f := newFixture(t, Options{})
	pages := []string{fmt.Sprintf("/versions/%d", f.evilVersion), fmt.Sprintf("/policies/%d", f.evilPolicy)}
	// Compare the hostile version with an edit of itself, so its lines show.
	v, _ := f.store.FindVersion(context.Background(), f.evilVersion)
	edited := f.importText("恶意", "带标记的政策", v.Text+"\n<b>新的一行</b>", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	pages = append(pages, f.compareURL(f.evilVersion, edited, "&context=all"), f.compareURL(f.evilVersion, edited, "&view=inline&context=all"))
	for _, path := range pages {
		_, _, body := f.get(path)
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>新的一行", `" onmouseover="alert`} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: policy markup %q reached the page as markup", path, raw)
			}
		}
	}
	_, _, body := f.get(fmt.Sprintf("/versions/%d", f.evilVersion))
	if !strings.Contains(body, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;") {
		t.Error("the hostile text is not shown escaped")
	}
}

// client is a browser-like HTTP client with cookies that does not follow
// redirects.
func client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func formToken(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := hiddenCSRF.FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no CSRF token on %s (status %d)", u, resp.StatusCode)
	}
	return m[1]
}

func TestLoginProtectsWrites(t *testing.T) {
	f := newFixture(t, Options{})
	c := client()
	newPolicy := url.Values{"url": {"https://www.example.com/privacy"}, "name": {"新政策"}, "platform": {"示例"},
		"kind": {"privacy"}, "render": {"auto"}, "every": {"1d"}}

	// Not logged in: refused.
	resp, _ := c.PostForm(f.http.URL+"/policies", newPolicy)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous write: status %d", resp.StatusCode)
	}
	resp, _ = c.Get(f.http.URL + "/policies/new")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("form without login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Wrong token, then a login form posted without its CSRF token.
	loginCSRF := formToken(t, c, f.http.URL+"/login")
	resp, _ = c.PostForm(f.http.URL+"/login", url.Values{"csrf": {loginCSRF}, "token": {"wrong"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d", resp.StatusCode)
	}
	resp, _ = c.PostForm(f.http.URL+"/login", url.Values{"token": {testToken}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without CSRF token: status %d", resp.StatusCode)
	}

	// Log in; the session cookie is HttpOnly and SameSite.
	resp, _ = c.PostForm(f.http.URL+"/login", url.Values{"csrf": {loginCSRF}, "token": {testToken}, "next": {"/policies/new"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/policies/new" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	setCookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
		t.Errorf("session cookie flags: %s", setCookie)
	}

	// Logged in but without the form's CSRF token: refused.
	resp, _ = c.PostForm(f.http.URL+"/policies", newPolicy)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("write without CSRF token: status %d", resp.StatusCode)
	}
	csrf := formToken(t, c, f.http.URL+"/policies/new")
	newPolicy.Set("csrf", csrf)
	resp, _ = c.PostForm(f.http.URL+"/policies", newPolicy)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	p, err := f.store.FindPolicyByName(context.Background(), "示例", "新政策")
	if err != nil || p.URL != "https://www.example.com/privacy" {
		t.Fatalf("policy not created: %v %v", p, err)
	}

	// Pause from the UI.
	resp, _ = c.PostForm(fmt.Sprintf("%s/policies/%d/pause", f.http.URL, p.ID), url.Values{"csrf": {csrf}})
	if got, _ := f.store.FindPolicy(context.Background(), p.ID); resp.StatusCode != http.StatusSeeOther || got.Status != policywatch.StatusPaused {
		t.Errorf("pause: %d, status %s", resp.StatusCode, got.Status)
	}

	// A cross-site form post is refused even with a session.
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/policies/%d/resume", f.http.URL, p.ID), strings.NewReader("csrf="+csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, _ = c.Do(req)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: status %d", resp.StatusCode)
	}

	// Invalid input shows the form again with the reason.
	bad := url.Values{"csrf": {csrf}, "url": {"ftp://x"}, "name": {"x"}, "platform": {"y"}}
	resp, _ = c.PostForm(f.http.URL+"/policies", bad)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "只能抓取 http 和 https 网址") {
		t.Errorf("bad URL: status %d", resp.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/compare?from=1&to=2": "/compare?from=1&to=2",
		"":                     "/",
		"https://evil.example": "/",
		"//evil.example/x":     "/",
		"javascript:alert(1)":  "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRequireLoginForReading(t *testing.T) {
	f := newFixture(t, Options{RequireLogin: true})
	resp, _ := client().Get(f.http.URL + "/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous read: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, _, _ := f.get("/api/v1/policies"); code != http.StatusUnauthorized {
		t.Errorf("anonymous API read: %d", code)
	}
	if code, _, _ := f.get("/api/v1/policies", "Authorization", "Bearer "+testToken); code != 200 {
		t.Errorf("API read with token: %d", code)
	}
	if code, _, _ := f.get("/healthz"); code != 200 {
		t.Errorf("health check behind login: %d", code)
	}
}

func apiDo(t *testing.T, f *fixture, method, path, token, body string) (int, map[string]any, []any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.http.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var obj map[string]any
	var arr []any
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		json.Unmarshal(raw, &arr)
	} else if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, obj, arr
}

func TestJSONAPI(t *testing.T) {
	f := newFixture(t, Options{})
	code, _, list := apiDo(t, f, "GET", "/api/v1/policies", "", "")
	if code != 200 || len(list) < 5 {
		t.Fatalf("policies: %d %d", code, len(list))
	}
	first := list[0].(map[string]any)
	for _, k := range []string{"id", "name", "platform", "url", "versions", "last_checked", "last_changed", "status"} {
		if _, ok := first[k]; !ok {
			t.Errorf("policy lacks %q", k)
		}
	}
	code, cmp, _ := apiDo(t, f, "GET", fmt.Sprintf("/api/v1/compare?from=%d&to=%d", f.zeekrFrom, f.zeekrTo), "", "")
	if code != 200 {
		t.Fatalf("compare: %d", code)
	}
	analysis, _ := cmp["analysis"].(map[string]any)
	if analysis["level"] != "minor" || analysis["engine"] != "builtin" || len(analysis["changes"].([]any)) != 1 {
		t.Errorf("compare's analysis: %v", analysis)
	}
	stats := cmp["stats"].(map[string]any)
	if stats["modified"].(float64) != 1 {
		t.Errorf("stats %v", stats)
	}
	var changed []any
	for _, r := range cmp["rows"].([]any) {
		if row := r.(map[string]any); row["op"] != "equal" {
			changed = append(changed, row)
		}
	}
	if len(changed) != 1 || changed[0].(map[string]any)["old_no"].(float64) != 147 {
		t.Errorf("changed rows %v", changed)
	}
	code, v, _ := apiDo(t, f, "GET", fmt.Sprintf("/api/v1/versions/%d", f.zeekrTo), "", "")
	if code != 200 || !strings.Contains(v["text"].(string), "浙江吉利汽车备件有限公司") {
		t.Errorf("version: %d", code)
	}
	code, _, versions := apiDo(t, f, "GET", "/api/v1/policies/1/versions", "", "")
	if code != 200 || len(versions) != 2 {
		t.Errorf("versions: %d %d", code, len(versions))
	}
	code, detail, _ := apiDo(t, f, "GET", "/api/v1/policies/1", "", "")
	if code != 200 || detail["latest_version_id"] == nil {
		t.Errorf("policy detail: %d %v", code, detail)
	}
}

func TestAPIWrites(t *testing.T) {
	f := newFixture(t, Options{})
	src := readTestdata(t, "kfc.txt")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, testpages.HTML(src, testpages.Options{}))
	}))
	defer site.Close()
	body := fmt.Sprintf(`{"url": %q, "name": "肯德基隐私政策", "platform": "百胜中国", "every": "12h"}`, site.URL+"/privacy")

	if code, obj, _ := apiDo(t, f, "POST", "/api/v1/policies", "", body); code != 401 || obj["error"] == nil {
		t.Errorf("write without token: %d %v", code, obj)
	}
	if code, _, _ := apiDo(t, f, "POST", "/api/v1/policies", "wrong", body); code != 401 {
		t.Errorf("write with a wrong token: %d", code)
	}
	code, created, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, body)
	if code != 201 || created["interval_seconds"].(float64) != 12*3600 {
		t.Fatalf("create: %d %v", code, created)
	}
	id := created["id"].(string)
	if code, _, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, body); code != 409 {
		t.Errorf("duplicate: %d", code)
	}
	if code, _, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, `{"url": "x"`); code != 400 {
		t.Errorf("bad JSON: %d", code)
	}
	if code, _, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, `{"url": "file:///etc/passwd", "name": "a", "platform": "b"}`); code != 400 {
		t.Errorf("bad URL: %d", code)
	}
	code, check, _ := apiDo(t, f, "POST", "/api/v1/policies/"+id+"/check", testToken, "")
	if code != 200 || check["result"] != "first" || check["version_id"] == nil {
		t.Fatalf("check: %d %v", code, check)
	}
	code, updated, _ := apiDo(t, f, "PATCH", "/api/v1/policies/"+id, testToken, `{"status": "paused", "select": "main"}`)
	if code != 200 || updated["status"] != "paused" || updated["select"] != "main" {
		t.Errorf("patch: %d %v", code, updated)
	}
	if code, _, _ := apiDo(t, f, "PATCH", "/api/v1/policies/999", testToken, `{"status": "paused"}`); code != 404 {
		t.Errorf("patch of a missing policy: %d", code)
	}
}

// TestMessagesExistInBothLanguages: every message of the catalogue is in
// both languages, and every key the pages use (templates and Go code) is in
// the catalogue, so that no page shows a key or falls back to Chinese.
func TestMessagesExistInBothLanguages(t *testing.T) {
	zh, en := locale.NewPrinter("zh"), locale.NewPrinter("en")
	for _, key := range locale.Keys("zh") {
		if !en.Has(key) {
			t.Errorf("English lacks %q", key)
		}
	}
	for _, key := range locale.Keys("en") {
		if !zh.Has(key) && !locale.IsPluralForm(key) {
			t.Errorf("Chinese lacks %q", key)
		}
	}

	static := regexp.MustCompile(`\.Tn?\(?\s*"([^"%]+)"`)        // .T "key" in a template, p.T("key") in Go, and Tn
	dynamic := regexp.MustCompile(`\.T \(printf "([^"%]+\.)%s"`) // .T (printf "kind.%s" .Kind)
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	used, prefixes := 0, 0
	for _, name := range append(files, gofiles...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var dynamicKeys []string
		for _, m := range static.FindAllStringSubmatch(string(b), -1) {
			if strings.HasSuffix(m[1], ".") { // p.T("result." + string(o.Result))
				dynamicKeys = append(dynamicKeys, m[1])
				continue
			}
			used++
			if !zh.Has(m[1]) || !en.Has(m[1]) {
				t.Errorf("%s uses %q, which the catalogue lacks", name, m[1])
			}
		}
		for _, m := range dynamic.FindAllStringSubmatch(string(b), -1) {
			dynamicKeys = append(dynamicKeys, m[1])
		}
		for _, prefix := range dynamicKeys {
			prefixes++
			found := false
			for _, key := range locale.Keys("en") {
				found = found || strings.HasPrefix(key, prefix)
			}
			if !found {
				t.Errorf("%s uses keys %q…, of which the catalogue has none", name, prefix)
			}
		}
	}
	if used < 100 || prefixes == 0 {
		t.Errorf("found only %d keys and %d key prefixes in the templates and code", used, prefixes)
	}
}

func TestDiffDocument(t *testing.T) {
	f := newFixture(t, Options{})
	a, _ := f.store.FindVersion(context.Background(), f.zeekrFrom)
	b, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	var buf bytes.Buffer
	if err := WriteDiffDocument(&buf, textdiff.Compare(a.Text, b.Text), "old.txt", "new.txt", "zh", false); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, want := range []string{"<style>", "<del>浩物网络科技</del>", "<ins>吉利汽车备件</ins>", "删除的内容"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	if strings.Contains(doc, "<script") || regexp.MustCompile(`<tr[^>]* hidden`).MatchString(doc) {
		t.Error("a standalone document should have no script and fold nothing")
	}
}
