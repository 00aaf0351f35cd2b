package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/notify"
)

// subsFixture is what the subscriptions pages show: a webhook whose URL
// holds a token, for every policy, with one delivery sent and one waiting
// for a retry; an e-mail subscription of one platform with one that failed
// for good.
type subsFixture struct {
	hook, mail              int64 // subscriptions
	sent, retrying, refused int64 // deliveries
}

const hookSecret = "tok3n-s3cret"

func addSubscriptions(t *testing.T, f *fixture) subsFixture {
	t.Helper()
	ctx := context.Background()
	var s subsFixture
	for _, sub := range []*policywatch.Subscription{
		{Kind: notify.KindWebhook, Target: "https://hooks.example.org/pw?token=" + hookSecret, Format: "json", MinLevel: "minor"},
		{Kind: notify.KindEmail, Target: "dpo@example.org", Platform: "极氪", Lang: "en"},
	} {
		if err := f.store.CreateSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if s.hook == 0 {
			s.hook = sub.ID
		} else {
			s.mail = sub.ID
		}
	}
	zeekr, _ := f.store.FindVersion(ctx, f.zeekrTo)
	deliver := func(sub int64, key string, status policywatch.DeliveryStatus, attempts int, lastErr string) int64 {
		msg, _ := json.Marshal(notify.Message{Event: policywatch.EventChange, PolicyID: zeekr.PolicyID, Policy: "极氪个人信息保护政策",
			Platform: "极氪", FromVersion: f.zeekrFrom, ToVersion: f.zeekrTo, Level: "minor"})
		d := &policywatch.Delivery{SubscriptionID: sub, Event: policywatch.EventChange, EventKey: key, PolicyID: zeekr.PolicyID,
			ToVersion: f.zeekrTo, Payload: msg}
		if err := f.store.AddDeliveries(ctx, []*policywatch.Delivery{d}); err != nil {
			t.Fatal(err)
		}
		d.Status, d.Attempts, d.LastError = status, attempts, lastErr
		if err := f.store.UpdateDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	s.sent = deliver(s.hook, "change:1", policywatch.DeliverySent, 1, "")
	s.retrying = deliver(s.hook, "change:2", policywatch.DeliveryPending, 2, "notify: webhook hooks.example.org answered 503 Service Unavailable")
	s.refused = deliver(s.mail, "change:1", policywatch.DeliveryFailed, 1, "550 no such mailbox")
	return s
}

// getPage gets a page with a client and returns status, Location and body.
func getPage(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// TestSubscriptionsPagesAreForAdmins: anonymous visitors are sent to log
// in and their posts refused; the nav shows the page to admins only.
func TestSubscriptionsPagesAreForAdmins(t *testing.T) {
	f := newFixture(t, Options{})
	s := addSubscriptions(t, f)
	anon := client()
	for _, path := range []string{"/subscriptions", "/deliveries", fmt.Sprintf("/deliveries?subscription=%d", s.hook)} {
		if code, loc, _ := getPage(t, anon, f.http.URL+path); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("anonymous %s: %d %s", path, code, loc)
		}
	}
	for _, path := range []string{"/subscriptions", fmt.Sprintf("/subscriptions/%d/delete", s.hook)} {
		if code, _, _ := post(t, anon, f.http.URL+path, url.Values{"kind": {"webhook"}, "target": {"https://evil.example/"}}); code != http.StatusForbidden {
			t.Errorf("anonymous POST %s: %d", path, code)
		}
	}
	if subs, _ := f.store.ListSubscriptions(context.Background()); len(subs) != 2 {
		t.Errorf("anonymous posts changed the subscriptions: %+v", subs)
	}
	if _, _, home := getPage(t, anon, f.http.URL+"/"); strings.Contains(home, `href="/subscriptions"`) {
		t.Error("the nav shows subscriptions to an anonymous visitor")
	}
	admin := loggedIn(t, f)
	if _, _, home := getPage(t, admin, f.http.URL+"/"); !strings.Contains(home, `href="/subscriptions">订阅</a>`) {
		t.Error("the nav does not show subscriptions to an admin")
	}
}

// TestSubscriptionsList: each subscription with its channel, its target
// without secrets, scope, level, language and delivery counts.
func TestSubscriptionsList(t *testing.T) {
	f := newFixture(t, Options{})
	s := addSubscriptions(t, f)
	admin := loggedIn(t, f)
	code, _, body := getPage(t, admin, f.http.URL+"/subscriptions")
	if code != 200 {
		t.Fatalf("subscriptions: %d", code)
	}
	if strings.Contains(body, hookSecret) {
		t.Error("the list shows the webhook's token")
	}
	row := func(id int64) string {
		m := regexp.MustCompile(fmt.Sprintf(`(?s)<tr id="s%d">.*?</tr>`, id)).FindString(body)
		if m == "" {
			t.Fatalf("no row for subscription %d", id)
		}
		return m
	}
	for _, want := range []string{"https://hooks.example.org/pw?token=…", "全部政策", "轻微变更", "中文", ">1 / 1 / 0</a>",
		fmt.Sprintf(`href="/deliveries?subscription=%d"`, s.hook)} {
		if !strings.Contains(row(s.hook), want) {
			t.Errorf("webhook row lacks %q:\n%s", want, row(s.hook))
		}
	}
	for _, want := range []string{"dpo@example.org", "平台：极氪", "英文", ">0 / 0 / 1</a>", "电子邮件"} {
		if !strings.Contains(row(s.mail), want) {
			t.Errorf("e-mail row lacks %q:\n%s", want, row(s.mail))
		}
	}
	_, _, en := getPage(t, admin, f.http.URL+"/subscriptions?lang=en")
	for _, want := range []string{"Subscriptions and notifications", "All policies", "Platform: 极氪", "Add a subscription"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
}

// TestAddSubscriptionForm: the form adds what `subscribe` accepts and
// refuses, with the reason in the reader's language and nothing added,
// what it refuses.
func TestAddSubscriptionForm(t *testing.T) {
	f := newFixture(t, Options{})
	admin := loggedIn(t, f)
	csrf := formToken(t, admin, f.http.URL+"/subscriptions")
	zeekr, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	form := func(kv ...string) url.Values {
		v := url.Values{"csrf": {csrf}, "kind": {"webhook"}, "format": {"auto"}, "lang": {"zh"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name string
		form url.Values
		want string // in the page shown again
	}{
		{"no target", form("target", " "), "订阅需要且只能有一个目标"},
		{"webhook not http", form("target", "ftp://hooks.example.org/"), "无法向该目标发送"},
		{"unknown format", form("target", "https://hooks.example.org/", "format", "telex"), "无法向该目标发送"},
		{"not an address", form("kind", "email", "target", "not an address"), "不是电子邮箱地址"},
		{"platform and policy", form("target", "https://hooks.example.org/", "platform", "极氪", "policy", "1"), "平台和政策只能选一个"},
		{"policy not a number", form("target", "https://hooks.example.org/", "policy", "abc"), "政策编号 &#34;abc&#34; 无效"},
		{"no such policy", form("target", "https://hooks.example.org/", "policy", "99999"), "没有编号为 99999 的政策"},
		{"unknown level", form("target", "https://hooks.example.org/", "min_level", "huge"), "未知的变更等级"},
		{"unknown language", form("target", "https://hooks.example.org/", "lang", "fr"), "未知的语言"},
		{"e-mail without SMTP", form("kind", "email", "target", "dpo@example.org"), "POLICYWATCH_SMTP_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := post(t, admin, f.http.URL+"/subscriptions", tt.form)
			if code != http.StatusBadRequest || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, want 400 and %q in:\n%s", code, tt.want, grepError(body))
			}
			if !strings.Contains(body, `value="`+attr(tt.form.Get("target"))+`"`) {
				t.Errorf("the form lost what was typed")
			}
		})
	}
	if subs, _ := f.store.ListSubscriptions(context.Background()); len(subs) != 0 {
		t.Fatalf("refused forms added subscriptions: %+v", subs)
	}
	code, loc, _ := post(t, admin, f.http.URL+"/subscriptions", form("target", "https://hooks.example.org/pw?token="+hookSecret,
		"format", "json", "policy", fmt.Sprint(zeekr.PolicyID), "min_level", "substantive", "lang", "en"))
	if code != http.StatusSeeOther || loc != "/subscriptions" {
		t.Fatalf("add: %d %s", code, loc)
	}
	subs, _ := f.store.ListSubscriptions(context.Background())
	if len(subs) != 1 || subs[0].Kind != "webhook" || subs[0].Format != "json" || subs[0].PolicyID != zeekr.PolicyID ||
		subs[0].MinLevel != "substantive" || subs[0].Lang != "en" || subs[0].Admin {
		t.Fatalf("added: %+v", subs)
	}
	_, _, page := getPage(t, admin, f.http.URL+"/subscriptions")
	if !strings.Contains(page, fmt.Sprintf("订阅 #%d 已添加。", subs[0].ID)) || !strings.Contains(page, "政策：极氪 · 极氪个人信息保护政策") {
		t.Errorf("after adding: no flash or scope:\n%s", grepError(page))
	}
	code, _, _ = post(t, admin, f.http.URL+"/subscriptions", form("kind", "shoutrrr", "target", "generic://hooks.example.org/x", "admin", "1"))
	if subs, _ := f.store.ListSubscriptions(context.Background()); code != http.StatusSeeOther || len(subs) != 2 || !subs[1].Admin || subs[1].Kind != "shoutrrr" {
		t.Errorf("admin shoutrrr subscription: %d %+v", code, subs)
	}
	// Logged in, but without the form's token.
	noToken := form("target", "https://hooks.example.org/")
	noToken.Del("csrf")
	if code, _, _ := post(t, admin, f.http.URL+"/subscriptions", noToken); code != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", code)
	}
}

func attr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&#34;", `<`, "&lt;").Replace(s)
}

// grepError is the form's error paragraph, for messages.
func grepError(body string) string {
	if m := regexp.MustCompile(`<p class="error"[^>]*>.*?</p>`).FindString(body); m != "" {
		return m
	}
	return body
}

// TestRemoveSubscription: a POST with the form's token removes one (its
// deliveries with it); a missing one is 404.
func TestRemoveSubscription(t *testing.T) {
	f := newFixture(t, Options{})
	s := addSubscriptions(t, f)
	admin := loggedIn(t, f)
	csrf := formToken(t, admin, f.http.URL+"/subscriptions")
	if code, _, _ := post(t, admin, fmt.Sprintf("%s/subscriptions/%d/delete", f.http.URL, s.hook), url.Values{}); code != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", code)
	}
	code, loc, _ := post(t, admin, fmt.Sprintf("%s/subscriptions/%d/delete", f.http.URL, s.hook), url.Values{"csrf": {csrf}})
	if code != http.StatusSeeOther || loc != "/subscriptions" {
		t.Fatalf("remove: %d %s", code, loc)
	}
	if subs, _ := f.store.ListSubscriptions(context.Background()); len(subs) != 1 || subs[0].ID != s.mail {
		t.Errorf("after removing: %+v", subs)
	}
	if _, err := f.store.FindDelivery(context.Background(), s.sent); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("its delivery stays: %v", err)
	}
	for _, id := range []string{fmt.Sprint(s.hook), "x"} {
		if code, _, _ := post(t, admin, f.http.URL+"/subscriptions/"+id+"/delete", url.Values{"csrf": {csrf}}); code != http.StatusNotFound {
			t.Errorf("removing %s: %d, want 404", id, code)
		}
	}
}

// TestDeliveryLog: newest first, each delivery with its change, channel,
// status, attempts, last error and times; pages of 50 going back; one
// subscription's log.
func TestDeliveryLog(t *testing.T) {
	f := newFixture(t, Options{})
	s := addSubscriptions(t, f)
	admin := loggedIn(t, f)
	code, _, body := getPage(t, admin, f.http.URL+"/deliveries")
	if code != 200 {
		t.Fatalf("deliveries: %d", code)
	}
	ids := regexp.MustCompile(`<tr id="d(\d+)">`).FindAllStringSubmatch(body, -1)
	if len(ids) != 3 || ids[0][1] != fmt.Sprint(s.refused) || ids[2][1] != fmt.Sprint(s.sent) {
		t.Fatalf("rows %v, want newest first", ids)
	}
	retry := regexp.MustCompile(fmt.Sprintf(`(?s)<tr id="d%d">.*?</tr>`, s.retrying)).FindString(body)
	for _, want := range []string{fmt.Sprintf(`href="/compare?from=%d&amp;to=%d"`, f.zeekrFrom, f.zeekrTo), "极氪 · 极氪个人信息保护政策",
		"轻微变更", "https://hooks.example.org/pw?token=…", "待发送", `<td class="num">2</td>`, "answered 503", "创建 "} {
		if !strings.Contains(retry, want) {
			t.Errorf("retrying row lacks %q:\n%s", want, retry)
		}
	}
	if strings.Contains(body, hookSecret) || !strings.Contains(body, "已送达") || !strings.Contains(body, "550 no such mailbox") {
		t.Errorf("statuses, errors or secrets wrong")
	}
	if strings.Contains(body, "deliveries.older") || strings.Contains(body, "更早 →") {
		t.Error("a single page links to an older one")
	}

	// 60 more: pages of 50, newest first, then the rest.
	for i := range 60 {
		d := &policywatch.Delivery{SubscriptionID: s.mail, Event: policywatch.EventChange, EventKey: fmt.Sprintf("change:x%d", i),
			PolicyID: 1, Payload: []byte(`{}`)}
		if err := f.store.AddDeliveries(context.Background(), []*policywatch.Delivery{d}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, first := getPage(t, admin, f.http.URL+"/deliveries")
	older := regexp.MustCompile(`href="(/deliveries\?before=\d+)">更早 →</a>`).FindStringSubmatch(first)
	if n := strings.Count(first, `<tr id="d`); n != 50 || older == nil {
		t.Fatalf("first page: %d rows, older link %v", n, older)
	}
	_, _, second := getPage(t, admin, f.http.URL+older[1])
	if n := strings.Count(second, `<tr id="d`); n != 13 || !strings.Contains(second, `href="/deliveries">← 最新</a>`) || strings.Contains(second, "更早 →") {
		t.Errorf("second page: %d rows, want 13 and a link to the newest only", n)
	}
	_, _, one := getPage(t, admin, fmt.Sprintf("%s/deliveries?subscription=%d", f.http.URL, s.hook))
	if n := strings.Count(one, `<tr id="d`); n != 2 || !strings.Contains(one, fmt.Sprintf("订阅 #%d 的通知", s.hook)) {
		t.Errorf("one subscription's log: %d rows", n)
	}
	if code, _, _ := getPage(t, admin, f.http.URL+"/deliveries?before=x"); code != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", code)
	}
	_, _, en := getPage(t, admin, f.http.URL+older[1]+"&lang=en")
	for _, want := range []string{"Delivery log", "Pending", "Delivered", "Failed", "← Newest"} {
		if !strings.Contains(en, want) {
			t.Errorf("English log lacks %q", want)
		}
	}
}
