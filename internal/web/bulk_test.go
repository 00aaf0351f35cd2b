package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
)

// postForm posts a form and returns the status, the redirect and the body.
func postForm(t *testing.T, c *http.Client, u string, v url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

func TestDeleteFromThePolicyPage(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	pagePath := fmt.Sprintf("/policies/%d", f.evilPolicy)
	page := f.http.URL + pagePath
	confirm := page + "/delete"

	// Anonymous readers see no delete action and cannot reach it.
	if _, _, body := f.get(pagePath); strings.Contains(body, "/delete") {
		t.Error("the delete action is shown to anonymous readers")
	}
	c := client()
	if resp, _ := c.Get(confirm); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("confirmation page without login: %d", resp.StatusCode)
	}
	if code, _, _ := postForm(t, c, confirm, url.Values{}); code != http.StatusForbidden {
		t.Errorf("anonymous delete: %d", code)
	}

	login(t, f, c)
	resp, err := c.Get(page + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), fmt.Sprintf(`href="/policies/%d/delete?lang=en"`, f.evilPolicy)) {
		t.Error("no delete action on the policy page for the admin")
	}
	// The confirmation step says what goes, in the reader's language, and
	// posts with the CSRF token.
	for lang, want := range map[string]string{"zh": "全部 1 个版本", "en": "with its 1 version, snapshots"} {
		resp, err := c.Get(confirm + "?lang=" + lang)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) || !strings.Contains(string(body), "恶意") ||
			!strings.Contains(string(body), `method="post"`) {
			t.Errorf("confirmation (%s): %d, want %q", lang, resp.StatusCode, want)
		}
	}
	csrf := formToken(t, c, confirm)
	if code, _, _ := postForm(t, c, confirm, url.Values{}); code != http.StatusForbidden {
		t.Errorf("delete without CSRF token: %d", code)
	}
	if _, err := f.store.FindPolicy(ctx, f.evilPolicy); err != nil {
		t.Fatalf("deleted before confirmation: %v", err)
	}
	code, location, _ := postForm(t, c, confirm, url.Values{"csrf": {csrf}})
	if code != http.StatusSeeOther || location != "/" {
		t.Errorf("delete: %d → %s", code, location)
	}
	if _, err := f.store.FindPolicy(ctx, f.evilPolicy); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("policy still there: %v", err)
	}
	if _, err := f.store.FindVersion(ctx, f.evilVersion); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("version still there: %v", err)
	}
	if code, _, _ := f.get(fmt.Sprintf("/versions/%d", f.evilVersion)); code != http.StatusNotFound {
		t.Errorf("the deleted version's page: %d", code)
	}
	if code, _, _ := postForm(t, c, confirm, url.Values{"csrf": {csrf}}); code != http.StatusNotFound {
		t.Errorf("deleting again: %d", code)
	}
}

func TestAPIDelete(t *testing.T) {
	f := newFixture(t, Options{})
	path := fmt.Sprintf("/api/v1/policies/%d", f.evilPolicy)
	if code, obj, _ := apiDo(t, f, "DELETE", path, "", ""); code != http.StatusUnauthorized {
		t.Errorf("without token: %d %v", code, obj)
	}
	code, obj, _ := apiDo(t, f, "DELETE", path, testToken, "")
	if code != http.StatusOK || obj["id"] != fmt.Sprint(f.evilPolicy) || obj["platform"] != "恶意" {
		t.Errorf("delete: %d %v", code, obj)
	}
	if code, obj, _ := apiDo(t, f, "GET", path, "", ""); code != http.StatusNotFound || obj["class"] != "not_found" {
		t.Errorf("after delete: %d %v", code, obj)
	}
	if code, obj, _ := apiDo(t, f, "DELETE", path, testToken, ""); code != http.StatusNotFound || obj["class"] != "not_found" {
		t.Errorf("delete again: %d %v", code, obj)
	}
}

const importCSV = `url,name,platform,remove
https://www.example.com/a,隐私政策,示例,.ad|.nav
https://www.example.com/b,用户协议,示例,
ftp://www.example.com/c,坏网址,示例,
https://www.example.com/a,重复网址,别的,
`

func TestImportForm(t *testing.T) {
	f := newFixture(t, Options{})
	importURL := f.http.URL + "/policies/import"
	c := client()
	if resp, _ := c.Get(importURL); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("import form without login: %d", resp.StatusCode)
	}
	login(t, f, c)
	csrf := formToken(t, c, importURL)

	// Pasted, in Chinese: the rows added, and each row skipped with its
	// line and reason in Chinese.
	code, _, body := postForm(t, c, importURL+"?lang=zh", url.Values{"csrf": {csrf}, "text": {importCSV}})
	if code != http.StatusOK {
		t.Fatalf("import: %d\n%s", code, body)
	}
	for _, want := range []string{"已添加 2 个政策，跳过 2 行。", "只能抓取 http 和 https 网址", "已作为政策", "<td class=\"num\">4</td>", "<td class=\"num\">5</td>", "示例 · 隐私政策"} {
		if !strings.Contains(body, want) {
			t.Errorf("Chinese result lacks %q", want)
		}
	}
	p, err := f.store.FindPolicyByName(context.Background(), "示例", "隐私政策")
	if err != nil || strings.Join(p.Remove, ",") != ".ad,.nav" {
		t.Fatalf("imported policy: %+v, %v", p, err)
	}

	// Uploaded JSON lines, in English: one good row, one duplicate of the
	// rows above.
	jsonl := `{"url": "https://www.example.com/d", "name": "Privacy", "platform": "Example"}
{"url": "https://www.example.com/b", "name": "Terms", "platform": "Example"}
`
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("text", "")
	fw, _ := mw.CreateFormFile("file", "policies.jsonl")
	fw.Write([]byte(jsonl))
	mw.Close()
	resp, err := c.Post(importURL+"?lang=en", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Policies added: 1. Rows skipped: 1.", "https://www.example.com/b is already tracked as policy", "<td class=\"num\">2</td>"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("English upload result lacks %q:\n%s", want, raw)
		}
	}

	// A file that cannot be read as a whole: the form again with the
	// reason, nothing added.
	code, _, body = postForm(t, c, importURL+"?lang=en", url.Values{"csrf": {csrf}, "text": {"url,name\nhttps://x.example/,x\n"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "no platform column") || !strings.Contains(body, "url,name\nhttps://x.example/,x") {
		t.Errorf("bad header: %d", code)
	}
	if _, err := f.store.FindPolicyByName(context.Background(), "Example", "Privacy"); err != nil {
		t.Errorf("uploaded policy: %v", err)
	}
}

// TestImportDeclarationsForm: Open Terms Archive declarations uploaded
// with the rest of a collection's folder become policies; what a policy
// leaves out is noted, a declaration that cannot be read is skipped with
// its file named, and histories are passed over.
func TestImportDeclarationsForm(t *testing.T) {
	f := newFixture(t, Options{})
	importURL := f.http.URL + "/policies/import"
	c := client()
	login(t, f, c)
	csrf := formToken(t, c, importURL)

	files := map[string]string{
		"WeChat.json": `{"name": "WeChat", "terms": {
			"Terms of Service": {"fetch": "https://www.wechat.com/en/service_terms.html", "select": "#agreement",
				"remove": [".print-button"], "filter": ["removeTrackingParams"]},
			"Community Guidelines": {"select": ".article", "combine": [
				{"fetch": "https://www.wechat.com/en/community/part-1.html"},
				{"fetch": "https://www.wechat.com/en/community/part-2.html", "executeClientScripts": true}]}}}`,
		"Broken.json":         `{"name": "Broken", "terms": {`,
		"WeChat.history.json": `{"not": "a declaration"}`,
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	for _, name := range []string{"Broken.json", "WeChat.history.json", "WeChat.json"} {
		fw, _ := mw.CreateFormFile("declarations", name)
		fw.Write([]byte(files[name]))
	}
	mw.Close()
	resp, err := c.Post(importURL+"?lang=zh", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(raw)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"已添加 3 个政策，跳过 1 行。", "<td class=\"num\">Broken.json</td>", "无法读取声明",
		"WeChat.json: Terms of Service：过滤函数（removeTrackingParams）不会执行", "WeChat · WeChat Community Guidelines (2/2)"} {
		if !strings.Contains(body, want) {
			t.Errorf("result lacks %q:\n%s", want, body)
		}
	}
	p, err := f.store.FindPolicyByName(context.Background(), "WeChat", "WeChat Community Guidelines (2/2)")
	if err != nil || p.Render != policywatch.RenderBrowser || p.Select != ".article" {
		t.Errorf("combined part: %+v, %v", p, err)
	}
	if _, err := f.store.FindPolicyByName(context.Background(), "WeChat", "WeChat Terms of Service"); err != nil {
		t.Errorf("terms of service: %v", err)
	}
}
