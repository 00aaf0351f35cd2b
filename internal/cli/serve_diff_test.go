package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch/internal/testpages"
)

func TestServeDemo(t *testing.T) {
	if _, err := testpages.SharedDir(); err != nil {
		t.Skip(err)
	}
	db := filepath.Join(t.TempDir(), "serve.db")
	t.Setenv("POLICYWATCH_ADMIN_TOKEN", "serve-test-token")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--db", db, "serve", "--addr", "127.0.0.1:0", "--demo", "--no-scheduler"}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	addr := ""
	lines := bufio.NewScanner(pr)
	serving := regexp.MustCompile(`serving (http://\S+)`)
	for addr == "" && lines.Scan() {
		if m := serving.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		t.Fatal("serve did not say where it listens")
	}
	resp, err := http.Get(addr + "/compare?from=1&to=2")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<del>浩物网络科技</del>") {
		t.Fatalf("demo comparison: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", addr+"/api/v1/policies", strings.NewReader(`{"url":"https://example.com/p","name":"n","platform":"p"}`))
	req.Header.Set("Authorization", "Bearer serve-test-token")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("write with the configured token: %v %v", resp.StatusCode, err)
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestDiffCommand(t *testing.T) {
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	e := newEnv(t)
	oldF := filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-11-10.txt")
	newF := filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt")

	var res struct {
		Stats map[string]int
		Rows  []map[string]any
	}
	if code := e.runJSON(&res, "diff", oldF, newF); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if res.Stats["modified"] != 1 || res.Stats["unchanged"] != 423 || len(res.Rows) != 424 {
		t.Errorf("stats %v, %d rows", res.Stats, len(res.Rows))
	}
	code, text, _ := e.run("diff", oldF, newF)
	if code != 0 || !strings.Contains(text, "[-浩物网络科技-]{+吉利汽车备件+}") || strings.Contains(text, "\x1b[") {
		t.Errorf("text format (no colour off a terminal):\n%s", text)
	}
	code, page, _ := e.run("diff", oldF, newF, "--format", "html")
	if code != 0 || !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<ins>吉利汽车备件</ins>") {
		t.Errorf("html format: exit %d", code)
	}
	code, patch, _ := e.run("diff", oldF, newF, "--format", "patch")
	if code != 0 || !strings.Contains(patch, "@@ -144,7 +144,7 @@") {
		t.Errorf("patch format:\n%s", patch)
	}
	// HTML documents are extracted before comparing.
	a := filepath.Join(t.TempDir(), "a.html")
	b := filepath.Join(t.TempDir(), "b.html")
	os.WriteFile(a, []byte(`<html><body><nav>菜单</nav><p>我们收集手机号码。</p></body></html>`), 0o644)
	os.WriteFile(b, []byte(`<html><body><nav>导航</nav><p>我们收集手机号码和位置。</p></body></html>`), 0o644)
	var h struct{ Rows []map[string]any }
	e.runJSON(&h, "diff", a, b)
	if len(h.Rows) != 1 || h.Rows[0]["op"] != "replace" {
		t.Errorf("html diff rows: %v", h.Rows)
	}
	if code, _, errOut := e.run("diff", oldF); code != 2 || errOut == "" {
		t.Errorf("one file: exit %d", code)
	}
	if code, _, _ := e.run("diff", oldF, filepath.Join(t.TempDir(), "missing.txt")); code != 1 {
		t.Errorf("missing file: exit %d", code)
	}
}
