package metrics

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/policywatch/policywatch"
)

// testStats are the database's counts of checks: one past the last bucket
// (2 minutes), a failure with no page fetched (renderer "none").
var testStats = []policywatch.CheckStat{
	{Result: "first", Renderer: "http", UpTo: 250 * time.Millisecond, Checks: 2, Total: 300 * time.Millisecond},
	{Result: "changed", Renderer: "http", UpTo: 0, Checks: 1, Total: 2 * time.Minute},
	{Result: "unchanged", Renderer: "http", UpTo: 5 * time.Millisecond, Checks: 10, Total: 20 * time.Millisecond},
	{Result: "failed", ErrorClass: "http_status", UpTo: 5 * time.Millisecond, Checks: 3},
}

// wantCheckText is what Prometheus's client (client_golang 1.25) served for
// testStats: the check counters, the versions recorded, and per renderer a
// cumulative histogram whose +Inf bucket and count include the check past
// the last bound.
const wantCheckText = `
# HELP policywatch_check_duration_seconds Time of a whole check (fetch, extraction, comparison, record) by renderer, of every check recorded.
# TYPE policywatch_check_duration_seconds histogram
policywatch_check_duration_seconds_bucket{renderer="http",le="0.005"} 10
policywatch_check_duration_seconds_bucket{renderer="http",le="0.01"} 10
policywatch_check_duration_seconds_bucket{renderer="http",le="0.025"} 10
policywatch_check_duration_seconds_bucket{renderer="http",le="0.05"} 10
policywatch_check_duration_seconds_bucket{renderer="http",le="0.1"} 10
policywatch_check_duration_seconds_bucket{renderer="http",le="0.25"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="0.5"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="1"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="2.5"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="5"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="10"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="30"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="60"} 12
policywatch_check_duration_seconds_bucket{renderer="http",le="+Inf"} 13
policywatch_check_duration_seconds_sum{renderer="http"} 120.32
policywatch_check_duration_seconds_count{renderer="http"} 13
policywatch_check_duration_seconds_bucket{renderer="none",le="0.005"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.01"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.025"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.05"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.1"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.25"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="0.5"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="1"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="2.5"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="5"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="10"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="30"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="60"} 3
policywatch_check_duration_seconds_bucket{renderer="none",le="+Inf"} 3
policywatch_check_duration_seconds_sum{renderer="none"} 0
policywatch_check_duration_seconds_count{renderer="none"} 3
# HELP policywatch_checks_total Checks recorded by result (first, changed, unchanged, failed) and error class, by every process using the database.
# TYPE policywatch_checks_total counter
policywatch_checks_total{error_class="",result="changed"} 1
policywatch_checks_total{error_class="",result="first"} 2
policywatch_checks_total{error_class="",result="unchanged"} 10
policywatch_checks_total{error_class="http_status",result="failed"} 3
# HELP policywatch_versions_recorded_total Versions recorded by checks, by result (first or changed).
# TYPE policywatch_versions_recorded_total counter
policywatch_versions_recorded_total{result="changed"} 1
policywatch_versions_recorded_total{result="first"} 2
`

func statsOf(stats []policywatch.CheckStat, err error) CheckStats {
	return func(context.Context) ([]policywatch.CheckStat, error) { return stats, err }
}

func TestCheckCollector(t *testing.T) {
	families, err := CheckCollector(statsOf(testStats, nil))(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, families); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != strings.TrimPrefix(wantCheckText, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, wantCheckText)
	}
	parse(t, b.String())
}

// TestCheckCollectorError: a database that does not answer is an error of
// these metrics alone.
func TestCheckCollectorError(t *testing.T) {
	if _, err := CheckCollector(statsOf(nil, errors.New("database is closed")))(context.Background()); err == nil || !strings.Contains(err.Error(), "database is closed") {
		t.Errorf("collect: %v", err)
	}
}

// TestWriteTextEscapes: backslashes, double quotes and line feeds in label
// values, backslashes and line feeds in help texts (quotes kept), values as
// Prometheus writes them, labels sorted by name and metrics by label values.
func TestWriteTextEscapes(t *testing.T) {
	families := []Family{
		{Name: "b_total", Help: `Counts "things" with \ and` + "\nmore.", Type: Counter, Metrics: []Metric{
			{Labels: []Label{{"z", "1"}, {"a", `quote " backslash \ line` + "\nfeed"}}, Value: 1e6},
			{Labels: []Label{{"z", "0"}, {"a", ""}}, Value: 0.005},
		}},
		{Name: "a", Type: Gauge, Metrics: []Metric{{Value: math.Inf(+1)}}},
		{Name: "c", Type: Gauge, Metrics: []Metric{{Labels: []Label{{"x", "nan"}}, Value: math.NaN()}, {Labels: []Label{{"x", "neg"}}, Value: math.Copysign(0, -1)}, {Labels: []Label{{"x", "max"}}, Value: float64(^uint64(0))}}},
		{Name: "empty", Help: "no metrics: left out", Type: Gauge},
	}
	want := `# TYPE a gauge
a +Inf
# HELP b_total Counts "things" with \\ and\nmore.
# TYPE b_total counter
b_total{a="",z="0"} 0.005
b_total{a="quote \" backslash \\ line\nfeed",z="1"} 1e+06
# TYPE c gauge
c{x="max"} 1.8446744073709552e+19
c{x="nan"} NaN
c{x="neg"} 0
`
	var b bytes.Buffer
	if err := WriteText(&b, families); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	got := parse(t, b.String())
	if v := got["b_total"].GetMetric()[1].GetLabel()[0].GetValue(); v != `quote " backslash \ line`+"\nfeed" {
		t.Errorf("label value read back as %q", v)
	}
	if h := got["b_total"].GetHelp(); h != `Counts "things" with \ and`+"\nmore." {
		t.Errorf("help read back as %q", h)
	}
}

// TestParseCatchesMalformedText: the parser the tests rely on refuses what
// a writer could get wrong (an unescaped quote, a family split in two).
func TestParseCatchesMalformedText(t *testing.T) {
	for _, text := range []string{
		"# TYPE x counter\nx{a=\"say \"hi\"\"} 1\n",
		"# TYPE x counter\nx 1\n# TYPE y gauge\ny 1\n# TYPE x counter\nx{a=\"b\"} 1\n",
	} {
		if _, err := textParser().TextToMetricFamilies(strings.NewReader(text)); err == nil {
			t.Errorf("parsed without error:\n%s", text)
		}
	}
}

// TestHandler: the whole page is valid text format with the notifications,
// the Go runtime's and the process's metrics; a collector that fails leaves
// only its own metrics out, with status 200.
func TestHandler(t *testing.T) {
	ObserveNotification("webhook", "sent")
	ObserveNotification("webhook", "sent")
	ObserveNotification("email", "failed")
	for _, failing := range []bool{false, true} {
		var stats CheckStats = statsOf(testStats, nil)
		if failing {
			stats = statsOf(nil, errors.New("database is closed"))
		}
		rec := httptest.NewRecorder()
		Handler(slog.New(slog.DiscardHandler), CheckCollector(stats)).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
			t.Fatalf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		families := parse(t, rec.Body.String())
		want := []string{"policywatch_notifications_total", "go_goroutines", "go_threads", "go_info", "go_gc_duration_seconds",
			"go_memstats_alloc_bytes", "go_memstats_sys_bytes", "go_memstats_heap_inuse_bytes"}
		if runtime.GOOS == "linux" {
			want = append(want, "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
				"process_open_fds", "process_max_fds", "process_start_time_seconds")
		}
		if !failing {
			want = append(want, "policywatch_checks_total", "policywatch_versions_recorded_total", "policywatch_check_duration_seconds")
		} else if _, ok := families["policywatch_checks_total"]; ok {
			t.Errorf("check counts served though the database failed")
		}
		for _, name := range want {
			if len(families[name].GetMetric()) == 0 {
				t.Errorf("failing %v: no %s", failing, name)
			}
		}
		if !strings.Contains(rec.Body.String(), "\npolicywatch_notifications_total{channel=\"webhook\",outcome=\"sent\"} 2\n") {
			t.Errorf("notifications:\n%s", rec.Body.String())
		}
		if v := families["go_info"].GetMetric()[0].GetLabel()[0].GetValue(); v != runtime.Version() {
			t.Errorf("go_info version %q", v)
		}
		if start := families["process_start_time_seconds"]; runtime.GOOS == "linux" &&
			time.Since(time.Unix(int64(start.GetMetric()[0].GetGauge().GetValue()), 0)) > time.Hour {
			t.Errorf("process started at %v", start.GetMetric()[0].GetGauge().GetValue())
		}
	}
}

func textParser() *expfmt.TextParser {
	p := expfmt.NewTextParser(model.LegacyValidation)
	return &p
}

// parse reads text with Prometheus's own parser, failing the test on
// anything it refuses.
func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	families, err := textParser().TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("not valid text format: %v\n%s", err, text)
	}
	return families
}
