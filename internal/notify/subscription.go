package notify

import (
	"net/mail"
	"strings"

	"github.com/policywatch/policywatch"
)

// Request is a subscription as a user asks for it: `subscribe`'s flags or
// the web form's fields, before they are checked.
type Request struct {
	Webhook, URL, Email string // the destination: exactly one
	WebhookFormat       string // auto (default), json, dingtalk, feishu or wecom
	Platform            string // only this platform's policies
	Policy              string // only this policy (an id)
	MinLevel            string
	Lang                string // zh (default) or en
	Admin               bool   // failing/recovered alerts instead of changes
}

// NewSubscription checks a request by the one set of rules the command line
// and the web form share, and returns the subscription it asks for. The
// destination is checked as a delivery would use it (New), so a bad one
// fails now rather than at the first change. Errors are of class invalid,
// in the catalogue (policywatch.Localize).
func NewSubscription(r Request, opt Options) (*policywatch.Subscription, error) {
	sub := &policywatch.Subscription{Platform: strings.TrimSpace(r.Platform), Admin: r.Admin, Lang: r.Lang}
	given := 0
	for _, d := range []struct{ kind, target string }{
		{KindWebhook, r.Webhook}, {KindShoutrrr, r.URL}, {KindEmail, r.Email},
	} {
		if t := strings.TrimSpace(d.target); t != "" {
			given++
			sub.Kind, sub.Target = d.kind, t
		}
	}
	if given != 1 {
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.destination")
	}
	if sub.Kind == KindWebhook {
		sub.Format = r.WebhookFormat
	}
	if sub.Kind == KindEmail {
		if _, err := mail.ParseAddress(sub.Target); err != nil {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.email", sub.Target)
		}
	}
	if p := strings.TrimSpace(r.Policy); p != "" {
		if sub.Platform != "" {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.scope")
		}
		id, err := policywatch.ParseID(p)
		if err != nil {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.policy", p)
		}
		sub.PolicyID = id
	}
	level, err := policywatch.ParseLevel(r.MinLevel)
	if err != nil {
		return nil, err
	}
	sub.MinLevel = level
	switch sub.Lang {
	case "":
		sub.Lang = "zh"
	case "zh", "en":
	default:
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.lang", sub.Lang)
	}
	if _, err := New(sub.Kind, sub.Target, sub.Format, opt); err != nil {
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.subscription.target", err)
	}
	return sub, nil
}
