package web

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/notify"
)

// The administrators' pages of subscriptions (list, add, remove) and of the
// deliveries made for them (the log, newest first).

// subscriptionRow is one subscription as the list shows it: its target
// without secrets (redactedSubscriptions), its scope in words, and its
// deliveries counted.
type subscriptionRow struct {
	policywatch.Subscription
	Scope  string
	Counts policywatch.DeliveryCounts
}

// subscriptionForm is the add form as typed.
type subscriptionForm struct {
	Kind, Target, Format, Platform, Policy, MinLevel, Lang string
	Admin                                                  bool
	Error                                                  string
}

type subscriptionsData struct {
	Subs    []subscriptionRow
	Form    subscriptionForm
	Kinds   []string
	Formats []string
	Levels  []policywatch.Level
}

var (
	subscriptionKinds   = []string{notify.KindWebhook, notify.KindShoutrrr, notify.KindEmail}
	subscriptionFormats = []string{notify.FormatAuto, notify.FormatJSON, notify.FormatDingTalk, notify.FormatFeishu, notify.FormatWeCom}
)

// subscriptionsPage serves GET /subscriptions.
func (s *Server) subscriptionsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.renderSubscriptions(w, r, p, http.StatusOK, subscriptionForm{Kind: notify.KindWebhook, Format: notify.FormatAuto, Lang: p.Lang})
}

func (s *Server) renderSubscriptions(w http.ResponseWriter, r *http.Request, p *page, status int, form subscriptionForm) error {
	subs, err := s.redactedSubscriptions(r.Context())
	if err != nil {
		return err
	}
	counts, err := s.store.DeliveryCounts(r.Context())
	if err != nil {
		return err
	}
	rows := make([]subscriptionRow, len(subs))
	for i, sub := range subs {
		rows[i] = subscriptionRow{Subscription: sub, Scope: s.scopeOf(r, p, sub), Counts: counts[sub.ID]}
	}
	p.Title = p.T("subs.title")
	p.Data = subscriptionsData{Subs: rows, Form: form, Kinds: subscriptionKinds, Formats: subscriptionFormats,
		Levels: policywatch.Levels[1:]}
	s.render(w, r, status, "subscriptions", p)
	return nil
}

// redactedSubscriptions are the subscriptions with their targets' secrets
// left out (notify.Redacted): a page shows where alerts go, never a
// webhook's key or a password.
func (s *Server) redactedSubscriptions(ctx context.Context) ([]policywatch.Subscription, error) {
	subs, err := s.store.ListSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	for i := range subs {
		subs[i].Target = notify.Redacted(subs[i].Kind, subs[i].Target)
	}
	return subs, nil
}

// scopeOf says which policies a subscription covers.
func (s *Server) scopeOf(r *http.Request, p *page, sub policywatch.Subscription) string {
	switch {
	case sub.PolicyID != 0:
		if pol, err := s.store.FindPolicy(r.Context(), sub.PolicyID); err == nil {
			return p.T("subs.scope.policy.named", pol.Platform, pol.Name)
		}
		return p.T("subs.scope.policy", sub.PolicyID)
	case sub.Platform != "":
		return p.T("subs.scope.platform", sub.Platform)
	}
	return p.T("subs.scope.all")
}

// readSubscriptionForm reads the posted form as typed.
func readSubscriptionForm(r *http.Request) subscriptionForm {
	return subscriptionForm{Kind: r.PostFormValue("kind"), Target: r.PostFormValue("target"),
		Format: r.PostFormValue("format"), Platform: r.PostFormValue("platform"), Policy: r.PostFormValue("policy"),
		MinLevel: r.PostFormValue("min_level"), Lang: r.PostFormValue("lang"), Admin: r.PostFormValue("admin") != ""}
}

// request is the form as `subscribe` takes it, to be checked by the same
// rules (notify.NewSubscription).
func (f subscriptionForm) request() notify.Request {
	req := notify.Request{WebhookFormat: f.Format, Platform: f.Platform, Policy: f.Policy, MinLevel: f.MinLevel,
		Lang: f.Lang, Admin: f.Admin}
	switch f.Kind {
	case notify.KindWebhook:
		req.Webhook = f.Target
	case notify.KindShoutrrr:
		req.URL = f.Target
	case notify.KindEmail:
		req.Email = f.Target
	}
	return req
}

// createSubscription serves POST /subscriptions.
func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request, p *page) error {
	form := readSubscriptionForm(r)
	sub, err := notify.NewSubscription(form.request(), s.opt.Senders)
	if err == nil {
		err = s.store.CreateSubscription(r.Context(), sub)
		if policywatch.IsClass(err, policywatch.ErrNotFound) {
			err = policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.nopolicy", sub.PolicyID)
		}
	}
	if err != nil {
		return showFormAgain(p, err, func(status int, reason string) error {
			form.Error = reason
			return s.renderSubscriptions(w, r, p, status, form)
		})
	}
	s.redirectWithFlash(w, r, p.Link("/subscriptions"), p.T("subs.added", sub.ID))
	return nil
}

// deleteSubscription serves POST /subscriptions/{id}/delete.
func (s *Server) deleteSubscription(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteSubscription(r.Context(), id); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, p.Link("/subscriptions"), p.T("subs.removed", id))
	return nil
}

// deliveriesPerPage is how many deliveries a page of the log lists.
const deliveriesPerPage = 50

// deliveryRow is one delivery as the log shows it.
type deliveryRow struct {
	policywatch.Delivery
	Message notify.Message           // what it announces
	Sub     policywatch.Subscription // its subscription (Target without secrets)
}

type deliveriesData struct {
	Rows         []deliveryRow
	Subscription int64  // the log of one subscription, or 0 for all
	SubParam     string // the same as a query parameter ("" for all)
	Older        int64  // the cursor of the next page, 0 on the last
	First        bool   // this is the newest page
}

// deliveriesPage serves GET /deliveries[?subscription=ID][&before=ID].
func (s *Server) deliveriesPage(w http.ResponseWriter, r *http.Request, p *page) error {
	var f policywatch.DeliveryFilter
	for name, dst := range map[string]*int64{"subscription": &f.SubscriptionID, "before": &f.Before} {
		if v := r.URL.Query().Get(name); v != "" {
			id, err := policywatch.ParseID(v)
			if err != nil {
				return policywatch.Errorf(policywatch.ErrInvalid, "%s: %v", name, err)
			}
			*dst = id
		}
	}
	f.Limit = deliveriesPerPage + 1
	ds, err := s.store.ListDeliveries(r.Context(), f)
	if err != nil {
		return err
	}
	subs, err := s.redactedSubscriptions(r.Context())
	if err != nil {
		return err
	}
	byID := map[int64]policywatch.Subscription{}
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	data := deliveriesData{Subscription: f.SubscriptionID, First: f.Before == 0}
	if f.SubscriptionID != 0 {
		data.SubParam = policywatch.FormatID(f.SubscriptionID)
	}
	if len(ds) > deliveriesPerPage {
		ds = ds[:deliveriesPerPage]
		data.Older = ds[len(ds)-1].ID
	}
	for _, d := range ds {
		row := deliveryRow{Delivery: d, Sub: byID[d.SubscriptionID]}
		if err := json.Unmarshal(d.Payload, &row.Message); err != nil {
			s.log.Warn("deliveries: unreadable stored message", "delivery", d.ID, "err", err)
		}
		data.Rows = append(data.Rows, row)
	}
	title := p.T("deliveries.title")
	if f.SubscriptionID != 0 {
		title = p.T("deliveries.of", f.SubscriptionID)
	}
	return s.renderOK(w, r, p, "deliveries", title, data)
}
