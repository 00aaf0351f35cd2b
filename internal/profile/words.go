package profile

import "github.com/policywatch/policywatch/internal/locale"

// words are the checklist's texts in one language, from the catalogue's
// profile.* messages.
type words struct{ p *locale.Printer }

func wordsFor(lang string) words { return words{locale.NewPrinter(lang)} }

// msg is a checklist finding (profile.check.<key>).
func (w words) msg(key string) string { return w.p.Print("profile.check." + key) }

// format is a checklist finding formatted with args.
func (w words) format(key string, args ...any) string {
	return w.p.Printf("profile.check."+key, args...)
}

// sep joins listed values.
func (w words) sep() string { return w.p.Print("profile.sep") }

// check starts an item with its words.
func (w words) check(id string) Check {
	return Check{ID: id, Title: w.p.Print("profile.check." + id + ".title"), Basis: w.p.Print("profile.check." + id + ".basis")}
}

// categoryKeys name the GB/T 35273-2020 Appendix A categories (and the two
// internal/facts adds) in the catalogue: profile.category.<key>.
var categoryKeys = map[string]string{
	"个人基本资料": "basic", "个人身份信息": "identity", "个人生物识别信息": "biometric",
	"网络身份标识信息": "online_id", "个人健康生理信息": "health", "个人教育工作信息": "education_work",
	"个人财产信息": "property", "个人通信信息": "communications", "联系人信息": "contacts",
	"个人上网记录": "online_activity", "个人常用设备信息": "device", "个人位置信息": "location",
	"其他信息": "other", "未成年人信息": "minors", "车辆信息": "vehicle",
}

// CategoryName is a GB/T 35273-2020 Appendix A category in the language.
func CategoryName(category, lang string) string {
	if key, ok := categoryKeys[category]; ok {
		return wordsFor(lang).p.Print("profile.category." + key)
	}
	return category
}

// statedKeys name the cross-border statuses in the catalogue:
// profile.stated.<key>.
var statedKeys = map[string]string{"present": "present", "conditional": "conditional", "absent": "absent", "": "unstated"}

// StatedName is a cross-border status ("present", "conditional",
// "absent", "") in the language.
func StatedName(status, lang string) string {
	if key, ok := statedKeys[status]; ok {
		return wordsFor(lang).p.Print("profile.stated." + key)
	}
	return ""
}
