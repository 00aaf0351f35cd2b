package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/policywatch/policywatch/internal/locale"
)

// Group robots of Chinese chat apps: they answer HTTP 200 even when they
// refuse a message, so success is read from the answer's code.

// dingtalkPermanent are DingTalk errcodes that mean the robot's settings
// refuse us (signature, keywords, IP allow-list: 310000; unknown or removed
// token: 300001, 300005); sending again cannot help until someone edits the
// subscription. Others, such as 130101 (sent too fast), may pass later.
var dingtalkPermanent = map[int]bool{300001: true, 300005: true, 310000: true}

// wecomPermanent: 93000 is an invalid or removed webhook key; 40008, 40058
// and 44004 reject the message itself (type, parameters, empty content),
// which the same message will repeat. 45009 (rate limit) may pass later.
var wecomPermanent = map[int]bool{93000: true, 40008: true, 40058: true, 44004: true}

// feishuPermanent: 19001 invalid token, 19021 bad signature or clock skew,
// 19022 IP not allowed, 19024 keyword missing, 9499 bad request. 11232
// (rate limit) may pass later.
var feishuPermanent = map[int]bool{19001: true, 19021: true, 19022: true, 19024: true, 9499: true}

// dingtalkSign is the signature DingTalk checks: base64 of HmacSHA256 with
// the secret as key over "timestamp\nsecret" (the URL encoding it asks for
// is done by url.Values).
func dingtalkSign(timestamp, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// feishuSign is the signature Feishu/Lark checks: unlike DingTalk, the
// HMAC's key is "timestamp\nsecret" and the signed message is empty.
func feishuSign(timestamp, secret string) string {
	mac := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func dingtalkBody(m Message, secret string, now time.Time) (any, url.Values) {
	c := compose(m, robotLimit)
	var b strings.Builder
	b.WriteString("#### " + c.Title + "\n\n")
	// DingTalk's markdown joins lines separated by a single newline.
	if c.KeyLead {
		b.WriteString("**" + c.Lead + "**\n\n")
	} else {
		b.WriteString(c.Lead + "\n\n")
	}
	for _, f := range c.Fields {
		v := f.Value
		if f.Key {
			v = "**" + v + "**"
		}
		b.WriteString(f.Label + c.colon + v + "\n\n")
	}
	b.WriteString(mdLinks(c.Links, "  "))
	body := map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]string{"title": c.Title, "text": strings.TrimSpace(b.String())},
	}
	if secret == "" {
		return body, nil
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	return body, url.Values{"timestamp": {ts}, "sign": {dingtalkSign(ts, secret)}}
}

func wecomBody(m Message, _ string, _ time.Time) (any, url.Values) {
	c := compose(m, robotLimit)
	color := map[tone]string{toneQuiet: "comment", toneAlert: "warning", toneGood: "info"}[c.Tone]
	font := func(s string) string { return `<font color="` + color + `">` + s + `</font>` }
	var b strings.Builder
	b.WriteString("**" + c.Title + "**\n")
	if c.KeyLead {
		b.WriteString(font(c.Lead) + "\n")
	} else {
		b.WriteString(c.Lead + "\n")
	}
	for _, f := range c.Fields {
		v := f.Value
		if f.Key {
			v = font(v)
		}
		// Keep a multi-line summary inside the quote block.
		b.WriteString("> " + f.Label + c.colon + strings.ReplaceAll(v, "\n", "\n> ") + "\n")
	}
	b.WriteString(mdLinks(c.Links, "\n"))
	text := clip(strings.TrimSpace(b.String()), 4096)
	return map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": text}}, nil
}

type feishuElement struct {
	Tag  string `json:"tag"`
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

// feishuLang is Feishu's name of each language of the catalogue.
var feishuLang = map[string]string{"zh": "zh_cn", "en": "en_us"}

func feishuBody(m Message, secret string, now time.Time) (any, url.Values) {
	c := compose(m, robotLimit)
	var lines [][]feishuElement
	text := func(s string) { lines = append(lines, []feishuElement{{Tag: "text", Text: s}}) }
	text(c.Lead)
	for _, f := range c.Fields {
		text(f.Label + c.colon + f.Value)
	}
	for _, k := range c.Links {
		lines = append(lines, []feishuElement{{Tag: "a", Text: k.Text, Href: k.URL}})
	}
	lang := feishuLang[locale.Normalize(m.Lang)]
	body := map[string]any{
		"msg_type": "post",
		"content": map[string]any{"post": map[string]any{
			lang: map[string]any{"title": c.Title, "content": lines},
		}},
	}
	if secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		body["timestamp"] = ts
		body["sign"] = feishuSign(ts, secret)
	}
	return body, nil
}

// mdLinks renders links as markdown, escaping what would end the link early.
func mdLinks(links []link, sep string) string {
	esc := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29")
	parts := make([]string, len(links))
	for i, k := range links {
		parts[i] = "[" + k.Text + "](" + esc.Replace(k.URL) + ")"
	}
	return strings.Join(parts, sep)
}

// errcodeAnswer reads the {"errcode":0,"errmsg":"ok"} answer of DingTalk and
// WeCom robots.
func errcodeAnswer(robot string, permanent map[int]bool) func([]byte) error {
	return func(body []byte) error {
		var a struct {
			ErrCode *int   `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		if err := json.Unmarshal(body, &a); err != nil || a.ErrCode == nil {
			return fmt.Errorf("notify: %s robot gave an unexpected answer%s", robot, excerpt(body))
		}
		return robotError(robot, *a.ErrCode, a.ErrMsg, permanent)
	}
}

// feishuAnswer reads Feishu/Lark's {"code":0,"msg":"success"}, or the older
// {"StatusCode":0,"StatusMessage":"success"}.
func feishuAnswer(body []byte) error {
	var a struct {
		Code          *int   `json:"code"`
		Msg           string `json:"msg"`
		StatusCode    *int   `json:"StatusCode"`
		StatusMessage string `json:"StatusMessage"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("notify: feishu robot gave an unexpected answer%s", excerpt(body))
	}
	switch {
	case a.Code != nil:
		return robotError("feishu", *a.Code, a.Msg, feishuPermanent)
	case a.StatusCode != nil:
		return robotError("feishu", *a.StatusCode, a.StatusMessage, feishuPermanent)
	}
	return fmt.Errorf("notify: feishu robot gave an unexpected answer%s", excerpt(body))
}

func robotError(robot string, code int, msg string, permanent map[int]bool) error {
	if code == 0 {
		return nil
	}
	err := fmt.Errorf("notify: %s robot refused the message: code %d: %s", robot, code, msg)
	if permanent[code] {
		return Permanent(err)
	}
	return err
}
