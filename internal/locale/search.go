package locale

// searchMessages are the full-text search's: the page, the box in the
// navigation, and the errors of a phrase.
func searchMessages() messages {
	return messages{
		"zh": {
			"search.title":         "全文搜索",
			"search.placeholder":   "搜索政策全文，如 人脸识别、友盟",
			"search.nav":           "搜索全文",
			"search.button":        "搜索",
			"search.allversions":   "包括历史版本",
			"search.intro":         "在各政策当前版本的全文中查找一个词或短语（中文按字查找，无需分词；英文不区分大小写）。",
			"search.results":       "「%s」：%d 个政策中的 %d 处",
			"search.results.more":  "「%s」：%d 个政策中的前 %d 处",
			"search.none":          "没有找到「%s」。",
			"search.more":          "更多结果",
			"search.version":       "版本",
			"search.line":          "第%d行",
			"search.first":         "最早出现于 %s 的版本",
			"search.continuous":    "此后一直存在",
			"search.intermittent":  "此后曾被删除",
			"invalid.search.empty": "请输入要搜索的词语",
			"invalid.search.long":  "搜索词太长（%d 个字符）：至多 %d 个字符",
		},
		"en": {
			"search.title":         "Full-text search",
			"search.placeholder":   "Search policy texts, e.g. facial recognition",
			"search.nav":           "Search texts",
			"search.button":        "Search",
			"search.allversions":   "include past versions",
			"search.intro":         "Finds a word or phrase in the full text of every policy's current version (Chinese character by character, without word segmentation; letters in any case).",
			"search.results":       "“%s” in %d policies: %d matches",
			"search.results.more":  "“%s” in %d policies: the first %d matches",
			"search.none":          "No match for “%s”.",
			"search.more":          "More results",
			"search.version":       "Version",
			"search.line":          "line %d",
			"search.first":         "first appeared in the version of %s",
			"search.continuous":    "present ever since",
			"search.intermittent":  "removed at times since",
			"invalid.search.empty": "enter a word or phrase to search for",
			"invalid.search.long":  "search phrase too long (%d characters): at most %d",
		},
	}
}
