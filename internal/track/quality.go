package track

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
)

// wallMaxRunes: interstitials (captchas, rate-limit and error pages) are
// short. Below it a challenge phrase is enough; above it the page must
// also not read as a policy (a captcha vendor's own policy says 验证码 on
// every line, an SDK list names captcha SDKs).
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

// wallTitles are page titles of interstitials.
var wallTitles = []string{"just a moment", "attention required", "access denied", "安全验证", "验证码", "人机验证"}

// policyWords are what a privacy policy or terms of service keeps saying.
var policyWords = []string{"个人信息", "隐私", "收集", "使用", "共享", "同意", "权利", "保护", "账号", "服务", "用户",
	"personal", "privacy", "collect", "information", "consent", "rights", "terms", "data", "service"}

// page is what the judge reads of an extracted page.
type page struct {
	norm, key, title string
	challenge        int // captcha widgets and scripts in the markup
	prevChars        int // characters of the policy's latest version (0 if none)
}

// judge rejects extracted text that is not a policy: bot walls, error pages
// and (near-)empty pages. A bot wall is judged by what the page is — its
// challenge phrasing, title and markup, whether it reads as a policy at
// all, its size against the version before — and not by length alone.
func judge(pg page, minChars int) error {
	runes := utf8.RuneCountInString(pg.key)
	lower := strings.ToLower(pg.norm + " " + pg.title)
	policyLike := readsAsPolicy(lower, runes)
	if t := matchAny(strings.ToLower(pg.title), wallTitles); t != "" && !policyLike {
		return policywatch.Errorf(policywatch.ErrBotWall, "the site answered with a bot check (title %q), not the policy", pg.title)
	}
	phrase := matchAny(lower, botWallPhrases)
	switch {
	case phrase != "" && (runes < wallMaxRunes || !policyLike):
		return policywatch.Errorf(policywatch.ErrBotWall, "the site answered with a bot check or captcha (%q), not the policy", phrase)
	case phrase != "" && pg.prevChars > 0 && runes*3 < pg.prevChars:
		return policywatch.Errorf(policywatch.ErrBotWall,
			"the site answered with a bot check or captcha (%q) a third the size of the policy, not the policy", phrase)
	case pg.challenge > 0 && !policyLike:
		return policywatch.Errorf(policywatch.ErrBotWall, "the site answered with a captcha or anti-bot challenge, not the policy")
	}
	if runes < wallMaxRunes {
		if p := matchAny(lower, errorPagePhrases); p != "" {
			return policywatch.Errorf(policywatch.ErrHTTPStatus, "the page is an error page (%q) although its status was OK", p)
		}
	}
	if runes < minChars {
		return policywatch.Errorf(policywatch.ErrEmpty, "only %d characters of text, fewer than the %d a policy needs: an empty or error page?", runes, minChars)
	}
	return nil
}

// readsAsPolicy reports a text long enough, and with enough of a policy's
// vocabulary, to be one: at least five of its words, twenty times in all,
// in at least 800 characters.
func readsAsPolicy(lower string, runes int) bool {
	if runes < 800 {
		return false
	}
	distinct, total := 0, 0
	for _, w := range policyWords {
		if n := strings.Count(lower, w); n > 0 {
			distinct++
			total += n
		}
	}
	return distinct >= 5 && total >= 20
}

func matchAny(s string, words []string) string {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w
		}
	}
	return ""
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
