package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// verifyHMAC recomputes an HmacSHA256 signature independently of the code
// under test.
func verifyHMAC(t *testing.T, what, key, message, sign string) {
	t.Helper()
	got, err := base64.StdEncoding.DecodeString(sign)
	if err != nil {
		t.Fatalf("%s sign %q is not base64: %v", what, sign, err)
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(message))
	if !hmac.Equal(got, mac.Sum(nil)) {
		t.Errorf("%s signature %q does not verify", what, sign)
	}
}

func TestDingTalk(t *testing.T) {
	srv := newRecorder(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	const secret = "SEC0123456789abcdef"
	before := time.Now()
	if err := send(t, srv.URL+"/robot/send?access_token=tok&secret="+secret, "dingtalk", change()); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	q := req.Query
	if q["access_token"][0] != "tok" {
		t.Errorf("access_token = %q", q["access_token"])
	}
	if _, ok := q["secret"]; ok {
		t.Error("the secret was sent to the robot")
	}
	ts := q.Get("timestamp")
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || ms < before.UnixMilli() || ms > time.Now().UnixMilli() {
		t.Errorf("timestamp %q is not now in milliseconds", ts)
	}
	verifyHMAC(t, "dingtalk", secret, ts+"\n"+secret, q.Get("sign"))

	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Title, Text string }
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.MsgType != "markdown" || body.Markdown.Title == "" {
		t.Errorf("msgtype %q title %q", body.MsgType, body.Markdown.Title)
	}
	for _, want := range []string{"微信", "《隐私政策》", "重大变更", "新增向第三方共享位置信息。",
		"[查看对比](https://pw.example/policies/12/compare?from=34&to=35)", "34 → 35"} {
		if !strings.Contains(body.Markdown.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, body.Markdown.Text)
		}
	}
}

func TestDingTalkWithoutSecretDoesNotSign(t *testing.T) {
	srv := newRecorder(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	if err := send(t, srv.URL+"/robot/send?access_token=tok", "dingtalk", change()); err != nil {
		t.Fatal(err)
	}
	q := srv.only(t).Query
	if _, ok := q["sign"]; ok {
		t.Errorf("signed without a secret: %v", q)
	}
}

func TestRobotAnswers(t *testing.T) {
	tests := []struct {
		format, answer string
		ok, permanent  bool
	}{
		{"dingtalk", `{"errcode":0,"errmsg":"ok"}`, true, false},
		{"dingtalk", `{"errcode":310000,"errmsg":"sign not match"}`, false, true},
		{"dingtalk", `{"errcode":300001,"errmsg":"token is not exist"}`, false, true},
		{"dingtalk", `{"errcode":130101,"errmsg":"send too fast"}`, false, false},
		{"dingtalk", `<html>busy</html>`, false, false},
		{"dingtalk", `{}`, false, false},
		{"wecom", `{"errcode":0,"errmsg":"ok"}`, true, false},
		{"wecom", `{"errcode":93000,"errmsg":"invalid webhook url"}`, false, true},
		{"wecom", `{"errcode":45009,"errmsg":"api freq out of limit"}`, false, false},
		{"feishu", `{"code":0,"msg":"success","data":{}}`, true, false},
		{"feishu", `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`, true, false},
		{"feishu", `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`, false, true},
		{"feishu", `{"code":19024,"msg":"Key Words Not Found"}`, false, true},
		{"feishu", `{"code":11232,"msg":"frequency limited"}`, false, false},
		{"feishu", `{"msg":"?"}`, false, false},
		// Plain JSON receivers are judged by status alone.
		{"json", `{"errcode":310000}`, true, false},
	}
	for _, tt := range tests {
		srv := newRecorder(t, 200, tt.answer)
		err := send(t, srv.URL, tt.format, change())
		if (err == nil) != tt.ok || IsPermanent(err) != tt.permanent {
			t.Errorf("%s answering %s: err = %v (permanent %v), want ok %v permanent %v",
				tt.format, tt.answer, err, IsPermanent(err), tt.ok, tt.permanent)
		}
	}
}

func TestFeishu(t *testing.T) {
	srv := newRecorder(t, 200, `{"code":0,"msg":"success"}`)
	const secret = "fs-secret"
	before := time.Now().Unix()
	if err := send(t, srv.URL+"/open-apis/bot/v2/hook/abc?secret="+secret, "feishu", change()); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	if req.Path != "/open-apis/bot/v2/hook/abc" || len(req.Query) != 0 {
		t.Errorf("sent to %s?%v, want the hook without secret", req.Path, req.Query)
	}
	var body struct {
		Timestamp string `json:"timestamp"`
		Sign      string `json:"sign"`
		MsgType   string `json:"msg_type"`
		Content   struct {
			Post map[string]struct {
				Title   string            `json:"title"`
				Content [][]feishuElement `json:"content"`
			} `json:"post"`
		} `json:"content"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	sec, err := strconv.ParseInt(body.Timestamp, 10, 64)
	if err != nil || sec < before || sec > time.Now().Unix() {
		t.Errorf("timestamp %q is not now in seconds", body.Timestamp)
	}
	// Feishu's scheme: the key is "timestamp\nsecret", the message empty.
	verifyHMAC(t, "feishu", body.Timestamp+"\n"+secret, "", body.Sign)

	post, ok := body.Content.Post["zh_cn"]
	if body.MsgType != "post" || !ok {
		t.Fatalf("msg_type %q, post %v: want a zh_cn post", body.MsgType, body.Content.Post)
	}
	if !strings.Contains(post.Title, "重大变更") {
		t.Errorf("title %q lacks the level", post.Title)
	}
	var text strings.Builder
	var hrefs []string
	for _, line := range post.Content {
		for _, el := range line {
			text.WriteString(el.Text + "\n")
			if el.Tag == "a" {
				hrefs = append(hrefs, el.Href)
			}
		}
	}
	for _, want := range []string{"变更级别：重大变更", "新增向第三方共享位置信息。", "微信《隐私政策》"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("post lacks %q:\n%s", want, text.String())
		}
	}
	if len(hrefs) == 0 || hrefs[0] != change().CompareURL {
		t.Errorf("links %v, want the compare page first", hrefs)
	}
}

func TestWeCom(t *testing.T) {
	srv := newRecorder(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	if err := send(t, srv.URL+"/cgi-bin/webhook/send?key=k1", "wecom", change()); err != nil {
		t.Fatal(err)
	}
	req := srv.only(t)
	if req.Query["key"][0] != "k1" {
		t.Errorf("key = %v", req.Query["key"])
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.MsgType != "markdown" {
		t.Errorf("msgtype %q", body.MsgType)
	}
	for _, want := range []string{`<font color="warning">重大变更</font>`, "微信《隐私政策》",
		"[查看对比](https://pw.example/policies/12/compare?from=34&to=35)"} {
		if !strings.Contains(body.Markdown.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, body.Markdown.Content)
		}
	}
}

func TestWeComFitsItsLimit(t *testing.T) {
	srv := newRecorder(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	m := change()
	m.Summary = strings.Repeat("很长的摘要。", 2000)
	if err := send(t, srv.URL, "wecom", m); err != nil {
		t.Fatal(err)
	}
	var body struct{ Markdown struct{ Content string } }
	json.Unmarshal(srv.only(t).Body, &body)
	if n := len(body.Markdown.Content); n > 4096 {
		t.Errorf("content is %d bytes, WeCom takes 4096", n)
	}
	if !strings.Contains(body.Markdown.Content, "[查看对比](") {
		t.Error("clipping the summary lost the link")
	}
}

func TestAutoFormatUsesHost(t *testing.T) {
	// Auto cannot reach the real robot hosts from a test; what it picks is
	// covered by TestNewWebhookFormat. Here: auto on any other host is JSON.
	srv := newRecorder(t, 200, "")
	if err := send(t, srv.URL, "auto", change()); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(srv.only(t).Body, &got); err != nil || got["policy_id"] != "12" {
		t.Errorf("auto on a plain host did not send the JSON contract: %v %v", got, err)
	}
}
