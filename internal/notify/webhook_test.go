package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// recorder is a webhook receiver that keeps what it was sent and answers
// with a fixed status and body.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

func newRecorder(t *testing.T, status int, answer string) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.URL.Query(), req.Header.Clone(), body})
		r.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// only returns the one request the receiver got.
func (r *recorder) only(t *testing.T) recorded {
	t.Helper()
	reqs := r.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

func send(t *testing.T, target, format string, m Message) error {
	t.Helper()
	s, err := New(KindWebhook, target, format, Options{})
	if err != nil {
		t.Fatalf("New(%q, %q): %v", target, format, err)
	}
	return s.Send(context.Background(), m)
}

func TestJSONContract(t *testing.T) {
	srv := newRecorder(t, http.StatusNoContent, "")
	if err := send(t, srv.URL+"/hooks/pw", "", change()); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	if req.Method != http.MethodPost || req.Path != "/hooks/pw" {
		t.Errorf("got %s %s, want POST /hooks/pw", req.Method, req.Path)
	}
	for k, want := range map[string]string{
		"Content-Type":           "application/json",
		"User-Agent":             "policywatch",
		"X-Policywatch-Delivery": "77",
		"X-Policywatch-Event":    "change",
	} {
		if got := req.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	var got map[string]any
	if err := json.Unmarshal(req.Body, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, req.Body)
	}
	want := map[string]any{
		"policy_id":    "12",
		"policy":       "隐私政策",
		"platform":     "微信",
		"url":          "https://weixin.example/privacy",
		"from_version": "34",
		"to_version":   "35",
		"level":        "major",
		"summary":      "新增向第三方共享位置信息。",
		"compare_url":  "https://pw.example/policies/12/compare?from=34&to=35",
		"event":        "change",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body\n got %v\nwant %v", got, want)
	}
}

func TestJSONFailingCarriesError(t *testing.T) {
	srv := newRecorder(t, http.StatusOK, "thanks")
	m := Message{DeliveryID: 5, Event: policywatch.EventFailing, PolicyID: 3, Policy: "Privacy", Platform: "Acme",
		URL: "https://acme.example/privacy", Error: "HTTP 503"}
	s, err := New(KindWebhook, srv.URL, "json", Options{UserAgent: "policywatch/1.2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	var got map[string]any
	if err := json.Unmarshal(req.Body, &got); err != nil {
		t.Fatal(err)
	}
	if got["event"] != "failing" || got["error"] != "HTTP 503" || got["policy_id"] != "3" {
		t.Errorf("failing body = %v", got)
	}
	// The contract's fields are there even when they have nothing to say.
	for _, k := range []string{"policy_id", "policy", "platform", "url", "from_version", "to_version", "level", "summary", "compare_url"} {
		if _, ok := got[k]; !ok {
			t.Errorf("failing body lacks %q", k)
		}
	}
	if ua := req.Header.Get("User-Agent"); ua != "policywatch/1.2" {
		t.Errorf("User-Agent = %q, want the configured one", ua)
	}
	if ev := req.Header.Get("X-Policywatch-Event"); ev != "failing" {
		t.Errorf("X-Policywatch-Event = %q", ev)
	}
}

func TestStatusClassification(t *testing.T) {
	tests := []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{200, true, false},
		{202, true, false},
		{204, true, false},
		{400, false, true},
		{401, false, true},
		{404, false, true},
		{410, false, true},
		{408, false, false},
		{429, false, false},
		{500, false, false},
		{502, false, false},
		{503, false, false},
	}
	for _, tt := range tests {
		srv := newRecorder(t, tt.status, "nope")
		err := send(t, srv.URL, "json", change())
		if (err == nil) != tt.ok || IsPermanent(err) != tt.permanent {
			t.Errorf("HTTP %d: err = %v (permanent %v), want ok %v permanent %v", tt.status, err, IsPermanent(err), tt.ok, tt.permanent)
		}
		if err != nil && !strings.Contains(err.Error(), "nope") {
			t.Errorf("HTTP %d: error %q does not quote the answer", tt.status, err)
		}
	}
}

func TestNetworkErrorIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	target := srv.URL
	srv.Close() // nothing listens there any more
	err := send(t, target+"/?access_token=SECRET", "json", change())
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q repeats the URL's token", err)
	}
}

func TestSendRespectsContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	s, err := New(KindWebhook, srv.URL, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, change())
	if !errors.Is(err, context.DeadlineExceeded) || IsPermanent(err) {
		t.Errorf("err = %v, want a retryable deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}

func TestAnswerIsReadUpTo64KB(t *testing.T) {
	// A valid answer hidden behind 70 KB of padding: past what we read, so
	// the robot's answer looks cut off rather than successful.
	srv := newRecorder(t, http.StatusOK, strings.Repeat(" ", 70<<10)+`{"errcode":0,"errmsg":"ok"}`)
	if err := send(t, srv.URL, "dingtalk", change()); err == nil {
		t.Error("an answer past 64 KB was read")
	}
	small := newRecorder(t, http.StatusOK, strings.Repeat(" ", 60<<10)+`{"errcode":0,"errmsg":"ok"}`)
	if err := send(t, small.URL, "dingtalk", change()); err != nil {
		t.Errorf("an answer under 64 KB: %v", err)
	}
}
