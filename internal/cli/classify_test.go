package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyCommand(t *testing.T) {
	input := "一、我们如何收集和使用您的个人信息\n\n当您注册账号时，我们会收集您的手机号码。\n九、如何联系我们\n客服电话：400-123-4567\n"
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"classify", "--format", "jsonl"}, strings.NewReader(input), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d output lines for 4 sentences:\n%s", len(lines), stdout.String())
	}
	var rows []classifyLine
	for _, l := range lines {
		var r classifyLine
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		if len(r.Scores) != 11 || len(r.Labels) == 0 {
			t.Errorf("line %q: %d scores, labels %v", r.Text, len(r.Scores), r.Labels)
		}
		for _, p := range r.Scores {
			if p < 0 || p > 1 {
				t.Errorf("score %v out of range", p)
			}
		}
		rows = append(rows, r)
	}
	if !contains(rows[1].Labels, "collection") || !contains(rows[3].Labels, "contact") {
		t.Errorf("labels: %v / %v", rows[1].Labels, rows[3].Labels)
	}
	// A file argument, the text format, and --alone.
	f := filepath.Join(t.TempDir(), "s.txt")
	os.WriteFile(f, []byte("我们采用加密技术保护您的信息安全。\n"), 0o644)
	stdout.Reset()
	if code := run(context.Background(), []string{"classify", f, "--alone"}, strings.NewReader(""), &stdout, &stderr); code != 0 ||
		!strings.HasPrefix(stdout.String(), "security") {
		t.Errorf("text format: exit %d, %q", code, stdout.String())
	}
	if code := run(context.Background(), []string{"classify", "a", "b"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Errorf("two files: exit %d", code)
	}
	if code := run(context.Background(), []string{"classify", filepath.Join(t.TempDir(), "missing")}, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Errorf("missing file: exit %d", code)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
