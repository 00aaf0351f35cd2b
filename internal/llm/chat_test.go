package llm

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestChatClientRetriesOnce(t *testing.T) {
	var calls atomic.Int32
	var body completionRequest
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &body)
		if r.Header.Get("Authorization") != "Bearer k" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", r.Header)
		}
		if n == 1 {
			w.Header().Set("Retry-After-Ms", "10")
			http.Error(w, `{"error":{"message":"busy"}}`, http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"choices":[{"message":{"role":"assistant","content":"hi"}}]}`)
	}))
	defer s.Close()
	c := newChatClient(s.URL+"/v1/", "k", nil)
	req := completionRequest{Model: "m", Messages: []chatMessage{{"system", "s"}, {"user", "u"}}, Temperature: 0.2, MaxTokens: 9}
	req.ResponseFormat.Type = "json_object"
	start := time.Now()
	resp, err := c.complete(context.Background(), req)
	if err != nil || len(resp.Choices) != 1 || resp.Choices[0].Message.Content != "hi" || calls.Load() != 2 {
		t.Fatalf("%+v, %v, %d calls", resp, err, calls.Load())
	}
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Errorf("Retry-After-Ms of 10 ms not followed: %s", took)
	}
	if body.Model != "m" || len(body.Messages) != 2 || body.Messages[1].Role != "user" || body.ResponseFormat.Type != "json_object" ||
		body.Temperature != 0.2 || body.MaxTokens != 9 {
		t.Errorf("request body %+v", body)
	}
}

func TestChatClientErrors(t *testing.T) {
	var calls atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch r.URL.Path {
		case "/bad/chat/completions":
			http.Error(w, `{"error":{"message":"model not found","type":"invalid_request_error"}}`, http.StatusBadRequest)
		case "/slow/chat/completions":
			w.Header().Set("Retry-After", "3600")
			http.Error(w, `{"error":"rate limited"}`, http.StatusTooManyRequests)
		case "/away/chat/completions":
			http.Redirect(w, r, "http://example.invalid/steal", http.StatusTemporaryRedirect)
		}
	}))
	defer s.Close()
	for _, tc := range []struct {
		path, want string
		calls      int32
	}{
		{"/bad", "API error: 400 Bad Request: model not found", 1},     // not retried
		{"/slow", "API error: 429 Too Many Requests: rate limited", 1}, // asks for too long a wait
		{"/away", "redirected away from " + strings.TrimSuffix(s.URL, "/"), 1},
	} {
		calls.Store(0)
		_, err := newChatClient(s.URL+tc.path, "k", nil).complete(context.Background(), completionRequest{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || calls.Load() != tc.calls {
			t.Errorf("%s: %v after %d calls, want %q after %d", tc.path, err, calls.Load(), tc.want, tc.calls)
		}
	}
}
