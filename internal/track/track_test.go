package track

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/browser"
	"github.com/policywatch/policywatch/internal/extract"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/testpages"
)

// site is a loopback web server whose pages tests change as they go.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]http.HandlerFunc
	hits  map[string]*atomic.Int64
}

func newSite(t *testing.T) *site {
	s := &site{pages: map[string]http.HandlerFunc{}, hits: map[string]*atomic.Int64{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h, ok := s.pages[r.URL.Path]
		if s.hits[r.URL.Path] == nil {
			s.hits[r.URL.Path] = &atomic.Int64{}
		}
		s.hits[r.URL.Path].Add(1)
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) handle(path string, h http.HandlerFunc) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = h
	if s.hits[path] == nil {
		s.hits[path] = &atomic.Int64{}
	}
	return s.URL + path
}

func (s *site) html(path, body string) string {
	return s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
}

func (s *site) hitCount(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hits[path] == nil {
		return 0
	}
	return s.hits[path].Load()
}

type harness struct {
	t       *testing.T
	store   *store.Store
	fetcher *fetch.Client
	checker *Checker
	site    *site
}

type harnessOption func(*fetch.Options, *Options, *Renderer)

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fo := fetch.Options{AllowPrivate: true, RetryBase: 10 * time.Millisecond, Timeout: 5 * time.Second}
	to := Options{}
	var renderer Renderer
	for _, o := range opts {
		o(&fo, &to, &renderer)
	}
	f := fetch.New(fo)
	if renderer == nil && browser.Available() {
		b := browser.New(browser.Options{Dialer: f.Dialer(), Timeout: 30 * time.Second})
		t.Cleanup(b.Close)
		renderer = b
	}
	return &harness{t: t, store: st, fetcher: f, checker: New(st, f, renderer, to), site: newSite(t)}
}

func (h *harness) add(url string, mods ...func(*policywatch.Policy)) *policywatch.Policy {
	h.t.Helper()
	p := &policywatch.Policy{Platform: "测试平台", Name: "隐私政策 " + url, URL: url, Kind: policywatch.KindPrivacy,
		Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
	for _, m := range mods {
		m(p)
	}
	if err := h.store.CreatePolicy(context.Background(), p); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) check(p *policywatch.Policy) Outcome {
	return h.checker.Check(context.Background(), p.ID)
}

func (h *harness) versions(p *policywatch.Policy) []policywatch.Version {
	h.t.Helper()
	vs, err := h.store.ListVersions(context.Background(), p.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return vs
}

func (h *harness) text(id int64) string {
	h.t.Helper()
	v, err := h.store.FindVersion(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return v.Text
}

// expectFailure asserts a failed check of the given class whose message
// contains every word, that no version was recorded, and that the policy
// shows the error.
func (h *harness) expectFailure(p *policywatch.Policy, class policywatch.ErrorClass, words ...string) Outcome {
	h.t.Helper()
	o := h.check(p)
	if o.Result != policywatch.ResultFailed || o.ErrorClass != class {
		h.t.Fatalf("want failed/%s, got %s/%s: %s", class, o.Result, o.ErrorClass, o.Error)
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(o.Error), strings.ToLower(w)) {
			h.t.Errorf("error %q does not mention %q", o.Error, w)
		}
	}
	if vs := h.versions(p); len(vs) != 0 {
		h.t.Errorf("a failed check recorded %d versions", len(vs))
	}
	got, _ := h.store.FindPolicy(context.Background(), p.ID)
	if got.LastError != o.Error || got.LastErrorClass != class {
		h.t.Errorf("policy does not show the error: %q/%s", got.LastError, got.LastErrorClass)
	}
	return o
}

func seedText(t *testing.T, prefix string) string {
	t.Helper()
	s, err := testpages.Seed(prefix)
	if err != nil {
		t.Skip(err)
	}
	return s
}

func capp(t *testing.T, name string) string {
	t.Helper()
	s, err := testpages.Policy(name)
	if err != nil {
		t.Skip(err)
	}
	return s
}

// containsLines asserts every non-blank line of src appears in text.
func containsLines(t *testing.T, text, src string) {
	t.Helper()
	got := normalize.Text(text)
	for _, l := range strings.Split(normalize.Text(src), "\n") {
		if l != "" && !strings.Contains(got, l) {
			t.Errorf("line missing from the version: %q", l)
			return
		}
	}
}

func TestUTF8PageFirstThenUnchanged(t *testing.T) {
	h := newHarness(t)
	src := seedText(t, "002")
	url := h.site.html("/privacy", testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"}))
	p := h.add(url)

	o := h.check(p)
	if o.Result != policywatch.ResultFirst || o.VersionID == 0 || o.Renderer != "http" {
		t.Fatalf("first check: %+v", o)
	}
	text := h.text(o.VersionID)
	containsLines(t, text, src)
	for _, junk := range testpages.ChromeTexts {
		if strings.Contains(text, junk) {
			t.Errorf("site chrome %q in the version", junk)
		}
	}
	again := h.check(p)
	if again.Result != policywatch.ResultUnchanged || again.VersionID != o.VersionID {
		t.Errorf("second check: %+v", again)
	}
	if n := len(h.versions(p)); n != 1 {
		t.Errorf("%d versions", n)
	}
}

func TestGBKPage(t *testing.T) {
	h := newHarness(t)
	src := capp(t, "中国农业银行")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(testpages.HTML(src, testpages.Options{Charset: "gbk"}))
	if err != nil {
		t.Fatal(err)
	}
	url := h.site.handle("/gbk", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // charset only in the page's <meta>
		w.Write([]byte(gbk))
	})
	o := h.check(h.add(url))
	if o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	containsLines(t, h.text(o.VersionID), src)
}

func TestRealChangeMakesANewVersion(t *testing.T) {
	h := newHarness(t)
	src := capp(t, "QQ")
	page := testpages.HTML(src, testpages.Options{})
	url := h.site.html("/p", page)
	p := h.add(url)
	first := h.check(p)
	edited := strings.Replace(page, "</article>", "<p>我们会收集您的人脸识别特征用于身份核验。</p></article>", 1)
	h.site.html("/p", edited)
	o := h.check(p)
	if o.Result != policywatch.ResultChanged || o.VersionID == first.VersionID {
		t.Fatalf("%+v", o)
	}
	if !strings.Contains(h.text(o.VersionID), "人脸识别特征") {
		t.Errorf("new version lacks the new sentence")
	}
	got, _ := h.store.FindPolicy(context.Background(), p.ID)
	if got.LastChangedAt.IsZero() || got.Status != policywatch.StatusActive {
		t.Errorf("policy after change: %+v", got)
	}
	// The new version is analysed against the one before, when recorded.
	as, err := h.store.FindAnalyses(context.Background(), first.VersionID, o.VersionID)
	if err != nil || len(as) != 1 || as[0].Engine != "builtin" || as[0].Lang != "zh" || as[0].Level != "major" ||
		!strings.Contains(string(as[0].Report), "人脸识别特征") {
		t.Fatalf("analysis on record: %v %+v", err, as)
	}
}

func TestRewrappedPageIsNotANewVersion(t *testing.T) {
	h := newHarness(t)
	src := capp(t, "KEEP")
	h.site.handle("/keep.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, src)
	})
	p := h.add(h.site.URL + "/keep.txt")
	if o := h.check(p); o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	// The same words: every paragraph re-wrapped at 30 characters, blank
	// lines doubled, full-width punctuation swapped for half-width, and
	// trailing spaces added.
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		rs := []rune(strings.NewReplacer("，", ",", "：", ":", "（", "(", "）", ")").Replace(line))
		for len(rs) > 30 {
			b.WriteString(string(rs[:30]) + "  \n")
			rs = rs[30:]
		}
		b.WriteString(string(rs) + "\n\n")
	}
	h.site.handle("/keep.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, b.String())
	})
	o := h.check(p)
	if o.Result != policywatch.ResultUnchanged {
		t.Fatalf("re-wrapped text: %+v", o)
	}
	if n := len(h.versions(p)); n != 1 {
		t.Errorf("%d versions after re-wrapping", n)
	}
}

func TestConditionalRequests(t *testing.T) {
	h := newHarness(t)
	page := testpages.HTML(capp(t, "WPS"), testpages.Options{})
	var conditional atomic.Int64
	url := h.site.handle("/etag", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	p := h.add(url)
	h.check(p)
	o := h.check(p)
	if o.Result != policywatch.ResultUnchanged || conditional.Load() != 1 {
		t.Errorf("second check: %+v, conditional requests %d", o, conditional.Load())
	}
}

func TestScriptRenderedPage(t *testing.T) {
	if !browser.Available() {
		t.Skip("Chromium not installed: apt-get install chromium (or set CHROME_PATH)")
	}
	h := newHarness(t)
	src := capp(t, "抖音")
	url := h.site.html("/spa", scriptPage(src))
	p := h.add(url)
	o := h.check(p)
	if o.Result != policywatch.ResultFirst || o.Renderer != "browser" {
		t.Fatalf("auto mode on a script page: %+v", o)
	}
	containsLines(t, h.text(o.VersionID), src)

	// Plain HTTP sees only the empty shell.
	h.site.html("/spa-http", scriptPage(src))
	httpOnly := h.add(h.site.URL+"/spa-http", func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP })
	h.expectFailure(httpOnly, policywatch.ErrEmpty, "characters")
}

// scriptPage hides the policy from plain HTTP: script writes it in.
func scriptPage(text string) string {
	body := testpages.BodyHTML(text)
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>隐私政策</title></head><body>
<div id="app">加载中…</div>
<script>
var parts = ` + jsString(body) + `;
setTimeout(function(){ document.getElementById('app').innerHTML = parts; }, 200);
</script></body></html>`
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\u003c`)
	return `"` + r.Replace(s) + `"`
}

func TestNoChromiumFailsOnlyThePagesThatNeedIt(t *testing.T) {
	missing := browser.New(browser.Options{ExecPath: "/nonexistent/chromium", Dialer: &fetch.Dialer{AllowPrivate: true}})
	h := newHarness(t, func(_ *fetch.Options, _ *Options, r *Renderer) { *r = missing })
	src := capp(t, "抖音")
	spa := h.add(h.site.html("/spa", scriptPage(src)))
	plain := h.add(h.site.html("/plain", testpages.HTML(src, testpages.Options{})))
	out := h.checker.CheckMany(context.Background(), []int64{spa.ID, plain.ID}, 2, nil)
	if out[0].Result != policywatch.ResultFailed || out[0].ErrorClass != policywatch.ErrRender ||
		!strings.Contains(out[0].Error, "Chromium") {
		t.Errorf("script page without Chromium: %+v", out[0])
	}
	if out[1].Result != policywatch.ResultFirst {
		t.Errorf("plain page: %+v", out[1])
	}
}

func TestPDFPage(t *testing.T) {
	if _, err := extract.PDFToTextPath(); err != nil {
		t.Skip("pdftotext not installed: apt-get install poppler-utils poppler-data")
	}
	pdf, err := os.ReadFile("../extract/testdata/zhongguoyidong.pdf")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	url := h.site.handle("/policy.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(pdf)
	})
	o := h.check(h.add(url))
	if o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	text := h.text(o.VersionID)
	if !strings.Contains(text, "中国移动（以下称“我们”）非常重视用户的隐私和个人信息安全保护，我们将按照法律法规要求，采取相应安全保护措施，尽力保护您的个人信息安全可控。") {
		t.Errorf("paragraph not rebuilt from the PDF:\n%.600s", text)
	}
	if strings.Contains(text, "页/共") {
		t.Errorf("page footer in the version")
	}
}

func TestCaptchaPage(t *testing.T) {
	h := newHarness(t)
	url := h.site.html("/captcha", `<html><head><title>安全验证</title></head><body><div class="nc-container">
<p>请拖动滑块完成验证</p><p>访问过于频繁，请稍后再试。</p></div><script src="/nc.js"></script></body></html>`)
	h.expectFailure(h.add(url), policywatch.ErrBotWall, "bot check")

	english := h.site.html("/cf", `<html><head><title>Just a moment...</title></head><body>
<h1>Checking your browser before accessing the site.</h1><noscript>Enable JavaScript and cookies to continue</noscript></body></html>`)
	h.expectFailure(h.add(english, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrBotWall)
}

func TestErrorPageWithStatusOK(t *testing.T) {
	h := newHarness(t)
	url := h.site.html("/gone", `<html><body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p>返回首页</p></body></html>`)
	h.expectFailure(h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrHTTPStatus, "error page")
}

func TestEmptyPage(t *testing.T) {
	h := newHarness(t)
	url := h.site.html("/empty", `<html><body><p>隐私政策</p></body></html>`)
	h.expectFailure(h.add(url), policywatch.ErrEmpty, "characters")
}

func TestServerError(t *testing.T) {
	h := newHarness(t)
	url := h.site.handle("/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	h.expectFailure(h.add(url), policywatch.ErrHTTPStatus, "500", "3 attempts")
	if n := h.site.hitCount("/500"); n != 3 {
		t.Errorf("server hit %d times, want 3 (one try and two retries)", n)
	}
}

func TestNotFound(t *testing.T) {
	h := newHarness(t)
	p := h.add(h.site.URL + "/missing")
	h.expectFailure(p, policywatch.ErrHTTPStatus, "404")
	if n := h.site.hitCount("/missing"); n > 1 {
		t.Errorf("a 404 was retried")
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	h := newHarness(t)
	page := testpages.HTML(capp(t, "KFC"), testpages.Options{})
	var times []time.Time
	var mu sync.Mutex
	url := h.site.handle("/busy", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	o := h.check(h.add(url))
	if o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 950*time.Millisecond {
		t.Errorf("retry came %v after the 429, want at least the 1s Retry-After", times[1].Sub(times[0]))
	}

	long := h.site.handle("/long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "come back later", http.StatusTooManyRequests)
	})
	h.expectFailure(h.add(long), policywatch.ErrRateLimited, "retry-after", "1h0m0s")
	if n := h.site.hitCount("/long"); n != 1 {
		t.Errorf("a 429 asking for an hour was retried %d times", n-1)
	}
}

func TestSlowServer(t *testing.T) {
	h := newHarness(t, func(f *fetch.Options, _ *Options, _ *Renderer) { f.Timeout = 300 * time.Millisecond; f.Retries = -1 })
	url := h.site.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	start := time.Now()
	h.expectFailure(h.add(url), policywatch.ErrTimeout, "300ms")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

func TestSlowBodyCountsAgainstTheTimeout(t *testing.T) {
	h := newHarness(t, func(f *fetch.Options, _ *Options, _ *Renderer) { f.Timeout = 400 * time.Millisecond; f.Retries = -1 })
	url := h.site.handle("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 100; i++ {
			fmt.Fprint(w, "<p>一点一点地发送。</p>")
			w.(http.Flusher).Flush()
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	h.expectFailure(h.add(url), policywatch.ErrTimeout)
}

func TestHugeBody(t *testing.T) {
	h := newHarness(t)
	declared := h.site.handle("/declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(30<<20))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK) // the body never comes: the client must not wait for it
	})
	h.expectFailure(h.add(declared), policywatch.ErrTooLarge, "limit")

	streamed := h.site.handle("/streamed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>很长的内容。</p>", 4096))
		for sent := 0; sent < 25<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	h.expectFailure(h.add(streamed), policywatch.ErrTooLarge, "20.0 MiB")
}

func TestRedirectLoop(t *testing.T) {
	h := newHarness(t)
	h.site.handle("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	h.site.handle("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	h.expectFailure(h.add(h.site.URL+"/a"), policywatch.ErrRedirects, "redirect loop")

	n := 0
	h.site.handle("/hop", func(w http.ResponseWriter, r *http.Request) {
		n++
		http.Redirect(w, r, fmt.Sprintf("/hop?n=%d", n), http.StatusFound)
	})
	h.expectFailure(h.add(h.site.URL+"/hop"), policywatch.ErrRedirects, "too many redirects")
}

func TestTruncatedBody(t *testing.T) {
	h := newHarness(t)
	page := testpages.HTML(capp(t, "QQ"), testpages.Options{})
	url := h.site.handle("/cut", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(page)))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page[:len(page)/3]))
		// Hijack and close: the client sees the connection end early.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	h.expectFailure(h.add(url), policywatch.ErrTruncated, "cut short", fmt.Sprint(len(page)))
}

func TestPrivateAddressRefusedByDefault(t *testing.T) {
	h := newHarness(t, func(f *fetch.Options, _ *Options, _ *Renderer) { f.AllowPrivate = false })
	url := h.site.html("/internal", testpages.HTML(capp(t, "QQ"), testpages.Options{}))
	h.expectFailure(h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrBlocked, "loopback", "127.0.0.1")
	if n := h.site.hitCount("/internal"); n != 0 {
		t.Errorf("the guard let %d requests through", n)
	}
	// A public-looking name that redirects inward is caught at connect time too.
	redirector := httptest.NewServer(http.RedirectHandler(url, http.StatusFound))
	defer redirector.Close()
	h.expectFailure(h.add(redirector.URL+"/r", func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrBlocked)
}

func TestSuspiciousShrinkIsHeldUntilConfirmed(t *testing.T) {
	h := newHarness(t)
	src := capp(t, "京东")
	full := testpages.HTML(src, testpages.Options{})
	short := testpages.HTML(src[:len(src)/5], testpages.Options{})
	url := h.site.html("/jd", full)
	p := h.add(url)
	first := h.check(p)

	h.site.html("/jd", short)
	o := h.check(p)
	if o.Result != policywatch.ResultFailed || o.ErrorClass != policywatch.ErrSuspicious || !strings.Contains(o.Error, "shrank") {
		t.Fatalf("sudden shrink: %+v", o)
	}
	if n := len(h.versions(p)); n != 1 {
		t.Fatalf("held text recorded: %d versions", n)
	}
	// A glitch that goes away: back to the full text, nothing recorded.
	h.site.html("/jd", full)
	if o := h.check(p); o.Result != policywatch.ResultUnchanged || o.VersionID != first.VersionID {
		t.Fatalf("back to normal: %+v", o)
	}
	// A real cut: seen twice in a row, then recorded.
	h.site.html("/jd", short)
	h.check(p)
	o = h.check(p)
	if o.Result != policywatch.ResultChanged {
		t.Fatalf("confirmed shrink: %+v", o)
	}
	if n := len(h.versions(p)); n != 2 {
		t.Errorf("%d versions after a confirmed shrink", n)
	}
}

func TestFailingAfterThreeAndRecovery(t *testing.T) {
	h := newHarness(t, func(f *fetch.Options, _ *Options, _ *Renderer) { f.Retries = -1 })
	var down atomic.Bool
	down.Store(true)
	page := testpages.HTML(capp(t, "WPS"), testpages.Options{})
	url := h.site.handle("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	p := h.add(url)
	for i := 1; i <= 3; i++ {
		h.check(p)
		got, _ := h.store.FindPolicy(context.Background(), p.ID)
		if want := i >= 3; (got.Status == policywatch.StatusFailing) != want {
			t.Errorf("after %d failures status is %s", i, got.Status)
		}
	}
	down.Store(false)
	if o := h.check(p); o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	got, _ := h.store.FindPolicy(context.Background(), p.ID)
	if got.Status != policywatch.StatusActive || got.ConsecutiveFailures != 0 {
		t.Errorf("not recovered: %+v", got)
	}
}

func TestImportZeekrVersions(t *testing.T) {
	h := newHarness(t)
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	var ids []int64
	for _, f := range []struct{ file, date string }{
		{"zeekr-2025-11-10.txt", "2025-11-10T21:38:00+08:00"},
		{"zeekr-2025-12-31.txt", "2025-12-31T02:55:00+08:00"},
	} {
		body, err := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", f.file))
		if err != nil {
			t.Fatal(err)
		}
		at, _ := time.Parse(time.RFC3339, f.date)
		out, err := h.checker.Import(context.Background(), ImportRequest{
			Platform: "极氪", Name: "极氪个人信息保护政策", CapturedAt: at, FileName: f.file, Body: body,
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.VersionID)
		if want := policywatch.ResultFirst; len(ids) == 1 && out.Result != want {
			t.Errorf("first import: %s", out.Result)
		}
		if len(ids) == 2 && out.Result != policywatch.ResultChanged {
			t.Errorf("second import: %s", out.Result)
		}
	}
	old, _ := h.store.FindVersion(context.Background(), ids[0])
	lines := strings.Split(normalize.Text(old.Text), "\n")
	if !strings.Contains(lines[146], "浙江浩物网络科技有限公司") {
		t.Errorf("line 147 of the imported version: %q", lines[146])
	}
	if as, _ := h.store.FindAnalyses(context.Background(), ids[0], ids[1]); len(as) != 1 || as[0].Level != "minor" {
		t.Errorf("imported pair analysed: %+v", as)
	}
	// Importing the same file again records nothing.
	body, _ := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt"))
	out, err := h.checker.Import(context.Background(), ImportRequest{Platform: "极氪", Name: "极氪个人信息保护政策",
		CapturedAt: time.Now(), FileName: "again.txt", Body: body})
	if err != nil || out.Result != policywatch.ResultUnchanged || out.VersionID != ids[1] {
		t.Errorf("re-import: %+v %v", out, err)
	}
}

func TestImportRejectsEmptyFile(t *testing.T) {
	h := newHarness(t)
	_, err := h.checker.Import(context.Background(), ImportRequest{Platform: "x", Name: "y", CapturedAt: time.Now(),
		FileName: "empty.txt", Body: []byte("隐私政策\n")})
	if !policywatch.IsClass(err, policywatch.ErrEmpty) {
		t.Fatalf("got %v", err)
	}
	if _, err := h.store.FindPolicyByName(context.Background(), "x", "y"); err == nil {
		t.Errorf("a rejected import created a policy")
	}
}
