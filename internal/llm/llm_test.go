package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
)

// chatServer speaks the chat completions protocol on loopback, answering
// with whatever reply returns for the request it received.
type chatServer struct {
	*httptest.Server
	requests atomic.Int32
	last     atomic.Value // the last request body, decoded
}

type chatRequest struct {
	Model          string `json:"model"`
	Messages       []struct{ Role, Content string }
	ResponseFormat struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

func newChatServer(t *testing.T, reply func(w http.ResponseWriter, req chatRequest)) *chatServer {
	t.Helper()
	s := &chatServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-key" {
			http.Error(w, `{"error":{"message":"bad key"}}`, http.StatusUnauthorized)
			return
		}
		var req chatRequest
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.last.Store(req)
		reply(w, req)
	}))
	t.Cleanup(s.Close)
	return s
}

// answerWith writes a chat completion whose message is content.
func answerWith(w http.ResponseWriter, model, content string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": time.Now().Unix(), "model": model,
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
	})
}

func zeekr(t *testing.T) (string, string) {
	t.Helper()
	a, err1 := os.ReadFile("../../../shared/fixtures/zeekr/zeekr-2025-11-10.txt")
	b, err2 := os.ReadFile("../../../shared/fixtures/zeekr/zeekr-2025-12-31.txt")
	if err1 != nil || err2 != nil {
		t.Skip("../shared not available")
	}
	return string(a), string(b)
}

func newAnalyzer(s *chatServer, timeout time.Duration, logs *bytes.Buffer) *Analyzer {
	return New(Config{BaseURL: s.URL + "/v1", APIKey: "test-key", Model: "test-model", Timeout: timeout,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
}

const validAnswer = `{"statements":[{"text":"极物商城的运营方已更换为浙江吉利汽车备件有限公司。","changes":[1]}],
"changes":[{"id":1,"impact":"您在极物商城的个人信息将由浙江吉利汽车备件有限公司与极氪共同处理。"}],
"conclusion":"无需采取行动；如不希望新主体处理您的信息，可停止使用极物商城。"}`

func TestModelWritesTheProse(t *testing.T) {
	oldText, newText := zeekr(t)
	s := newChatServer(t, func(w http.ResponseWriter, req chatRequest) {
		answerWith(w, req.Model, "```json\n"+validAnswer+"\n```")
	})
	var logs bytes.Buffer
	a := newAnalyzer(s, 5*time.Second, &logs)
	r, err := a.Analyze(context.Background(), oldText, newText, analyze.Options{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Engine != "test-model" || r.EngineNote != "" {
		t.Fatalf("engine %q, note %q, logs %s", r.Engine, r.EngineNote, logs.String())
	}
	if r.Level != policywatch.LevelMinor || len(r.Changes) != 1 {
		t.Fatalf("the rules' level and changes must stay: %s, %d", r.Level, len(r.Changes))
	}
	if !strings.Contains(r.Changes[0].Impact, "共同处理") || !strings.Contains(r.Summary, "运营方已更换") ||
		!strings.HasPrefix(r.Conclusion, "无需采取行动") || len(r.Statements) != 1 || r.Statements[0].Changes[0] != 1 {
		t.Fatalf("prose not taken: %+v", r)
	}
	req := s.last.Load().(chatRequest)
	if req.Model != "test-model" || req.ResponseFormat.Type != "json_object" || len(req.Messages) != 2 ||
		!strings.Contains(req.Messages[0].Content, `"statements"`) ||
		!strings.Contains(req.Messages[1].Content, "浙江吉利汽车备件有限公司") || !strings.Contains(req.Messages[1].Content, "浙江浩物网络科技有限公司") {
		t.Fatalf("request: %+v", req)
	}
	// Cached per pair, engine and language: no second request.
	if _, err := a.Analyze(context.Background(), oldText, newText, analyze.Options{Lang: "zh"}); err != nil || s.requests.Load() != 1 {
		t.Fatalf("second analysis: %v, %d requests", err, s.requests.Load())
	}
	if _, err := a.Analyze(context.Background(), oldText, newText, analyze.Options{Lang: "en"}); err != nil || s.requests.Load() != 2 {
		t.Fatalf("other language: %v, %d requests", err, s.requests.Load())
	}
}

func TestBuiltinReportStands(t *testing.T) {
	oldText, newText := zeekr(t)
	cases := []struct {
		name  string
		reply func(w http.ResponseWriter, req chatRequest)
		note  string
	}{
		{"not JSON", func(w http.ResponseWriter, req chatRequest) {
			answerWith(w, req.Model, "极物商城的运营方变了。")
		}, "not JSON"},
		{"schema violated", func(w http.ResponseWriter, req chatRequest) {
			answerWith(w, req.Model, `{"statements":[{"text":"x","changes":["one"]}],"changes":[],"conclusion":"ok","level":"major"}`)
		}, "schema"},
		{"missing conclusion", func(w http.ResponseWriter, req chatRequest) {
			answerWith(w, req.Model, `{"statements":[],"changes":[]}`)
		}, "schema"},
		{"cites no existing change", func(w http.ResponseWriter, req chatRequest) {
			answerWith(w, req.Model, `{"statements":[{"text":"新增收集人脸信息。","changes":[7]},{"text":"政策更新了。","changes":[]}],"changes":[{"id":9,"impact":"x"}],"conclusion":"请注销账号。"}`)
		}, "do not exist"},
		{"server error", func(w http.ResponseWriter, req chatRequest) {
			http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusInternalServerError)
		}, "500"},
		{"no choices", func(w http.ResponseWriter, req chatRequest) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"x","object":"chat.completion","created":0,"model":"m","choices":[]}`)
		}, "no choices"},
		{"slow", func(w http.ResponseWriter, req chatRequest) {
			time.Sleep(1500 * time.Millisecond)
			answerWith(w, req.Model, validAnswer)
		}, "no answer within"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newChatServer(t, tc.reply)
			var logs bytes.Buffer
			timeout := 10 * time.Second
			if tc.name == "slow" {
				timeout = 300 * time.Millisecond
			}
			a := newAnalyzer(s, timeout, &logs)
			// A slow model's valid answer comes after the timeout: the
			// builtin report with the timeout's note proves it was not awaited.
			r, err := a.Analyze(context.Background(), oldText, newText, analyze.Options{Lang: "zh"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Engine != analyze.EngineBuiltin || !strings.Contains(r.EngineNote, tc.note) {
				t.Fatalf("engine %q, note %q (want %q)", r.Engine, r.EngineNote, tc.note)
			}
			if !strings.Contains(r.Changes[0].Impact, "浙江浩物网络科技有限公司") || r.Level != policywatch.LevelMinor {
				t.Fatalf("built-in report changed: %+v", r.Changes[0])
			}
			if !strings.Contains(logs.String(), "built-in report stands") {
				t.Errorf("failure not logged: %s", logs.String())
			}
			// Failures are not cached: the next analysis asks again.
			n := s.requests.Load()
			a.Analyze(context.Background(), oldText, newText, analyze.Options{Lang: "zh"})
			if s.requests.Load() == n {
				t.Errorf("a failed answer was cached")
			}
		})
	}
}

// TestPartlyInvalidCitations: statements citing existing changes are kept,
// the others dropped.
func TestPartlyInvalidCitations(t *testing.T) {
	oldText, newText := zeekr(t)
	s := newChatServer(t, func(w http.ResponseWriter, req chatRequest) {
		answerWith(w, req.Model, `{"statements":[{"text":"运营方更换。","changes":[1,5]},{"text":"新增收集人脸信息。","changes":[3]}],"changes":[{"id":2,"impact":"编造"}],"conclusion":"无需行动。"}`)
	})
	var logs bytes.Buffer
	r, err := newAnalyzer(s, 5*time.Second, &logs).Analyze(context.Background(), oldText, newText, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Engine != "test-model" || len(r.Statements) != 1 || r.Statements[0].Text != "运营方更换。" ||
		len(r.Statements[0].Changes) != 1 || strings.Contains(r.Summary, "人脸") || strings.Contains(r.Changes[0].Impact, "编造") {
		t.Fatalf("got %+v", r)
	}
	if !strings.Contains(logs.String(), "dropped=2") {
		t.Errorf("drops not logged: %s", logs.String())
	}
}

// TestInputBounded: a long list of changes is cut at the input bound and
// the rest counted.
func TestInputBounded(t *testing.T) {
	var oldB, newB strings.Builder
	for i := range 400 {
		oldB.WriteString(strings.Repeat("我们会收集您的设备信息用于安全风控，", 5) + "条款" + string(rune('A'+i%26)) + "\n")
		newB.WriteString(strings.Repeat("我们会收集您的位置信息用于个性化推荐，", 5) + "条款" + string(rune('A'+i%26)) + "\n")
		fmt.Fprintf(&oldB, "不变的第%d行\n", i)
		fmt.Fprintf(&newB, "不变的第%d行\n", i)
	}
	r, err := analyze.Compare(oldB.String(), newB.String(), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, user := prompt(r, 10000)
	var in promptInput
	if err := json.Unmarshal([]byte(user), &in); err != nil {
		t.Fatal(err)
	}
	substantive := 0
	for _, c := range r.Changes {
		if c.Substantive {
			substantive++
		}
	}
	if in.Omitted == 0 || len(in.Changes)+in.Omitted != substantive {
		t.Fatalf("%d sent, %d omitted of %d substantive changes", len(in.Changes), in.Omitted, substantive)
	}
	if n := len([]rune(user)); n > 10000*2 {
		t.Fatalf("prompt of %d characters for a bound of 10000", n)
	}
}
