package locale

// notifyMessages are the notifications' texts (e-mail, robots, webhooks'
// human-readable parts). notify.name names a policy in a sentence
// (platform, then policy), notify.name.noplatform when the platform is
// unknown; notify.colon goes between a label and its value.
func notifyMessages() messages {
	return messages{
		"zh": {
			"notify.name":            "%s《%s》",
			"notify.name.noplatform": "《%s》",
			"notify.colon":           "：",
			"notify.newversion":      "%s发布了新版本",
			"notify.failing":         "监测失败：%s连续检查失败",
			"notify.failing.title":   "监测失败",
			"notify.recovered":       "已恢复：%s重新检查正常",
			"notify.recovered.title": "已恢复",
			"notify.level":           "变更级别",
			"notify.versions":        "版本",
			"notify.summary":         "摘要",
			"notify.compare":         "查看对比",
			"notify.source":          "政策原文",
			"notify.error.original":  "原始信息",
		},
		"en": {
			"notify.name":            "%s “%s”",
			"notify.name.noplatform": "“%s”",
			"notify.colon":           ": ",
			"notify.newversion":      "%s has a new version",
			"notify.failing":         "Monitoring failing: %s keeps failing",
			"notify.failing.title":   "Monitoring failing",
			"notify.recovered":       "Recovered: %s checks fine again",
			"notify.recovered.title": "Recovered",
			"notify.level":           "Level",
			"notify.versions":        "Versions",
			"notify.summary":         "Summary",
			"notify.compare":         "Compare versions",
			"notify.source":          "Policy",
			"notify.error.original":  "Original message",
		},
	}
}
