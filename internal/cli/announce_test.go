package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
	"github.com/policywatch/policywatch/internal/track"
	"github.com/policywatch/policywatch/internal/web"
)

// editions of one policy page: the same policy, a sentence apart.
func editions(t *testing.T) (first, second string) {
	src, err := testpages.Policy("QQ")
	if err != nil {
		t.Skip(err)
	}
	page := func(line string) string {
		return testpages.HTML(strings.Replace(src, "\n", "\n"+line+"\n", 1), testpages.Options{Chrome: true, Charset: "utf-8"})
	}
	return page("本指引适用于QQ的全部功能。"), page("本指引适用于QQ的全部功能，并新增收集您的精确位置信息用于广告推荐。")
}

func TestCheckAnnounces(t *testing.T) { checkAnnounces(t, newEnv(t)) }

func TestCheckAnnouncesPostgres(t *testing.T) {
	e := newEnv(t)
	e.db = pgtest.NewDatabase(t)
	checkAnnounces(t, e)
}

// checkAnnounces: `check --all` that finds one change sends its webhook
// exactly one POST before it exits, and an unchanged check none.
func checkAnnounces(t *testing.T, e *env) {
	first, second := editions(t)
	e.page = first
	hook := newCountingHook(t)
	if code, _, errOut := e.run("add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯"); code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	if code, _, errOut := e.run("subscribe", "--webhook", hook.URL, "--webhook-format", "json"); code != 0 {
		t.Fatalf("subscribe: exit %d: %s", code, errOut)
	}
	var checks []map[string]any
	if code := e.runJSON(&checks, "check", "--all"); code != 0 || checks[0]["result"] != "first" {
		t.Fatalf("first check: exit %d %v", code, checks)
	}
	if n := hook.count(); n != 0 {
		t.Fatalf("a first version was announced: %d POSTs", n)
	}

	e.page = second
	if code := e.runJSON(&checks, "check", "--all"); code != 0 || checks[0]["result"] != "changed" {
		t.Fatalf("check of the changed page: exit %d %v", code, checks)
	}
	posts := hook.bodies()
	if len(posts) != 1 {
		t.Fatalf("webhook got %d POSTs after one change, want 1", len(posts))
	}
	if posts[0]["to_version"] != checks[0]["version_id"] || posts[0]["platform"] != "腾讯" || posts[0]["level"] == "" {
		t.Errorf("POST: %v (check: %v)", posts[0], checks[0])
	}

	code, out, errOut := e.run("check", "--all")
	if code != 0 || !strings.Contains(out, "unchanged") || errOut != "" {
		t.Fatalf("unchanged check: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := hook.count(); n != 1 {
		t.Errorf("webhook got %d POSTs after an unchanged check, want still 1", n)
	}
	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.ListDeliveries(context.Background(), policywatch.DeliveryFilter{})
	if err != nil || len(ds) != 1 || ds[0].Status != policywatch.DeliverySent || ds[0].Attempts != 1 {
		t.Errorf("deliveries: %v %+v", err, ds)
	}
}

// TestCheckLeavesFailedDeliveries: a webhook that fails does not change
// check's output or exit code; stderr says what was not delivered, and the
// delivery waits for the workers' retry with its attempt and error.
func TestCheckLeavesFailedDeliveries(t *testing.T) {
	e := newEnv(t)
	first, second := editions(t)
	e.page = first
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		http.Error(w, "receiver down", http.StatusServiceUnavailable)
	}))
	defer hook.Close()
	e.run("add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯")
	e.run("subscribe", "--webhook", hook.URL+"/pw?token=s3cret", "--webhook-format", "json")
	e.run("check", "--all")
	e.page = second

	var checks []map[string]any
	code, out, errOut := e.run("check", "--all", "--format", "json")
	if code != 0 {
		t.Fatalf("check exit %d because a webhook failed:\n%s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &checks); err != nil || len(checks) != 1 || checks[0]["result"] != "changed" {
		t.Fatalf("stdout is not the check JSON (%v):\n%s", err, out)
	}
	if posts.Load() < 1 || !strings.Contains(errOut, "not delivered") || !strings.Contains(errOut, "503") ||
		!strings.Contains(errOut, "retry") || strings.Contains(errOut, "s3cret") {
		t.Errorf("%d POSTs; stderr:\n%s", posts.Load(), errOut)
	}
	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, _ := st.ListDeliveries(context.Background(), policywatch.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Status != policywatch.DeliveryPending || ds[0].Attempts < 1 || !strings.Contains(ds[0].LastError, "503") {
		t.Errorf("the failed delivery is not left to retry: %+v", ds)
	}
}

// TestCLIChecksInMetrics: checks run by `policywatch check` (from cron,
// with no server running) are counted in a server's /metrics afterwards.
func TestCLIChecksInMetrics(t *testing.T) {
	e := newEnv(t)
	e.page, _ = editions(t)
	e.run("add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯")
	e.run("add", e.srv.URL+"/gone", "--name", "已删除的政策", "--platform", "腾讯")
	e.run("check", "--all")
	e.run("check", "--all")

	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := web.New(st, web.Options{AdminToken: "test-token"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`policywatch_checks_total{error_class="",result="first"} 1`,
		`policywatch_checks_total{error_class="",result="unchanged"} 1`,
		`policywatch_checks_total{error_class="http_status",result="failed"} 2`,
		`policywatch_versions_recorded_total{result="first"} 1`,
		`policywatch_check_duration_seconds_count{renderer="http"} 4`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, body)
		}
	}
}

// TestWorkerSweepsWhatACheckLeft: a check killed after recording a change
// and before announcing it leaves the change in the outbox; the next worker
// pass announces it, once, and a later check sends nothing again.
func TestWorkerSweepsWhatACheckLeft(t *testing.T) {
	e := newEnv(t)
	first, second := editions(t)
	e.page = first
	hook := newCountingHook(t)
	var added map[string]any
	e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "QQ隐私保护指引", "--platform", "腾讯")
	e.run("check", "--all")
	e.run("subscribe", "--webhook", hook.URL, "--webhook-format", "json")
	e.page = second

	// What the killed check did: the check recorded, nothing announced.
	ctx := context.Background()
	st, err := store.Open(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := policywatch.ParseID(added["id"].(string))
	checker := track.New(st, fetch.New(fetch.Options{AllowPrivate: true, Retries: -1}), nil, track.Options{})
	if o := checker.Check(ctx, id); o.Result != policywatch.ResultChanged {
		t.Fatalf("check: %+v", o)
	}
	st.Close()
	if n := hook.count(); n != 0 {
		t.Fatalf("%d POSTs before any announcing", n)
	}
	if code, _, errOut := e.run("worker", "--once"); code != 0 {
		t.Fatalf("worker --once: exit %d %s", code, errOut)
	}
	if n := hook.count(); n != 1 {
		t.Fatalf("after the worker's sweep: %d POSTs, want 1", n)
	}
	if code, _, _ := e.run("check", "--all"); code != 0 || hook.count() != 1 {
		t.Errorf("a later check: exit %d, %d POSTs, want still 1", code, hook.count())
	}
}
