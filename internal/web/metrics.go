package web

import (
	"context"
	"net/http"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/metrics"
	"github.com/policywatch/policywatch/internal/track"
)

// metricsHandler serves /metrics: the process's metrics, the counts of the
// checks recorded and of the notifications on record in the database (by
// any process: a `check` from cron too), and the number of policies due
// for a check (the queue's depth).
func (s *Server) metricsHandler() http.Handler {
	collectors := []metrics.Collector{metrics.CheckCollector(s.store.CheckStats), deliveriesOnRecord(s.store)}
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

// deliveriesOnRecord is the gauge of the notifications on record by
// status, whichever process made or sent them: a failed one is one that
// was given up on.
func deliveriesOnRecord(st policywatch.Store) metrics.Collector {
	return func(ctx context.Context) ([]metrics.Family, error) {
		bySubscription, err := st.DeliveryCounts(ctx)
		if err != nil {
			return nil, err
		}
		var all policywatch.DeliveryCounts
		for _, c := range bySubscription {
			all.Sent, all.Pending, all.Failed = all.Sent+c.Sent, all.Pending+c.Pending, all.Failed+c.Failed
		}
		f := metrics.Family{Name: "policywatch_deliveries", Type: metrics.Gauge,
			Help: "Notifications on record by status (pending, sent, failed), made by every process using the database."}
		for _, m := range []struct {
			status policywatch.DeliveryStatus
			n      int
		}{{policywatch.DeliveryPending, all.Pending}, {policywatch.DeliverySent, all.Sent}, {policywatch.DeliveryFailed, all.Failed}} {
			f.Metrics = append(f.Metrics, metrics.Metric{Labels: []metrics.Label{{Name: "status", Value: string(m.status)}}, Value: float64(m.n)})
		}
		return []metrics.Family{f}, nil
	}
}
