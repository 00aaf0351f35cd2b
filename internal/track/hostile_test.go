package track

import (
	"bytes"
	"compress/gzip"
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
)

// Hostile answers are failures with their class, never versions (issue
// "Never a false version").

func serveBytes(h *harness, path, contentType string, body []byte) string {
	return h.site.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	})
}

func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return b
}

func TestBinaryAndGarbledBodiesAreNoVersions(t *testing.T) {
	h := newHarness(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat("<p>我们会收集您的个人信息。</p>", 200)))
	zw.Close()
	mojibake := []byte(strings.Repeat("æˆ‘ä»¬ä¼šæ”¶é›†æ‚¨çš„ä¸ªäººä¿¡æ¯ã€‚", 200)) // UTF-8 Chinese read as Latin-1
	cases := []struct {
		name, contentType string
		body              []byte
	}{
		{"random bytes as HTML", "text/html", randomBytes(180_000)},
		{"random bytes without NULs", "text/html; charset=utf-8", bytes.ReplaceAll(randomBytes(50_000), []byte{0}, []byte{1})},
		{"a PNG as HTML", "text/html", append([]byte("\x89PNG\r\n\x1a\n"), randomBytes(5000)...)},
		{"gzip without Content-Encoding", "text/html; charset=utf-8", gz.Bytes()},
		{"mojibake", "text/html; charset=utf-8", mojibake},
		{"NUL bytes as text", "text/plain", make([]byte, 1000)},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := serveBytes(h, "/garbage"+string(rune('a'+i)), tc.contentType, tc.body)
			h.expectFailure(h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrUnreadable, "not")
		})
	}
}

// TestGarbageNeverReplacesThePolicy: a good page, then garbage, then the
// good page again: one version, and the garbage never the reference.
func TestGarbageNeverReplacesThePolicy(t *testing.T) {
	h := newHarness(t)
	good := testpages.HTML(capp(t, "KEEP"), testpages.Options{})
	body := []byte(good)
	url := h.site.handle("/flaky", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
	p := h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP })
	if o := h.check(p); o.Result != policywatch.ResultFirst {
		t.Fatalf("%+v", o)
	}
	body = randomBytes(100_000)
	if o := h.check(p); o.Result != policywatch.ResultFailed || o.ErrorClass != policywatch.ErrUnreadable {
		t.Fatalf("garbage: %+v", o)
	}
	body = []byte(good)
	if o := h.check(p); o.Result != policywatch.ResultUnchanged {
		t.Fatalf("the good page again: %+v", o)
	}
	if vs := h.versions(p); len(vs) != 1 {
		t.Errorf("%d versions, want 1", len(vs))
	}
}

func TestImportOfGarbageIsRefused(t *testing.T) {
	h := newHarness(t)
	_, err := h.checker.Import(context.Background(), ImportRequest{Platform: "平台", Name: "政策", CapturedAt: time.Now(),
		FileName: "nul.txt", Body: make([]byte, 1000)})
	if !policywatch.IsClass(err, policywatch.ErrUnreadable) {
		t.Fatalf("import of NUL bytes: %v", err)
	}
	if _, err := h.store.FindPolicyByName(context.Background(), "平台", "政策"); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("a policy was created: %v", err)
	}
	for _, when := range []time.Time{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := h.checker.Import(context.Background(), ImportRequest{Platform: "平台", Name: "政策", CapturedAt: when,
			FileName: "p.txt", Body: []byte(capp(t, "KEEP"))})
		if !policywatch.IsClass(err, policywatch.ErrInvalid) {
			t.Errorf("import captured %s: %v", when.Format(time.DateOnly), err)
		}
	}
}

// TestLongBotWall: a challenge page of well over a thousand characters is
// still a bot wall; it does not read as a policy.
func TestLongBotWall(t *testing.T) {
	h := newHarness(t)
	filler := strings.Repeat("为了保障您的访问安全，系统检测到当前网络环境存在风险，请完成下方的安全验证后继续。", 30)
	zh := h.site.html("/wall", `<html><head><title>网页</title></head><body><div id="nc_1_wrapper" class="nc-container"></div>
<h1>安全验证</h1><p>请按住滑块，拖动到最右边。</p><p>`+filler+`</p><p>滑块验证失败请刷新重试。</p></body></html>`)
	h.expectFailure(h.add(zh, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrBotWall)
	en := h.site.html("/wall-en", `<html><head><title>Security check</title></head><body><div class="g-recaptcha"></div>
<h1>Please verify you are human</h1><p>`+strings.Repeat("We have detected unusual traffic from your network. Complete the captcha below to continue browsing. ", 20)+`</p></body></html>`)
	h.expectFailure(h.add(en, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP }), policywatch.ErrBotWall)
}

// TestCaptchaVendorsPolicyIsRecorded: a captcha vendor's own policy, titled
// 验证码服务隐私政策 and saying 验证码 throughout, is a policy.
func TestCaptchaVendorsPolicyIsRecorded(t *testing.T) {
	h := newHarness(t)
	text := strings.ReplaceAll(capp(t, "KEEP"), "Keep", "易盾验证码")
	page := testpages.HTML("网易易盾验证码服务隐私政策\n\n本政策说明我们在提供验证码、滑块验证和安全验证服务时如何收集、使用您的个人信息。\n"+text,
		testpages.Options{Title: "网易易盾验证码服务隐私政策"})
	url := h.site.html("/yidun", page)
	p := h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP })
	if o := h.check(p); o.Result != policywatch.ResultFirst {
		t.Fatalf("the vendor's policy: %+v", o)
	}
}

// TestCloudflareChallengeIsABotWall: a 503 with cf-mitigated: challenge is
// a bot wall at once, not a server error retried.
func TestCloudflareChallengeIsABotWall(t *testing.T) {
	h := newHarness(t)
	url := h.site.handle("/cf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`<html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`))
	})
	h.expectFailure(h.add(url), policywatch.ErrBotWall, "challenge")
	if n := h.site.hitCount("/cf"); n != 1 {
		t.Errorf("challenge asked %d times, want once", n)
	}
}

// TestNoRealPolicyIsAWall: none of the 130 CAPP-130 policies reads as a bot
// wall or an error page, captcha SDKs and 验证码 in them notwithstanding.
func TestNoRealPolicyIsAWall(t *testing.T) {
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	for _, n := range names {
		src, _ := testpages.Policy(n)
		norm := normalize.Text(src)
		if err := judge(page{norm: norm, key: normalize.KeyOfText(norm), title: n + "隐私政策", challenge: 1}, 200); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}
