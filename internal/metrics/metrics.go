// Package metrics serves policywatch's metrics in the Prometheus text
// format: checks by result, check latency and versions recorded, counted in
// the database (so that every process's checks count, `check` from cron
// included), the process's own notifications by outcome, and the Go
// runtime's and the process's usual metrics. /metrics serves them with the
// queue depth the server adds.
//
// It writes the format itself rather than link Prometheus's client, whose
// initialisation (with procfs, protobuf and expvar) every command paid for,
// `policywatch --help` included. Everything is read at scrape time; nothing
// is built when the package is loaded.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/policywatch/policywatch"
)

// Collector reads some families at scrape time. An error leaves its
// families out of that scrape; the others are served.
type Collector func(ctx context.Context) ([]Family, error)

// collectTimeout bounds each collector's reads (a database that hangs).
const collectTimeout = 3 * time.Second

// Handler serves the process's metrics (notifications, Go runtime,
// process) and those of the extra collectors (a server's queue depth and
// check counts, say). A collector that fails is logged and its metrics are
// left out; the rest is served, with status 200, as before with the
// Prometheus client's ContinueOnError.
func Handler(log *slog.Logger, extra ...Collector) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	collectors := append([]Collector{collectNotifications, collectGoRuntime, collectProcess}, extra...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var families []Family
		for _, collect := range collectors {
			f, err := collectWithin(r.Context(), collect)
			if err != nil {
				log.Warn("metrics left out of /metrics", "err", err)
				continue
			}
			families = append(families, f...)
		}
		w.Header().Set("Content-Type", ContentType)
		_ = WriteText(w, families) // the scraper gone: nothing to do
	})
}

func collectWithin(ctx context.Context, collect Collector) ([]Family, error) {
	ctx, cancel := context.WithTimeout(ctx, collectTimeout)
	defer cancel()
	return collect(ctx)
}

// notifications counts the process's delivery attempts by channel and
// outcome; the map is made on the first one.
var notifications struct {
	sync.Mutex
	counts map[[2]string]uint64
}

// ObserveNotification counts one delivery attempt.
func ObserveNotification(channel, outcome string) {
	notifications.Lock()
	defer notifications.Unlock()
	if notifications.counts == nil {
		notifications.counts = map[[2]string]uint64{}
	}
	notifications.counts[[2]string{channel, outcome}]++
}

func collectNotifications(context.Context) ([]Family, error) {
	notifications.Lock()
	defer notifications.Unlock()
	f := Family{Name: "policywatch_notifications_total", Help: "Notification deliveries by channel and outcome.", Type: Counter}
	for k, n := range notifications.counts {
		f.Metrics = append(f.Metrics, Metric{Labels: []Label{{"channel", k[0]}, {"outcome", k[1]}}, Value: float64(n)})
	}
	return []Family{f}, nil
}

// CheckStats reads the counts of the checks recorded in the database
// (policywatch.Store.CheckStats).
type CheckStats func(ctx context.Context) ([]policywatch.CheckStat, error)

// CheckCollector serves policywatch_checks_total{result,error_class},
// policywatch_check_duration_seconds{renderer} and
// policywatch_versions_recorded_total{result} from the database's counts:
// one small grouped read at each scrape, however many checks were ever
// made. Every process reports the same database-wide totals: with several
// servers, take one of them (max), not their sum.
func CheckCollector(stats CheckStats) Collector {
	return func(ctx context.Context) ([]Family, error) {
		s, err := stats(ctx)
		if err != nil {
			return nil, err
		}
		return checkFamilies(s), nil
	}
}

func checkFamilies(stats []policywatch.CheckStat) []Family {
	type key struct{ result, class string }
	checks := map[key]uint64{}
	versions := map[string]uint64{}
	durations := map[string]*Metric{} // histograms by renderer
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
			h = newDurationHistogram(renderer)
			durations[renderer] = h
		}
		h.Count += n
		h.Sum += s.Total.Seconds()
		if s.UpTo == 0 {
			continue // longer than the last bound: in the count only (+Inf)
		}
		for i, b := range policywatch.CheckDurationBuckets {
			if b >= s.UpTo {
				h.Buckets[i].Count += n
			}
		}
	}
	checksFamily := Family{Name: "policywatch_checks_total", Type: Counter,
		Help: "Checks recorded by result (first, changed, unchanged, failed) and error class, by every process using the database."}
	for k, n := range checks {
		checksFamily.Metrics = append(checksFamily.Metrics, Metric{Labels: []Label{{"result", k.result}, {"error_class", k.class}}, Value: float64(n)})
	}
	versionsFamily := Family{Name: "policywatch_versions_recorded_total", Type: Counter,
		Help: "Versions recorded by checks, by result (first or changed)."}
	for result, n := range versions {
		versionsFamily.Metrics = append(versionsFamily.Metrics, Metric{Labels: []Label{{"result", result}}, Value: float64(n)})
	}
	durationFamily := Family{Name: "policywatch_check_duration_seconds", Type: Histogram,
		Help: "Time of a whole check (fetch, extraction, comparison, record) by renderer, of every check recorded."}
	for _, h := range durations {
		durationFamily.Metrics = append(durationFamily.Metrics, *h)
	}
	return []Family{checksFamily, versionsFamily, durationFamily}
}

// newDurationHistogram is a renderer's empty histogram over
// policywatch.CheckDurationBuckets.
func newDurationHistogram(renderer string) *Metric {
	h := &Metric{Labels: []Label{{"renderer", renderer}}, Buckets: make([]Bucket, len(policywatch.CheckDurationBuckets))}
	for i, b := range policywatch.CheckDurationBuckets {
		h.Buckets[i].UpperBound = b.Seconds()
	}
	return h
}
