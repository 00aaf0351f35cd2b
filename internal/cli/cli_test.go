package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
)

// env is a test's database and loopback site.
type env struct {
	t    *testing.T
	db   string
	page string // served at /privacy
	srv  *httptest.Server
}

func newEnv(t *testing.T) *env {
	e := &env{t: t, db: filepath.Join(t.TempDir(), "pw.db")}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/privacy" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, e.page)
	}))
	t.Cleanup(e.srv.Close)
	t.Setenv("POLICYWATCH_ALLOW_PRIVATE", "1")
	t.Setenv("POLICYWATCH_DB", "")
	return e
}

// run runs the CLI in-process and returns exit code, stdout and stderr.
func (e *env) run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--db", e.db}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// runJSON runs a command with --format json and decodes its stdout, which
// must be nothing but JSON.
func (e *env) runJSON(v any, args ...string) int {
	e.t.Helper()
	code, out, errOut := e.run(append(args, "--format", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		e.t.Fatalf("%v: stdout is not JSON (%v):\n%s\nstderr: %s", args, err, out, errOut)
	}
	return code
}

func policyPage(t *testing.T, name string) string {
	src, err := testpages.Policy(name)
	if err != nil {
		t.Skip(err)
	}
	return testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
}

func TestTrackingFlow(t *testing.T) { trackingFlow(t, newEnv(t)) }

// The same flow with `--db postgres://…`.
func TestTrackingFlowPostgres(t *testing.T) {
	e := newEnv(t)
	e.db = pgtest.NewDatabase(t)
	trackingFlow(t, e)
}

func trackingFlow(t *testing.T, e *env) {
	e.page = policyPage(t, "QQ")

	var added map[string]any
	if code := e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯"); code != 0 {
		t.Fatalf("add exit %d", code)
	}
	id, _ := added["id"].(string)
	if id == "" || added["name"] != "QQ隐私保护指引" || added["platform"] != "腾讯" || added["url"] != e.srv.URL+"/privacy" {
		t.Fatalf("add JSON: %v", added)
	}

	var checks []map[string]any
	if code := e.runJSON(&checks, "check", id); code != 0 {
		t.Fatalf("check exit %d: %v", code, checks)
	}
	if len(checks) != 1 || checks[0]["policy_id"] != id || checks[0]["result"] != "first" || checks[0]["version_id"] == nil || checks[0]["error"] != nil {
		t.Fatalf("first check JSON: %v", checks)
	}
	versionID := checks[0]["version_id"].(string)

	if code := e.runJSON(&checks, "check", "--all"); code != 0 || checks[0]["result"] != "unchanged" || checks[0]["version_id"] != versionID {
		t.Fatalf("second check: exit %d %v", code, checks)
	}

	var versions []map[string]any
	e.runJSON(&versions, "versions", id)
	if len(versions) != 1 || versions[0]["id"] != versionID || versions[0]["policy_id"] != id ||
		versions[0]["sha256"] == "" || versions[0]["chars"].(float64) < 1000 {
		t.Fatalf("versions JSON: %v", versions)
	}
	if _, err := time.Parse(time.RFC3339, versions[0]["captured_at"].(string)); err != nil {
		t.Errorf("captured_at: %v", err)
	}

	code, text, _ := e.run("show", versionID)
	if code != 0 || text != normalize.Text(text) || !strings.Contains(text, "腾讯") {
		t.Fatalf("show: exit %d, text normalized: %v", code, text == normalize.Text(text))
	}
	if got := normalize.Hash(text); got != versions[0]["sha256"] {
		t.Errorf("sha256 of `show` output %s differs from versions' %s", got, versions[0]["sha256"])
	}

	var list []map[string]any
	e.runJSON(&list, "list")
	if len(list) != 1 || list[0]["id"] != id || list[0]["versions"].(float64) != 1 || list[0]["status"] != "active" ||
		list[0]["last_checked"] == nil || list[0]["last_changed"] == nil {
		t.Fatalf("list JSON: %v", list)
	}
	for _, k := range []string{"id", "name", "platform", "url", "versions", "last_checked", "last_changed", "status"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("list JSON lacks contract field %q", k)
		}
	}

	code, out, _ := e.run("list")
	if code != 0 || !strings.Contains(out, "QQ隐私保护指引") {
		t.Errorf("list text: %s", out)
	}
}

func TestFailedCheckExitsOneAndListShowsWhy(t *testing.T) {
	e := newEnv(t)
	e.page = `<html><head><title>安全验证</title></head><body>请拖动滑块完成验证</body></html>`
	var added map[string]any
	e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "p", "--platform", "x", "--render", "http")
	var checks []map[string]any
	if code := e.runJSON(&checks, "check", added["id"].(string)); code != 1 {
		t.Errorf("a failed check exited %d, want 1", code)
	}
	if checks[0]["result"] != "failed" || checks[0]["error_class"] != "bot_wall" || checks[0]["version_id"] != nil {
		t.Fatalf("check JSON: %v", checks)
	}
	var list []map[string]any
	e.runJSON(&list, "list")
	if list[0]["last_error"] == nil || list[0]["error_class"] != "bot_wall" || list[0]["versions"].(float64) != 0 {
		t.Errorf("list does not show the failure: %v", list[0])
	}
	code, out, _ := e.run("list")
	if code != 0 || !strings.Contains(out, "bot_wall") {
		t.Errorf("list text does not show the error class:\n%s", out)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	e := newEnv(t)
	tests := [][]string{
		{"add", "https://a.example/p", "--platform", "x"},               // no --name
		{"add", "https://a.example/p", "--name", "x"},                   // no --platform
		{"add", "not a url", "--name", "x", "--platform", "y"},          // bad URL
		{"add", "file:///etc/passwd", "--name", "x", "--platform", "y"}, // not http
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--render", "magic"},
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--every", "often"},
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--every", "1ms"},  // stored as 0 once
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--every", "0.4s"}, // the same
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--every", "400d"}, // beyond a year
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--select", "div[[["},
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--remove", ".ok", "--remove", "p:nth-child("},
		{"add", "https://a.example/p", "--name", "x", "--platform", "y", "--format", "xml"},
		{"add"},
		{"check"},
		{"check", "1", "--all"},
		{"check", "abc"},
		{"versions"},
		{"show", "-3"},
		{"import", "--name", "x", "--platform", "y", "f.txt"},                         // no --date
		{"import", "--name", "x", "--platform", "y", "--date", "31/12/2025", "f.txt"}, // bad date
		{"import", "--name", "x", "--platform", "y", "--date", "9999-12-31", "f.txt"}, // the future
		{"import", "--name", "x", "--platform", "y", "--date", "0001-01-01", "f.txt"}, // before the web
		{"frobnicate"},
		{"list", "--bogus"},
	}
	for _, args := range tests {
		code, out, errOut := e.run(args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", args, out)
		}
		if lines := strings.Count(strings.TrimSpace(errOut), "\n") + 1; errOut == "" || lines != 1 {
			t.Errorf("%v: want one line on stderr, got %q", args, errOut)
		}
	}
}

func TestFailuresExitOne(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{
		{"check", "42"},
		{"versions", "42"},
		{"show", "42"},
		{"import", "--name", "x", "--platform", "y", "--date", "2025-01-01", filepath.Join(t.TempDir(), "missing.txt")},
	} {
		code, _, errOut := e.run(args...)
		if code != 1 || !strings.Contains(errOut, "policywatch: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	code, _, errOut := e.run("add", "https://a.example/p", "--name", "x", "--platform", "y")
	if code != 0 {
		t.Fatal(errOut)
	}
	code, _, errOut = e.run("add", "https://a.example/p", "--name", "z", "--platform", "y")
	if code != 1 || !strings.Contains(errOut, "already tracked") {
		t.Errorf("duplicate URL: exit %d, %q", code, errOut)
	}
}

func TestImportCommand(t *testing.T) {
	e := newEnv(t)
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	var first, second map[string]any
	old := filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-11-10.txt")
	cur := filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt")
	if code := e.runJSON(&first, "import", "--name", "极氪个人信息保护政策", "--platform", "极氪", "--date", "2025-11-10T21:38", old); code != 0 {
		t.Fatalf("import exit %d", code)
	}
	if code := e.runJSON(&second, "import", "--name", "极氪个人信息保护政策", "--platform", "极氪", "--date", "2025-12-31", cur); code != 0 {
		t.Fatalf("import exit %d", code)
	}
	if first["result"] != "first" || second["result"] != "changed" || first["policy_id"] != second["policy_id"] || first["created"] != true {
		t.Fatalf("imports: %v %v", first, second)
	}
	var versions []map[string]any
	e.runJSON(&versions, "versions", first["policy_id"].(string))
	if len(versions) != 2 || versions[0]["id"] != first["version_id"] {
		t.Fatalf("versions: %v", versions)
	}
	// Dates without a zone are read in the configured one, Beijing time by default.
	want := time.Date(2025, 11, 10, 13, 38, 0, 0, time.UTC).Format(time.RFC3339)
	if versions[0]["captured_at"] != want {
		t.Errorf("captured_at %v, want %s", versions[0]["captured_at"], want)
	}
	_, text, _ := e.run("show", second["version_id"].(string))
	if lines := strings.Split(text, "\n"); !strings.Contains(lines[146], "浙江吉利汽车备件有限公司") {
		t.Errorf("line 147 of the new version: %q", lines[146])
	}
	// An HTML file is extracted like a fetched page.
	html := filepath.Join(t.TempDir(), "p.html")
	os.WriteFile(html, []byte(policyPage(t, "WPS")), 0o644)
	var imported map[string]any
	if code := e.runJSON(&imported, "import", "--name", "WPS隐私政策", "--platform", "金山", "--date", "2024-05-01", html); code != 0 {
		t.Fatalf("html import exit %d", code)
	}
	_, text, _ = e.run("show", imported["version_id"].(string))
	if strings.Contains(text, "<p>") || strings.Contains(text, testpages.ChromeTexts[0]) {
		t.Errorf("imported HTML not extracted:\n%.300s", text)
	}
}

func TestNoProgressBarWhenNotATerminal(t *testing.T) {
	e := newEnv(t)
	e.page = policyPage(t, "KFC")
	e.run("add", e.srv.URL+"/privacy", "--name", "p", "--platform", "x")
	code, out, errOut := e.run("check", "--all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if errOut != "" || strings.Contains(out, "pages/s") || strings.Contains(out, "\r") {
		t.Errorf("progress drawn without a terminal: stdout %q stderr %q", out, errOut)
	}
}

func TestParseEvery(t *testing.T) {
	tests := map[string]time.Duration{"24h": 24 * time.Hour, "30m": 30 * time.Minute, "7d": 7 * 24 * time.Hour, "1d12h": 36 * time.Hour}
	for in, want := range tests {
		if got, err := parseEvery(in); err != nil || got != want {
			t.Errorf("parseEvery(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "often", "-1h", "0s", "d"} {
		if _, err := parseEvery(bad); err == nil {
			t.Errorf("parseEvery(%q) accepted", bad)
		}
	}
}

func TestBadEnvironmentIsAUsageError(t *testing.T) {
	e := newEnv(t)
	t.Setenv("POLICYWATCH_TIMEOUT", "forever")
	code, _, errOut := e.run("list")
	if code != 2 || !strings.Contains(errOut, "POLICYWATCH_TIMEOUT") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

func TestEditPauseResume(t *testing.T) {
	e := newEnv(t)
	e.page = policyPage(t, "KFC")
	var added map[string]any
	e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "p", "--platform", "x", "--remove", ".ad")
	id := added["id"].(string)

	var edited map[string]any
	if code := e.runJSON(&edited, "edit", id, "--select", "main", "--remove", "", "--every", "7d", "--pause"); code != 0 {
		t.Fatalf("edit exit %d", code)
	}
	if edited["select"] != "main" || len(edited["remove"].([]any)) != 0 || edited["interval_seconds"].(float64) != 7*86400 {
		t.Errorf("edit JSON: %v", edited)
	}
	var list []map[string]any
	e.runJSON(&list, "list")
	if list[0]["status"] != "paused" {
		t.Errorf("status %v, want paused", list[0]["status"])
	}
	var checks []map[string]any
	e.runJSON(&checks, "check", "--all")
	if len(checks) != 0 {
		t.Errorf("check --all checked a paused policy: %v", checks)
	}
	e.run("edit", id, "--resume")
	e.runJSON(&checks, "check", "--all")
	if len(checks) != 1 || checks[0]["result"] != "first" {
		t.Errorf("after resume: %v", checks)
	}
	if code, _, _ := e.run("edit", id, "--pause", "--resume"); code != 2 {
		t.Errorf("contradictory flags exit %d", code)
	}
	if code, _, _ := e.run("edit", "99", "--pause"); code != 1 {
		t.Errorf("missing policy exit %d", code)
	}
}

// TestCollectLessOften: commands that run once collect less often; serve,
// worker and a user's GOGC keep their own setting.
func TestCollectLessOften(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tt := range []struct {
		gogc string
		args []string
		want int
	}{
		{"", []string{"diff", "a", "b"}, 400},
		{"", []string{"--db", "x.db", "serve", "--addr", ":0"}, 100},
		{"", []string{"worker"}, 100},
		{"50", []string{"diff", "a", "b"}, 100},
	} {
		t.Setenv("GOGC", tt.gogc)
		debug.SetGCPercent(100)
		collectLessOften(tt.args)
		if got := debug.SetGCPercent(100); got != tt.want {
			t.Errorf("GOGC=%q %v: %d, want %d", tt.gogc, tt.args, got, tt.want)
		}
	}
}
