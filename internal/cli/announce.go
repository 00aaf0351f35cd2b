package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jobs"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/track"
)

// announceStall is how long `check` waits for a notification that nobody
// is trying (taken by a worker that died, say) before leaving the rest to
// the workers.
const announceStall = time.Minute

// announce sends the notifications of what the checks found (the changes
// in the outbox, failing and recovered alerts) before the command exits,
// with the workers' delivery code: each is made and sent once, whoever else
// sweeps the outbox meanwhile. What was not delivered is said on stderr and
// left for `serve` and `worker` to retry; it never changes the exit code,
// which is about the checks.
func (a *app) announce(ctx context.Context, checker *track.Checker, outcomes []track.Outcome, format string) {
	st := a.store
	subs, err := st.ListSubscriptions(ctx)
	if err != nil || len(subs) == 0 || !a.somethingToAnnounce(ctx, outcomes) {
		return
	}
	q, err := jobs.Open(ctx, jobs.Config{Store: st, Checker: checker, Logger: a.logger,
		Notify: a.notifier(st), NotifyOnly: true})
	if err == nil {
		var res jobs.Delivered
		res, err = q.Deliver(ctx, outcomes, announceStall)
		q.Close()
		a.reportDeliveries(res, subs, format)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "policywatch: notifications not made or sent: %s; `serve` or `worker` will send them\n", oneLine(err.Error()))
	}
}

// somethingToAnnounce reports whether a notification may be due: a change
// waits in the outbox, or a policy became failing or recovered.
func (a *app) somethingToAnnounce(ctx context.Context, outcomes []track.Outcome) bool {
	for _, o := range outcomes {
		if o.BecameFailing() || o.Recovered() {
			return true
		}
	}
	pending, err := a.store.PendingChanges(ctx, 1)
	return err != nil || len(pending) > 0 // on an error, let Deliver say it
}

// reportDeliveries says what was sent (text output) and, on stderr, each
// notification not delivered and why.
func (a *app) reportDeliveries(res jobs.Delivered, subs []policywatch.Subscription, format string) {
	if res.Sent > 0 && format == "text" {
		fmt.Fprintf(a.stdout, "%d notifications sent\n", res.Sent)
	}
	dest := map[int64]string{}
	for _, s := range subs {
		dest[s.ID] = s.Kind + " " + notify.Redacted(s.Kind, s.Target)
	}
	say := func(ds []policywatch.Delivery, what string) {
		for _, d := range ds {
			why := ""
			if d.LastError != "" {
				why = ": " + oneLine(d.LastError)
			}
			fmt.Fprintf(a.stderr, "policywatch: notification %d (%s) to %s %s%s\n", d.ID, d.EventKey, dest[d.SubscriptionID], what, why)
		}
	}
	say(res.Failed, "failed for good")
	say(res.Retry, "not delivered, `serve` or `worker` will retry it")
	say(res.Waiting, "not sent yet, `serve` or `worker` will send it")
}
