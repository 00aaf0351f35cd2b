package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// stubStore answers ListPolicies and ListPolicyKeys (the home page's) with
// nothing, or, when stall is set, only once the request is cancelled (a
// client that went away); any other method is not expected by these tests.
type stubStore struct {
	policywatch.Store
	stall   bool
	entered chan struct{}
}

func (s *stubStore) ListPolicies(ctx context.Context) ([]policywatch.PolicySummary, error) {
	if !s.stall {
		return nil, nil
	}
	s.entered <- struct{}{}
	<-ctx.Done()
	return nil, fmt.Errorf("list policies: %w", ctx.Err())
}

func (s *stubStore) ListPolicyKeys(ctx context.Context) ([]policywatch.PolicyKey, error) {
	if _, err := s.ListPolicies(ctx); err != nil {
		return nil, err
	}
	return nil, nil
}

// newBareServer serves a Server over st on loopback.
func newBareServer(t *testing.T, st policywatch.Store, opt Options) (*Server, *httptest.Server) {
	t.Helper()
	if opt.AdminToken == "" {
		opt.AdminToken = testToken
	}
	s, err := New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func TestStaticServesFilesOnly(t *testing.T) {
	_, srv := newBareServer(t, &stubStore{}, Options{})
	c := http.DefaultClient // redirects followed: "/static" and ".../index.html" end on "/static/"
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	if resp, body := get("/static/app.css"); resp.StatusCode != 200 || body == "" || resp.Header.Get("Cache-Control") == "" {
		t.Errorf("a file: %d, %d bytes, Cache-Control %q", resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/static/", "/static", "/static/./", "/static/index.html", "/static/nothing.css"} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "app.css") || resp.Header.Get("Cache-Control") != "" {
			t.Errorf("%s: %d, Cache-Control %q, %.200q", path, resp.StatusCode, resp.Header.Get("Cache-Control"), body)
		}
	}
}

// fakeClock is a settable time for the failure limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestBearerFailuresAreLimited(t *testing.T) {
	s, srv := newBareServer(t, &stubStore{}, Options{RequireLogin: true})
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.auth.failures.now = clock.now
	api := func(method, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/api/v1/policies", strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	// Correct tokens spend nothing: any number of them, between failures.
	for i := range failureBurst {
		if resp := api("GET", testToken); resp.StatusCode != 200 {
			t.Fatalf("right token: %d", resp.StatusCode)
		}
		method := "GET"
		if i%2 == 1 {
			method = "POST" // a write refused for its token counts the same
		}
		if resp := api(method, "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i+1, resp.StatusCode)
		}
	}
	// Out of tries: 429 with Retry-After, whatever the token, so that the
	// answer does not tell a right guess from a wrong one.
	for _, tok := range []string{"wrong", testToken} {
		resp := api("GET", tok)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "12" {
			t.Fatalf("token %q after %d failures: %d, Retry-After %q", tok, failureBurst, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("API 429 is %s", resp.Header.Get("Content-Type"))
		}
	}
	// Another client is not affected.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/policies", nil)
	req.RemoteAddr = "192.0.2.7:4321"
	req.Header.Set("Authorization", "Bearer "+testToken)
	s.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("another client: %d", rec.Code)
	}
	// One more try every failureEvery.
	clock.add(failureEvery / 2)
	if resp := api("GET", testToken); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "6" {
		t.Errorf("half-way: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	clock.add(failureEvery / 2)
	if resp := api("GET", testToken); resp.StatusCode != 200 {
		t.Errorf("after the wait, right token: %d", resp.StatusCode)
	}
	if resp := api("GET", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the wait, wrong token: %d", resp.StatusCode)
	}
	if resp := api("GET", "wrong"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("out of tries again: %d", resp.StatusCode)
	}
}

// TestLoginSharesTheFailureLimit: the login form and Bearer tokens spend
// one allowance per client; a correct login spends nothing.
func TestLoginSharesTheFailureLimit(t *testing.T) {
	s, srv := newBareServer(t, &stubStore{}, Options{})
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.auth.failures.now = clock.now
	c := client()
	csrf := formToken(t, c, srv.URL+"/login")
	login := func(token string) *http.Response {
		t.Helper()
		resp, err := c.PostForm(srv.URL+"/login", url.Values{"csrf": {csrf}, "token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for range failureBurst - 2 {
		if resp := login("wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong login: %d", resp.StatusCode)
		}
	}
	for range 3 {
		if resp := login(testToken); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("right login: %d", resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/policies", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong bearer: %v %v", resp, err)
	}
	if resp := login("wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("last wrong login: %d", resp.StatusCode)
	}
	for _, tok := range []string{"wrong", testToken} {
		resp := login(tok)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("login with %q out of tries: %d, Retry-After %q, %s", tok, resp.StatusCode,
				resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"))
		}
	}
	clock.add(failureEvery)
	if resp := login(testToken); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the wait: %d", resp.StatusCode)
	}
}

func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:1234":             "192.0.2.7",
		"[::ffff:192.0.2.7]:1234":    "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:443": "2001:db8:1:2::/64",
		"[fe80::1%eth0]:80":          "fe80::/64",
		"not an address":             "not an address",
		"[2001:db8:1:3:3:4:5:6]:443": "2001:db8:1:3::/64",
		"127.0.0.1:55555":            "127.0.0.1",
		"[::1]:55555":                "::/64",
	} {
		r := &http.Request{RemoteAddr: remote}
		if got := clientKey(r); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", remote, got, want)
		}
	}
}

// TestFailureLimiterMemoryIsBounded: a flood of addresses does not grow
// the table without end, and clients whose allowance is full again are
// the ones forgotten.
func TestFailureLimiterMemoryIsBounded(t *testing.T) {
	l := newFailureLimiter(failureBurst, failureEvery)
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l.now = clock.now
	for range failureBurst {
		l.fail("attacker")
	}
	for i := range maxBuckets - 1 {
		l.fail(fmt.Sprint("flood-", i))
	}
	clock.add(failureEvery * failureBurst) // the flood's single failures are forgotten
	for range failureBurst {
		l.fail("attacker")
	}
	l.fail("one more")
	if len(l.buckets) > 3 {
		t.Errorf("%d buckets after the sweep", len(l.buckets))
	}
	if l.wait("attacker") == 0 {
		t.Error("the sweep forgot a client still out of tries")
	}
}

// TestClientDisconnectIsNotAnError: a request whose client goes away
// while the store works for it is logged at DEBUG, not ERROR, on the
// pages and on the API.
func TestClientDisconnectIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := &stubStore{stall: true, entered: make(chan struct{})}
	done := make(chan struct{}, 1)
	s, err := New(st, Options{AdminToken: testToken, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ServeHTTP(w, r)
		done <- struct{}{}
	}))
	defer srv.Close()
	for _, path := range []string{"/", "/api/v1/policies"} {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		errc := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		<-st.entered
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: client: %v", path, err)
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the handler did not return", path)
		}
	}
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	if strings.Contains(out, "level=ERROR") || strings.Count(out, "level=DEBUG") != 2 || !strings.Contains(out, "context canceled") {
		t.Errorf("logs:\n%s", out)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestQuietDisconnects(t *testing.T) {
	brokenPipe := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
	reset := fmt.Errorf("copy: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)})
	for _, tt := range []struct {
		level slog.Level
		err   error
		want  string // "" for nothing logged
	}{
		{slog.LevelWarn, fmt.Errorf("store: %w", context.Canceled), ""},
		{slog.LevelDebug, fmt.Errorf("store: %w", context.Canceled), "level=DEBUG"},
		{slog.LevelDebug, brokenPipe, "level=DEBUG"},
		{slog.LevelWarn, reset, ""},
		{slog.LevelWarn, errors.New("disk full"), "level=ERROR"},
		{slog.LevelWarn, context.DeadlineExceeded, "level=ERROR"}, // a timeout of ours is an error
	} {
		var buf bytes.Buffer
		log := slog.New(quietDisconnects{slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tt.level})})
		log.With("component", "web").Error("request failed", "path", "/x", "err", tt.err)
		if out := buf.String(); tt.want == "" && out != "" || tt.want != "" && !strings.Contains(out, tt.want) {
			t.Errorf("%v at %v: logged %q, want %q", tt.err, tt.level, out, tt.want)
		}
	}
}
