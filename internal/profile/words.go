package profile

import "fmt"

// words are the checklist's texts in one language.
type words struct {
	titles, bases, msg map[string]string
	stated             map[string]string
	categories         map[string]string
	sep                string
}

func (w words) format(key string, args ...any) string { return fmt.Sprintf(w.msg[key], args...) }

func wordsFor(lang string) words {
	if lang == "en" {
		return en
	}
	return zh
}

// CategoryName is a GB/T 35273-2020 Appendix A category in the language.
func CategoryName(category, lang string) string {
	if n := wordsFor(lang).categories[category]; n != "" {
		return n
	}
	return category
}

// StatedName is a cross-border status ("present", "conditional",
// "absent", "") in the language.
func StatedName(status, lang string) string { return wordsFor(lang).stated[status] }

var zh = words{
	sep: "、",
	titles: map[string]string{
		"operator":         "写明个人信息处理者",
		"contact":          "提供联系方式",
		"account_deletion": "提供注销账号的途径",
		"response_time":    "15个工作日内答复用户请求",
		"recipients":       "列明第三方和SDK及其目的和信息类型",
		"minors":           "未成年人条款以14周岁为界",
		"sensitive_marked": "标明敏感个人信息",
		"storage_location": "说明存储地点",
		"cross_border":     "说明是否向境外提供",
		"dates":            "写明更新或生效日期",
	},
	bases: map[string]string{
		"operator":         "《个人信息保护法》第十七条",
		"contact":          "《个人信息保护法》第十七条；GB/T 35273-2020 第5.5条",
		"account_deletion": "《个人信息保护法》第四十七条；GB/T 35273-2020 第8.5条",
		"response_time":    "GB/T 35273-2020 第8.7条；《App违法违规收集使用个人信息行为认定方法》",
		"recipients":       "《个人信息保护法》第二十三条；GB/T 35273-2020 第9.2条",
		"minors":           "《个人信息保护法》第二十八条、第三十一条",
		"sensitive_marked": "《个人信息保护法》第三十条；GB/T 35273-2020 第5.5条",
		"storage_location": "GB/T 35273-2020 附录D；《个人信息保护法》第四十条",
		"cross_border":     "《个人信息保护法》第三十八条、第三十九条",
		"dates":            "GB/T 35273-2020 附录D",
	},
	msg: map[string]string{
		"operator.none":                "未找到发布本政策的公司名称",
		"contact.none":                 "未找到电话、邮箱或地址",
		"account_deletion.found":       "说明了注销账号的方式",
		"account_deletion.none":        "未找到注销账号的途径",
		"response_time.none":           "未说明答复用户请求的时限",
		"response_time.unread":         "答复时限“%s”无法判断",
		"response_time.ok":             "承诺在%s内答复",
		"response_time.long":           "答复时限为%s，超过15个工作日",
		"recipients.listed":            "%d 个第三方或SDK写明了目的和信息类型（共提到 %d 个）",
		"recipients.separate":          "另以%s列明",
		"recipients.none":              "未列出任何第三方或SDK",
		"recipients.bare":              "提到 %d 个第三方或SDK，但都未写明目的和信息类型",
		"minors.14":                    "写明了14周岁的界限",
		"minors.none":                  "未找到未成年人的年龄界限",
		"minors.other":                 "只写明了 %s 周岁的界限，未提到14周岁",
		"sensitive_marked.nosensitive": "未发现敏感个人信息",
		"sensitive_marked.ok":          "处理 %d 种敏感个人信息，政策中作了标明",
		"sensitive_marked.unmarked":    "处理 %d 种敏感个人信息（如%s），但未标明“敏感个人信息”",
		"storage_location.none":        "未说明个人信息存储在何处",
		"cross_border.none":            "未说明是否向境外提供个人信息",
		"dates.none":                   "未找到更新日期或生效日期",
	},
	stated: map[string]string{"present": "写明会向境外提供", "conditional": "写明在特定情形下向境外提供", "absent": "写明不向境外提供", "": "未说明"},
	categories: map[string]string{
		"未成年人信息": "未成年人信息", "车辆信息": "车辆信息",
	},
}

var en = words{
	sep: ", ",
	titles: map[string]string{
		"operator":         "Names the personal information handler",
		"contact":          "Gives a contact",
		"account_deletion": "Offers a way to delete the account",
		"response_time":    "Answers requests within 15 working days",
		"recipients":       "Lists third parties and SDKs with purposes and information",
		"minors":           "Minors' clause at age 14",
		"sensitive_marked": "Marks sensitive personal information",
		"storage_location": "States where data is stored",
		"cross_border":     "States whether data goes abroad",
		"dates":            "Gives the date updated or effective",
	},
	bases: map[string]string{
		"operator":         "PIPL Art. 17",
		"contact":          "PIPL Art. 17; GB/T 35273-2020 5.5",
		"account_deletion": "PIPL Art. 47; GB/T 35273-2020 8.5",
		"response_time":    "GB/T 35273-2020 8.7; Methods for Identifying Illegal Collection and Use of Personal Information by Apps (2019)",
		"recipients":       "PIPL Art. 23; GB/T 35273-2020 9.2",
		"minors":           "PIPL Arts. 28 and 31",
		"sensitive_marked": "PIPL Art. 30; GB/T 35273-2020 5.5",
		"storage_location": "GB/T 35273-2020 Appendix D; PIPL Art. 40",
		"cross_border":     "PIPL Arts. 38 and 39",
		"dates":            "GB/T 35273-2020 Appendix D",
	},
	msg: map[string]string{
		"operator.none":                "No company is named as issuing the policy",
		"contact.none":                 "No phone, e-mail or address found",
		"account_deletion.found":       "Explains how to delete the account",
		"account_deletion.none":        "No way to delete the account found",
		"response_time.none":           "No time limit for answering requests",
		"response_time.unread":         "Cannot read the time limit %q",
		"response_time.ok":             "Promises an answer within %s",
		"response_time.long":           "Answers within %s, more than 15 working days",
		"recipients.listed":            "%d third parties or SDKs with purposes and information (of %d named)",
		"recipients.separate":          "Listed separately in %s",
		"recipients.none":              "No third party or SDK named",
		"recipients.bare":              "Names %d third parties or SDKs, none with purposes and information",
		"minors.14":                    "States the age of 14",
		"minors.none":                  "No age threshold for minors found",
		"minors.other":                 "States only the age %s, not 14",
		"sensitive_marked.nosensitive": "No sensitive personal information found",
		"sensitive_marked.ok":          "Processes %d kinds of sensitive information and marks them",
		"sensitive_marked.unmarked":    "Processes %d kinds of sensitive information (such as %s) without marking them",
		"storage_location.none":        "Does not say where data is stored",
		"cross_border.none":            "Does not say whether data goes abroad",
		"dates.none":                   "No date updated or effective found",
	},
	stated: map[string]string{"present": "transfers abroad", "conditional": "transfers abroad in some cases", "absent": "no transfer abroad", "": "not stated"},
	categories: map[string]string{
		"个人基本资料": "basic personal data", "个人身份信息": "identity documents", "个人生物识别信息": "biometrics",
		"网络身份标识信息": "online identifiers", "个人健康生理信息": "health", "个人教育工作信息": "education and work",
		"个人财产信息": "property and finance", "个人通信信息": "communications", "联系人信息": "contacts",
		"个人上网记录": "online activity", "个人常用设备信息": "device information", "个人位置信息": "location",
		"其他信息": "other", "未成年人信息": "minors' information", "车辆信息": "vehicle information",
	},
}
