package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
)

// Webhook formats.
const (
	FormatAuto     = "auto"
	FormatJSON     = "json"
	FormatDingTalk = "dingtalk"
	FormatFeishu   = "feishu"
	FormatWeCom    = "wecom"
)

// maxAnswer bounds how much of a receiver's answer is read: robots answer a
// few bytes of JSON, and a misbehaving server must not make us buffer more.
const maxAnswer = 64 << 10

// robotLimit caps the free text put into robot messages, well under the
// smallest robot limit (WeCom markdown: 4096 bytes in all).
const robotLimit = 2000

// webFormat is how one kind of receiver wants a message and says it got it.
type webFormat struct {
	// body returns the request body, and query parameters to add to the URL.
	// secret is the signing secret taken from the URL, if any.
	body func(m Message, secret string, now time.Time) (any, url.Values)
	// answer checks a 2xx answer; nil means any 2xx is success.
	answer func(body []byte) error
	// signs says the receiver can sign requests, so a secret= parameter in
	// the URL is ours (to sign with) rather than the receiver's.
	signs bool
}

var webFormats = map[string]webFormat{
	FormatJSON:     {body: jsonBody},
	FormatDingTalk: {body: dingtalkBody, answer: errcodeAnswer("dingtalk", dingtalkPermanent), signs: true},
	FormatFeishu:   {body: feishuBody, answer: feishuAnswer, signs: true},
	FormatWeCom:    {body: wecomBody, answer: errcodeAnswer("wecom", wecomPermanent)},
}

// formatForHost picks the native format of the robot hosts we know; any
// other receiver gets the documented JSON.
func formatForHost(host string) string {
	switch strings.ToLower(host) {
	case "oapi.dingtalk.com":
		return FormatDingTalk
	case "open.feishu.cn", "open.larksuite.com":
		return FormatFeishu
	case "qyapi.weixin.qq.com":
		return FormatWeCom
	}
	return FormatJSON
}

type webhook struct {
	url    *url.URL // without our own parameters
	format string
	f      webFormat
	secret string
	opt    Options
}

func newWebhook(target, format string, opt Options) (*webhook, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("notify: bad webhook URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("notify: webhook URL must be http:// or https:// with a host, not %q", redact(u))
	}
	switch format {
	case "", FormatAuto:
		format = formatForHost(u.Hostname())
	}
	f, ok := webFormats[format]
	if !ok {
		return nil, fmt.Errorf("notify: unknown webhook format %q (want auto, json, dingtalk, feishu or wecom)", format)
	}
	w := &webhook{url: u, format: format, f: f, opt: opt}
	if q := u.Query(); f.signs && q.Has("secret") {
		w.secret = q.Get("secret")
		if w.secret == "" {
			return nil, errors.New("notify: webhook URL has an empty secret=")
		}
		// The robot does not know this parameter: it would only leak the
		// secret into its logs.
		q.Del("secret")
		stripped := *u
		stripped.RawQuery = q.Encode()
		w.url = &stripped
	}
	return w, nil
}

func (w *webhook) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	body, extra := w.f.body(m, w.secret, time.Now())
	payload, err := marshal(body)
	if err != nil {
		return Permanent(fmt.Errorf("notify: encoding %s message: %w", w.format, err))
	}
	target := *w.url
	if len(extra) > 0 {
		q := target.Query()
		for k, v := range extra {
			q[k] = v
		}
		target.RawQuery = q.Encode()
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(payload))
	if err != nil {
		return Permanent(fmt.Errorf("notify: webhook %s: %w", w.url.Host, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.opt.UserAgent)
	req.Header.Set("X-Policywatch-Delivery", strconv.FormatInt(m.DeliveryID, 10))
	req.Header.Set("X-Policywatch-Event", string(m.Event))
	resp, err := w.opt.HTTPClient.Do(req)
	if err != nil {
		// *url.Error repeats the URL, and robot URLs carry their token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("notify: webhook %s: %w", w.url.Host, err)
	}
	defer resp.Body.Close()
	answer, readErr := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("notify: webhook %s answered %s%s", w.url.Host, resp.Status, excerpt(answer))
		switch {
		case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
			return err
		case resp.StatusCode >= 400:
			return Permanent(err)
		}
		return err
	}
	if w.f.answer == nil {
		return nil // the status is the whole answer
	}
	if readErr != nil {
		return fmt.Errorf("notify: webhook %s: reading answer: %w", w.url.Host, readErr)
	}
	return w.f.answer(answer)
}

// marshal is json.Marshal without HTML escaping: robots render the text, and
// "\u003cfont\u003e" or "\u0026" in a link are harder to read when debugging.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// excerpt quotes the start of an error answer for the error message.
func excerpt(answer []byte) string {
	s := strings.Join(strings.Fields(string(answer)), " ")
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	return ": " + clip(s, 200)
}

// redact shows a URL without what may be a credential (user info, query).
func redact(u *url.URL) string {
	r := *u
	r.User, r.RawQuery, r.Fragment = nil, "", ""
	return r.String()
}

// jsonMessage is the documented webhook body (shared/docs/contract.md):
// ids are decimal strings, as everywhere in the project's JSON.
type jsonMessage struct {
	PolicyID    string            `json:"policy_id"`
	Policy      string            `json:"policy"`
	Platform    string            `json:"platform"`
	URL         string            `json:"url"`
	FromVersion string            `json:"from_version"`
	ToVersion   string            `json:"to_version"`
	Level       policywatch.Level `json:"level"`
	Summary     string            `json:"summary"`
	CompareURL  string            `json:"compare_url"`
	Event       policywatch.Event `json:"event"`
	Error       string            `json:"error,omitempty"`
}

func jsonBody(m Message, _ string, _ time.Time) (any, url.Values) {
	j := jsonMessage{
		PolicyID:    idString(m.PolicyID),
		Policy:      m.Policy,
		Platform:    m.Platform,
		URL:         m.URL,
		FromVersion: idString(m.FromVersion),
		ToVersion:   idString(m.ToVersion),
		Level:       m.Level,
		Summary:     m.Summary,
		CompareURL:  m.CompareURL,
		Event:       m.Event,
	}
	if m.Event == policywatch.EventFailing {
		j.Error = m.Error
	}
	return j, nil
}
