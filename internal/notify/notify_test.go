package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
)

// change is the message most tests send: every field set, as a worker
// would fill it for a major change.
func change() Message {
	return Message{
		DeliveryID:  77,
		Event:       policywatch.EventChange,
		PolicyID:    12,
		Policy:      "隐私政策",
		Platform:    "微信",
		URL:         "https://weixin.example/privacy",
		FromVersion: 34,
		ToVersion:   35,
		Level:       "major",
		Summary:     "新增向第三方共享位置信息。",
		CompareURL:  "https://pw.example/policies/12/compare?from=34&to=35",
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	smtpOK := Options{SMTPURL: "smtp://127.0.0.1:2525?from=pw@example.com"}
	tests := []struct {
		name                 string
		kind, target, format string
		opt                  Options
		want                 string // in the error
	}{
		{"unknown kind", "pigeon", "coo://roof", "", Options{}, "unknown destination kind"},
		{"empty target", KindWebhook, "  ", "", Options{}, "empty webhook destination"},
		{"format on email", KindEmail, "a@example.com", "json", smtpOK, "webhooks only"},
		{"unparseable webhook", KindWebhook, "http://[::1", "", Options{}, "bad webhook URL"},
		{"webhook not http", KindWebhook, "ftp://example.com/hook", "", Options{}, "http:// or https://"},
		{"webhook without host", KindWebhook, "https:///hook", "", Options{}, "http:// or https://"},
		{"webhook relative", KindWebhook, "example.com/hook", "", Options{}, "http:// or https://"},
		{"unknown format", KindWebhook, "https://example.com/hook", "slack", Options{}, "unknown webhook format"},
		{"empty secret", KindWebhook, "https://oapi.dingtalk.com/robot/send?access_token=t&secret=", "", Options{}, "empty secret"},
		{"bad address", KindEmail, "not an address", "", smtpOK, "bad e-mail address"},
		{"no smtp url", KindEmail, "a@example.com", "", Options{}, "email needs POLICYWATCH_SMTP_URL"},
		{"smtp url not smtp", KindEmail, "a@example.com", "", Options{SMTPURL: "http://mail.example.com?from=pw@example.com"}, "must start with smtp://"},
		{"smtp url without from", KindEmail, "a@example.com", "", Options{SMTPURL: "smtp://mail.example.com:587"}, "from="},
		{"smtp url bad tls", KindEmail, "a@example.com", "", Options{SMTPURL: "smtp://mail.example.com?from=pw@example.com&tls=ssl"}, "tls="},
		{"smtp url without host", KindEmail, "a@example.com", "", Options{SMTPURL: "smtp:///?from=pw@example.com"}, "no host"},
		{"unknown shoutrrr service", KindShoutrrr, "nosuch://token@host", "", Options{}, `unknown shoutrrr service "nosuch"`},
		{"shoutrrr not a URL", KindShoutrrr, "just words", "", Options{}, "service://"},
		{"shoutrrr service refuses URL", KindShoutrrr, "telegram://telegram", "", Options{}, "shoutrrr telegram URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.kind, tt.target, tt.format, tt.opt)
			if err == nil {
				t.Fatalf("New(%q, %q, %q) = %T, want an error", tt.kind, tt.target, tt.format, s)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestNewWebhookFormat(t *testing.T) {
	tests := []struct {
		target, format, want string
	}{
		{"https://example.com/hook", "", FormatJSON},
		{"https://example.com/hook", "auto", FormatJSON},
		{"https://oapi.dingtalk.com/robot/send?access_token=t", "", FormatDingTalk},
		{"https://OAPI.DingTalk.com/robot/send?access_token=t", "auto", FormatDingTalk},
		{"https://open.feishu.cn/open-apis/bot/v2/hook/abc", "", FormatFeishu},
		{"https://open.larksuite.com/open-apis/bot/v2/hook/abc", "", FormatFeishu},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "", FormatWeCom},
		// An explicit format wins over the host, both ways.
		{"https://oapi.dingtalk.com/robot/send?access_token=t", "json", FormatJSON},
		{"http://127.0.0.1:8080/robot/send", "wecom", FormatWeCom},
	}
	for _, tt := range tests {
		s, err := New(KindWebhook, tt.target, tt.format, Options{})
		if err != nil {
			t.Errorf("New(%q, %q): %v", tt.target, tt.format, err)
			continue
		}
		if got := s.(*webhook).format; got != tt.want {
			t.Errorf("New(%q, %q) format = %q, want %q", tt.target, tt.format, got, tt.want)
		}
	}
}

func TestNewWebhookSecretIsOurs(t *testing.T) {
	tests := []struct {
		target, wantURL, wantSecret string
	}{
		// Robots that sign: the secret is taken out of the URL.
		{"https://oapi.dingtalk.com/robot/send?access_token=t&secret=SECabc", "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc"},
		{"https://open.feishu.cn/open-apis/bot/v2/hook/abc?secret=s1", "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "s1"},
		// Anyone else may have a secret= of their own: it stays.
		{"https://example.com/hook?secret=theirs", "https://example.com/hook?secret=theirs", ""},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k&secret=x", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k&secret=x", ""},
	}
	for _, tt := range tests {
		s, err := New(KindWebhook, tt.target, "", Options{})
		if err != nil {
			t.Fatalf("New(%q): %v", tt.target, err)
		}
		w := s.(*webhook)
		if got := w.url.String(); got != tt.wantURL || w.secret != tt.wantSecret {
			t.Errorf("New(%q): url %q secret %q, want %q %q", tt.target, got, w.secret, tt.wantURL, tt.wantSecret)
		}
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("410 Gone")
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	if IsPermanent(nil) || IsPermanent(base) {
		t.Error("IsPermanent of a plain error is true")
	}
	p := Permanent(base)
	if !IsPermanent(p) || !errors.Is(p, base) || p.Error() != base.Error() {
		t.Errorf("Permanent(%v) = %v: permanent %v, wraps %v", base, p, IsPermanent(p), errors.Is(p, base))
	}
	wrapped := fmt.Errorf("delivery 3: %w", p)
	if !IsPermanent(wrapped) {
		t.Error("wrapping a permanent error lost its permanence")
	}
	if Permanent(p) != p {
		t.Error("Permanent wrapped a permanent error twice")
	}
}

func TestUnknownEventIsRefusedBeforeSending(t *testing.T) {
	srv := newRecorder(t, 200, `{"errcode":0}`)
	for _, format := range []string{FormatJSON, FormatDingTalk, FormatFeishu, FormatWeCom} {
		s, err := New(KindWebhook, srv.URL, format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := change()
		m.Event = ""
		err = s.Send(context.Background(), m)
		if err == nil || !IsPermanent(err) {
			t.Errorf("%s: Send with no event = %v, want a permanent error", format, err)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent for a message with no event", n)
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct{ kind, target, want string }{
		{KindEmail, "dpo@example.org", "dpo@example.org"},
		{KindWebhook, "https://hooks.example.org/pw", "https://hooks.example.org/pw"},
		{KindWebhook, "https://oapi.dingtalk.com/robot/send?access_token=abc123&secret=SECxyz",
			"https://oapi.dingtalk.com/robot/send?access_token=…&secret=…"},
		{KindWebhook, "https://open.feishu.cn/open-apis/bot/v2/hook/0b3c4d5e-aaaa-bbbb-cccc-1234567890ab",
			"https://open.feishu.cn/open-apis/bot/v2/hook/0b3c…"},
		{KindShoutrrr, "telegram://123456:AAF-token@telegram?chats=@channel", "telegram://…@telegram?chats=…"},
		{KindWebhook, "http://user:pass@127.0.0.1:8080/hook", "http://…@127.0.0.1:8080/hook"},
		{KindWebhook, "not a url at all", "…"},
	}
	for _, tt := range tests {
		if got := Redacted(tt.kind, tt.target); got != tt.want {
			t.Errorf("Redacted(%s, %q) = %q, want %q", tt.kind, tt.target, got, tt.want)
		}
		for _, secret := range []string{"abc123", "SECxyz", "AAF-token", "pass", "1234567890ab"} {
			if strings.Contains(tt.target, secret) && strings.Contains(Redacted(tt.kind, tt.target), secret) {
				t.Errorf("Redacted(%q) shows %q", tt.target, secret)
			}
		}
	}
}
