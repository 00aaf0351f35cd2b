package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
)

// TestMain lets the tests run this test binary as the policywatch command,
// so that several worker processes can share a database.
func TestMain(m *testing.M) {
	if os.Getenv("POLICYWATCH_TEST_AS_CLI") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// fleet serves numbered policy pages over several loopback hosts, slowly
// enough that a worker can be killed in the middle of a pass.
type fleet struct {
	mu      sync.Mutex
	pages   []string
	fetches []int
	urls    []string
	delay   time.Duration
}

func newFleet(t *testing.T, n, hosts int, delay time.Duration) *fleet {
	t.Helper()
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	f := &fleet{pages: make([]string, n), fetches: make([]int, n), urls: make([]string, n), delay: delay}
	for i := range n {
		src, _ := testpages.Policy(names[i%len(names)])
		src = strings.Replace(src, "\n", fmt.Sprintf("\n本页编号：%d。\n", i), 1)
		f.pages[i] = testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
	}
	var servers []*httptest.Server
	for h := 1; h <= hosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			t.Skipf("cannot listen on 127.0.0.%d: %v", h, err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	for i := range n {
		f.urls[i] = fmt.Sprintf("%s/p/%d", servers[i%hosts].URL, i)
	}
	return f
}

func (f *fleet) serve(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(f.pages) {
		http.NotFound(w, r)
		return
	}
	time.Sleep(f.delay)
	f.mu.Lock()
	f.fetches[i]++
	body := f.pages[i]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, body)
}

func (f *fleet) fetched() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.fetches...)
}

func (f *fleet) edit(i int) {
	f.mu.Lock()
	f.pages[i] = strings.Replace(f.pages[i], "本页编号", "本页的新编号", 1)
	f.mu.Unlock()
}

// worker is one policywatch worker process.
type worker struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startWorker(t *testing.T, dsn string, args ...string) *worker {
	t.Helper()
	w := &worker{cmd: exec.Command(os.Args[0], append([]string{"worker"}, args...)...)}
	// RESCUE_AFTER is well above a check's time on a busy machine: River
	// rescues a job running longer, and a rescued job still running would
	// fetch its page twice. The killed worker's jobs are still rescued at
	// River's next sweep (every 30 s), within the test's deadline.
	w.cmd.Env = append(os.Environ(), "POLICYWATCH_TEST_AS_CLI=1", "POLICYWATCH_DB="+dsn,
		"POLICYWATCH_ALLOW_PRIVATE=1", "POLICYWATCH_HOST_CONCURRENCY=2", "POLICYWATCH_RETRIES=0",
		"POLICYWATCH_SCHEDULE_EVERY=1s", "POLICYWATCH_RESCUE_AFTER=10s", "POLICYWATCH_SLOT_TTL=5s",
		"POLICYWATCH_BASE_URL=http://pw.example", "POLICYWATCH_LOG=warn")
	w.cmd.Stdout, w.cmd.Stderr = &w.out, &w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	return w
}

func (w *worker) wait(t *testing.T) {
	t.Helper()
	if err := w.cmd.Wait(); err != nil {
		t.Fatalf("worker: %v\n%s", err, w.out.String())
	}
}

// TestWorkersSharePostgres runs three worker processes over hundreds of
// pages on one PostgreSQL database: every due page is fetched once and
// recorded once; then a worker is killed in the middle of a pass, and its
// checks finish elsewhere with nothing recorded twice and nothing lost; a
// webhook gets exactly one POST per real change.
func TestWorkersSharePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	dsn := pgtest.NewDatabase(t)
	const pages = 300
	f := newFleet(t, pages, 10, 20*time.Millisecond)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := make([]int64, pages)
	for i, u := range f.urls {
		p := &policywatch.Policy{Platform: fmt.Sprintf("平台%d", i%7), Name: fmt.Sprintf("隐私政策 %d", i), URL: u,
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}

	// First pass: three workers with --once.
	var ws []*worker
	for range 3 {
		ws = append(ws, startWorker(t, dsn, "--once", "--concurrency", "4"))
	}
	for _, w := range ws {
		w.wait(t)
	}
	for i, n := range f.fetched() {
		if n != 1 {
			t.Errorf("first pass: page %d fetched %d times", i, n)
		}
	}
	assertRuns(t, st, ids, 1)

	// Second pass: everything due, 20 pages changed, a webhook listening,
	// and one of three long-running workers killed mid-pass.
	hook := newCountingHook(t)
	if err := st.CreateSubscription(ctx, &policywatch.Subscription{Kind: "webhook", Target: hook.URL, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	changed := map[int]bool{}
	for i := 5; i < pages; i += 15 {
		f.edit(i)
		changed[i] = true
	}
	for _, id := range ids {
		p, _ := st.FindPolicy(ctx, id)
		p.NextCheckAt = time.Now()
		if err := st.UpdatePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	before := f.fetched()
	ws = nil
	for range 3 {
		ws = append(ws, startWorker(t, dsn, "--concurrency", "4"))
	}
	// Kill the first worker once the pass is well under way.
	deadline := time.Now().Add(60 * time.Second)
	for sum(f.fetched())-sum(before) < pages/4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ws[0].cmd.Process.Signal(syscall.SIGKILL)
	ws[0].cmd.Wait()
	killedAt := sum(f.fetched()) - sum(before)
	if killedAt >= pages {
		t.Fatalf("the pass ended before the worker was killed (%d fetches)", killedAt)
	}

	// Wait until every policy has its second check and every change its POST.
	deadline = time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if countRuns(t, st, ids) == 2*pages && hook.count() >= len(changed) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // anything recorded twice would show now
	for _, w := range ws[1:] {
		w.cmd.Process.Signal(syscall.SIGINT)
		w.wait(t)
	}
	assertRuns(t, st, ids, 2)
	for i, id := range ids {
		vs, _ := st.ListVersions(ctx, id)
		want := 1
		if changed[i] {
			want = 2
		}
		if len(vs) != want {
			t.Errorf("policy %d: %d versions, want %d", id, len(vs), want)
		}
	}
	after := f.fetched()
	lost := 0
	for i := range after {
		if after[i]-before[i] != 1 {
			lost++ // fetched by the killed worker, not recorded, fetched again
		}
		if after[i]-before[i] > 2 {
			t.Errorf("page %d fetched %d times in the second pass", i, after[i]-before[i])
		}
	}
	if lost > 4*2 { // at most the killed worker's 4 checks in flight (2 hosts' worth of slots)
		t.Errorf("%d pages fetched twice in the second pass: more than the killed worker had in flight", lost)
	}
	posts := hook.bodies()
	seen := map[string]bool{}
	for _, p := range posts {
		if seen[p["to_version"]] {
			t.Errorf("two POSTs for version %s", p["to_version"])
		}
		seen[p["to_version"]] = true
	}
	if len(posts) != len(changed) {
		t.Errorf("webhook got %d POSTs for %d changes", len(posts), len(changed))
	}
	t.Logf("worker killed after %d of %d fetches; %d pages fetched again after it died", killedAt, pages, lost)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func countRuns(t *testing.T, st policywatch.Store, ids []int64) int {
	n := 0
	for _, id := range ids {
		runs, err := st.ListCheckRuns(context.Background(), id, 10)
		if err != nil {
			t.Fatal(err)
		}
		n += len(runs)
	}
	return n
}

func assertRuns(t *testing.T, st policywatch.Store, ids []int64, want int) {
	t.Helper()
	for _, id := range ids {
		runs, _ := st.ListCheckRuns(context.Background(), id, 10)
		if len(runs) != want {
			t.Errorf("policy %d: %d checks recorded, want %d", id, len(runs), want)
			continue
		}
		for _, r := range runs {
			if r.Result == policywatch.ResultFailed {
				t.Errorf("policy %d: failed check: %s", id, r.Error)
			}
		}
	}
}

type countingHook struct {
	*httptest.Server
	mu  sync.Mutex
	got []map[string]string
}

func newCountingHook(t *testing.T) *countingHook {
	h := &countingHook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		h.mu.Lock()
		h.got = append(h.got, body)
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *countingHook) count() int { h.mu.Lock(); defer h.mu.Unlock(); return len(h.got) }
func (h *countingHook) bodies() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]string(nil), h.got...)
}
