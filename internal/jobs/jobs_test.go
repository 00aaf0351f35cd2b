package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
	"github.com/policywatch/policywatch/internal/track"
)

// site serves numbered policy pages built from CAPP-130 and counts fetches.
type site struct {
	*httptest.Server
	mu      sync.Mutex
	pages   map[string]string
	status  map[string]int
	fetches map[string]int
}

func newSite(t *testing.T, n int) *site {
	t.Helper()
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	s := &site{pages: map[string]string{}, status: map[string]int{}, fetches: map[string]int{}}
	for i := range n {
		src, _ := testpages.Policy(names[i%len(names)])
		s.pages[fmt.Sprintf("/p/%d", i)] = page(src, i)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.fetches[r.URL.Path]++
		body, ok := s.pages[r.URL.Path]
		code := s.status[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if code != 0 {
			w.WriteHeader(code)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func page(src string, i int) string {
	src = strings.Replace(src, "\n", fmt.Sprintf("\n本页编号：%d。\n", i), 1)
	return testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
}

func (s *site) set(path, body string) { s.mu.Lock(); s.pages[path] = body; s.mu.Unlock() }
func (s *site) fail(path string, code int) {
	s.mu.Lock()
	s.status[path] = code
	s.mu.Unlock()
}
func (s *site) count(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.fetches[path] }

// hook receives webhook POSTs.
type hook struct {
	*httptest.Server
	mu   sync.Mutex
	got  []map[string]string
	fail int // answer 500 to this many POSTs first
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.fail > 0 {
			h.fail--
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		h.got = append(h.got, body)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) posts() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]string(nil), h.got...)
}

type env struct {
	t     *testing.T
	dsn   string
	store *store.Store
	q     *Queue
	site  *site
}

func newEnv(t *testing.T, dsn string, pages int, failingAfter int) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := fetch.New(fetch.Options{AllowPrivate: true, Retries: -1, Timeout: 5 * time.Second, HostConcurrency: 4})
	// Retries are a minute away: a pass never checks a policy twice, and
	// the tests bring the next check forward when they want one.
	checker := track.New(st, f, nil, track.Options{FailingAfter: failingAfter, RetryBase: time.Minute})
	q, err := Open(ctx, Config{Store: st, Checker: checker, Concurrency: 4, HostLimit: 4,
		Notify: &Notifier{Store: st, BaseURL: "http://pw.example"}, WorkerID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	e := &env{t: t, dsn: dsn, store: st, q: q, site: newSite(t, pages)}
	for i := range pages {
		p := &policywatch.Policy{Platform: "平台", Name: fmt.Sprintf("隐私政策 %d", i), URL: fmt.Sprintf("%s/p/%d", e.site.URL, i),
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) runOnce() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e.q.RunOnce(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// makeDue brings every policy's next check to now.
func (e *env) makeDue() {
	e.t.Helper()
	ctx := context.Background()
	list, _ := e.store.ListPolicies(ctx)
	for _, p := range list {
		pol := p.Policy
		pol.NextCheckAt = time.Now()
		if err := e.store.UpdatePolicy(ctx, &pol); err != nil {
			e.t.Fatal(err)
		}
	}
	time.Sleep(10 * time.Millisecond)
}

func sqliteDSN(t *testing.T) string { return filepath.Join(t.TempDir(), "pw.db") }

func TestChecksAndNotificationsSQLite(t *testing.T) { testChecksAndNotifications(t, sqliteDSN(t)) }
func TestChecksAndNotificationsPostgres(t *testing.T) {
	testChecksAndNotifications(t, pgtest.NewDatabase(t))
}

// testChecksAndNotifications: each due page is fetched once and recorded
// once; a webhook gets exactly one POST per real change, none for first
// versions or unchanged checks.
func testChecksAndNotifications(t *testing.T, dsn string) {
	const pages = 40
	e := newEnv(t, dsn, pages, 3)
	ctx := context.Background()
	h := newHook(t)
	h.fail = 1 // the first POST fails: the delivery is retried
	sub := &policywatch.Subscription{Kind: "webhook", Target: h.URL + "/hook", Format: "json"}
	if err := e.store.CreateSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}

	e.runOnce() // first versions
	for i := range pages {
		if n := e.site.count(fmt.Sprintf("/p/%d", i)); n != 1 {
			t.Errorf("page %d fetched %d times in the first pass", i, n)
		}
	}
	list, _ := e.store.ListPolicies(ctx)
	for _, p := range list {
		if p.Versions != 1 {
			t.Errorf("%s: %d versions", p.Name, p.Versions)
		}
	}
	e.runOnce() // nothing due: nothing fetched
	if n := e.site.count("/p/0"); n != 1 {
		t.Errorf("a policy not due was fetched again (%d)", n)
	}

	e.makeDue()
	changed := []int{3, 17}
	for _, i := range changed {
		e.site.set(fmt.Sprintf("/p/%d", i), strings.Replace(e.site.pages[fmt.Sprintf("/p/%d", i)], "本页编号", "本页新编号", 1))
	}
	e.runOnce() // two changes, the rest unchanged
	for i := range pages {
		if n := e.site.count(fmt.Sprintf("/p/%d", i)); n != 2 {
			t.Errorf("page %d fetched %d times after two passes", i, n)
		}
	}
	// The failed first POST is retried by River after its backoff (about
	// a second); wait for it.
	deadline := time.Now().Add(30 * time.Second)
	for len(h.posts()) < len(changed) && time.Now().Before(deadline) {
		runFor(t, e.q, 500*time.Millisecond)
	}
	posts := h.posts()
	if len(posts) != len(changed) {
		t.Fatalf("webhook got %d POSTs, want %d: %v", len(posts), len(changed), posts)
	}
	seen := map[string]bool{}
	for _, p := range posts {
		if seen[p["to_version"]] {
			t.Errorf("two POSTs for version %s", p["to_version"])
		}
		seen[p["to_version"]] = true
		if p["platform"] != "平台" || p["level"] == "" || p["summary"] == "" || p["from_version"] == "" ||
			!strings.HasPrefix(p["compare_url"], "http://pw.example/compare?from=") {
			t.Errorf("webhook body: %v", p)
		}
	}
	ds, _ := e.store.ListDeliveries(ctx, policywatch.DeliveryFilter{})
	if len(ds) != 2 {
		t.Fatalf("deliveries: %+v", ds)
	}
	attempts := 0
	for _, d := range ds {
		var m notify.Message
		if err := json.Unmarshal(d.Payload, &m); err != nil || m.FromNumber != 1 || m.ToNumber != 2 {
			t.Errorf("delivery %d names versions v%d → v%d (%v), want v1 → v2", d.ID, m.FromNumber, m.ToNumber, err)
		}
		if d.Status != policywatch.DeliverySent {
			t.Errorf("delivery %d: %s %s", d.ID, d.Status, d.LastError)
		}
		attempts += d.Attempts
	}
	if attempts != 3 {
		t.Errorf("%d attempts for 2 deliveries with one failure, want 3", attempts)
	}
	if pending, _ := e.store.PendingChanges(ctx, 10); len(pending) != 0 {
		t.Errorf("changes left unannounced: %+v", pending)
	}
}

// runFor runs the queue's workers for a while.
func runFor(t *testing.T, q *Queue, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := q.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestFailingAndRecoverySQLite(t *testing.T) { testFailingAndRecovery(t, sqliteDSN(t)) }
func TestFailingAndRecoveryPostgres(t *testing.T) {
	testFailingAndRecovery(t, pgtest.NewDatabase(t))
}

// testFailingAndRecovery: a policy whose page fails becomes failing after
// N checks in a row (admins are told once), is retried, and recovers.
func testFailingAndRecovery(t *testing.T, dsn string) {
	e := newEnv(t, dsn, 1, 3)
	ctx := context.Background()
	admin, changes := newHook(t), newHook(t)
	for _, sub := range []*policywatch.Subscription{
		{Kind: "webhook", Target: admin.URL, Format: "json", Admin: true},
		{Kind: "webhook", Target: changes.URL, Format: "json"},
	} {
		if err := e.store.CreateSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	e.site.fail("/p/0", http.StatusInternalServerError)
	for i := 1; i <= 4; i++ {
		e.makeDue()
		e.runOnce()
		p, _ := e.store.FindPolicy(ctx, 1)
		if p.ConsecutiveFailures != i {
			t.Fatalf("after failure %d: %d consecutive failures", i, p.ConsecutiveFailures)
		}
		want := policywatch.StatusActive
		if i >= 3 {
			want = policywatch.StatusFailing
		}
		if p.Status != want {
			t.Errorf("after failure %d: %s, want %s", i, p.Status, want)
		}
		if i < 3 && p.NextCheckAt.After(time.Now().Add(10*time.Minute)) {
			t.Errorf("failure %d retried at %v: not soon", i, p.NextCheckAt)
		}
		if i >= 3 && !p.NextCheckAt.After(time.Now().Add(20*time.Hour)) {
			t.Errorf("failing policy retried at %v: not more slowly", p.NextCheckAt)
		}
	}
	e.site.fail("/p/0", 0)
	e.makeDue()
	e.runOnce()
	p, _ := e.store.FindPolicy(ctx, 1)
	if p.Status != policywatch.StatusActive || p.ConsecutiveFailures != 0 {
		t.Errorf("after recovery: %s, %d failures", p.Status, p.ConsecutiveFailures)
	}
	got := admin.posts()
	if len(got) != 2 || got[0]["event"] != "failing" || got[1]["event"] != "recovered" || got[0]["error"] == "" {
		t.Errorf("admin alerts: %v", got)
	}
	if n := len(changes.posts()); n != 0 {
		t.Errorf("a first version after failures was announced (%d POSTs)", n)
	}
}

// A destination that answers "gone" is given up at once, recorded as
// failed; the check is not held up.
func TestPermanentDeliveryFailure(t *testing.T) {
	e := newEnv(t, sqliteDSN(t), 1, 3)
	ctx := context.Background()
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	}))
	defer gone.Close()
	if err := e.store.CreateSubscription(ctx, &policywatch.Subscription{Kind: "webhook", Target: gone.URL, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	e.runOnce()
	e.site.set("/p/0", strings.Replace(e.site.pages["/p/0"], "本页编号", "本页新编号", 1))
	e.makeDue()
	e.runOnce()
	ds, _ := e.store.ListDeliveries(ctx, policywatch.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Status != policywatch.DeliveryFailed || ds[0].Attempts != 1 || !strings.Contains(ds[0].LastError, "410") {
		t.Fatalf("deliveries: %+v", ds)
	}
	if p, _ := e.store.FindPolicy(ctx, 1); p.Status != policywatch.StatusActive {
		t.Errorf("policy status %s", p.Status)
	}
}
