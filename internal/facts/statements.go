package facts

import (
	"regexp"
	"strconv"
	"strings"
)

// rightsWords are the users' rights and how policies phrase them.
var rightsWords = []struct {
	name string
	key  string // a word every phrasing contains, tested first
	re   *regexp.Regexp
}{
	{"查询/访问", "", regexp.MustCompile(`查询|查阅|访问您的个人信息|访问您的信息|访问权|知情权`)},
	{"更正/补充", "", regexp.MustCompile(`更正|补充|修改您的个人信息|更新您的个人信息`)},
	{"删除", "删除", regexp.MustCompile(`删除(您的)?(个人)?信息|删除权|要求(我们)?删除|请求删除`)},
	{"撤回同意", "", regexp.MustCompile(`撤回(您的)?(同意|授权)|撤销(您的)?(同意|授权)|改变(您)?授权同意的范围`)},
	{"注销账号", "注销", regexp.MustCompile(`注销(您的)?(账号|帐号|账户|帐户)`)},
	{"获取副本", "", regexp.MustCompile(`(获取|获得|取得|索取|提供|要求|请求)[^。；]{0,12}副本|复制|导出`)},
	{"转移", "", regexp.MustCompile(`转移(至|到)?您指定|个人信息的?转移|可携带|数据可携`)},
	{"投诉举报", "", regexp.MustCompile(`投诉|举报`)},
}

func rights(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "查", "访问", "知情", "更正", "补充", "修改", "更新", "删除", "撤", "改变", "注销", "副本", "复制", "导出", "转移", "携带", "投诉", "举报") {
			continue
		}
		for _, s := range d.sentences[i] {
			for _, r := range rightsWords {
				if (r.key == "" || strings.Contains(s, r.key)) && r.re.MatchString(s) {
					out = append(out, Fact{Type: Right, Value: r.name, Line: i + 1, Context: clip(s)})
				}
			}
		}
	}
	return out
}

// number is an Arabic or Chinese number.
const number = `(\d+|[一二两三四五六七八九十百]+)`

var (
	// 保存期限为6个月; 保留15天; 存储3年
	keptFor = regexp.MustCompile(`(保存|保留|存储|储存|留存)[^。；，,]{0,30}?` + number + `\s*(个)?(小时|天|日|周|个月|月|年)`)
	// 15天后删除; 三年内匿名化
	thenDeleted = regexp.MustCompile(number + `\s*(个)?(小时|天|日|周|个月|月|年)(内|后|之后|以后)?[^。；]{0,12}?(删除|匿名化|销毁)`)
	// 最长不超过五年; 至多保存12个月 (in a sentence about keeping data)
	atMost = regexp.MustCompile(`(最长|最多|至多|不超过|不得超过|不超出)\s*(不超过|不超出)?\s*(保存|保留|存储)?\s*` + number + `\s*(个)?(小时|天|日|周|个月|月|年)`)
	// 实现目的所必需的最短时间
	shortest = regexp.MustCompile(`(实现|达成|满足)[^。；]{0,12}?(目的)?所(必需|必要|需)的?最短(时间|期限|期间)`)
)

func retention(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "保存", "保留", "存储", "储存", "留存", "删除", "匿名", "销毁", "最短") {
			continue
		}
		for _, s := range d.sentences[i] {
			for _, re := range []*regexp.Regexp{keptFor, thenDeleted, atMost} {
				if re == atMost && !keepsData.MatchString(s) {
					continue
				}
				for _, m := range re.FindAllStringSubmatch(s, -1) {
					if v := period(m); v != "" {
						out = append(out, Fact{Type: Retention, Value: v, Line: i + 1, Context: clip(s)})
					}
				}
			}
			if !strings.Contains(s, "最短") {
				continue
			}
			if m := shortest.FindString(s); m != "" {
				out = append(out, Fact{Type: Retention, Value: m, Line: i + 1, Context: clip(s)})
			}
		}
	}
	return out
}

var keepsData = regexp.MustCompile(`保存|保留|存储|储存|留存`)

// period rebuilds "6个月" from a match's number, 个 and unit groups.
func period(m []string) string {
	for k := 1; k+2 < len(m); k++ {
		if isNumber(m[k]) {
			return m[k] + m[k+1] + m[k+2]
		}
	}
	return ""
}

func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789一二两三四五六七八九十百") == ""
}

var (
	storedIn = regexp.MustCompile(`(存储|存放|储存|保存|留存)(在|于|至)([^，。；,]{0,16}?(境内|境外|国内|国外|中国大陆|大陆地区|新加坡|美国|欧盟|日本|韩国|香港|服务器|中国\p{Han}{0,4}))`)
	abroad   = regexp.MustCompile(`境外|跨境|出境|海外|国外|向中华人民共和国境外|(传输|提供|转移|传送|存储|存放)(至|到|于|在)[^，。；,]{0,8}(新加坡|美国|欧盟|欧洲|日本|韩国|香港|澳门|台湾)`)
	denies   = regexp.MustCompile(`不会|不涉及|不存在|不向|不进行|不会将|不将|不跨境|不出境|未向|没有|无跨境`)
)

// storageAndTransfer finds where data is stored and whether it leaves the
// country (stated present or stated absent).
func storageAndTransfer(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "境", "国", "存", "储", "保存", "海外", "新加坡", "美国", "欧盟", "日本", "韩国", "香港") {
			continue
		}
		for _, s := range d.sentences[i] {
			for _, m := range storedIn.FindAllStringSubmatch(s, -1) {
				out = append(out, Fact{Type: StorageLocation, Value: placeOnly(m[3]), Line: i + 1, Context: clip(s)})
			}
			if loc := abroad.FindStringIndex(s); loc != nil && transferWords.MatchString(s) {
				stated := "present"
				switch {
				case denies.MatchString(s):
					stated = "absent"
				case conditional.MatchString(s):
					stated = "conditional"
				}
				out = append(out, Fact{Type: CrossBorder, Value: clipRunes(s, 60), Stated: stated, Line: i + 1, Context: clip(s)})
			}
		}
	}
	return dedupeCrossBorder(out)
}

// placeOnly cuts "中国境内的服务器上" to "中国境内".
func placeOnly(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "的"); i > 0 && strings.HasPrefix(s, "中国") {
		s = s[:i]
	}
	return s
}

var transferWords = regexp.MustCompile(`传输|提供|转移|存储|存放|传送|出境|跨境|访问`)

// conditional marks a transfer stated as possible ("如需…", "如将来涉及…").
var conditional = regexp.MustCompile(`^[^，,]{0,6}(如|若|如果|如需|如将来|倘若|一旦)|确需|如需|如涉及|如有必要|在.{0,10}情况下`)

// dedupeCrossBorder keeps one cross-border fact per stated direction: the
// first sentence saying so (sentences differ, the fact is the same).
func dedupeCrossBorder(facts []Fact) []Fact {
	seen := map[string]bool{}
	var out []Fact
	for _, f := range facts {
		if f.Type == CrossBorder {
			if seen[f.Stated] {
				continue
			}
			seen[f.Stated] = true
			f.Value = map[string]string{"present": "向境外提供或存储个人信息", "absent": "不向境外提供个人信息",
				"conditional": "需要时向境外提供个人信息（另行告知或征得同意）"}[f.Stated]
		}
		out = append(out, f)
	}
	return out
}

var (
	ageWords = regexp.MustCompile(`未成年|儿童|监护人|学生|少年`)
	age      = regexp.MustCompile(`(不满|未满|低于|小于)?\s*` + number + `\s*(周岁|岁)`)
)

// minorAges finds the age thresholds of the minors' clauses (14, 18). The
// words for minors may stand on a neighbouring line (text out of a PDF
// breaks "未" | "成年人").
func minorAges(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		near := line
		if i > 0 {
			near = d.lines[i-1] + near
		}
		if i+1 < len(d.lines) {
			near += d.lines[i+1]
		}
		if !strings.Contains(line, "岁") {
			continue
		}
		for _, s := range d.sentences[i] {
			if !ageWords.MatchString(s) && !ageWords.MatchString(near) {
				continue
			}
			for _, m := range age.FindAllStringSubmatch(s, -1) {
				n := chineseNumber(m[2])
				if n >= 6 && n <= 18 {
					out = append(out, Fact{Type: MinorAge, Value: strconv.Itoa(n), Line: i + 1, Context: clip(s)})
				}
			}
		}
	}
	return out
}

// chineseNumber reads 14, 十四, 十八, 二十 (up to 99).
func chineseNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		switch {
		case r == '十':
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
		case digits[r] > 0:
			cur = digits[r]
		default:
			return -1
		}
	}
	return n + cur
}

var (
	phone      = regexp.MustCompile(`(?:\+?86[- ]?)?(?:400|800)[- ]?\d{3,4}[- ]?\d{3,4}|(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}[- ]\d{7,8}|0\d{9,11}|\b9\d{4}\b|\b1\d{4}\b`)
	phoneWords = regexp.MustCompile(`电话|热线|客服|拨打|联系方式|致电|联系我们|手机`)
	email      = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	address    = regexp.MustCompile(`(联系地址|通讯地址|办公地址|注册地址|邮寄地址|公司地址|地址)\s*[:：为是]\s*([^；;。，,)）\n]{4,60})`)
)

// contacts finds phone numbers, e-mail addresses and postal addresses.
func contacts(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "电话", "热线", "客服", "拨打", "联系", "致电", "手机", "@", "地址") {
			continue
		}
		for _, s := range d.sentences[i] {
			out = append(out, contactsIn(s, i+1)...)
		}
	}
	return out
}

func contactsIn(s string, line int) []Fact {
	var out []Fact
	if phoneWords.MatchString(s) {
		for _, p := range phone.FindAllString(s, -1) {
			if !isDate(p, s) {
				out = append(out, Fact{Type: ContactPhone, Value: p, Line: line, Context: clip(s)})
			}
		}
	}
	if strings.Contains(s, "@") {
		for _, e := range email.FindAllString(s, -1) {
			out = append(out, Fact{Type: ContactEmail, Value: strings.TrimRight(e, "."), Line: line, Context: clip(s)})
		}
	}
	if strings.Contains(s, "地址") {
		for _, m := range address.FindAllStringSubmatch(s, -1) {
			if v := strings.TrimSpace(m[2]); looksLikeAddress(v) {
				out = append(out, Fact{Type: ContactAddress, Value: v, Line: line, Context: clip(s)})
			}
		}
	}
	return out
}

// isDate tells a year ("2025") misread as a short number.
func isDate(p, s string) bool {
	return len(p) == 5 && strings.Contains(s, p+"年")
}

var addressWords = regexp.MustCompile(`省|市|区|县|路|街|号|大厦|园|楼|室|镇|道`)

func looksLikeAddress(v string) bool { return addressWords.MatchString(v) }

var (
	respondWithin = regexp.MustCompile(number + `\s*(个)?(工作日|天|日|小时)(内|之内)?[^。；]{0,16}?(回复|答复|响应|处理|反馈|予以)`)
	respondIn     = regexp.MustCompile(`(回复|答复|响应|反馈)[^。；]{0,12}?` + number + `\s*(个)?(工作日|天|日|小时)`)
)

// responseTimes finds how long the operator takes to answer requests.
func responseTimes(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "回复", "答复", "响应", "处理", "反馈", "予以") {
			continue
		}
		for _, s := range d.sentences[i] {
			for _, re := range []*regexp.Regexp{respondWithin, respondIn} {
				for _, m := range re.FindAllStringSubmatch(s, -1) {
					if v := period(m); v != "" {
						out = append(out, Fact{Type: ResponseTime, Value: v, Line: i + 1, Context: clip(s)})
					}
				}
			}
		}
	}
	return out
}

const datePattern = `(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`

var (
	updated   = regexp.MustCompile(`(更新日期|更新时间|最近更新|最新更新|修订日期|修改日期|版本日期|发布日期|版本更新日期)[^\d]{0,6}` + datePattern)
	effective = regexp.MustCompile(`(生效日期|生效时间|施行日期|起施行|起生效)[^\d]{0,6}` + datePattern + `|` + datePattern + `(起)?(生效|施行|正式实施)`)
	revisedOn = regexp.MustCompile(`于` + datePattern + `(修改|修订|更新)`)
)

// dates finds when the policy was last updated and when it takes effect.
func dates(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if !hasAny(line, "年", "-", "/", ".") || !hasAny(line, "日期", "时间", "更新", "修订", "修改", "发布", "生效", "施行", "实施") {
			continue
		}
		for _, m := range updated.FindAllStringSubmatch(line, -1) {
			out = append(out, Fact{Type: DateUpdated, Value: compactDate(m[2]), Line: i + 1, Context: clip(line)})
		}
		for _, m := range revisedOn.FindAllStringSubmatch(line, -1) {
			out = append(out, Fact{Type: DateUpdated, Value: compactDate(m[1]), Line: i + 1, Context: clip(line)})
		}
		for _, m := range effective.FindAllStringSubmatch(line, -1) {
			v := m[2]
			if v == "" {
				v = m[3]
			}
			out = append(out, Fact{Type: DateEffective, Value: compactDate(v), Line: i + 1, Context: clip(line)})
		}
	}
	return out
}

func compactDate(s string) string { return strings.ReplaceAll(s, " ", "") }

// clipRunes shortens s to n characters.
func clipRunes(s string, n int) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) <= n {
		return string(rs)
	}
	return string(rs[:n]) + "…"
}

// Number reads a number as policies write it: 15, 十五, 三十 (up to 99);
// -1 when s is not one.
func Number(s string) int { return chineseNumber(strings.TrimSpace(s)) }
