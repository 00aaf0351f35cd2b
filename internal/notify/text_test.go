package notify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
)

func TestTexts(t *testing.T) {
	failing := Message{Event: policywatch.EventFailing, PolicyID: 3, Policy: "隐私政策", Platform: "微信",
		URL: "https://weixin.example/privacy", Error: "HTTP 503 Service Unavailable"}
	recovered := failing
	recovered.Event, recovered.Error = policywatch.EventRecovered, ""
	classified := failing
	classified.ErrorClass = policywatch.ErrHTTPStatus
	classifiedEn := classified
	classifiedEn.Lang = "en"
	en := change()
	en.Lang = "en"
	numbered := change()
	numbered.FromNumber, numbered.ToNumber = 3, 4
	noName := change()
	noName.Policy, noName.Platform, noName.Summary, noName.CompareURL = "", "", "", ""

	tests := []struct {
		name      string
		m         Message
		title     string
		want      []string
		wantNot   []string
		wantLinks int
	}{
		{"change", change(), "微信 · 隐私政策 — 重大变更",
			[]string{"微信《隐私政策》发布了新版本", "变更级别：重大变更", "版本：34 → 35", "摘要：新增向第三方共享位置信息。",
				"查看对比：https://pw.example/policies/12/compare?from=34&to=35", "政策原文：https://weixin.example/privacy"},
			nil, 2},
		{"failing", failing, "监测失败 — 微信 · 隐私政策",
			[]string{"监测失败：微信《隐私政策》连续检查失败：HTTP 503 Service Unavailable", "政策原文："},
			[]string{"变更级别"}, 1},
		// A classified failure is named in the reader's language, the
		// recorded English message kept apart.
		{"failing classified", classified, "监测失败 — 微信 · 隐私政策",
			[]string{"连续检查失败：网站返回了错误页面或错误状态", "原始信息：HTTP 503 Service Unavailable"},
			[]string{"失败：HTTP 503"}, 1},
		{"failing classified en", classifiedEn, "Monitoring failing — 微信 · 隐私政策",
			[]string{"keeps failing: ", "Original message: HTTP 503 Service Unavailable"},
			[]string{"原始信息", "网站返回"}, 1},
		{"recovered", recovered, "已恢复 — 微信 · 隐私政策",
			[]string{"已恢复：微信《隐私政策》重新检查正常"}, []string{"失败"}, 1},
		{"english", en, "微信 · 隐私政策 — major",
			[]string{"微信 “隐私政策” has a new version", "Level: major", "Versions: 34 → 35", "Compare versions: https://pw.example/"},
			[]string{"变更级别", "查看对比"}, 2},
		// Versions are named as the pages name them when their places in
		// the history are known; by their ids otherwise (above).
		{"numbered", numbered, "微信 · 隐私政策 — 重大变更", []string{"版本：v3 → v4"}, []string{"34 → 35"}, 2},
		// Unknown parts are left out, not printed as empty labels.
		{"bare", noName, "#12 — 重大变更", []string{"《#12》发布了新版本"}, []string{"摘要", "查看对比", " · "}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compose(tt.m, 0)
			if c.Title != tt.title {
				t.Errorf("title %q, want %q", c.Title, tt.title)
			}
			text := c.plain()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(text, w) {
					t.Errorf("text has %q:\n%s", w, text)
				}
			}
			if len(c.Links) != tt.wantLinks {
				t.Errorf("%d links, want %d", len(c.Links), tt.wantLinks)
			}
		})
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"short", 0, "short"},
		{"abcdefghij", 6, "abc…"},
		{"变更变更变更", 10, "变更…"}, // never cuts a character in half
		{"变更变更变更", 2, "…"},
	}
	for _, tt := range tests {
		got := clip(tt.s, tt.max)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}
