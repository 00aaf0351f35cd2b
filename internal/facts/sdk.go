package facts

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// sdkPattern finds "支付宝SDK", "微信 SDK", "友盟+SDK", "Bugly SDK".
var sdkPattern = lazyregexp.New(`([\p{Han}A-Za-z0-9+._\-]{1,24})\s?(?i:sdk)`)

// sdkNonNames are words before "SDK" that do not name one.
var sdkNonNames = lazyregexp.New(`^(第三方|该|此|这些|上述|以下|下列|相关|其他|其它|部分|各|任何|我们|我方|合作方|接入|集成|嵌入|使用|通过|包括|如|的|类|个|款|等|软件开发工具包|工具包|开发包|\(|（)+$|(的|等|及|和|或|与|通过|使用|接入|集成|嵌入|包括|包含|如|第三方|该类|这类|此类)$`)

func isSDKName(s string) bool { return strings.Contains(strings.ToUpper(s), "SDK") }

// sdks lists the third-party SDKs a policy names, with their purpose and
// information where a table or labelled block gives them.
func sdks(d *doc) []Fact {
	var out []Fact
	for _, rec := range records(d) {
		if rec.sdk || isSDKName(rec.name) {
			out = append(out, Fact{Type: SDK, Value: sdkName(rec.name), Line: rec.line, Purpose: rec.purpose, PI: rec.pi,
				URL: rec.url, Context: clip(d.line(rec.line - 1))})
		}
	}
	for _, s := range d.Sentences {
		if !hasAny(s.Text, "SDK", "sdk", "Sdk") {
			continue
		}
		for _, m := range sdkPattern.FindAllStringSubmatchIndex(s.Text, -1) {
			name := trimSDKLead(s.Text[m[2]:m[3]])
			if name == "" {
				continue
			}
			out = append(out, Fact{Type: SDK, Value: name + "SDK", Line: s.LineAt(m[0]), Context: clip(s.Text)})
		}
	}
	return out
}

// trimSDKLead keeps the name's own words: "集成了支付宝" → "支付宝".
func trimSDKLead(s string) string {
	for _, lead := range []string{"集成了", "接入了", "嵌入了", "使用了", "集成", "接入", "嵌入", "使用", "通过", "包括", "例如", "如", "的", "由"} {
		if i := strings.LastIndex(s, lead); i >= 0 && i+len(lead) < len(s) {
			s = s[i+len(lead):]
		}
	}
	s = strings.Trim(s, "（）()·-_.+ 　")
	if s == "" || sdkNonNames.MatchString(s) || utf8.RuneCountInString(s) < 2 {
		return ""
	}
	return s
}

// sdkName normalizes "支付宝 SDK" to "支付宝SDK" and adds the word where a
// table names the SDK without it.
func sdkName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(strings.ToUpper(s), "SDK"); i >= 0 {
		return strings.TrimSpace(s[:i]) + "SDK" + strings.TrimSpace(s[i+3:])
	}
	return s + "SDK"
}
