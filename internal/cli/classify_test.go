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

// TestClassifyRefusesBinary: classify reads its input as diff, analyze and
// facts read theirs, so it refuses what they refuse with the same message
// and exit code.
func TestClassifyRefusesBinary(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "policy.png")
	os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 64)...), 0o644)
	noise := filepath.Join(dir, "noise")
	noiseBytes := make([]byte, 4096)
	for i := range noiseBytes {
		noiseBytes[i] = byte(i*7919 + i/3)
	}
	os.WriteFile(noise, noiseBytes, 0o644)

	runCLI := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	for _, file := range []string{png, noise} {
		factsCode, _, factsErr := runCLI("", "facts", file)
		code, out, errOut := runCLI("", "classify", file, "--format", "jsonl")
		if factsCode != 1 || code != factsCode || errOut != factsErr || out != "" {
			t.Errorf("%s: classify exit %d %q, stdout %q; facts exit %d %q", file, code, errOut, out, factsCode, factsErr)
		}
		if _, _, diffErr := runCLI("", "diff", file, file); !strings.HasPrefix(diffErr, strings.TrimSpace(errOut)) {
			t.Errorf("%s: diff says %q, classify %q", file, diffErr, errOut)
		}
		body, _ := os.ReadFile(file)
		code, out, errOut = runCLI(string(body), "classify", "-")
		want := strings.Replace(factsErr, file+":", "standard input:", 1)
		if code != 1 || errOut != want || out != "" {
			t.Errorf("%s on standard input: exit %d %q, stdout %q; want %q", file, code, errOut, out, want)
		}
	}
	// Text is still read line by line, blank lines skipped.
	code, out, errOut := runCLI("我们采用加密技术保护您的信息安全。\n\n客服电话：400-123-4567\n", "classify", "--alone")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("text: exit %d %q %q", code, out, errOut)
	}
}
