package track

import (
	"context"
	"time"

	"github.com/policywatch/policywatch"
)

// Due returns the policies whose next check time has come: not paused,
// with a URL, next check at or before now.
func (c *Checker) Due(ctx context.Context, now time.Time) ([]int64, error) {
	policies, err := c.store.ListPolicies(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, p := range policies {
		if p.Status != policywatch.StatusPaused && p.URL != "" && !p.NextCheckAt.After(now) {
			ids = append(ids, p.ID)
		}
	}
	return ids, nil
}

// RunScheduler checks due policies every tick until ctx ends. It is the
// in-process scheduler of `serve`; each check moves the policy's next check
// time forward by its interval.
func (c *Checker) RunScheduler(ctx context.Context, tick time.Duration, concurrency int) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		ids, err := c.Due(ctx, c.opt.Now())
		if err != nil {
			c.opt.Logger.Error("scheduler: cannot list due policies", "err", err)
		} else if len(ids) > 0 {
			c.opt.Logger.Info("scheduler: checking due policies", "count", len(ids))
			c.CheckMany(ctx, ids, concurrency, nil)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
