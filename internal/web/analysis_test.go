package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
)

// fakeModel stands in for a configured language model: it rewrites the
// built-in report's prose the way the llm package does.
type fakeModel struct{ calls int }

func (m *fakeModel) Engine() string { return "test-model" }

func (m *fakeModel) Analyze(ctx context.Context, oldText, newText string, opt analyze.Options) (*analyze.Report, error) {
	m.calls++
	r, err := analyze.Compare(oldText, newText, opt)
	if err != nil {
		return nil, err
	}
	var sts []analyze.Statement
	for _, c := range r.Changes {
		sts = append(sts, analyze.Statement{Text: "模型写的说明", Changes: []int{c.ID}})
	}
	r.Rewrite(m.Engine(), sts, nil, "模型写的结论")
	return r, nil
}

func login(t *testing.T, f *fixture, c *http.Client) {
	t.Helper()
	csrf := formToken(t, c, f.http.URL+"/login")
	resp, err := c.PostForm(f.http.URL+"/login", url.Values{"csrf": {csrf}, "token": {testToken}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
}

func TestAnalysisOnDemandFromTheComparePage(t *testing.T) {
	model := &fakeModel{}
	f := newFixture(t, Options{Analyzer: model})
	page := f.compareURL(f.zeekrFrom, f.zeekrTo, "")

	// Anonymous readers see the built-in report and no button.
	_, _, body := f.get(page)
	if !strings.Contains(body, `class="engine">builtin</span>`) || strings.Contains(body, "/compare/analyze") {
		t.Errorf("anonymous compare page: engine or button wrong")
	}
	c := client()
	resp, _ := c.PostForm(f.http.URL+"/compare/analyze", url.Values{"from": {fmt.Sprint(f.zeekrFrom)}, "to": {fmt.Sprint(f.zeekrTo)}})
	if resp.StatusCode != http.StatusForbidden || model.calls != 0 {
		t.Errorf("anonymous analysis: status %d, model called %d times", resp.StatusCode, model.calls)
	}

	// An admin asks the model; its report is then the one shown.
	login(t, f, c)
	csrf := formToken(t, c, f.http.URL+page)
	resp, _ = c.PostForm(f.http.URL+"/compare/analyze", url.Values{"csrf": {csrf}, "from": {fmt.Sprint(f.zeekrFrom)}, "to": {fmt.Sprint(f.zeekrTo)}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "#analysis") || model.calls != 1 {
		t.Fatalf("admin analysis: status %d to %q, model called %d times", resp.StatusCode, resp.Header.Get("Location"), model.calls)
	}
	resp, _ = c.Get(f.http.URL + page)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	shown := string(raw)
	for _, want := range []string{`class="engine">test-model</span>`, "模型写的说明", "模型写的结论", `class="ref">变更1</a>`} {
		if !strings.Contains(shown, want) {
			t.Errorf("after the model's analysis the page lacks %q", want)
		}
	}

	// Versions of two different policies are refused, and nothing is called.
	resp, _ = c.PostForm(f.http.URL+"/compare/analyze", url.Values{"csrf": {csrf}, "from": {fmt.Sprint(f.zeekrFrom)}, "to": {fmt.Sprint(f.manyTo)}})
	if resp.StatusCode != http.StatusBadRequest || model.calls != 1 {
		t.Errorf("cross-policy pair: status %d, calls %d", resp.StatusCode, model.calls)
	}
}

func TestAPIAnalyze(t *testing.T) {
	model := &fakeModel{}
	f := newFixture(t, Options{Analyzer: model})
	path := fmt.Sprintf("/api/v1/analyze?from=%d&to=%d", f.zeekrFrom, f.zeekrTo)
	if code, _, _ := apiDo(t, f, "POST", path, "", ""); code != http.StatusUnauthorized || model.calls != 0 {
		t.Errorf("without a token: %d", code)
	}
	code, report, _ := apiDo(t, f, "POST", path+"&lang=en", testToken, "")
	if code != 200 || report["engine"] != "test-model" || report["lang"] != "en" || report["level"] != "minor" {
		t.Fatalf("analyze: %d %v", code, report)
	}
	if code, _, _ := apiDo(t, f, "POST", path+"&lang=fr", testToken, ""); code != http.StatusBadRequest {
		t.Errorf("unknown language: %d", code)
	}
	if code, _, _ := apiDo(t, f, "POST", "/api/v1/analyze?from=1&to=99999", testToken, ""); code != http.StatusNotFound {
		t.Errorf("missing version: %d", code)
	}
	// The compare API in English now returns the model's report.
	_, cmp, _ := apiDo(t, f, "GET", fmt.Sprintf("/api/v1/compare?from=%d&to=%d&lang=en", f.zeekrFrom, f.zeekrTo), "", "")
	if a, _ := cmp["analysis"].(map[string]any); a["engine"] != "test-model" {
		t.Errorf("compare after analysis: engine %v", a["engine"])
	}
}

func TestLevelsOnHomeAndPolicyPages(t *testing.T) {
	f := newFixture(t, Options{})
	_, _, home := f.get("/")
	if !strings.Contains(home, `<span class="level minor">轻微变更</span>`) {
		t.Errorf("home page does not show the Zeekr change's level")
	}
	v, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	_, _, pol := f.get(fmt.Sprintf("/policies/%d?lang=en", v.PolicyID))
	if !strings.Contains(pol, `#analysis" class="level minor">minor</a>`) {
		t.Errorf("policy page does not link the level to the analysis")
	}
}

func TestProfilePage(t *testing.T) {
	f := newFixture(t, Options{})
	v, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	code, _, body := f.get(fmt.Sprintf("/policies/%d/profile", v.PolicyID))
	if code != 200 {
		t.Fatalf("profile: %d", code)
	}
	for _, want := range []string{"合规清单", "写明个人信息处理者", "《个人信息保护法》第十七条", "浙江极氪智能科技有限公司",
		"未成年人条款以14周岁为界", fmt.Sprintf(`href="/versions/%d#L`, v.ID), "敏感个人信息", `<em class="sensitive">敏感</em>`,
		"浙江吉利汽车备件有限公司"} {
		if !strings.Contains(body, want) {
			t.Errorf("profile page lacks %q", want)
		}
	}
	// The older version on request; another policy's version is refused.
	_, _, old := f.get(fmt.Sprintf("/policies/%d/profile?version=%d&lang=en", v.PolicyID, f.zeekrFrom))
	if !strings.Contains(old, "浙江浩物网络科技有限公司") || !strings.Contains(old, "Checklist") {
		t.Errorf("older version's profile wrong")
	}
	if code, _, _ := f.get(fmt.Sprintf("/policies/%d/profile?version=%d", v.PolicyID, f.manyTo)); code != 404 {
		t.Errorf("another policy's version: %d", code)
	}
	code, prof, _ := apiDo(t, f, "GET", fmt.Sprintf("/api/v1/policies/%d/profile?lang=en", v.PolicyID), "", "")
	checks, _ := prof["checks"].([]any)
	if code != 200 || len(checks) != 10 || prof["version_id"] != fmt.Sprint(f.zeekrTo) {
		t.Fatalf("API profile: %d %v", code, prof)
	}
	first := checks[0].(map[string]any)
	if first["id"] != "operator" || first["pass"] != true || first["title"] != "Names the personal information handler" {
		t.Errorf("API profile's first check: %v", first)
	}
}

func TestMatrixPage(t *testing.T) {
	f := newFixture(t, Options{})
	code, _, body := f.get("/matrix")
	if code != 200 {
		t.Fatalf("matrix: %d", code)
	}
	for _, want := range []string{"跨平台对比", "极氪", "个人生物识别信息", "写明不向境外提供", "支付宝SDK"} {
		if !strings.Contains(body, want) {
			t.Errorf("matrix lacks %q", want)
		}
	}
	code, _, rows := apiDo(t, f, "GET", "/api/v1/matrix?platform="+url.QueryEscape("极氪"), "", "")
	if code != 200 || len(rows) != 1 {
		t.Fatalf("API matrix for one platform: %d %d rows", code, len(rows))
	}
	row := rows[0].(map[string]any)
	if row["cross_border"] != "absent" || row["name"] != "极氪个人信息保护政策" {
		t.Errorf("Zeekr's row: %v", row)
	}
	var names []string
	for _, tp := range row["third_parties"].([]any) {
		names = append(names, tp.(map[string]any)["value"].(string))
	}
	if !strings.Contains(strings.Join(names, " "), "浙江吉利汽车备件有限公司") {
		t.Errorf("Zeekr's third parties: %v", names)
	}
}

func TestAtomFeeds(t *testing.T) {
	f := newFixture(t, Options{BaseURL: "https://policywatch.example.org/"})
	code, h, body := f.get("/feed.atom")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", code, h.Get("Content-Type"))
	}
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("not Atom: %v\n%s", err, body)
	}
	// The demo's one change (Zeekr) and the test policy's: first versions are no entries.
	if len(feed.Entries) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(feed.Entries), feed.Entries)
	}
	var zeekr = -1
	for i, e := range feed.Entries {
		if strings.Contains(e.Title, "极氪") {
			zeekr = i
		}
	}
	if zeekr < 0 {
		t.Fatalf("no entry for the Zeekr change: %+v", feed.Entries)
	}
	e := feed.Entries[zeekr]
	wantLink := fmt.Sprintf("https://policywatch.example.org/compare?from=%d&to=%d", f.zeekrFrom, f.zeekrTo)
	if e.Link.Href != wantLink || !strings.Contains(e.Title, "轻微变更") || !strings.Contains(e.Summary, "浙江吉利汽车备件有限公司") {
		t.Errorf("Zeekr entry: %+v", e)
	}

	_, _, platform := f.get("/platforms/" + url.PathEscape("极氪") + "/feed.atom?lang=en")
	if strings.Count(platform, "<entry>") != 1 || !strings.Contains(platform, "minor") {
		t.Errorf("platform feed:\n%s", platform)
	}
	v, _ := f.store.FindVersion(context.Background(), f.evilVersion)
	_, _, single := f.get(fmt.Sprintf("/policies/%d/feed.atom", v.PolicyID))
	if strings.Count(single, "<entry>") != 0 || !strings.Contains(single, "<feed") {
		t.Errorf("a policy with one version has an empty feed:\n%s", single)
	}
	if code, _, _ := f.get("/policies/99999/feed.atom"); code != 404 {
		t.Errorf("feed of a missing policy: %d", code)
	}
}

// TestAtomFeedsHaveAuthor: Atom (RFC 4287, 4.1.1) requires an author of
// the feed unless every entry has one; every feed, in both languages, even
// an empty one, names policywatch at feed level.
func TestAtomFeedsHaveAuthor(t *testing.T) {
	f := newFixture(t, Options{})
	v, _ := f.store.FindVersion(context.Background(), f.zeekrTo)
	for _, path := range []string{"/feed.atom", "/feed.atom?lang=en",
		"/platforms/" + url.PathEscape("极氪") + "/feed.atom", "/platforms/nobody/feed.atom?lang=en",
		fmt.Sprintf("/policies/%d/feed.atom", v.PolicyID)} {
		code, _, body := f.get(path)
		var feed struct {
			Author struct {
				Name string `xml:"name"`
			} `xml:"author"`
		}
		if err := xml.Unmarshal([]byte(body), &feed); code != 200 || err != nil {
			t.Fatalf("%s: %d %v", path, code, err)
		}
		want := "政策观察"
		if strings.Contains(path, "lang=en") {
			want = "policywatch"
		}
		if feed.Author.Name != want {
			t.Errorf("%s: feed author %q, want %q", path, feed.Author.Name, want)
		}
	}
}

func TestMetricsAndHealth(t *testing.T) {
	f := newFixture(t, Options{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	}))
	defer site.Close()
	code, created, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, fmt.Sprintf(`{"url": %q, "name": "n", "platform": "p"}`, site.URL+"/x"))
	if code != 201 {
		t.Fatalf("create: %d", code)
	}
	apiDo(t, f, "POST", "/api/v1/policies/"+created["id"].(string)+"/check", testToken, "")
	policyID, _ := policywatch.ParseID(created["id"].(string))
	sub := &policywatch.Subscription{Kind: "webhook", Target: "http://127.0.0.1:9/hook"}
	if err := f.store.CreateSubscription(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddDeliveries(context.Background(), []*policywatch.Delivery{{SubscriptionID: sub.ID,
		Event: policywatch.EventChange, EventKey: "change:1", PolicyID: policyID, Payload: []byte(`{}`)}}); err != nil {
		t.Fatal(err)
	}

	code, h, body := f.get("/metrics")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %s", code, h.Get("Content-Type"))
	}
	for _, want := range []string{`policywatch_checks_total{error_class="http_status",result="failed"}`,
		"policywatch_check_duration_seconds_bucket", "policywatch_due_policies ", "go_goroutines",
		`policywatch_deliveries{status="pending"} 1`, `policywatch_deliveries{status="failed"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, grep(body, "policywatch_"))
		}
	}
	if code, _, body := f.get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("health: %d %q", code, body)
	}
	f.store.Close()
	if code, _, _ := f.get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("health with the database closed: %d", code)
	}
	// The check counts are left out; the process's metrics are still served.
	if code, _, body := f.get("/metrics"); code != 200 || strings.Contains(body, "policywatch_checks_total") || !strings.Contains(body, "go_goroutines") {
		t.Errorf("metrics with the database closed: %d\n%s", code, grep(body, "policywatch_"))
	}
}

func grep(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestStaleAnalysisMadeAnew: a report stored by older rules is not shown;
// the built-in analysis is made again with the current ones.
func TestStaleAnalysisMadeAnew(t *testing.T) {
	f := newFixture(t, Options{})
	stale := `{"level":"major","summary":"旧规则的报告","changes":[],"engine":"builtin","lang":"zh","rules":0}`
	if err := f.store.SaveAnalysis(context.Background(), &policywatch.Analysis{FromVersion: f.zeekrFrom, ToVersion: f.zeekrTo,
		Engine: analyze.EngineBuiltin, Lang: "zh", Level: "major", Summary: "旧规则的报告", Report: []byte(stale)}); err != nil {
		t.Fatal(err)
	}
	_, _, body := f.get(f.compareURL(f.zeekrFrom, f.zeekrTo, ""))
	if strings.Contains(body, "旧规则的报告") || !strings.Contains(body, "轻微变更") {
		t.Errorf("the stale report is shown")
	}
	as, err := f.store.FindAnalyses(context.Background(), f.zeekrFrom, f.zeekrTo)
	if err != nil || len(as) == 0 || as[0].Level != "minor" {
		t.Errorf("the stored analysis is not made anew: %v %+v", err, as)
	}
}

// TestAPIRefusesBadPolicies: the API applies the policy's own rules: an
// interval under a minute or a selector that does not parse is refused.
func TestAPIRefusesBadPolicies(t *testing.T) {
	f := newFixture(t, Options{})
	for _, body := range []string{
		`{"url": "https://a.example/p", "name": "n", "platform": "p", "every": "1ms"}`,
		`{"url": "https://a.example/p", "name": "n", "platform": "p", "every": "0.4s"}`,
		`{"url": "https://a.example/p", "name": "n", "platform": "p", "select": "div[[["}`,
		`{"url": "https://a.example/p", "name": "n", "platform": "p", "remove": ["p:nth-child("]}`,
	} {
		if code, obj, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, body); code != http.StatusBadRequest || obj["error"] == nil {
			t.Errorf("%s: %d %v", body, code, obj)
		}
	}
}
