// Package metrics holds policywatch's Prometheus metrics: checks by result,
// check latency and versions recorded, counted in the database (so that
// every process's checks count, `check` from cron included), and the
// process's own notifications by outcome. /metrics serves them with the
// queue depth the server adds.
//
// The registry and its collectors are made on first use, so commands that
// never notify or serve do not build them.
package metrics

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/policywatch/policywatch"
)

// set is the process-wide registry and the metrics in it.
type set struct {
	registry      *prometheus.Registry
	notifications *prometheus.CounterVec
}

var process = sync.OnceValue(func() *set {
	s := &set{
		registry: prometheus.NewRegistry(),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policywatch_notifications_total",
			Help: "Notification deliveries by channel and outcome.",
		}, []string{"channel", "outcome"}),
	}
	s.registry.MustRegister(s.notifications,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return s
})

// Registry is the process-wide registry of these metrics.
func Registry() *prometheus.Registry { return process().registry }

// ObserveNotification counts one delivery attempt.
func ObserveNotification(channel, outcome string) {
	process().notifications.WithLabelValues(channel, outcome).Inc()
}

// Handler serves the process's metrics and those of the extra registries
// (a server's queue depth and check counts, say) in the Prometheus text
// format. A collector that fails (the database does not answer) leaves its
// metrics out; the others are served.
func Handler(extra ...prometheus.Gatherer) http.Handler {
	g := prometheus.Gatherers(append([]prometheus.Gatherer{Registry()}, extra...))
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// CheckStats reads the counts of the checks recorded in the database
// (policywatch.Store.CheckStats).
type CheckStats func(ctx context.Context) ([]policywatch.CheckStat, error)

// checkCollector makes the check metrics from the database's counts at each
// scrape: one small grouped read, however many checks were ever made.
type checkCollector struct {
	stats                      CheckStats
	checks, duration, versions *prometheus.Desc
}

// NewCheckCollector serves policywatch_checks_total{result,error_class},
// policywatch_check_duration_seconds{renderer} and
// policywatch_versions_recorded_total{result} from the database's counts.
// Every process reports the same database-wide totals: with several
// servers, take one of them (max), not their sum.
func NewCheckCollector(stats CheckStats) prometheus.Collector {
	return &checkCollector{
		stats: stats,
		checks: prometheus.NewDesc("policywatch_checks_total",
			"Checks recorded by result (first, changed, unchanged, failed) and error class, by every process using the database.",
			[]string{"result", "error_class"}, nil),
		duration: prometheus.NewDesc("policywatch_check_duration_seconds",
			"Time of a whole check (fetch, extraction, comparison, record) by renderer, of every check recorded.",
			[]string{"renderer"}, nil),
		versions: prometheus.NewDesc("policywatch_versions_recorded_total",
			"Versions recorded by checks, by result (first or changed).",
			[]string{"result"}, nil),
	}
}

func (c *checkCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.checks
	ch <- c.duration
	ch <- c.versions
}

// histogram is one renderer's check durations.
type histogram struct {
	count   uint64
	sum     float64
	buckets map[float64]uint64 // cumulative, by upper bound in seconds
}

func (c *checkCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	stats, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.checks, err)
		return
	}
	type key struct{ result, class string }
	checks := map[key]uint64{}
	versions := map[string]uint64{}
	durations := map[string]*histogram{}
	for _, s := range stats {
		n := uint64(s.Checks)
		checks[key{string(s.Result), string(s.ErrorClass)}] += n
		if s.Result == policywatch.ResultFirst || s.Result == policywatch.ResultChanged {
			versions[string(s.Result)] += n
		}
		renderer := string(s.Renderer)
		if renderer == "" {
			renderer = "none"
		}
		h := durations[renderer]
		if h == nil {
			h = &histogram{buckets: map[float64]uint64{}}
			for _, b := range policywatch.CheckDurationBuckets {
				h.buckets[b.Seconds()] = 0
			}
			durations[renderer] = h
		}
		h.count += n
		h.sum += s.Total.Seconds()
		if s.UpTo == 0 {
			continue // longer than the last bound: in the count only (+Inf)
		}
		for _, b := range policywatch.CheckDurationBuckets {
			if b >= s.UpTo {
				h.buckets[b.Seconds()] += n
			}
		}
	}
	for k, n := range checks {
		ch <- prometheus.MustNewConstMetric(c.checks, prometheus.CounterValue, float64(n), k.result, k.class)
	}
	for result, n := range versions {
		ch <- prometheus.MustNewConstMetric(c.versions, prometheus.CounterValue, float64(n), result)
	}
	for renderer, h := range durations {
		ch <- prometheus.MustNewConstHistogram(c.duration, h.count, h.sum, h.buckets, renderer)
	}
}
