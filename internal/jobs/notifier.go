package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/metrics"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/track"
)

// Notifier turns changes and alerts into deliveries, one per subscription
// that covers them, and sends them. A delivery is made once (the store keeps
// one per subscription and event) and sent by its own job, retried with
// River's backoff, so a failing destination never holds up a check.
type Notifier struct {
	Store    policywatch.Store
	Analyzer analyze.Analyzer // for a change not analysed yet; default built-in
	BaseURL  string           // of the web UI, for compare links; relative links without it
	Senders  notify.Options
	Logger   *slog.Logger
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger == nil {
		return slog.Default()
	}
	return n.Logger
}

// announceVersion makes the notifications of a version a check just
// recorded. A failure is logged: the version stays pending in the store's
// outbox and the next sweep makes them.
func (n *Notifier) announceVersion(ctx context.Context, q *Queue, versionID int64) {
	pending, err := n.Store.PendingChanges(ctx, 1000)
	if err == nil {
		for _, c := range pending {
			if c.ToVersion == versionID {
				_, err = n.announce(ctx, q, c)
			}
		}
	}
	if err != nil {
		n.logger().Warn("notifications: cannot announce a change; the next sweep will", "version", versionID, "err", err)
	}
}

// sweep makes the notifications of changes whose worker died before making
// them, and queues again the sending of deliveries whose job was lost.
func (n *Notifier) sweep(ctx context.Context, q *Queue) error {
	pending, err := n.Store.PendingChanges(ctx, 200)
	if err != nil {
		return err
	}
	for _, c := range pending {
		if _, err := n.announce(ctx, q, c); err != nil {
			return err
		}
	}
	stale, err := n.Store.ListDeliveries(ctx, policywatch.DeliveryFilter{Status: policywatch.DeliveryPending, Limit: 500})
	if err != nil {
		return err
	}
	var ids []int64
	for _, d := range stale {
		if time.Since(d.UpdatedAt) > time.Minute {
			ids = append(ids, d.ID) // a live job is not queued twice (unique)
		}
	}
	return q.enqueueDeliveries(ctx, ids)
}

// announce makes one delivery per subscription covering the change and
// queues them, then takes the change out of the outbox. It returns the
// deliveries it made: none that another process made first.
func (n *Notifier) announce(ctx context.Context, q *Queue, c policywatch.Change) ([]int64, error) {
	subs, err := n.Store.ListSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var numbers map[int64]int // the versions' places, read once a subscription covers the change
	var ds []*policywatch.Delivery
	reports := map[string]*policywatch.Analysis{}
	for _, sub := range subs {
		if sub.Admin || c.FromVersion == 0 {
			continue
		}
		a, err := n.analysis(ctx, c, sub.Lang, reports)
		if err != nil {
			return nil, err
		}
		if !sub.Covers(c.PolicyID, c.Platform, a.Level) {
			continue
		}
		if numbers == nil {
			if numbers, err = n.versionNumbers(ctx, c.PolicyID); err != nil {
				return nil, err
			}
		}
		msg := notify.Message{Event: policywatch.EventChange, PolicyID: c.PolicyID, Policy: c.Policy, Platform: c.Platform,
			URL: c.URL, FromVersion: c.FromVersion, ToVersion: c.ToVersion,
			FromNumber: numbers[c.FromVersion], ToNumber: numbers[c.ToVersion], Level: a.Level, Summary: a.Summary,
			CompareURL: n.compareURL(c.FromVersion, c.ToVersion), Lang: sub.Lang}
		d, err := delivery(sub, msg, fmt.Sprintf("change:%d", c.ToVersion))
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	made, err := n.queue(ctx, q, ds)
	if err != nil {
		return nil, err
	}
	return made, n.Store.MarkChangeNotified(ctx, c.ToVersion)
}

// versionNumbers are the places of a policy's versions in its history;
// none (ids are shown instead) when it was deleted meanwhile.
func (n *Notifier) versionNumbers(ctx context.Context, policyID int64) (map[int64]int, error) {
	versions, err := n.Store.ListVersions(ctx, policyID)
	if err != nil && !policywatch.IsClass(err, policywatch.ErrNotFound) {
		return nil, err
	}
	return policywatch.VersionNumbers(versions), nil
}

// alert tells admin subscriptions that a policy became failing or
// recovered, and returns the deliveries it made.
func (n *Notifier) alert(ctx context.Context, q *Queue, p *policywatch.Policy, o track.Outcome) []int64 {
	event := policywatch.EventFailing
	if o.Recovered() {
		event = policywatch.EventRecovered
	}
	subs, err := n.Store.ListSubscriptions(ctx)
	if err != nil {
		n.logger().Warn("notifications: cannot send an alert", "policy", p.ID, "event", event, "err", err)
		return nil
	}
	var ds []*policywatch.Delivery
	for _, sub := range subs {
		if !sub.CoversAlert(p.ID, p.Platform) {
			continue
		}
		msg := notify.Message{Event: event, PolicyID: p.ID, Policy: p.Name, Platform: p.Platform, URL: p.URL,
			Error: o.Error, ErrorClass: o.ErrorClass, Lang: sub.Lang, CompareURL: n.policyURL(p.ID)}
		d, err := delivery(sub, msg, fmt.Sprintf("%s:%d:%d", event, p.ID, time.Now().UnixNano()))
		if err != nil {
			n.logger().Warn("notifications: cannot make an alert", "err", err)
			return nil
		}
		ds = append(ds, d)
	}
	made, err := n.queue(ctx, q, ds)
	if err != nil {
		n.logger().Warn("notifications: cannot queue an alert", "policy", p.ID, "event", event, "err", err)
	}
	return made
}

func delivery(sub policywatch.Subscription, msg notify.Message, key string) (*policywatch.Delivery, error) {
	payload, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	return &policywatch.Delivery{SubscriptionID: sub.ID, Event: msg.Event, EventKey: key, PolicyID: msg.PolicyID,
		ToVersion: msg.ToVersion, Payload: payload}, nil
}

// queue stores the deliveries and queues the new ones for sending; it
// returns those new ones (a delivery another process stored first is its
// to send).
func (n *Notifier) queue(ctx context.Context, q *Queue, ds []*policywatch.Delivery) ([]int64, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	if err := n.Store.AddDeliveries(ctx, ds); err != nil {
		return nil, err
	}
	var ids []int64
	for _, d := range ds {
		if d.ID != 0 {
			ids = append(ids, d.ID)
		}
	}
	return ids, q.enqueueDeliveries(ctx, ids)
}

// analysis finds the stored report of a change in a language, making it
// with the analyzer when there is none (a worker died before analysing).
func (n *Notifier) analysis(ctx context.Context, c policywatch.Change, lang string, cache map[string]*policywatch.Analysis) (*policywatch.Analysis, error) {
	if lang == "" {
		lang = "zh"
	}
	if a := cache[lang]; a != nil {
		return a, nil
	}
	stored, err := n.Store.FindAnalyses(ctx, c.FromVersion, c.ToVersion)
	if err != nil {
		return nil, err
	}
	for i := range stored {
		if stored[i].Lang == lang {
			cache[lang] = &stored[i]
			return &stored[i], nil
		}
	}
	an := n.Analyzer
	if an == nil {
		an = analyze.Builtin{}
	}
	a, _, err := track.AnalyzePair(ctx, n.Store, an, c.FromVersion, c.ToVersion, lang)
	if err != nil {
		return nil, err
	}
	cache[lang] = a
	return a, nil
}

func (n *Notifier) compareURL(from, to int64) string {
	return fmt.Sprintf("%s/compare?from=%d&to=%d", strings.TrimRight(n.BaseURL, "/"), from, to)
}

func (n *Notifier) policyURL(id int64) string {
	return fmt.Sprintf("%s/policies/%d", strings.TrimRight(n.BaseURL, "/"), id)
}

// DeliverArgs is the sending of one stored delivery.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id" river:"unique"`
}

func (DeliverArgs) Kind() string { return "deliver_notification" }

func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, MaxAttempts: deliveryAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// deliveryAttempts at River's backoff (attempt⁴ seconds) spread the tries
// of a delivery over about three hours.
const deliveryAttempts = 10

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	q *Queue
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	n := w.q.cfg.Notify
	st := w.q.cfg.Store
	d, err := st.FindDelivery(ctx, job.Args.DeliveryID)
	if policywatch.IsClass(err, policywatch.ErrNotFound) {
		return nil // its subscription was deleted
	}
	if err != nil {
		return err
	}
	if d.Status != policywatch.DeliveryPending {
		return nil // sent (or given up) already
	}
	sub, err := findSubscription(ctx, st, d.SubscriptionID)
	if err != nil {
		return err
	}
	var msg notify.Message
	if err := json.Unmarshal(d.Payload, &msg); err != nil {
		return w.finish(ctx, d, "", notify.Permanent(fmt.Errorf("bad stored message: %w", err)), true)
	}
	msg.DeliveryID = d.ID
	if n == nil {
		return fmt.Errorf("notifications are not configured in this worker")
	}
	sender, err := notify.New(sub.Kind, sub.Target, sub.Format, n.Senders)
	if err != nil {
		return w.finish(ctx, d, sub.Kind, notify.Permanent(err), true)
	}
	sendErr := sender.Send(ctx, msg)
	last := job.Attempt >= job.MaxAttempts
	return w.finish(ctx, d, sub.Kind, sendErr, last)
}

// finish records an attempt: sent, failed for good, or pending with the
// error (returned so that River tries again later).
func (w *deliverWorker) finish(ctx context.Context, d *policywatch.Delivery, channel string, sendErr error, last bool) error {
	d.Attempts++
	outcome := "sent"
	switch {
	case sendErr == nil:
		d.Status, d.LastError, d.SentAt = policywatch.DeliverySent, "", time.Now()
	case notify.IsPermanent(sendErr) || last:
		d.Status, d.LastError, outcome = policywatch.DeliveryFailed, sendErr.Error(), "failed"
	default:
		d.LastError, outcome = sendErr.Error(), "retry"
	}
	metrics.ObserveNotification(channel, outcome)
	if err := w.q.cfg.Store.UpdateDelivery(context.WithoutCancel(ctx), d); err != nil {
		return err
	}
	if outcome == "retry" {
		return sendErr
	}
	if outcome == "failed" {
		w.q.cfg.Logger.Warn("notification failed for good", "delivery", d.ID, "err", sendErr)
	}
	return nil
}

func findSubscription(ctx context.Context, st policywatch.Store, id int64) (*policywatch.Subscription, error) {
	subs, err := st.ListSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	for i := range subs {
		if subs[i].ID == id {
			return &subs[i], nil
		}
	}
	return nil, policywatch.Errorf(policywatch.ErrNotFound, "subscription %d not found", id)
}
