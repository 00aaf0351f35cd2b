package locale

// errorMessages are the messages of errors about what a user typed or
// uploaded (policywatch.Errorl): the command line and the API show the
// English text, the web UI the reader's language.
func errorMessages() messages {
	return messages{
		"zh": {
			"invalid.interval.syntax": "检查间隔 %q 无法识别：请写成 24h、30m 或 7d 这样的形式",
			"invalid.interval.short":  "检查间隔 %s 太短：两次检查之间至少 %s",
			"invalid.interval.long":   "检查间隔 %s 太长：两次检查之间至多 %d 天",
			"invalid.url":             "网址 %q 无效：%v",
			"invalid.url.scheme":      "网址 %q 无效：只能抓取 http 和 https 网址",
			"invalid.url.host":        "网址 %q 无效：缺少主机名",
			"invalid.selector":        "CSS 选择器 %q 无法解析：%v",
			"invalid.policy.name":     "政策需要一个名称",
			"invalid.policy.platform": "政策需要所属平台",
			"invalid.policy.kind":     "未知的政策类型 %q（可选 privacy、children、sdk 或 terms）",
			"invalid.policy.render":   "未知的渲染方式 %q（可选 auto、http 或 browser）",
			"invalid.capture.early":   "抓取时间 %s 早于 %d 年，不可能是真实的抓取",
			"invalid.capture.future":  "抓取时间 %s 在未来",
			"invalid.level":           "未知的变更等级 %q（可选 %s）",
		},
		"en": {
			"invalid.interval.syntax": "check interval %q: want e.g. 24h, 30m or 7d",
			"invalid.interval.short":  "check interval %s: at least %s between checks",
			"invalid.interval.long":   "check interval %s: at most %d days between checks",
			"invalid.url":             "invalid URL %q: %v",
			"invalid.url.scheme":      "invalid URL %q: only http and https are fetched",
			"invalid.url.host":        "invalid URL %q: no host",
			"invalid.selector":        "CSS selector %q does not parse: %v",
			"invalid.policy.name":     "a policy needs a name",
			"invalid.policy.platform": "a policy needs a platform",
			"invalid.policy.kind":     "unknown kind %q (want privacy, children, sdk or terms)",
			"invalid.policy.render":   "unknown render mode %q (want auto, http or browser)",
			"invalid.capture.early":   "capture time %s is before %d: not a real capture",
			"invalid.capture.future":  "capture time %s is in the future",
			"invalid.level":           "unknown level %q (want %s)",
		},
	}
}
