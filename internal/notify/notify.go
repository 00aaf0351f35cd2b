// Package notify delivers one notification to one destination: a webhook
// (plain JSON or a DingTalk, Feishu/Lark or WeCom group robot), any service
// shoutrrr knows, or an e-mail address.
//
// Senders only deliver; deciding who gets what, recording deliveries and
// retrying belong to the caller, which uses IsPermanent to tell a failure
// worth retrying from one that will never succeed.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
)

// Message is one notification.
type Message struct {
	DeliveryID  int64 // unique per delivery; sent as header X-Policywatch-Delivery on HTTP so receivers can drop repeats
	Event       policywatch.Event
	PolicyID    int64
	Policy      string // policy name
	Platform    string
	URL         string // the policy's URL
	FromVersion int64
	ToVersion   int64
	// FromNumber and ToNumber are the versions' places in the policy's
	// history (policywatch.VersionNumbers: 3 for v3), as the pages name
	// them; 0 when unknown (messages stored before they were kept).
	FromNumber, ToNumber int
	Level                policywatch.Level
	Summary              string
	CompareURL           string                 // absolute link to the comparison page (may be empty)
	Error                string                 // for failing events: the last error, as recorded (English)
	ErrorClass           policywatch.ErrorClass // for failing events: its class, named in the reader's language
	Lang                 string                 // "zh" (default) or "en" for the human-readable formats
}

// check rejects a message no format can render. A bad message does not get
// better by sending it again, hence Permanent.
func (m Message) check() error {
	switch m.Event {
	case policywatch.EventChange, policywatch.EventFailing, policywatch.EventRecovered:
		return nil
	}
	return Permanent(fmt.Errorf("notify: unknown event %q", m.Event))
}

// Sender delivers messages to one destination.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Destination kinds of a subscription.
const (
	KindWebhook  = "webhook"
	KindShoutrrr = "shoutrrr"
	KindEmail    = "email"
)

// Options configure senders.
type Options struct {
	HTTPClient *http.Client // default: a client with a 15 s timeout
	SMTPURL    string       // for email: smtp://[user:pass@]host:port?from=addr[&tls=starttls|tls|none]; from POLICYWATCH_SMTP_URL in the CLI
	UserAgent  string       // default: "policywatch"
}

const defaultTimeout = 15 * time.Second

func (o Options) withDefaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: defaultTimeout}
	}
	if o.UserAgent == "" {
		o.UserAgent = "policywatch"
	}
	return o
}

// timeout is how long one delivery that cannot use the HTTP client (SMTP,
// shoutrrr) may take: the HTTP client's timeout when one is set, so that
// one knob bounds every destination.
func (o Options) timeout() time.Duration {
	if o.HTTPClient != nil && o.HTTPClient.Timeout > 0 {
		return o.HTTPClient.Timeout
	}
	return defaultTimeout
}

// New returns the sender for a subscription's destination. kind is one of the
// Kind constants; target is the URL or e-mail address; format applies to
// webhooks: "" or "auto" (decided by the URL's host), "json", "dingtalk", "feishu", "wecom".
// Bad input (unparseable URL, non-http(s) webhook, bad address, unknown format,
// unknown shoutrrr service) is a clear error here, at subscribe time.
func New(kind, target, format string, opt Options) (Sender, error) {
	opt = opt.withDefaults()
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, fmt.Errorf("notify: empty %s destination", kind)
	}
	if kind != KindWebhook && format != "" && format != "auto" {
		return nil, fmt.Errorf("notify: format %q applies to webhooks only", format)
	}
	switch kind {
	case KindWebhook:
		return newWebhook(target, format, opt)
	case KindShoutrrr:
		return newShoutrrr(target, opt)
	case KindEmail:
		return newEmail(target, opt)
	}
	return nil, fmt.Errorf("notify: unknown destination kind %q (want %s, %s or %s)", kind, KindWebhook, KindShoutrrr, KindEmail)
}

// permanentError marks a failure that retrying will not fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps an error that retrying will not fix (HTTP 4xx other than 408/429,
// a robot's errcode saying the token is invalid, ...). IsPermanent reports it.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil || IsPermanent(err) {
		return err
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or any error it wraps, was marked by Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Redacted is a subscription's destination as lists and messages show it:
// an e-mail address as it is; a URL without what may be a credential:
// user info and query values (DingTalk and WeCom tokens, signing secrets)
// become "…", and so do all but the start of long path segments (Feishu and
// Slack hooks carry their token in the path).
func Redacted(kind, target string) string {
	if kind == KindEmail {
		return target
	}
	u, err := url.Parse(strings.TrimSpace(target))
	if err != nil || u.Scheme == "" {
		return "…"
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if u.User != nil {
		b.WriteString("…@")
	}
	b.WriteString(u.Host)
	for i, seg := range strings.Split(u.EscapedPath(), "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		if len(seg) >= secretSegment {
			seg = seg[:4] + "…"
		}
		b.WriteString(seg)
	}
	if q := u.Query(); len(q) > 0 {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, url.QueryEscape(k)+"=…")
		}
		slices.Sort(keys)
		b.WriteString("?" + strings.Join(keys, "&"))
	}
	return b.String()
}

// secretSegment is the length from which a URL's path segment is taken
// for a token: words of a path are shorter, tokens (UUIDs, random
// strings) longer.
const secretSegment = 16
