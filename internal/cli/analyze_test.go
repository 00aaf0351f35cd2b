package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const zeekrDir = "../../../shared/fixtures/zeekr"

func zeekrPair(t *testing.T) (string, string) {
	t.Helper()
	a, b := filepath.Join(zeekrDir, "zeekr-2025-11-10.txt"), filepath.Join(zeekrDir, "zeekr-2025-12-31.txt")
	if _, err := os.Stat(a); err != nil {
		t.Skipf("../shared not available: %v", err)
	}
	return a, b
}

// analyzeJSON is the contract's analyze JSON, read strictly by its names.
type analyzeJSON struct {
	Level   string `json:"level"`
	Summary string `json:"summary"`
	Changes []struct {
		Kind        string   `json:"kind"`
		OldLine     *int     `json:"old_line"`
		NewLine     *int     `json:"new_line"`
		OldText     string   `json:"old_text"`
		NewText     string   `json:"new_text"`
		Categories  []string `json:"categories"`
		Substantive bool     `json:"substantive"`
		Facts       struct {
			Added   []map[string]any `json:"added"`
			Removed []map[string]any `json:"removed"`
		} `json:"facts"`
		Impact string `json:"impact"`
	} `json:"changes"`
	Facts struct {
		Added   []map[string]any `json:"added"`
		Removed []map[string]any `json:"removed"`
	} `json:"facts"`
	Engine string `json:"engine"`
}

func TestAnalyzeCommand(t *testing.T) {
	oldPath, newPath := zeekrPair(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"analyze", oldPath, newPath, "--format", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got analyzeJSON
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Level != "minor" || got.Engine != "builtin" || len(got.Changes) != 1 || got.Summary == "" {
		t.Fatalf("got %+v", got)
	}
	c := got.Changes[0]
	if c.Kind != "modified" || *c.OldLine != 147 || *c.NewLine != 147 || !c.Substantive || c.Impact == "" || c.Categories == nil {
		t.Fatalf("change %+v", c)
	}
	if len(c.Facts.Added) != 1 || c.Facts.Added[0]["type"] != "third_party" || c.Facts.Added[0]["value"] != "浙江吉利汽车备件有限公司" {
		t.Fatalf("facts added %v", c.Facts.Added)
	}
	if len(got.Facts.Removed) == 0 || got.Facts.Removed[0]["value"] != "浙江浩物网络科技有限公司" {
		t.Fatalf("facts removed %v", got.Facts.Removed)
	}

	stdout.Reset()
	if code := run(context.Background(), []string{"analyze", oldPath, newPath, "--lang", "en"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"# zeekr-2025-12-31: analysis", "Overall assessment", "浙江吉利汽车备件有限公司", "(#n147)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, stdout.String())
		}
	}

	for _, args := range [][]string{
		{"analyze", oldPath},
		{"analyze", oldPath, newPath, "--format", "xml"},
		{"analyze", oldPath, newPath, "--lang", "fr"},
	} {
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"analyze", oldPath, "/nonexistent/new.txt"}, strings.NewReader(""), &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "new.txt") {
		t.Errorf("missing file: exit %d, %q", code, stderr.String())
	}
}

func TestFactsCommand(t *testing.T) {
	path := filepath.Join("../../../shared/capp130/policies", "KEEP.txt")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("../shared not available: %v", err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"facts", path, "--format", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		Facts []struct {
			Type      string `json:"type"`
			Value     string `json:"value"`
			Sensitive *bool  `json:"sensitive"`
			Line      int    `json:"line"`
		} `json:"facts"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range got.Facts {
		if f.Line <= 0 {
			t.Errorf("fact without a line: %+v", f)
		}
		found[f.Type+"="+f.Value] = true
		if f.Type == "pi" && f.Value == "身份证号" && (f.Sensitive == nil || !*f.Sensitive) {
			t.Errorf("身份证号 not sensitive")
		}
	}
	for _, want := range []string{"operator=北京卡路里科技有限公司", "third_party=高德软件有限公司", "pi=身份证号", "minor_age=14", "contact_email=feedback@keep.com", "right=注销账号"} {
		if !found[want] {
			t.Errorf("no %s", want)
		}
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"facts", path}, strings.NewReader(""), &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "高德软件有限公司") {
		t.Errorf("text: exit %d", code)
	}
}

// TestAnalyzeWithModel: a configured model (here a local server speaking
// the protocol) writes the prose; --engine builtin leaves it out.
func TestAnalyzeWithModel(t *testing.T) {
	oldPath, newPath := zeekrPair(t)
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		content := `{"statements":[{"text":"极物商城运营方更换。","changes":[1]}],"changes":[{"id":1,"impact":"由新公司共同处理。"}],"conclusion":"无需行动。"}`
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "1", "object": "chat.completion", "created": 0, "model": "local",
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}}})
	}))
	defer srv.Close()
	t.Setenv("POLICYWATCH_LLM_BASE_URL", srv.URL+"/v1")
	t.Setenv("POLICYWATCH_LLM_MODEL", "qwen2.5:7b")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"analyze", oldPath, newPath, "--format", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got analyzeJSON
	json.Unmarshal(stdout.Bytes(), &got)
	if got.Engine != "qwen2.5:7b" || got.Changes[0].Impact != "由新公司共同处理。" || got.Level != "minor" || requests != 1 {
		t.Fatalf("engine %q, impact %q, level %s, %d requests", got.Engine, got.Changes[0].Impact, got.Level, requests)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"analyze", oldPath, newPath, "--format", "json", "--engine", "builtin"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	json.Unmarshal(stdout.Bytes(), &got)
	if got.Engine != "builtin" || requests != 1 {
		t.Fatalf("--engine builtin: engine %q, %d requests", got.Engine, requests)
	}
}

func TestProfileCommand(t *testing.T) {
	path := filepath.Join("../../../shared/capp130/policies", "KEEP.txt")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("../shared not available: %v", err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"profile", path, "--format", "json", "--lang", "en"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		Checks []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
			Pass  bool   `json:"pass"`
			Lines []int  `json:"lines"`
		} `json:"checks"`
		Passed int `json:"passed"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Checks) != 10 || got.Checks[0].ID != "operator" || !got.Checks[0].Pass || len(got.Checks[0].Lines) == 0 ||
		got.Checks[0].Title != "Names the personal information handler" {
		t.Errorf("checks: %+v", got.Checks)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"profile", path, "--lang", "fr"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Errorf("unknown language: exit %d", code)
	}
}
