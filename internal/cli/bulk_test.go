package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/store/storetest"
)

// runWithInput runs the CLI with stdin.
func (e *env) runWithInput(stdin string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--db", e.db}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func (e *env) writeFile(name, content string) string {
	path := filepath.Join(e.t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return path
}

// policyNames lists the stored policies as platform/name.
func (e *env) policyNames() []string {
	e.t.Helper()
	var list []map[string]any
	if code := e.runJSON(&list, "list"); code != 0 {
		e.t.Fatalf("list: exit %d", code)
	}
	var names []string
	for _, p := range list {
		names = append(names, p["platform"].(string)+"/"+p["name"].(string))
	}
	return names
}

func TestAddFromSQLite(t *testing.T) { testAddFrom(t, newEnv(t)) }
func TestAddFromPostgres(t *testing.T) {
	e := newEnv(t)
	e.db = pgtest.NewDatabase(t)
	testAddFrom(t, e)
}

const goodAndBadRows = `url,name,platform,kind,select,remove,render,every
https://a.example/privacy,隐私政策,A,privacy,#main,.ad|#nav,http,7d
https://a.example/terms,用户协议,A,terms,,,,
https://a.example/privacy,又一个,B,,,,,
https://b.example/privacy,隐私政策,A,,,,,
ftp://c.example/,x,C,,,,,
https://c.example/p,x,C,,,,,1s
https://d.example/p,隐私政策,D,,,,,
`

func testAddFrom(t *testing.T, e *env) {
	if code, _, errOut := e.run("add", "https://d.example/p", "--name", "已有", "--platform", "D"); code != 0 {
		t.Fatal(errOut)
	}
	file := e.writeFile("policies.csv", goodAndBadRows)
	var added []map[string]any
	code, out, errOut := e.run("add", "--from", file, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (rows skipped): %s", code, errOut)
	}
	if err := jsonUnmarshal(out, &added); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if len(added) != 2 || added[0]["name"] != "隐私政策" || added[0]["platform"] != "A" || added[0]["id"] == "" ||
		added[0]["url"] != "https://a.example/privacy" || added[0]["render"] != "http" || added[1]["name"] != "用户协议" {
		t.Errorf("added: %v", added)
	}
	wantErrs := []string{
		"line 4: https://a.example/privacy is already tracked as policy",
		`line 5: platform "A" already has a policy named "隐私政策"`,
		`line 6: invalid URL "ftp://c.example/"`,
		`line 7: check interval "1s"`,
		"line 8: https://d.example/p is already tracked as policy 1 (已有)",
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != len(wantErrs) {
		t.Fatalf("stderr:\n%s", errOut)
	}
	for i, w := range wantErrs {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("stderr line %d: %q, want %q…", i+1, lines[i], w)
		}
	}
	if got := strings.Join(e.policyNames(), " "); got != "A/用户协议 A/隐私政策 D/已有" {
		t.Errorf("stored: %s", got)
	}

	// The same file again: every row a duplicate now, nothing added.
	code, out, errOut = e.run("add", "--from", file)
	if code != 1 || !strings.Contains(out, "Added 0 policies; 7 skipped.") || strings.Count(errOut, "\n") != 7 {
		t.Errorf("again: exit %d\n%s%s", code, out, errOut)
	}

	// JSON lines on standard input; all good: exit 0.
	jsonl := `{"url": "https://e.example/privacy", "name": "隐私政策", "platform": "E", "remove": [".ad"]}
{"url": "https://e.example/terms", "name": "用户协议", "platform": "E", "kind": "terms"}
`
	code, out, errOut = e.runWithInput(jsonl, "add", "--from", "-")
	if code != 0 || !strings.Contains(out, "Added 2 policies; 0 skipped.") || errOut != "" {
		t.Errorf("JSON lines: exit %d\n%s%s", code, out, errOut)
	}
	if got := len(e.policyNames()); got != 5 {
		t.Errorf("%d policies after the JSON lines, want 5", got)
	}
}

func TestAddFromUsage(t *testing.T) {
	e := newEnv(t)
	file := e.writeFile("p.csv", "url,name\nhttps://a.example/,x\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--from", file}, "no platform column"},
		{[]string{"add", "https://a.example/", "--from", file}, "no URL with --from"},
		{[]string{"add", "--from", file, "--name", "x"}, "--name cannot be used with --from"},
	} {
		code, _, errOut := e.run(tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if code, _, errOut := e.run("add", "--from", filepath.Join(t.TempDir(), "missing.csv")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
}

// The database fails the transaction part way: nothing of the file is
// added.
func TestAddFromFailingTransactionSQLite(t *testing.T) { testAddFromFailing(t, newEnv(t), false) }
func TestAddFromFailingTransactionPostgres(t *testing.T) {
	e := newEnv(t)
	e.db = pgtest.NewDatabase(t)
	testAddFromFailing(t, e, true)
}

func testAddFromFailing(t *testing.T, e *env, postgres bool) {
	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.RefusePolicyNamed(t, st.DB(), postgres, "boom")
	st.Close()
	file := e.writeFile("p.csv", "url,name,platform\nhttps://a.example/1,one,A\nhttps://a.example/2,two,A\nhttps://a.example/3,boom,A\n")
	code, out, errOut := e.run("add", "--from", file, "--format", "json")
	if code != 1 || out != "" || !strings.Contains(errOut, "nothing added") || !strings.Contains(errOut, "refused by the test") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if names := e.policyNames(); len(names) != 0 {
		t.Errorf("half added: %v", names)
	}
}

func TestDeleteSQLite(t *testing.T) { testDelete(t, newEnv(t)) }
func TestDeletePostgres(t *testing.T) {
	e := newEnv(t)
	e.db = pgtest.NewDatabase(t)
	testDelete(t, e)
}

func testDelete(t *testing.T, e *env) {
	e.page = policyPage(t, "QQ")
	var p, keep map[string]any
	if code := e.runJSON(&p, "add", e.srv.URL+"/privacy", "--name", "隐私政策", "--platform", "QQ"); code != 0 {
		t.Fatal("add")
	}
	if code := e.runJSON(&keep, "add", e.srv.URL+"/other", "--name", "用户协议", "--platform", "QQ"); code != 0 {
		t.Fatal("add")
	}
	id := p["id"].(string)
	if code, _, errOut := e.run("check", id); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := e.run("subscribe", "--webhook", "http://127.0.0.1:9/hook", "--policy", id); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := e.run("subscribe", "--webhook", "http://127.0.0.1:9/all"); code != 0 {
		t.Fatal(errOut)
	}

	if code, _, errOut := e.run("delete", id); code != 2 || !strings.Contains(errOut, "add --yes") {
		t.Errorf("without --yes: exit %d, %q", code, errOut)
	}
	if code, _, errOut := e.run("delete", "9999", "--yes"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("unknown id: exit %d, %q", code, errOut)
	}
	code, out, errOut := e.run("delete", id, "--yes")
	if code != 0 || !strings.Contains(out, "Deleted policy "+id+": QQ / 隐私政策") {
		t.Fatalf("delete: exit %d, %q %q", code, out, errOut)
	}
	if code, _, _ := e.run("versions", id); code != 1 {
		t.Errorf("versions of the deleted policy: exit %d", code)
	}
	if got := e.policyNames(); len(got) != 1 || got[0] != "QQ/用户协议" {
		t.Errorf("left: %v", got)
	}
	var gone map[string]any
	if code := e.runJSON(&gone, "delete", keep["id"].(string), "--yes"); code != 0 || gone["id"] != keep["id"] || gone["name"] != "用户协议" {
		t.Errorf("delete --format json: exit %d, %v", code, gone)
	}
	var subs []map[string]any
	if code := e.runJSON(&subs, "subscriptions"); code != 0 || len(subs) != 1 || subs[0]["target"] != "http://127.0.0.1:9/all" {
		t.Errorf("subscriptions: %v", subs)
	}
	// Everything of it is gone from the database, not only from view.
	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, table := range []string{"snapshots", "versions", "version_facts", "check_runs", "analyses"} {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows left (%v)", table, n, err)
		}
	}
}

func TestImportDeclarations(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join("..", "bulk", "testdata", "collection")
	var added []map[string]any
	code, out, errOut := e.run("import-declarations", dir, "--format", "json")
	if err := jsonUnmarshal(out, &added); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if code != 1 || len(added) != 5 {
		t.Fatalf("exit %d, %d added:\n%s\n%s", code, len(added), out, errOut)
	}
	for _, w := range []string{
		"Broken.json: cannot read the declaration",
		"Ranged.json: Imprint: the terms have no fetch URL",
		"Ranged.json: Privacy Policy: select is only range selectors",
		"WeChat.json: Terms of Service: note: range selectors in remove left out",
		"WeChat.json: Terms of Service: note: filter functions (removeTrackingParams) are not run",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if strings.Contains(errOut, "history") || strings.Contains(errOut, "filters.js") {
		t.Errorf("history or filter files read:\n%s", errOut)
	}
	byName := map[string]map[string]any{}
	for _, p := range added {
		byName[p["name"].(string)] = p
	}
	if p := byName["豆包 Privacy Policy"]; p == nil || p["platform"] != "豆包" || p["kind"] != "privacy" || p["select"] != "#legal-content" {
		t.Errorf("豆包 Privacy Policy: %v", p)
	}
	if p := byName["豆包 Terms of Service"]; p == nil || p["render"] != "browser" || p["kind"] != "terms" {
		t.Errorf("豆包 Terms of Service: %v", p)
	}
	// A second import adds nothing: every terms is a duplicate now.
	code, out, errOut = e.run("import-declarations", dir)
	if code != 1 || !strings.Contains(out, "Added 0 policies; 8 skipped.") || strings.Count(errOut, "already") != 5 {
		t.Errorf("second import: exit %d\n%s%s", code, out, errOut)
	}
	if got := len(e.policyNames()); got != 5 {
		t.Errorf("%d policies, want 5", got)
	}
	if code, _, errOut := e.run("import-declarations", filepath.Join(t.TempDir(), "none")); code != 2 || !strings.Contains(errOut, "not a folder") {
		t.Errorf("missing folder: exit %d, %q", code, errOut)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
