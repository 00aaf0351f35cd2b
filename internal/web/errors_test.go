package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/locale"
)

// TestErrorTableSpeaksBothLanguages: every message and title the error
// table can show is in the catalogue in both languages.
func TestErrorTableSpeaksBothLanguages(t *testing.T) {
	keys := []string{internalError.key, "error.nochecker"}
	for _, reply := range errorReplies {
		keys = append(keys, reply.key)
	}
	for _, key := range statusTitles {
		keys = append(keys, key)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, key := range keys {
			if !locale.NewPrinter(lang).Has(key) {
				t.Errorf("%s lacks %q", lang, key)
			}
		}
	}
	for class, reply := range errorReplies {
		if _, ok := statusTitles[reply.status]; !ok {
			t.Errorf("%s answers %d, which has no title", class, reply.status)
		}
	}
}

// TestOneStatusPerErrorClass: pages, forms and the API answer an error of
// one class with one status; a duplicate policy is 409 everywhere.
func TestOneStatusPerErrorClass(t *testing.T) {
	for class, want := range map[policywatch.ErrorClass]int{
		policywatch.ErrNotFound:      404,
		policywatch.ErrInvalid:       400,
		policywatch.ErrBadURL:        400,
		policywatch.ErrAlreadyExists: 409,
		policywatch.ErrUnsupported:   503,
		policywatch.ErrInternal:      500,
		policywatch.ErrNetwork:       500,
	} {
		if got := replyTo(policywatch.Errorf(class, "x")).status; got != want {
			t.Errorf("%s: %d, want %d", class, got, want)
		}
	}
	if got := replyTo(fmt.Errorf("unclassed")).status; got != 500 {
		t.Errorf("an unclassed error: %d, want 500", got)
	}

	f := newFixture(t, Options{})
	c := client()
	login(t, f, c)
	csrf := formToken(t, c, f.http.URL+"/policies/new")
	duplicate := url.Values{"csrf": {csrf}, "url": {"https://www.example.com/zeekr"}, "name": {"极氪个人信息保护政策"},
		"platform": {"极氪"}, "kind": {"privacy"}, "render": {"auto"}, "every": {"1d"}}
	for _, lang := range []string{"zh", "en"} {
		resp, err := c.PostForm(f.http.URL+"/policies?lang="+lang, duplicate)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := map[string]string{"zh": "已经存在：", "en": "Already exists: "}[lang]
		if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), want) || !strings.Contains(string(body), `name="url"`) {
			t.Errorf("form duplicate (%s): status %d, want 409 and the form again saying %q", lang, resp.StatusCode, want)
		}
	}
	body := `{"url": "https://www.example.com/zeekr", "name": "极氪个人信息保护政策", "platform": "极氪"}`
	if code, obj, _ := apiDo(t, f, "POST", "/api/v1/policies", testToken, body); code != 409 || obj["class"] != "already_exists" {
		t.Errorf("API duplicate: %d %v", code, obj)
	}
}

// TestChecksUnavailable: a server without a checker answers "check now"
// with 503 on the page and in the API, in the page's language.
func TestChecksUnavailable(t *testing.T) {
	withChecker := newFixture(t, Options{})
	s, err := New(withChecker.store, Options{AdminToken: testToken})
	if err != nil {
		t.Fatal(err)
	}
	f := *withChecker
	f.server, f.http = s, httptest.NewServer(s)
	t.Cleanup(f.http.Close)
	id := fmt.Sprint(f.evilPolicy)
	code, obj, _ := apiDo(t, &f, "POST", "/api/v1/policies/"+id+"/check", testToken, "")
	if code != 503 || obj["class"] != "unsupported" || obj["error"] != "checks are not available on this server" {
		t.Errorf("API: %d %v", code, obj)
	}
	c := client()
	login(t, &f, c)
	csrf := formToken(t, c, f.http.URL+"/policies/new")
	resp, err := c.PostForm(f.http.URL+"/policies/"+id+"/check", url.Values{"csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(page), "此服务器未启用检查") || !strings.Contains(string(page), "<h1>暂不可用</h1>") {
		t.Errorf("page: %d", resp.StatusCode)
	}
}
