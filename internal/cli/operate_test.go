package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/testpages"
)

func TestSubscribeBadInput(t *testing.T) {
	e := newEnv(t)
	t.Setenv("POLICYWATCH_SMTP_URL", "")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"subscribe"}, 2, "exactly one"},
		{[]string{"subscribe", "--webhook", "http://a/", "--email", "a@b.c"}, 2, "exactly one"},
		{[]string{"subscribe", "--webhook", "ftp://a/"}, 2, "webhook"},
		{[]string{"subscribe", "--webhook", "http://a/", "--platform", "P", "--policy", "1"}, 2, "not both"},
		{[]string{"subscribe", "--webhook", "http://a/", "--min-level", "huge"}, 2, "unknown level"},
		{[]string{"subscribe", "--webhook", "http://a/", "--webhook-format", "telex"}, 2, "format"},
		{[]string{"subscribe", "--email", "not an address"}, 2, "e-mail"},
		{[]string{"subscribe", "--email", "dpo@example.com"}, 2, "POLICYWATCH_SMTP_URL"},
		{[]string{"subscribe", "--url", "nosuchservice://x"}, 2, ""},
		{[]string{"subscribe", "--webhook", "http://a/", "--policy", "999"}, 1, "not found"},
		{[]string{"reextract"}, 2, "one policy id or --all"},
		{[]string{"worker", "--concurrency", "0"}, 2, "at least 1"},
	}
	for _, tt := range tests {
		code, _, errOut := e.run(tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tt.args, code, tt.code, errOut, tt.want)
		}
	}
	var subs []map[string]any
	if code := e.runJSON(&subs, "subscriptions"); code != 0 || len(subs) != 0 {
		t.Errorf("bad input left subscriptions: %v", subs)
	}
}

// TestWorkerOnceAnnouncesChanges: `worker --once` checks what is due; a
// change found by a check run by hand is announced once, by the check, and
// the worker passes after it send nothing again; a webhook subscriber gets
// one POST for it and none for the first version.
func TestWorkerOnceAnnouncesChanges(t *testing.T) {
	e := newEnv(t)
	e.page = policyPage(t, "QQ")
	hook := newCountingHook(t)
	var added map[string]any
	if code := e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯"); code != 0 {
		t.Fatalf("add exit %d", code)
	}
	id := added["id"].(string)
	var sub map[string]any
	if code := e.runJSON(&sub, "subscribe", "--webhook", hook.URL+"/pw", "--platform", "腾讯"); code != 0 || sub["kind"] != "webhook" || sub["platform"] != "腾讯" {
		t.Fatalf("subscribe: exit %d %v", code, sub)
	}
	if code, _, errOut := e.run("worker", "--once"); code != 0 {
		t.Fatalf("worker --once: exit %d %s", code, errOut)
	}
	var versions []map[string]any
	e.runJSON(&versions, "versions", id)
	if len(versions) != 1 || hook.count() != 0 {
		t.Fatalf("after the first pass: %d versions, %d POSTs", len(versions), hook.count())
	}
	e.page = strings.Replace(e.page, "腾讯", "深圳市腾讯计算机系统有限公司（腾讯）", 1)
	var checks []map[string]any
	if code := e.runJSON(&checks, "check", id); code != 0 || checks[0]["result"] != "changed" {
		t.Fatalf("check: %v", checks)
	}
	if code, _, errOut := e.run("worker", "--once"); code != 0 {
		t.Fatalf("worker --once: exit %d %s", code, errOut)
	}
	posts := hook.bodies()
	if len(posts) != 1 || posts[0]["policy_id"] != id || posts[0]["platform"] != "腾讯" || posts[0]["to_version"] != checks[0]["version_id"] {
		t.Fatalf("POSTs: %v", posts)
	}
	if code, _, _ := e.run("worker", "--once"); code != 0 || hook.count() != 1 {
		t.Errorf("a second pass sent again (%d POSTs)", hook.count())
	}
	code, out, _ := e.run("subscriptions")
	if code != 0 || !strings.Contains(out, "腾讯") {
		t.Errorf("subscriptions: %s", out)
	}
}

// TestReanalyze: reanalyze makes the reports of every pair of consecutive
// versions anew with the current rules.
func TestReanalyze(t *testing.T) {
	e := newEnv(t)
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	for _, v := range []struct{ date, file string }{{"2025-11-10T21:38", "zeekr-2025-11-10.txt"}, {"2025-12-31T02:55", "zeekr-2025-12-31.txt"}} {
		if code, _, errOut := e.run("import", "--name", "极氪个人信息保护政策", "--platform", "极氪", "--date", v.date,
			filepath.Join(dir, "fixtures", "zeekr", v.file)); code != 0 {
			t.Fatalf("import: %d %s", code, errOut)
		}
	}
	var rows []struct {
		PolicyID string `json:"policy_id"`
		Pairs    int    `json:"pairs"`
	}
	if code := e.runJSON(&rows, "reanalyze", "--all"); code != 0 || len(rows) != 1 || rows[0].Pairs != 1 {
		t.Fatalf("reanalyze: %d %+v", code, rows)
	}
	if code, _, _ := e.run("reanalyze"); code != 2 {
		t.Errorf("reanalyze without a policy: exit %d, want 2", code)
	}
}
