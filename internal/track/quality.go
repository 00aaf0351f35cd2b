package track

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
)

// wallMaxRunes: interstitials (captchas, rate-limit and error pages) are
// short. A real policy may mention "验证码" or "captcha" (SDK lists name
// captcha SDKs), so the phrases below only count on short pages.
const wallMaxRunes = 1000

// botWallPhrases mark captcha and anti-bot pages, Chinese and English.
var botWallPhrases = []string{
	"安全验证", "滑块验证", "拖动滑块", "向右滑动", "访问过于频繁", "访问频繁", "人机验证", "请完成验证",
	"请输入验证码", "环境异常", "异常访问", "请求过于频繁", "操作频繁", "验证后继续访问", "网络安全检测",
	"captcha", "just a moment", "checking your browser", "access denied", "attention required",
	"are you a robot", "unusual traffic", "verify you are human", "bot detection", "request blocked",
	"enable javascript and cookies to continue", "ddos protection",
}

// errorPagePhrases mark error pages served with status 200 ("soft 404s").
var errorPagePhrases = []string{
	"页面不存在", "页面找不到", "找不到页面", "您访问的页面不存在", "页面已删除", "404 not found", "page not found",
	"服务器错误", "系统繁忙", "internal server error", "service unavailable", "502 bad gateway",
}

// strongTitles are page titles that are interstitials whatever the text.
var strongTitles = []string{"just a moment", "attention required", "access denied", "安全验证", "验证码", "人机验证"}

// judge rejects extracted text that is not a policy: bot walls, error pages
// and (near-)empty pages. norm and key are the text's normalized form and
// comparison key.
func judge(norm, key, title string, minChars int) error {
	runes := utf8.RuneCountInString(key)
	lowerTitle := strings.ToLower(title)
	for _, t := range strongTitles {
		if strings.Contains(lowerTitle, t) {
			return policywatch.Errorf(policywatch.ErrBotWall, "the site answered with a bot check (title %q), not the policy", title)
		}
	}
	if runes < wallMaxRunes {
		lower := strings.ToLower(norm + " " + title)
		for _, p := range botWallPhrases {
			if strings.Contains(lower, p) {
				return policywatch.Errorf(policywatch.ErrBotWall, "the site answered with a bot check or captcha (%q), not the policy", p)
			}
		}
		for _, p := range errorPagePhrases {
			if strings.Contains(lower, p) {
				return policywatch.Errorf(policywatch.ErrHTTPStatus, "the page is an error page (%q) although its status was OK", p)
			}
		}
	}
	if runes < minChars {
		return policywatch.Errorf(policywatch.ErrEmpty, "only %d characters of text, fewer than the %d a policy needs: an empty or error page?", runes, minChars)
	}
	return nil
}

// shrankSharply reports a text that lost most of its length: a truncated or
// partial page more often than a real rewrite.
func shrankSharply(newChars, oldChars int, ratio float64) bool {
	return oldChars > 0 && float64(newChars) < ratio*float64(oldChars)
}

func shrinkError(newChars, oldChars int) error {
	return policywatch.Errorf(policywatch.ErrSuspicious,
		"the text shrank from %d to %d characters (%.0f%% less); held until the next check confirms it",
		oldChars, newChars, 100*(1-float64(newChars)/float64(oldChars)))
}

// describe names a policy for people: platform/name.
func describe(p *policywatch.Policy) string { return p.Platform + "/" + p.Name }
