package jobs

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/policywatch/policywatch"
)

// CheckArgs is a check of one policy. Only the policy makes a check unique:
// while one is queued or running, no other of the same policy is queued.
type CheckArgs struct {
	PolicyID int64 `json:"policy_id" river:"unique"`
	// Force checks the policy even if it is not due (a check asked for by
	// hand); otherwise a check finding its policy checked meanwhile does
	// nothing.
	Force bool `json:"force,omitempty"`
}

func (CheckArgs) Kind() string { return "check_policy" }

func (CheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueChecks, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	q *Queue
}

// Work checks the policy once it holds one of its host's slots. A site's
// failures are recorded and paced by the policy's own schedule; an error
// returned here (the check could not be recorded) is retried by River.
func (w *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	cfg := &w.q.cfg
	p, err := cfg.Store.FindPolicy(ctx, job.Args.PolicyID)
	if policywatch.IsClass(err, policywatch.ErrNotFound) {
		return nil // deleted since it was queued
	}
	if err != nil {
		return err
	}
	if !job.Args.Force && (p.Status == policywatch.StatusPaused || p.URL == "" || p.NextCheckAt.After(time.Now())) {
		return nil // checked, paused or emptied since it was queued
	}
	host := hostOf(p.URL)
	holder := cfg.WorkerID + "/" + policywatch.FormatID(job.ID)
	slot, ok, err := w.acquire(ctx, host, holder)
	if err != nil {
		return err
	}
	if !ok {
		// Every slot of the host is busy elsewhere: try again shortly,
		// without counting an attempt.
		return river.JobSnooze(time.Second + time.Duration(rand.Int64N(int64(time.Second))))
	}
	defer cfg.Store.ReleaseHostSlot(context.WithoutCancel(ctx), host, slot, holder)

	o := cfg.Checker.Check(ctx, p.ID)
	if o.Result == policywatch.ResultFailed && o.ErrorClass == policywatch.ErrInternal {
		return policywatch.Errorf(policywatch.ErrInternal, "%s", o.Error)
	}
	if n := cfg.Notify; n != nil {
		if o.Result == policywatch.ResultChanged {
			n.announceVersion(ctx, w.q, o.VersionID)
		}
		if o.BecameFailing() || o.Recovered() {
			n.alert(ctx, w.q, p, o)
		}
	}
	return nil
}

// acquire waits a little for a host slot before giving up: a check of a
// busy host usually frees its slot within a second.
func (w *checkWorker) acquire(ctx context.Context, host, holder string) (int, bool, error) {
	cfg := &w.q.cfg
	for try := 0; ; try++ {
		slot, ok, err := cfg.Store.AcquireHostSlot(ctx, host, cfg.HostLimit, holder, cfg.SlotTTL)
		if err != nil || ok || try == 10 {
			return slot, ok, err
		}
		select {
		case <-ctx.Done():
			return 0, false, ctx.Err()
		case <-time.After(50*time.Millisecond + time.Duration(rand.Int64N(int64(50*time.Millisecond)))):
		}
	}
}

// hostOf is the host part of a policy's URL (lower case, with port).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.ToLower(u.Host)
}

// ScheduleArgs is the periodic look for due policies; River runs it on one
// worker (the elected leader) at a time.
type ScheduleArgs struct{}

func (ScheduleArgs) Kind() string { return "schedule_due" }

func (ScheduleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueChecks, MaxAttempts: 1,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	q *Queue
}

func (w *scheduleWorker) Work(ctx context.Context, job *river.Job[ScheduleArgs]) error {
	n, err := w.q.EnqueueDue(ctx)
	if n > 0 {
		w.q.cfg.Logger.Info("scheduler: queued due checks", "count", n)
	}
	return err
}
