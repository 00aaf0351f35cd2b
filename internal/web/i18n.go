package web

import (
	"fmt"
	"net/http"
	"time"

	"golang.org/x/text/language"
)

// Languages the UI speaks; Chinese is the default.
var (
	supported = []language.Tag{language.SimplifiedChinese, language.English}
	matcher   = language.NewMatcher(supported)
)

// negotiate picks the page language: ?lang=, then the pw_lang cookie set
// by an earlier ?lang=, then Accept-Language, then Chinese.
func negotiate(r *http.Request) (lang string, explicit bool) {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l, true
	}
	if c, err := r.Cookie("pw_lang"); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value, false
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err == nil && len(tags) > 0 {
		_, idx, conf := matcher.Match(tags...)
		if conf != language.No && idx == 1 {
			return "en", false
		}
	}
	return "zh", false
}

// messages are the UI strings. Keys missing in English fall back to the
// key itself, which a test forbids.
var messages = map[string]map[string]string{
	"zh": {
		"app.name":                 "政策观察",
		"app.tagline":              "隐私政策与用户协议的版本追踪与变更分析",
		"nav.home":                 "首页",
		"nav.add":                  "添加政策",
		"nav.login":                "登录",
		"nav.logout":               "退出",
		"nav.lang":                 "English",
		"home.title":               "平台与政策",
		"home.search":              "搜索平台、政策或网址",
		"home.search.button":       "搜索",
		"home.empty":               "还没有追踪任何政策。",
		"home.empty.hint":          "用命令 policywatch add 添加政策，或以 serve --demo 载入示例。",
		"home.noresults":           "没有找到匹配的政策。",
		"col.policy":               "政策",
		"col.kind":                 "类型",
		"col.status":               "状态",
		"col.versions":             "版本数",
		"col.changes":              "变更次数",
		"col.lastchange":           "最近变更",
		"col.lastcheck":            "最近检查",
		"col.level":                "最近分析",
		"col.captured":             "采集时间",
		"col.chars":                "字数",
		"col.change":               "相对上一版",
		"col.actions":              "操作",
		"col.time":                 "时间",
		"col.result":               "结果",
		"col.error":                "错误",
		"col.duration":             "耗时",
		"kind.privacy":             "隐私政策",
		"kind.children":            "儿童隐私政策",
		"kind.sdk":                 "SDK清单",
		"kind.terms":               "用户协议",
		"status.active":            "正常",
		"status.failing":           "抓取失败",
		"status.paused":            "已暂停",
		"result.first":             "首个版本",
		"result.changed":           "有变更",
		"result.unchanged":         "无变化",
		"result.failed":            "失败",
		"level.none":               "—",
		"policy.platform":          "平台",
		"policy.url":               "网址",
		"policy.nourl":             "（仅导入，无网址）",
		"policy.interval":          "检查间隔",
		"policy.lasterror":         "最近错误",
		"policy.timeline":          "版本时间线",
		"policy.versions":          "全部版本",
		"policy.checks":            "最近检查记录",
		"policy.noversions":        "还没有版本。",
		"policy.nochecks":          "还没有检查记录。",
		"policy.compareprev":       "与上一版对比",
		"policy.viewtext":          "查看全文",
		"policy.first":             "首个版本",
		"policy.checknow":          "立即检查",
		"policy.pause":             "暂停",
		"policy.resume":            "恢复",
		"policy.edit":              "编辑",
		"compare.title":            "版本对比",
		"compare.subtitle":         "查看政策在不同版本之间的内容变化",
		"compare.back":             "返回",
		"compare.from":             "上一个版本",
		"compare.to":               "当前版本",
		"compare.go":               "对比",
		"compare.swap":             "交换",
		"compare.analysis":         "变更分析",
		"analysis.at":              "分析时间",
		"analysis.engine":          "分析引擎",
		"analysis.builtin":         "内置规则与 CAPP-130 条款分类器",
		"analysis.bymodel":         "文字由 %s 撰写，等级与事实由内置规则判定",
		"analysis.fallback":        "模型分析未成功，显示内置分析",
		"analysis.overall":         "总体评估",
		"analysis.details":         "详细变更点分析",
		"analysis.conclusion":      "结论",
		"analysis.content":         "变更内容",
		"analysis.impact":          "潜在影响",
		"analysis.facts":           "事实变化",
		"analysis.added":           "新增",
		"analysis.removed":         "删除",
		"analysis.sensitive":       "敏感",
		"analysis.changeref":       "变更%d",
		"analysis.editorial":       "编辑性修订 %d 处（不影响个人信息的处理）",
		"analysis.nochanges":       "没有需要分析的变更。",
		"analysis.askmodel":        "用 %s 撰写分析",
		"analysis.unavailable":     "暂时无法分析：%s",
		"flash.analysed":           "分析已完成（%s）",
		"flash.analysisfallback":   "模型分析未成功（%s），仍显示内置分析",
		"compare.notanalysed":      "尚未分析",
		"compare.notanalysed.hint": "这两个版本之间的变更还没有分析报告。下方的逐行对比已标出全部改动。",
		"compare.legend.del":       "删除的内容",
		"compare.legend.ins":       "新增的内容",
		"compare.legend.mod":       "修改的内容",
		"compare.legend.move":      "移动的内容",
		"compare.legend.fmt":       "仅格式变化",
		"compare.stats":            "新增 %d 行，删除 %d 行，修改 %d 行，移动 %d 行，格式变化 %d 行",
		"compare.nochanges":        "两个版本的文字完全相同。",
		"compare.onlyformat":       "两个版本只有格式差异（空白、换行、全角半角）。",
		"compare.prev":             "上一处变更",
		"compare.next":             "下一处变更",
		"compare.position":         "共 %d 处变更",
		"compare.current":          "第 {i} / {n} 处",
		"compare.view.side":        "并排视图",
		"compare.view.inline":      "单栏视图",
		"compare.hidefmt":          "隐藏格式变化",
		"compare.showfmt":          "显示格式变化",
		"compare.patch":            "下载补丁",
		"compare.fold":             "显示 %d 行未变化的内容",
		"compare.foldall":          "全部展开",
		"compare.movedfrom":        "自第 %d 行移来",
		"compare.line":             "行",
		"compare.keys":             "快捷键：j 下一处，k 上一处",
		"compare.samever":          "请选择两个不同的版本。",
		"version.title":            "版本全文",
		"version.source":           "来源",
		"version.fetched":          "抓取于",
		"version.imported":         "导入的文件",
		"version.plain":            "纯文本",
		"version.prev":             "上一版本",
		"version.next":             "下一版本",
		"version.extractor":        "提取器版本",
		"login.title":              "管理员登录",
		"login.token":              "管理令牌",
		"login.submit":             "登录",
		"login.failed":             "令牌不正确。",
		"login.needed":             "请先登录。",
		"form.add.title":           "添加政策",
		"form.edit.title":          "编辑政策",
		"form.url":                 "网址",
		"form.name":                "政策名称",
		"form.platform":            "平台（公司或应用）",
		"form.kind":                "类型",
		"form.select":              "正文选择器（CSS，可留空）",
		"form.remove":              "要删除的部分（CSS，每行一个）",
		"form.render":              "渲染方式",
		"form.render.auto":         "自动",
		"form.render.http":         "仅 HTTP",
		"form.render.browser":      "无头浏览器",
		"form.every":               "检查间隔（如 24h、7d）",
		"form.save":                "保存",
		"form.cancel":              "取消",
		"flash.checked":            "检查完成：%s",
		"flash.saved":              "已保存。",
		"flash.paused":             "已暂停。",
		"flash.resumed":            "已恢复。",
		"error.notfound":           "找不到这个页面。",
		"error.badrequest":         "请求有误：%s",
		"error.internal":           "服务器出错了，请稍后再试。",
		"error.forbidden":          "需要登录才能进行此操作。",
		"footer.note":              "文字变化以规范化文本（NFKC、空白折叠）为准。",
	},
	"en": {
		"app.name":                 "policywatch",
		"app.tagline":              "Versions and changes of privacy policies and terms",
		"nav.home":                 "Home",
		"nav.add":                  "Add policy",
		"nav.login":                "Log in",
		"nav.logout":               "Log out",
		"nav.lang":                 "中文",
		"home.title":               "Platforms and policies",
		"home.search":              "Search platforms, policies or URLs",
		"home.search.button":       "Search",
		"home.empty":               "No policies are tracked yet.",
		"home.empty.hint":          "Add one with policywatch add, or load the samples with serve --demo.",
		"home.noresults":           "No policy matches.",
		"col.policy":               "Policy",
		"col.kind":                 "Kind",
		"col.status":               "Status",
		"col.versions":             "Versions",
		"col.changes":              "Changes",
		"col.lastchange":           "Last change",
		"col.lastcheck":            "Last check",
		"col.level":                "Latest analysis",
		"col.captured":             "Captured",
		"col.chars":                "Characters",
		"col.change":               "Against previous",
		"col.actions":              "Actions",
		"col.time":                 "Time",
		"col.result":               "Result",
		"col.error":                "Error",
		"col.duration":             "Duration",
		"kind.privacy":             "Privacy policy",
		"kind.children":            "Children's policy",
		"kind.sdk":                 "SDK list",
		"kind.terms":               "Terms",
		"status.active":            "Active",
		"status.failing":           "Failing",
		"status.paused":            "Paused",
		"result.first":             "First version",
		"result.changed":           "Changed",
		"result.unchanged":         "Unchanged",
		"result.failed":            "Failed",
		"level.none":               "—",
		"policy.platform":          "Platform",
		"policy.url":               "URL",
		"policy.nourl":             "(imported only, no URL)",
		"policy.interval":          "Check interval",
		"policy.lasterror":         "Last error",
		"policy.timeline":          "Timeline",
		"policy.versions":          "All versions",
		"policy.checks":            "Recent checks",
		"policy.noversions":        "No versions yet.",
		"policy.nochecks":          "No checks yet.",
		"policy.compareprev":       "Compare with previous",
		"policy.viewtext":          "Full text",
		"policy.first":             "First version",
		"policy.checknow":          "Check now",
		"policy.pause":             "Pause",
		"policy.resume":            "Resume",
		"policy.edit":              "Edit",
		"compare.title":            "Compare versions",
		"compare.subtitle":         "What changed between two versions of the policy",
		"compare.back":             "Back",
		"compare.from":             "Previous version",
		"compare.to":               "Current version",
		"compare.go":               "Compare",
		"compare.swap":             "Swap",
		"compare.analysis":         "Analysis",
		"analysis.at":              "Analysed",
		"analysis.engine":          "Engine",
		"analysis.builtin":         "built-in rules and CAPP-130 clause classifier",
		"analysis.bymodel":         "prose by %s; level and facts by the built-in rules",
		"analysis.fallback":        "The model's analysis failed; the built-in analysis is shown",
		"analysis.overall":         "Overall assessment",
		"analysis.details":         "Changes in detail",
		"analysis.conclusion":      "Conclusion",
		"analysis.content":         "What changed",
		"analysis.impact":          "Potential impact",
		"analysis.facts":           "Facts",
		"analysis.added":           "added",
		"analysis.removed":         "removed",
		"analysis.sensitive":       "sensitive",
		"analysis.changeref":       "change %d",
		"analysis.editorial":       "%d editorial change(s) (no effect on processing)",
		"analysis.nochanges":       "No changes to analyse.",
		"analysis.askmodel":        "Have %s write the analysis",
		"analysis.unavailable":     "Analysis unavailable: %s",
		"flash.analysed":           "Analysis done (%s)",
		"flash.analysisfallback":   "The model's analysis failed (%s); the built-in analysis stands",
		"compare.notanalysed":      "Not analysed yet",
		"compare.notanalysed.hint": "There is no analysis of the changes between these versions yet. The comparison below marks every change.",
		"compare.legend.del":       "Deleted",
		"compare.legend.ins":       "Added",
		"compare.legend.mod":       "Modified",
		"compare.legend.move":      "Moved",
		"compare.legend.fmt":       "Formatting only",
		"compare.stats":            "%d added, %d removed, %d modified, %d moved, %d formatting-only lines",
		"compare.nochanges":        "The two versions have the same text.",
		"compare.onlyformat":       "The two versions differ in formatting only (whitespace, line breaks, character width).",
		"compare.prev":             "Previous change",
		"compare.next":             "Next change",
		"compare.position":         "%d changes",
		"compare.current":          "Change {i} of {n}",
		"compare.view.side":        "Side by side",
		"compare.view.inline":      "Inline",
		"compare.hidefmt":          "Hide formatting changes",
		"compare.showfmt":          "Show formatting changes",
		"compare.patch":            "Download patch",
		"compare.fold":             "Show %d unchanged lines",
		"compare.foldall":          "Expand all",
		"compare.movedfrom":        "moved from line %d",
		"compare.line":             "line",
		"compare.keys":             "Keys: j next change, k previous",
		"compare.samever":          "Choose two different versions.",
		"version.title":            "Version text",
		"version.source":           "Source",
		"version.fetched":          "Fetched",
		"version.imported":         "Imported file",
		"version.plain":            "Plain text",
		"version.prev":             "Previous version",
		"version.next":             "Next version",
		"version.extractor":        "Extractor version",
		"login.title":              "Administrator login",
		"login.token":              "Admin token",
		"login.submit":             "Log in",
		"login.failed":             "Wrong token.",
		"login.needed":             "Please log in first.",
		"form.add.title":           "Add a policy",
		"form.edit.title":          "Edit policy",
		"form.url":                 "URL",
		"form.name":                "Policy name",
		"form.platform":            "Platform (company or app)",
		"form.kind":                "Kind",
		"form.select":              "Content selector (CSS, optional)",
		"form.remove":              "Parts to remove (CSS, one per line)",
		"form.render":              "Rendering",
		"form.render.auto":         "Automatic",
		"form.render.http":         "HTTP only",
		"form.render.browser":      "Headless browser",
		"form.every":               "Check interval (e.g. 24h, 7d)",
		"form.save":                "Save",
		"form.cancel":              "Cancel",
		"flash.checked":            "Checked: %s",
		"flash.saved":              "Saved.",
		"flash.paused":             "Paused.",
		"flash.resumed":            "Resumed.",
		"error.notfound":           "Page not found.",
		"error.badrequest":         "Bad request: %s",
		"error.internal":           "Something went wrong on the server; please try again later.",
		"error.forbidden":          "You need to log in to do that.",
		"footer.note":              "Changes are judged on normalized text (NFKC, collapsed whitespace).",
	},
}

// translate returns the message for key, formatted with args.
func translate(lang, key string, args ...any) string {
	msg, ok := messages[lang][key]
	if !ok {
		msg, ok = messages["zh"][key]
	}
	if !ok {
		msg = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// formatTime renders a time for the page's language in the display zone.
func formatTime(lang string, zone *time.Location, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if lang == "en" {
		return t.In(zone).Format("2006-01-02 15:04")
	}
	return t.In(zone).Format("2006年01月02日 15:04")
}

func formatDate(lang string, zone *time.Location, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if lang == "en" {
		return t.In(zone).Format("2006-01-02")
	}
	return t.In(zone).Format("2006年01月02日")
}
