package browser

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
)

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := Find(); err != nil {
		t.Skipf("Chromium not installed (%v): apt-get install chromium, or set CHROME_PATH", err)
	}
}

const scriptPage = `<!DOCTYPE html><html><head><title>t</title></head><body><div id="app"></div>
<script>setTimeout(function(){document.getElementById('app').innerHTML='<h1>隐私政策</h1><p>我们会收集您的手机号码。</p>';}, 300);</script>
</body></html>`

func TestRenderRunsScripts(t *testing.T) {
	needChromium(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(scriptPage))
	}))
	defer srv.Close()
	b := New(Options{Dialer: &fetch.Dialer{AllowPrivate: true, Timeout: 5 * time.Second}, Timeout: 30 * time.Second})
	defer b.Close()
	page, err := b.Render(context.Background(), srv.URL+"/policy")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.HTML, "我们会收集您的手机号码") {
		t.Fatalf("script output missing from rendered HTML:\n%s", page.HTML)
	}
	if page.Status != 200 {
		t.Errorf("status = %d", page.Status)
	}
}

func TestRenderObeysGuard(t *testing.T) {
	needChromium(t)
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hit = true
		w.Write([]byte(scriptPage))
	}))
	defer srv.Close()
	b := New(Options{Dialer: &fetch.Dialer{Timeout: 5 * time.Second}, Timeout: 30 * time.Second})
	defer b.Close()
	_, err := b.Render(context.Background(), srv.URL+"/policy")
	if !policywatch.IsClass(err, policywatch.ErrBlocked) {
		t.Fatalf("want blocked error, got %v", err)
	}
	if hit {
		t.Fatal("the browser reached a loopback server despite the guard")
	}
	if !strings.Contains(err.Error(), "loopback") {
		t.Errorf("error does not say why: %v", err)
	}
}

func TestMissingChromiumIsAClearError(t *testing.T) {
	b := New(Options{ExecPath: "/nonexistent/chromium", Dialer: &fetch.Dialer{AllowPrivate: true}})
	defer b.Close()
	_, err := b.Render(context.Background(), "http://127.0.0.1:1/")
	if !policywatch.IsClass(err, policywatch.ErrRender) {
		t.Fatalf("want render error, got %v", err)
	}
}
