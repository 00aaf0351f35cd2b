package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// generic is shoutrrr's plain HTTP POST service: the only one a test can
// point at a local server.
func genericURL(srv *httptest.Server, path string) string {
	return "generic://" + strings.TrimPrefix(srv.URL, "http://") + path + "?disabletls=yes"
}

func TestShoutrrrGeneric(t *testing.T) {
	srv := newRecorder(t, 200, "")
	s, err := New(KindShoutrrr, genericURL(srv.Server, "/notify"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	if req.Method != http.MethodPost || req.Path != "/notify" {
		t.Errorf("got %s %s, want POST /notify", req.Method, req.Path)
	}
	for _, want := range []string{"微信 · 隐私政策 — 重大变更", "变更级别：重大变更",
		"查看对比：https://pw.example/policies/12/compare?from=34&to=35"} {
		if !strings.Contains(string(req.Body), want) {
			t.Errorf("message lacks %q:\n%s", want, req.Body)
		}
	}
}

func TestShoutrrrEnglish(t *testing.T) {
	srv := newRecorder(t, 200, "")
	s, err := New(KindShoutrrr, genericURL(srv.Server, "/"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := Message{Event: policywatch.EventRecovered, PolicyID: 4, Policy: "Privacy", Platform: "Acme", Lang: "en"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if body := string(srv.only(t).Body); !strings.Contains(body, `Recovered: Acme “Privacy” checks fine again`) {
		t.Errorf("message %q", body)
	}
}

func TestShoutrrrFailure(t *testing.T) {
	srv := newRecorder(t, 500, "down")
	s, err := New(KindShoutrrr, genericURL(srv.Server, "/"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), change()); err == nil || IsPermanent(err) {
		t.Errorf("err = %v, want a retryable error", err)
	}
}

func TestShoutrrrRespectsContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	s, err := New(KindShoutrrr, genericURL(srv, "/"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, change()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}
