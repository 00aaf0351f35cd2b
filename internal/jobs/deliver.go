package jobs

import (
	"context"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/track"
)

// A process that is no worker — `policywatch check`, run by hand or from
// cron — announces what its checks found before it exits, through the same
// outbox, deliveries and sending jobs as the workers: a delivery is made once
// per subscription and change whoever makes it (a worker sweeping the outbox
// meanwhile makes none twice), and each is sent by the one job queued for it.

// Delivered is where the deliveries a process made stood when it stopped
// waiting for them.
type Delivered struct {
	Sent int
	// Failed gave up for good (a permanent error: the receiver refused).
	Failed []policywatch.Delivery
	// Retry failed once (recorded with its attempt and error); the workers
	// (serve, worker) try again with River's backoff.
	Retry []policywatch.Delivery
	// Waiting were not tried when the wait ended; the workers send them.
	Waiting []policywatch.Delivery
}

// outboxBatch is how many changes of the outbox are read at a time.
const outboxBatch = 200

// Deliver makes the notifications of the changes waiting in the outbox
// (those the outcomes recorded among them) and the failing and recovered
// alerts of the outcomes, then works the notification queue until each of
// the deliveries it made has been tried once. It stops waiting once no
// delivery has been tried for stall, or when ctx ends.
func (q *Queue) Deliver(ctx context.Context, outcomes []track.Outcome, stall time.Duration) (Delivered, error) {
	n := q.cfg.Notify
	if n == nil {
		return Delivered{}, nil
	}
	made, err := n.announcePending(ctx, q)
	if err != nil {
		return Delivered{}, err
	}
	for _, o := range outcomes {
		if !o.BecameFailing() && !o.Recovered() {
			continue
		}
		p, err := q.cfg.Store.FindPolicy(ctx, o.PolicyID)
		if err != nil {
			return Delivered{}, err
		}
		made = append(made, n.alert(ctx, q, p, o)...)
	}
	if len(made) == 0 {
		return Delivered{}, nil
	}
	stop, err := q.start(ctx)
	if err != nil {
		return Delivered{}, err
	}
	q.awaitTried(ctx, made, stall)
	if err := stop(); err != nil {
		q.cfg.Logger.Warn("notifications: stopping the queue", "err", err)
	}
	return q.delivered(context.WithoutCancel(ctx), made)
}

// announcePending makes the notifications of every change in the outbox
// and returns the deliveries it made.
func (n *Notifier) announcePending(ctx context.Context, q *Queue) ([]int64, error) {
	var made []int64
	for {
		pending, err := n.Store.PendingChanges(ctx, outboxBatch)
		if err != nil {
			return made, err
		}
		for _, c := range pending {
			ids, err := n.announce(ctx, q, c)
			if err != nil {
				return made, err
			}
			made = append(made, ids...)
		}
		if len(pending) < outboxBatch {
			return made, nil
		}
	}
}

// tried reports whether a delivery has been sent or attempted.
func tried(d *policywatch.Delivery) bool {
	return d.Status != policywatch.DeliveryPending || d.Attempts > 0
}

// awaitTried waits, in order, for each delivery to be tried, giving up
// when none has been for stall (its job is in a dead worker's hands, say)
// or ctx ends.
func (q *Queue) awaitTried(ctx context.Context, ids []int64, stall time.Duration) {
	progress := time.Now()
	for _, id := range ids {
		for {
			d, err := q.cfg.Store.FindDelivery(ctx, id)
			if err != nil {
				if !policywatch.IsClass(err, policywatch.ErrNotFound) && ctx.Err() == nil {
					q.cfg.Logger.Warn("notifications: cannot follow a delivery", "delivery", id, "err", err)
				}
				break // gone with its subscription, or not to be followed
			}
			if tried(d) {
				progress = time.Now()
				break
			}
			if time.Since(progress) > stall {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

// delivered reads where the deliveries stand now.
func (q *Queue) delivered(ctx context.Context, ids []int64) (Delivered, error) {
	var out Delivered
	for _, id := range ids {
		d, err := q.cfg.Store.FindDelivery(ctx, id)
		if policywatch.IsClass(err, policywatch.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		switch {
		case d.Status == policywatch.DeliverySent:
			out.Sent++
		case d.Status == policywatch.DeliveryFailed:
			out.Failed = append(out.Failed, *d)
		case d.Attempts > 0:
			out.Retry = append(out.Retry, *d)
		default:
			out.Waiting = append(out.Waiting, *d)
		}
	}
	return out, nil
}
