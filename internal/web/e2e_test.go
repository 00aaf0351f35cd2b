package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policywatch/policywatch/internal/browser"
)

// e2e drives the running server in headless Chromium. Screenshots go to
// $POLICYWATCH_SCREENSHOTS (default: the test's temporary folder).
type e2e struct {
	t        *testing.T
	f        *fixture
	ctx      context.Context
	mu       sync.Mutex
	problems []string // console errors, exceptions, CSP violations
	allowed  []string // expected errors, e.g. the status of a refused request
}

// allow expects console errors containing s (a test that provokes a 401).
func (e *e2e) allow(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.allowed = append(e.allowed, s)
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	skipWithoutChromium(t)
	return newE2EWith(t, newFixture(t, Options{}))
}

// skipWithoutChromium skips a browser test on a machine without Chromium.
func skipWithoutChromium(t *testing.T) {
	t.Helper()
	if _, err := browser.Find(); err != nil {
		t.Skipf("Chromium not installed (%v): apt-get install chromium, or set CHROME_PATH", err)
	}
}

// newE2EWith drives the server of fixture f.
func newE2EWith(t *testing.T, f *fixture) *e2e {
	t.Helper()
	path, err := browser.Find()
	if err != nil {
		t.Skipf("Chromium not installed (%v): apt-get install chromium, or set CHROME_PATH", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	ctx, timeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(timeout)
	e := &e2e{t: t, f: f, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				e.mu.Lock()
				e.problems = append(e.problems, m.String())
				e.mu.Unlock()
			}
		}
	}()
	t.Cleanup(e.noConsoleErrors)
	return e
}

func (e *e2e) noConsoleErrors() {
	time.Sleep(200 * time.Millisecond) // let the last messages arrive
	e.mu.Lock()
	defer e.mu.Unlock()
next:
	for _, p := range e.problems {
		for _, a := range e.allowed {
			if strings.Contains(p, a) {
				continue next
			}
		}
		e.t.Errorf("browser console: %s", p)
	}
}

func (e *e2e) do(actions ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(e.ctx, actions...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) eval(js string) string {
	e.t.Helper()
	v, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		e.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (e *e2e) evalAsync(js string) string {
	e.t.Helper()
	v, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		e.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (e *e2e) screenshot(name string) {
	dir := os.Getenv("POLICYWATCH_SCREENSHOTS")
	if dir == "" {
		dir = e.t.TempDir()
	}
	png, err := chromedp.Run(e.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

func (e *e2e) open(path string) {
	e.t.Helper()
	e.do(chromedp.Navigate(e.f.http.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

func TestE2ECompareHighlightsTheNames(t *testing.T) {
	e := newE2E(t)
	e.open(e.f.compareURL(e.f.zeekrFrom, e.f.zeekrTo, ""))
	e.screenshot("compare-zeekr")
	if got := e.eval(`Array.from(document.querySelectorAll('#n147 del')).map(d => d.textContent).join('|')`); got != "浩物网络科技" {
		t.Errorf("deleted text marked on row 147: %q", got)
	}
	if got := e.eval(`Array.from(document.querySelectorAll('#n147 ins')).map(d => d.textContent).join('|')`); got != "吉利汽车备件" {
		t.Errorf("inserted text marked on row 147: %q", got)
	}
	if got := e.eval(`String(document.querySelectorAll('table.diff del, table.diff ins').length)`); got != "2" {
		t.Errorf("%s marked spans in the whole table, want 2", got)
	}
	// Marked text is visibly different: a background and a text decoration.
	style := e.eval(`(() => { const s = getComputedStyle(document.querySelector('#n147 del')); return s.textDecorationLine + ' ' + s.backgroundColor })()`)
	if !strings.Contains(style, "line-through") || strings.Contains(style, "rgba(0, 0, 0, 0)") {
		t.Errorf("deleted text style: %s", style)
	}
	if got := e.eval(`document.documentElement.lang`); got != "zh-CN" {
		t.Errorf("page language %q", got)
	}
}

func TestE2ENavigationBetweenChanges(t *testing.T) {
	e := newE2E(t)
	e.open(e.f.compareURL(e.f.manyFrom, e.f.manyTo, ""))
	blocks := e.eval(`Array.from(document.querySelectorAll('tr.blk')).map(r => r.id).join(',')`)
	ids := strings.Split(blocks, ",")
	if len(ids) != 3 {
		t.Fatalf("change blocks %q, want 3", blocks)
	}
	current := func() string { return e.eval(`location.hash.slice(1)`) }
	e.do(chromedp.KeyEvent("j"))
	if got := current(); got != ids[0] {
		t.Errorf("after j: at %q, want %q", got, ids[0])
	}
	e.do(chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
	if got := current(); got != ids[2] {
		t.Errorf("after j j j: at %q, want %q", got, ids[2])
	}
	e.do(chromedp.KeyEvent("k"))
	if got := current(); got != ids[1] {
		t.Errorf("after k: at %q, want %q", got, ids[1])
	}
	if cls := e.eval(`document.getElementById('` + ids[1] + `').className`); !strings.Contains(cls, "cur") {
		t.Errorf("current change not highlighted: %q", cls)
	}
	if pos := e.eval(`document.querySelector('.toolbar .position').textContent`); pos != "第 2 / 3 处" {
		t.Errorf("position %q", pos)
	}
	// The buttons do the same.
	e.do(chromedp.Click(chromedp.CSS(`button[data-nav="next"]`)))
	if got := current(); got != ids[2] {
		t.Errorf("after the next button: at %q, want %q", got, ids[2])
	}
	e.do(chromedp.Click(chromedp.CSS(`button[data-nav="prev"]`)))
	if got := current(); got != ids[1] {
		t.Errorf("after the previous button: at %q, want %q", got, ids[1])
	}
	e.screenshot("compare-navigation")
}

func TestE2EUnfold(t *testing.T) {
	e := newE2E(t)
	e.open(e.f.compareURL(e.f.manyFrom, e.f.manyTo, ""))
	hiddenBefore := e.eval(`String(document.querySelectorAll('table.diff tr[hidden]').length)`)
	e.do(chromedp.Click(chromedp.CSS(`a.unfold`)))
	hiddenAfter := e.eval(`String(document.querySelectorAll('table.diff tr[hidden]').length)`)
	var before, after int
	fmt.Sscan(hiddenBefore, &before)
	fmt.Sscan(hiddenAfter, &after)
	if before == 0 || after >= before || before-after > 40 {
		t.Errorf("hidden rows %d → %d: one click should reveal up to 40", before, after)
	}
	if u := e.eval(`location.search`); strings.Contains(u, "context=all") {
		t.Error("the fold link navigated instead of unfolding in place")
	}
}

func TestE2EInlineView(t *testing.T) {
	e := newE2E(t)
	e.open(e.f.compareURL(e.f.zeekrFrom, e.f.zeekrTo, ""))
	e.do(chromedp.Click(`//a[contains(., "单栏视图")]`), chromedp.WaitReady(chromedp.CSS("table.diff.inline")))
	e.screenshot("compare-inline")
	if got := e.eval(`document.querySelector('tr.replace.first del').textContent + '/' + document.querySelector('tr.replace.second ins').textContent`); got != "浩物网络科技/吉利汽车备件" {
		t.Errorf("inline rows: %q", got)
	}
	if !strings.Contains(e.eval(`location.search`), "view=inline") {
		t.Error("inline view not in the URL")
	}
	// Navigation works in the inline view too.
	e.do(chromedp.KeyEvent("j"))
	if got := e.eval(`location.hash`); got != "#n147" {
		t.Errorf("after j in inline view: %q", got)
	}
}

func TestE2ELoginProtectsWrites(t *testing.T) {
	e := newE2E(t)
	e.allow("status of 401") // the wrong token below
	e.allow("status of 403") // the forged form below
	e.open("/policies/new")
	if p := e.eval(`location.pathname`); p != "/login" {
		t.Fatalf("the add form is open without login: at %s", p)
	}
	e.do(chromedp.SendKeys(chromedp.CSS(`input[name=token]`), "wrong"),
		chromedp.Submit(chromedp.CSS(`form.login`)), chromedp.WaitReady(chromedp.CSS("p.error")))
	e.do(chromedp.SendKeys(chromedp.CSS(`input[name=token]`), testToken),
		chromedp.Submit(chromedp.CSS(`form.login`)), chromedp.WaitReady(chromedp.CSS("form.policy-form")))
	if p := e.eval(`location.pathname`); p != "/policies/new" {
		t.Fatalf("after login: at %s", p)
	}
	if cookies := e.eval(`document.cookie`); strings.Contains(cookies, "pw_session") {
		t.Error("the session cookie is readable by script")
	}
	e.do(
		chromedp.SendKeys(chromedp.CSS(`input[name=url]`), "https://www.example.com/terms"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "用户协议"),
		chromedp.SendKeys(chromedp.CSS(`input[name=platform]`), "示例平台"),
		chromedp.Submit(chromedp.CSS(`form.policy-form`)),
		chromedp.WaitReady(chromedp.CSS("p.flash")),
	)
	e.screenshot("policy-created")
	p, err := e.f.store.FindPolicyByName(context.Background(), "示例平台", "用户协议")
	if err != nil {
		t.Fatalf("the form did not create the policy: %v", err)
	}
	if got := e.eval(`location.pathname`); got != fmt.Sprintf("/policies/%d", p.ID) {
		t.Errorf("after creating: at %s", got)
	}
	// Pause it from its page.
	e.do(chromedp.Click(`//button[contains(., "暂停")]`), chromedp.WaitVisible(`//p[@class="flash" and contains(., "已暂停")]`))
	if got, _ := e.f.store.FindPolicy(context.Background(), p.ID); got.Status != "paused" {
		t.Errorf("status after pause: %s", got.Status)
	}
	// A form posted from a page without the token is refused.
	status := e.evalAsync(`fetch('/policies/` + fmt.Sprint(p.ID) + `/resume', {method: 'POST', body: new URLSearchParams({csrf: 'forged'})}).then(r => String(r.status))`)
	if status != "403" {
		t.Errorf("forged CSRF token: status %s", status)
	}
}

func TestE2EPagesHaveNoConsoleErrors(t *testing.T) {
	e := newE2E(t)
	for _, path := range []string{"/", "/?lang=en", "/policies/1", fmt.Sprintf("/versions/%d", e.f.evilVersion),
		fmt.Sprintf("/policies/%d", e.f.evilPolicy), e.f.compareURL(e.f.manyFrom, e.f.manyTo, "&view=inline"), "/login"} {
		e.open(path)
	}
	if got := e.eval(`String(typeof window.pwned)`); got != "undefined" {
		t.Error("hostile policy text ran script")
	}
}
