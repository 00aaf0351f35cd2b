package web

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/policywatch/policywatch/internal/metrics"
)

// metricsHandler serves /metrics: the process's metrics, the counts of the
// checks recorded in the database (by any process: a `check` from cron
// too), and the number of policies due for a check (the queue's depth).
func (s *Server) metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.NewCheckCollector(s.store.CheckStats))
	if c := s.opt.Checker; c != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "policywatch_due_policies",
			Help: "Policies whose next check is due (the queue's depth).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			ids, err := c.Due(ctx, time.Now())
			if err != nil {
				return -1
			}
			return float64(len(ids))
		}))
	}
	return metrics.Handler(reg)
}
