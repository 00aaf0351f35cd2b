package track

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/testpages"
)

const (
	benchPages = 1000
	benchHosts = 50 // 127.0.0.1 … 127.0.0.50: politeness is per host, as on the real web
	benchConc  = 8  // the CLI's default --concurrency
)

// benchFleet serves benchPages distinct policy pages built from CAPP-130
// over benchHosts loopback hosts.
type benchFleet struct {
	urls    []string
	servers []*httptest.Server
}

func newBenchFleet(b *testing.B) *benchFleet {
	names, err := testpages.PolicyNames()
	if err != nil {
		b.Skip(err)
	}
	pages := make([]string, benchPages)
	for i := range pages {
		src, _ := testpages.Policy(names[i%len(names)])
		// Each page is a distinct policy: the same corpus text, numbered.
		src = strings.Replace(src, "\n", fmt.Sprintf("\n本页编号：%d。\n", i), 1)
		pages[i] = testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
	}
	f := &benchFleet{}
	for h := 1; h <= benchHosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			b.Skipf("cannot listen on 127.0.0.%d: %v", h, err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var i int
			if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, pages[i])
		}))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		f.servers = append(f.servers, srv)
	}
	for i := range pages {
		f.urls = append(f.urls, fmt.Sprintf("%s/p/%d", f.servers[i%benchHosts].URL, i))
	}
	return f
}

func (f *benchFleet) close() {
	for _, s := range f.servers {
		s.Close()
	}
}

// setup opens a fresh database with one policy per page.
func (f *benchFleet) setup(b *testing.B) (*Checker, []int64, func()) {
	dir := b.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, len(f.urls))
	for i, u := range f.urls {
		p := &policywatch.Policy{Platform: fmt.Sprintf("平台%d", i%37), Name: fmt.Sprintf("隐私政策%d", i), URL: u,
			Render: policywatch.RenderHTTP, Interval: policywatch.DefaultInterval}
		if err := st.CreatePolicy(context.Background(), p); err != nil {
			b.Fatal(err)
		}
		ids[i] = p.ID
	}
	c := New(st, fetch.New(fetch.Options{AllowPrivate: true}), nil, Options{})
	return c, ids, func() { st.Close() }
}

func checkAll(b *testing.B, c *Checker, ids []int64, want policywatch.Result) {
	for _, o := range c.CheckMany(context.Background(), ids, benchConc, nil) {
		if o.Result != want {
			b.Fatalf("policy %d: %s (%s), want %s", o.PolicyID, o.Result, o.Error, want)
		}
	}
}

// BenchmarkCheckAllFirstPass: 1,000 new policies fetched, extracted and
// recorded (goal: at least 100 pages/s on 2 cores).
func BenchmarkCheckAllFirstPass(b *testing.B) {
	fleet := newBenchFleet(b)
	defer fleet.close()
	for b.Loop() {
		b.StopTimer()
		c, ids, done := fleet.setup(b)
		b.StartTimer()
		checkAll(b, c, ids, policywatch.ResultFirst)
		b.StopTimer()
		done()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchPages*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkCheckAllUnchanged: 1,000 policies whose pages did not change. The
// test server sends no ETag, so this is the raw-bytes hash shortcut, the
// slower of the two cheap paths (goal: at least 300 pages/s).
func BenchmarkCheckAllUnchanged(b *testing.B) {
	fleet := newBenchFleet(b)
	defer fleet.close()
	c, ids, done := fleet.setup(b)
	defer done()
	checkAll(b, c, ids, policywatch.ResultFirst)
	for b.Loop() {
		checkAll(b, c, ids, policywatch.ResultUnchanged)
	}
	b.ReportMetric(float64(benchPages*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkUnchangedCheck is the cost of one check of an unchanged page.
func BenchmarkUnchangedCheck(b *testing.B) {
	fleet := newBenchFleet(b)
	defer fleet.close()
	c, ids, done := fleet.setup(b)
	defer done()
	if o := c.Check(context.Background(), ids[0]); o.Result != policywatch.ResultFirst {
		b.Fatal(o.Error)
	}
	b.ReportAllocs()
	for b.Loop() {
		if o := c.Check(context.Background(), ids[0]); o.Result != policywatch.ResultUnchanged {
			b.Fatal(o.Error)
		}
	}
}
