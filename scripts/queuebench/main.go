// Command queuebench measures check throughput through the job queue: 2,000
// loopback pages built from CAPP-130 (../shared/capp130/policies) over 50
// hosts, a first pass (every page new), an unchanged pass (every page due
// again, nothing changed) and a changed pass (every tenth page edited, a
// loopback webhook subscribed: the pass ends when its notifications are
// delivered, and each change must get exactly one POST), with `policywatch
// worker --once` processes on SQLite (one process) or PostgreSQL (1, 2, 4
// processes), and `check --all` in one process on either database.
//
//	go run ./scripts/queuebench                    # every setup
//	go run ./scripts/queuebench -setups pg:2 -pages 500
//	go run ./scripts/queuebench -setups check:sqlite,check:pg -hosts 20
//
// CPU time per check is the worker processes' user+system time divided by
// the checks; the database server's own CPU is not in it. "busy" is the
// share of the whole machine's CPU time in use during the pass (workers,
// database server and the page server together), from /proc/stat.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/testpages"
)

func main() {
	pages := flag.Int("pages", 2000, "pages to serve and track")
	hosts := flag.Int("hosts", 50, "loopback hosts (127.0.0.1 …) the pages are spread over")
	setups := flag.String("setups", "check:sqlite,sqlite:1,pg:1,pg:2,pg:4", "comma-separated: check:sqlite, check:pg, sqlite:1, pg:N")
	conc := flag.Int("concurrency", 8, "checks at a time per process")
	pgURL := flag.String("pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for pg setups")
	flag.Parse()
	log.SetFlags(0)

	work, err := os.MkdirTemp("", "queuebench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "policywatch")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/policywatch").CombinedOutput(); err != nil {
		log.Fatalf("build: %v\n%s", err, out)
	}
	site := serve(*pages, *hosts)
	urls, served := site.urls, &site.served
	hook := newHook()
	fmt.Printf("%d pages over %d hosts, %d checks at a time per process, %d CPUs\n", *pages, *hosts, *conc, numCPU())
	fmt.Printf("%-14s %10s %8s %10s %6s %10s %8s %10s %6s %10s %8s %6s\n", "setup", "first p/s", "first s", "cpu/check", "busy",
		"unch p/s", "unch s", "cpu/check", "busy", "chg p/s", "chg s", "POSTs")
	for round, setup := range strings.Split(*setups, ",") {
		kind, n, _ := strings.Cut(setup, ":")
		procs, _ := strconv.Atoi(n)
		dsn := filepath.Join(work, strings.ReplaceAll(setup, ":", "-")+".db")
		db := "queuebench_" + strings.ReplaceAll(setup, ":", "_")
		if kind == "pg" || n == "pg" {
			dsn = createDB(*pgURL, db)
		}
		if err := addPolicies(dsn, urls); err != nil {
			log.Fatal(err)
		}
		first := pass(bin, dsn, kind, procs, *conc, served, len(urls))
		makeDue(dsn)
		unchanged := pass(bin, dsn, kind, procs, *conc, served, len(urls))
		subscribe(dsn, hook.URL)
		changes := site.editEveryTenth(round)
		makeDue(dsn)
		posts := hook.posts.Load()
		changed := pass(bin, dsn, kind, procs, *conc, served, len(urls))
		posts = hook.posts.Load() - posts
		fmt.Printf("%-14s %10.0f %8.2f %8.2fms %5.0f%% %10.0f %8.2f %8.2fms %5.0f%% %10.0f %8.2f %6d\n", setup,
			first.rate, first.wall.Seconds(), first.cpuPerCheck, 100*first.machineBusy,
			unchanged.rate, unchanged.wall.Seconds(), unchanged.cpuPerCheck, 100*unchanged.machineBusy,
			changed.rate, changed.wall.Seconds(), posts)
		if posts != int64(changes) {
			log.Fatalf("%s: %d POSTs for %d changes", setup, posts, changes)
		}
		if kind == "pg" || n == "pg" {
			dropDB(*pgURL, db)
		}
	}
}

// hook is a loopback webhook that counts its POSTs.
type hook struct {
	*httptest.Server
	posts atomic.Int64
}

func newHook() *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h.posts.Add(1)
	}))
	return h
}

// subscribe makes the hook a subscriber of every change.
func subscribe(dsn, hookURL string) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateSubscription(ctx, &policywatch.Subscription{Kind: "webhook", Target: hookURL, Format: "json"}); err != nil {
		log.Fatal(err)
	}
}

type result struct {
	wall        time.Duration
	rate        float64
	cpuPerCheck float64 // ms
	machineBusy float64 // share of all CPUs busy during the pass (workers, database, page server)
}

// pass runs the setup's processes until they exit and checks that every
// page was fetched.
func pass(bin, dsn, kind string, procs, conc int, served *atomic.Int64, pages int) result {
	before := served.Load()
	busy0, total0 := cpuTicks()
	start := time.Now()
	var cmds []*exec.Cmd
	for range max(procs, 1) {
		args := []string{"worker", "--once", "--concurrency", strconv.Itoa(conc)}
		if kind == "check" {
			args = []string{"check", "--all", "--concurrency", strconv.Itoa(conc)}
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "POLICYWATCH_DB="+dsn, "POLICYWATCH_ALLOW_PRIVATE=1", "POLICYWATCH_LOG=error")
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Start(); err != nil {
			log.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	var cpu time.Duration
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			log.Fatalf("%s: %v", cmd.Args[1], err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	wall := time.Since(start)
	busy1, total1 := cpuTicks()
	if got := served.Load() - before; got < int64(pages) {
		log.Fatalf("%s: only %d of %d pages fetched", kind, got, pages)
	}
	return result{wall: wall, rate: float64(pages) / wall.Seconds(), cpuPerCheck: float64(cpu.Microseconds()) / 1000 / float64(pages),
		machineBusy: float64(busy1-busy0) / float64(max(total1-total0, 1))}
}

// cpuTicks reads the machine's busy and total CPU time from /proc/stat.
func cpuTicks() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	for i, f := range strings.Fields(line)[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// site is the pages served, their URLs and how many were served.
type site struct {
	mu     sync.Mutex
	pages  []string
	urls   []string
	served atomic.Int64
}

// editEveryTenth adds a sentence to every tenth page (a new one each
// round) and returns how many pages it changed.
func (s *site) editEveryTenth(round int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := 0; i < len(s.pages); i += 10 {
		s.pages[i] = strings.Replace(s.pages[i], "本页编号", fmt.Sprintf("第%d轮修订。本页编号", round), 1)
		n++
	}
	return n
}

// serve starts the page servers.
func serve(n, hosts int) *site {
	names, err := testpages.PolicyNames()
	if err != nil {
		log.Fatal(err)
	}
	pages := make([]string, n)
	for i := range pages {
		src, _ := testpages.Policy(names[i%len(names)])
		src = strings.Replace(src, "\n", fmt.Sprintf("\n本页编号：%d。\n", i), 1)
		pages[i] = testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
	}
	s := &site{pages: pages}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		s.served.Add(1)
		s.mu.Lock()
		page := s.pages[i]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	var bases []string
	for h := 1; h <= hosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			log.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(handler)
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		bases = append(bases, srv.URL)
	}
	s.urls = make([]string, n)
	for i := range s.urls {
		s.urls[i] = fmt.Sprintf("%s/p/%d", bases[i%hosts], i)
	}
	return s
}

func addPolicies(dsn string, urls []string) error {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, u := range urls {
		p := &policywatch.Policy{Platform: fmt.Sprintf("平台%d", i%40), Name: fmt.Sprintf("隐私政策 %d", i), URL: u,
			Kind: policywatch.KindPrivacy, Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// makeDue brings every policy's next check to now.
func makeDue(dsn string) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	list, err := st.ListPolicies(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range list {
		pol := p.Policy
		pol.NextCheckAt = time.Now()
		if err := st.UpdatePolicy(ctx, &pol); err != nil {
			log.Fatal(err)
		}
	}
}

func createDB(server, name string) string {
	dropDB(server, name)
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		log.Fatalf("PostgreSQL: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		log.Fatal(err)
	}
	return strings.Replace(server, "/postgres?", "/"+name+"?", 1)
}

func dropDB(server, name string) {
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		log.Fatalf("PostgreSQL: %v", err)
	}
	defer conn.Close(context.Background())
	conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(strings.Count(string(b), "processor\t:"), 1)
}
