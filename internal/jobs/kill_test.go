package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/store/pgtest"
	"github.com/policywatch/policywatch/internal/testpages"
	"github.com/policywatch/policywatch/internal/track"
)

// TestMain lets a test run this test binary as a worker process (see
// runTestWorker), so that one can be killed.
func TestMain(m *testing.M) {
	if id := os.Getenv("POLICYWATCH_TEST_WORKER"); id != "" {
		os.Exit(runTestWorker(id, os.Getenv("POLICYWATCH_TEST_DB")))
	}
	os.Exit(m.Run())
}

// runTestWorker is `policywatch worker --concurrency 4` with
// POLICYWATCH_HOST_CONCURRENCY=2 and every timing left at its default.
func runTestWorker(id, dsn string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	st, err := store.Open(ctx, dsn)
	if err != nil {
		logger.Error("store", "err", err)
		return 1
	}
	defer st.Close()
	f := fetch.New(fetch.Options{AllowPrivate: true, Retries: -1, Timeout: time.Minute, HostConcurrency: 4})
	q, err := Open(ctx, Config{Store: st, Checker: track.New(st, f, nil, track.Options{Logger: logger}),
		Logger: logger, Concurrency: 4, HostLimit: 2, WorkerID: id})
	if err != nil {
		logger.Error("queue", "err", err)
		return 1
	}
	defer q.Close()
	if err := q.Run(ctx); err != nil {
		logger.Error("run", "err", err)
		return 1
	}
	return 0
}

// slowSite serves numbered policy pages over several loopback hosts, each
// answer taking a while, so that a worker is killed in the middle of its
// checks.
type slowSite struct {
	mu      sync.Mutex
	pages   []string
	fetches []int
	urls    []string
	delay   time.Duration
}

func newSlowSite(t *testing.T, n, hosts int, delay time.Duration) *slowSite {
	t.Helper()
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	s := &slowSite{pages: make([]string, n), fetches: make([]int, n), urls: make([]string, n), delay: delay}
	for i := range n {
		src, _ := testpages.Policy(names[i%len(names)])
		s.pages[i] = page(src, i)
	}
	for h := 1; h <= hosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			t.Skipf("cannot listen on 127.0.0.%d: %v", h, err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		for i := h - 1; i < n; i += hosts {
			s.urls[i] = fmt.Sprintf("%s/p/%d", srv.URL, i)
		}
	}
	return s
}

func (s *slowSite) serve(w http.ResponseWriter, r *http.Request) {
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(s.pages) {
		http.NotFound(w, r)
		return
	}
	time.Sleep(s.delay)
	s.mu.Lock()
	s.fetches[i]++
	body := s.pages[i]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, body)
}

func (s *slowSite) fetched() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.fetches...)
}

// testWorker is a worker process.
type testWorker struct {
	id  string
	cmd *exec.Cmd
	out bytes.Buffer
}

func startTestWorker(t *testing.T, dsn, id string) *testWorker {
	t.Helper()
	w := &testWorker{id: id, cmd: exec.Command(os.Args[0], "-test.run=^$")}
	w.cmd.Env = append(os.Environ(), "POLICYWATCH_TEST_WORKER="+id, "POLICYWATCH_TEST_DB="+dsn)
	w.cmd.Stdout, w.cmd.Stderr = &w.out, &w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	return w
}

// TestKilledWorkerResumesPostgres: two worker processes with the default
// rescue and slot timings (15 min, 10 min) share a PostgreSQL database; one
// is killed (SIGKILL) while it holds checks and host slots. Its checks are
// run by the other within a minute, thanks to the heartbeats; every page is
// recorded once and none is lost.
func TestKilledWorkerResumesPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes and waits for a dead one's heartbeat to lapse")
	}
	dsn := pgtest.NewDatabase(t)
	const pages, hosts = 32, 4
	site := newSlowSite(t, pages, hosts, 2*time.Second)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := make([]int64, pages)
	for i, u := range site.urls {
		p := &policywatch.Policy{Platform: "平台", Name: fmt.Sprintf("隐私政策 %d", i), URL: u,
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)

	victim := startTestWorker(t, dsn, "victim")
	survivor := startTestWorker(t, dsn, "survivor")
	logs := func() string {
		return fmt.Sprintf("victim:\n%s\nsurvivor:\n%s", victim.out.String(), survivor.out.String())
	}

	// Kill the victim once it holds two host slots and runs checks.
	var slots int
	var inFlight []int64
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if err := db.QueryRow(ctx, `SELECT count(*) FROM host_slots WHERE worker = 'victim' AND expires_at > now()`).
			Scan(&slots); err != nil {
			t.Fatal(err)
		}
		inFlight, _ = victimChecks(db) // River's tables may not be there yet
		if slots >= 2 && len(inFlight) >= 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if slots < 2 || len(inFlight) < 2 {
		t.Fatalf("the victim never held two slots while checking (%d slots, checks of %v)\n%s", slots, inFlight, logs())
	}
	victim.cmd.Process.Signal(syscall.SIGKILL)
	victim.cmd.Wait()
	killed := time.Now()
	// What it held at its death (it may have taken one more check between
	// the look and the kill).
	if inFlight, err = victimChecks(db); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM host_slots WHERE worker = 'victim' AND expires_at > now()`).
		Scan(&slots); err != nil {
		t.Fatal(err)
	}
	t.Logf("victim killed holding %d host slots, checking policies %v", slots, inFlight)

	// Every policy is checked once: the victim's checks within a minute.
	var recovered time.Duration
	for time.Since(killed) < 70*time.Second {
		done := 0
		for _, id := range inFlight {
			if runs, _ := st.ListCheckRuns(ctx, id, 10); len(runs) > 0 {
				done++
			}
		}
		if done == len(inFlight) && recovered == 0 {
			recovered = time.Since(killed)
		}
		if recovered > 0 && countRuns(t, st, ids) >= pages {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if recovered == 0 || recovered > time.Minute {
		t.Fatalf("the dead worker's checks did not finish within a minute\n%s", logs())
	}
	t.Logf("the dead worker's %d checks finished %.1f s after it was killed", len(inFlight), recovered.Seconds())
	time.Sleep(time.Second) // anything recorded twice would show now
	survivor.cmd.Process.Signal(syscall.SIGINT)
	if err := survivor.cmd.Wait(); err != nil {
		t.Errorf("survivor: %v\n%s", err, logs())
	}

	for _, id := range ids {
		runs, _ := st.ListCheckRuns(ctx, id, 10)
		vs, _ := st.ListVersions(ctx, id)
		if len(runs) != 1 || len(vs) != 1 || runs[0].Result != policywatch.ResultFirst {
			t.Errorf("policy %d: %d checks, %d versions: %+v", id, len(runs), len(vs), runs)
		}
	}
	held := map[int]bool{}
	for _, id := range inFlight {
		for i, pid := range ids {
			if pid == id {
				held[i] = true
			}
		}
	}
	for i, n := range site.fetched() {
		// A page the victim was fetching may have been answered to no one.
		if n != 1 && !(n == 2 && held[i]) {
			t.Errorf("page %d fetched %d times", i, n)
		}
	}
	// Taken over because the victim's heartbeat lapsed, not by River's
	// rescuer (15 minutes away).
	var rescued int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM river_job
		WHERE kind = 'check_policy' AND errors::text LIKE '%worker victim died%taken over by survivor%'`).Scan(&rescued); err != nil {
		t.Fatal(err)
	}
	if rescued < len(inFlight) {
		t.Errorf("%d checks taken over by the survivor, want %d", rescued, len(inFlight))
	}
	if !strings.Contains(survivor.out.String(), "took over dead workers' jobs") {
		t.Errorf("the survivor did not say it took over\n%s", logs())
	}
}

// victimChecks are the policies whose checks the victim is running.
func victimChecks(db *pgx.Conn) ([]int64, error) {
	rows, err := db.Query(context.Background(), `SELECT (args->>'policy_id')::bigint FROM river_job
		WHERE state = 'running' AND kind = 'check_policy' AND attempted_by[array_length(attempted_by, 1)] = 'victim'
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func countRuns(t *testing.T, st policywatch.Store, ids []int64) int {
	t.Helper()
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

func TestDeadWorkersJobsSQLite(t *testing.T) {
	testDeadWorkersJobs(t, sqliteDSN(t), func(db *sql.DB, id int64, attempt int, by string) error {
		_, err := db.Exec(`UPDATE river_job SET state = 'running', attempt = ?, attempted_at = ?,
			attempted_by = jsonb(?) WHERE id = ?`, attempt,
			time.Now().Add(-time.Minute).UTC().Format("2006-01-02 15:04:05.000"), `["x",`+strconv.Quote(by)+`]`, id)
		return err
	})
}

func TestDeadWorkersJobsPostgres(t *testing.T) {
	testDeadWorkersJobs(t, pgtest.NewDatabase(t), func(db *sql.DB, id int64, attempt int, by string) error {
		_, err := db.Exec(`UPDATE river_job SET state = 'running', attempt = $2,
			attempted_at = now() - interval '1 minute', attempted_by = ARRAY['x', $3] WHERE id = $1`, id, attempt, by)
		return err
	})
}

// testDeadWorkersJobs: a beat puts back in the queue the running jobs whose
// last attempt is a dead worker's (discarding one out of attempts), and
// leaves alone those of live workers and of workers it does not know.
func testDeadWorkersJobs(t *testing.T, dsn string, running func(db *sql.DB, id int64, attempt int, by string) error) {
	e := newEnv(t, dsn, 0, 3)
	ctx := context.Background()
	for _, w := range []string{"ghost", "alive"} {
		if _, err := e.store.Heartbeat(ctx, w, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	jobs := map[string]int64{}
	for i, c := range []struct {
		name, by string
		attempt  int
	}{{"dead", "ghost", 1}, {"spent", "ghost", 5}, {"live", "alive", 1}, {"unknown", "stranger", 1}} {
		res, err := e.q.client.Insert(ctx, CheckArgs{PolicyID: int64(100 + i)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := running(e.store.DB(), res.Job.ID, c.attempt, c.by); err != nil {
			t.Fatal(err)
		}
		jobs[c.name] = res.Job.ID
	}
	if _, ok, _ := e.store.AcquireHostSlot(ctx, "h.example", 1, "ghost/"+fmt.Sprint(jobs["dead"]), 10*time.Minute); !ok {
		t.Fatal("slot")
	}

	if n, err := e.q.beat(ctx); err != nil || n != 0 {
		t.Fatalf("a beat with every worker alive: %d jobs taken over (%v)", n, err)
	}
	if _, err := e.store.Heartbeat(ctx, "ghost", 0); err != nil { // the ghost dies
		t.Fatal(err)
	}
	if n, err := e.q.beat(ctx); err != nil || n != 2 {
		t.Fatalf("%d jobs taken over (%v), want 2", n, err)
	}
	for name, want := range map[string]rivertype.JobState{"dead": rivertype.JobStateAvailable,
		"spent": rivertype.JobStateDiscarded, "live": rivertype.JobStateRunning, "unknown": rivertype.JobStateRunning} {
		res, err := e.q.client.JobList(ctx, river.NewJobListParams().IDs(jobs[name]))
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		j := res.Jobs[0]
		if j.State != want {
			t.Errorf("%s job: %s, want %s", name, j.State, want)
		}
		if want != rivertype.JobStateRunning && (len(j.Errors) != 1 || !strings.Contains(j.Errors[0].Error, "worker ghost died")) {
			t.Errorf("%s job: errors %+v", name, j.Errors)
		}
	}
	if _, ok, _ := e.store.AcquireHostSlot(ctx, "h.example", 1, "test/1", 10*time.Minute); !ok {
		t.Error("the dead worker's host slot is still taken")
	}
	// Nothing more to take over: the next beats do not look again.
	if n, err := e.q.beat(ctx); err != nil || n != 0 {
		t.Errorf("second beat: %d jobs taken over (%v)", n, err)
	}
	if len(e.q.swept) != 1 || !e.q.swept["ghost"] {
		t.Errorf("swept: %v", e.q.swept)
	}
}
