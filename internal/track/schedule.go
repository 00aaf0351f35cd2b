package track

import (
	"context"
	"math/rand/v2"
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

// Retry pacing after failed checks.
const (
	DefaultRetryBase = 5 * time.Minute    // first retry of a failed check
	MaxFailingDelay  = 7 * 24 * time.Hour // slowest retry of a failing policy
)

// NextCheck says when a policy is due again after a check that left it with
// failures consecutive failures (0 after a success):
//   - a success: one interval later, give or take a jitter of a tenth of
//     the interval (at most an hour), so that policies added together do not
//     stay together and hit their sites at the same minute forever;
//   - a failure while the policy is not failing yet: soon, retryBase and
//     doubling with each failure, never later than one interval;
//   - a failing policy: more slowly, the interval doubling with each further
//     failure, up to a week.
//
// rnd returns a number in [0, 1); nil uses math/rand.
func NextCheck(now time.Time, interval time.Duration, failures, failingAfter int, retryBase time.Duration, rnd func() float64) time.Time {
	if rnd == nil {
		rnd = rand.Float64
	}
	if interval <= 0 {
		interval = 24 * time.Hour
	}
	var delay time.Duration
	switch {
	case failures == 0:
		delay = interval
	case failures < failingAfter:
		delay = min(doubled(retryBase, failures-1, interval), interval)
	default:
		delay = max(doubled(interval, failures-failingAfter, MaxFailingDelay), interval)
	}
	jitter := min(delay/10, time.Hour)
	return now.Add(delay + time.Duration((2*rnd()-1)*float64(jitter)))
}

// doubled is d doubled n times, stopping at limit.
func doubled(d time.Duration, n int, limit time.Duration) time.Duration {
	for ; n > 0 && d < limit; n-- {
		d *= 2
	}
	return min(d, limit)
}
