// Package metrics holds the process's Prometheus metrics: checks by result,
// check latency, versions recorded and notifications by outcome. /metrics
// serves them with the queue depth the server adds.
//
// The registry and its collectors are made on first use, so commands that
// never check, notify or serve do not build them.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// set is the process-wide registry and the metrics in it.
type set struct {
	registry      *prometheus.Registry
	checks        *prometheus.CounterVec
	checkSeconds  *prometheus.HistogramVec
	versions      *prometheus.CounterVec
	notifications *prometheus.CounterVec
}

var process = sync.OnceValue(func() *set {
	s := &set{
		registry: prometheus.NewRegistry(),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policywatch_checks_total",
			Help: "Checks by result (first, changed, unchanged, failed) and error class.",
		}, []string{"result", "error_class"}),
		checkSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "policywatch_check_duration_seconds",
			Help:    "Time of a whole check (fetch, extraction, comparison, record) by renderer.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"renderer"}),
		versions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policywatch_versions_recorded_total",
			Help: "Versions recorded, by result (first or changed).",
		}, []string{"result"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policywatch_notifications_total",
			Help: "Notification deliveries by channel and outcome.",
		}, []string{"channel", "outcome"}),
	}
	s.registry.MustRegister(s.checks, s.checkSeconds, s.versions, s.notifications,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return s
})

// Registry is the process-wide registry of these metrics.
func Registry() *prometheus.Registry { return process().registry }

// ObserveCheck counts one check.
func ObserveCheck(result, errorClass, renderer string, d time.Duration) {
	s := process()
	s.checks.WithLabelValues(result, errorClass).Inc()
	if renderer == "" {
		renderer = "none"
	}
	s.checkSeconds.WithLabelValues(renderer).Observe(d.Seconds())
	if result == "first" || result == "changed" {
		s.versions.WithLabelValues(result).Inc()
	}
}

// ObserveNotification counts one delivery attempt.
func ObserveNotification(channel, outcome string) {
	process().notifications.WithLabelValues(channel, outcome).Inc()
}

// Handler serves the process's metrics and those of the extra registries
// (a server's queue depth, say) in the Prometheus text format.
func Handler(extra ...prometheus.Gatherer) http.Handler {
	g := prometheus.Gatherers(append([]prometheus.Gatherer{Registry()}, extra...))
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}
