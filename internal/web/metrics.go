package web

import (
	"context"
	"net/http"
	"time"

	"github.com/policywatch/policywatch/internal/metrics"
	"github.com/policywatch/policywatch/internal/track"
)

// metricsHandler serves /metrics: the process's metrics, the counts of the
// checks recorded in the database (by any process: a `check` from cron
// too), and the number of policies due for a check (the queue's depth).
func (s *Server) metricsHandler() http.Handler {
	collectors := []metrics.Collector{metrics.CheckCollector(s.store.CheckStats)}
	if c := s.opt.Checker; c != nil {
		collectors = append(collectors, duePolicies(c))
	}
	return metrics.Handler(s.log, collectors...)
}

// duePolicies is the gauge of the policies due for a check, -1 when the
// checker cannot tell.
func duePolicies(c *track.Checker) metrics.Collector {
	return func(ctx context.Context) ([]metrics.Family, error) {
		n := -1.0
		if ids, err := c.Due(ctx, time.Now()); err == nil {
			n = float64(len(ids))
		}
		return []metrics.Family{{Name: "policywatch_due_policies", Help: "Policies whose next check is due (the queue's depth).",
			Type: metrics.Gauge, Metrics: []metrics.Metric{{Value: n}}}}, nil
	}
}
