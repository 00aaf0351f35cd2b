package facts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// rightsWords are the users' rights and how policies phrase them.
var rightsWords = []struct {
	name string
	re   *lazyregexp.Regexp
	any  []string // one of these words is in every phrasing, tested first
}{
	{"查询/访问", lazyregexp.New(`查询|查阅|访问[您你]的个人信息|访问[您你]的信息|访问权|知情权`), []string{"查询", "查阅", "访问", "知情权"}},
	{"更正/补充", lazyregexp.New(`更正|补充|修改[您你]的个人信息|更新[您你]的个人信息`), []string{"更正", "补充", "修改", "更新"}},
	{"删除", lazyregexp.New(`删除([您你]的)?(个人)?信息|删除权|要求(我们)?删除|请求删除`), []string{"删除"}},
	{"撤回同意", lazyregexp.New(`撤回([您你]的)?(同意|授权)|撤销([您你]的)?(同意|授权)|改变([您你])?授权同意的范围`), []string{"撤回", "撤销", "改变"}},
	{"注销账号", lazyregexp.New(`注销([您你]的)?(账号|帐号|账户|帐户)|(账号|帐号|账户|帐户)注销|(申请|进行|协助[您你]?进行|办理)注销`), []string{"注销"}},
	{"获取副本", lazyregexp.New(`(获取|获得|取得|索取|提供|要求|请求)[^。；]{0,12}副本|复制|导出`), []string{"副本", "复制", "导出"}},
	{"转移", lazyregexp.New(`转移(至|到)?[您你]指定|个人信息的?转移|可携带|数据可携`), []string{"转移", "携带", "可携"}},
	{"投诉举报", lazyregexp.New(`投诉|举报`), []string{"投诉", "举报"}},
}

func rights(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !s.has(rightsGate) {
			continue
		}
		neg := s.negatedSpans()
		if generalRights.MatchString(s.Text) {
			d.generalWays = appendNew(d.generalWays, waysIn(s.Text)...)
		}
		for _, r := range rightsWords {
			if !hasAny(s.Text, r.any...) {
				continue
			}
			loc := r.re.FindStringIndex(s.Text)
			if loc == nil || inSpans(neg, loc[0]) {
				continue
			}
			out = append(out, Fact{Type: Right, Value: r.name, Canonical: r.name, Line: s.LineAt(loc[0]),
				Ways: append(waysIn(s.Text), d.waysAfter(i)...), Context: clip(s.Text)})
		}
	}
	return out
}

// generalRights marks a sentence that gives a way to exercise every right
// ("如您无法通过上述方式行使您的权利，可以…联系我们").
var generalRights = lazyregexp.New(`行使.{0,8}(权利|权益)|上述(权利|请求)|以上(权利|请求)|(上述|以上|前述)方式`)

// waysAfter are the ways the sentences after a right's announce, when it
// announces them ("您可以通过以下方式申请注销您的账户：" and the list after
// it), up to three sentences close by.
func (d *doc) waysAfter(i int) []string {
	s := d.Sentences[i].Text
	if !strings.HasSuffix(s, "：") && !strings.HasSuffix(s, ":") && !hasAny(s, "以下方式", "如下方式", "下列方式", "以下途径", "如下途径") {
		return nil
	}
	var out []string
	last := d.Sentences[i].EndLine
	for k := i + 1; k < len(d.Sentences) && k <= i+3; k++ {
		next := d.Sentences[k]
		if next.Line-last > 2 || looksLikeHeading(next.Text) {
			break
		}
		out = appendNew(out, waysIn(next.Text)...)
		last = next.EndLine
	}
	return out
}

func appendNew(xs []string, ys ...string) []string {
	for _, y := range ys {
		if !slices.Contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

var (
	menuPath    = lazyregexp.New(`【[^】]{2,60}】|[“"「]?[\p{Han}A-Za-z]{1,10}[”"」]?\s*(?:[-－—>＞→/]\s*[“"「]?[\p{Han}A-Za-z]{1,12}[”"」]?\s*){2,}`)
	wayPatterns = []struct {
		way string
		re  *lazyregexp.Regexp
	}{
		{"客服", lazyregexp.New(`客服|人工服务`)},
		{"反馈入口", lazyregexp.New(`反馈|投诉入口|举报入口`)},
		{"联系我们", lazyregexp.New(`联系我们|与我们联系|通过本政策.{0,6}联系方式`)},
	}
)

// waysIn names the ways a sentence gives to exercise a right: menu paths,
// phone numbers, e-mail addresses, customer service, feedback entries.
func waysIn(s string) []string {
	var out []string
	add := func(w string) {
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	if strings.Contains(s, "【") || strings.Count(s, "-")+strings.Count(s, ">")+strings.Count(s, "→") >= 2 {
		for _, p := range menuPath.FindAllString(s, 4) {
			add(strings.TrimSpace(p))
		}
	}
	if digits(s) >= 5 && phoneWords.MatchString(s) {
		for _, p := range phone.FindAllString(s, -1) {
			if !isDate(p, s) {
				add(p)
			}
		}
	}
	if strings.Contains(s, "@") {
		for _, e := range email.FindAllString(s, -1) {
			add(cleanEmail(e))
		}
	}
	for _, w := range wayPatterns {
		if w.re.MatchString(s) {
			add(w.way)
		}
	}
	return out
}

// number is an Arabic or Chinese number.
const number = `(\d+|[一二两三四五六七八九十百]+)`

var (
	// 保存期限为6个月; 保留15天; 存储3年
	keptFor = lazyregexp.New(`(保存|保留|存储|储存|留存)[^。；，,]{0,30}?` + number + `\s*(个)?(小时|天|日|周|个月|月|年)`)
	// 15天后删除; 三年内匿名化
	thenDeleted = lazyregexp.New(number + `\s*(个)?(小时|天|日|周|个月|月|年)(内|后|之后|以后)?[^。；]{0,12}?(删除|匿名化|销毁)`)
	// 最长不超过五年; 至多保存12个月 (in a sentence about keeping data)
	atMost = lazyregexp.New(`(最长|最多|至多|不超过|不得超过|不超出)\s*(不超过|不超出)?\s*(保存|保留|存储)?\s*` + number + `\s*(个)?(小时|天|日|周|个月|月|年)`)
	// 实现目的所必需的最短时间
	shortest = lazyregexp.New(`(实现|达成|满足)[^。；]{0,12}?(目的)?所(必需|必要|需)的?最短(时间|期限|期间)`)
)

func retention(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !s.has(retentionGate) {
			continue
		}
		if s.has(periodGate) {
			for _, re := range []*lazyregexp.Regexp{keptFor, thenDeleted, atMost} {
				if re == atMost && !s.has(keepGate) {
					continue
				}
				for _, m := range re.FindAllStringSubmatchIndex(s.Text, -1) {
					if v := period(submatches(s.Text, m)); v != "" {
						out = append(out, Fact{Type: Retention, Value: v, Line: s.LineAt(m[0]), Context: clip(s.Text)})
					}
				}
			}
		}
		if !strings.Contains(s.Text, "最短") {
			continue
		}
		if loc := shortest.FindStringIndex(s.Text); loc != nil {
			out = append(out, Fact{Type: Retention, Value: s.Text[loc[0]:loc[1]], Canonical: "实现目的所必需的最短时间",
				Line: s.LineAt(loc[0]), Context: clip(s.Text)})
		}
	}
	return out
}

// submatches turns the index pairs of a match into its strings.
func submatches(s string, loc []int) []string {
	out := make([]string, len(loc)/2)
	for i := range out {
		if loc[2*i] >= 0 {
			out[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return out
}

var keepsData = lazyregexp.New(`保存|保留|存储|储存|留存`)

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

// foreignPlaces are the countries, regions and cities outside the
// mainland that policies name as destinations (Hong Kong, Macao and Taiwan
// count as abroad for PIPL's rules on transfers), made on first use.
var foreignPlaces = sync.OnceValue(func() *matcher {
	return &matcher{zh: newRuneMatcher(conceptsOf(ThirdParty, "新加坡 美国 欧盟 欧洲经济区 欧洲 日本 韩国 香港 澳门 台湾 英国 德国 法国 爱尔兰 荷兰 比利时 瑞士 瑞典 芬兰 丹麦 挪威 西班牙 意大利 葡萄牙 奥地利 波兰 俄罗斯 加拿大 澳大利亚 新西兰 印度尼西亚 印尼 印度 马来西亚 泰国 越南 菲律宾 巴西 墨西哥 阿联酋 沙特阿拉伯 沙特 以色列 土耳其 南非 埃及 哈萨克斯坦 法兰克福 伦敦 巴黎 阿姆斯特丹 都柏林 东京 大阪 首尔 硅谷 弗吉尼亚 加利福尼亚 加州 俄勒冈 悉尼 孟买 雅加达 吉隆坡 曼谷 迪拜 利雅得 圣保罗 多伦多")),
		en: newWordMatcher(englishConcepts(ThirdParty, "singapore|united states|united states of america|usa|european union|european economic area|eea|united kingdom|japan|south korea|korea|hong kong|china|mainland china|india|indonesia|malaysia|germany|france|ireland|netherlands|australia|canada|brazil|switzerland|united arab emirates|saudi arabia|thailand|vietnam|philippines"))}
})

// englishConcepts makes a concept of each |-separated English word.
func englishConcepts(typ Type, words string) []*Concept {
	var out []*Concept
	for _, w := range strings.Split(words, "|") {
		out = append(out, &Concept{Type: typ, Canonical: w, Surfaces: []string{w}})
	}
	return out
}

// conceptsOf makes a concept of each word, for a matcher.
func conceptsOf(typ Type, words string) []*Concept {
	var out []*Concept
	for _, w := range strings.Fields(words) {
		out = append(out, &Concept{Type: typ, Canonical: w, Surfaces: []string{w}})
	}
	return out
}

var (
	storedIn = lazyregexp.New(`(存储|存放|储存|保存|留存)(在|于|至)([^，。；,]{0,16}?(境内|境外|国内|国外|中国大陆|大陆地区|服务器|数据中心|中国\p{Han}{0,4}))`)
	abroad   = lazyregexp.New(`境外|跨境|出境|海外|国外`)
	// a verb that sends or keeps information somewhere, then 至/到/于/在
	sentTo = lazyregexp.New(`(传输|提供|转移|传送|存储|存放|储存|保存)(至|到|于|在)`)
	denies = lazyregexp.New(`不会|不涉及|不存在|不向|不进行|不会将|不将|不跨境|不出境|未向|没有|无跨境`)
)

// placesSentTo are the foreign places a sentence sends or keeps
// information in: a place at most twelve characters after 传输至, 存储在 ….
func placesSentTo(t string) (places []string, first int) {
	first = -1
	for _, m := range foreignPlaces().find(t) { // few sentences get here
		from := m.start
		for k := 0; k < 12 && from > 0; k++ {
			_, size := utf8.DecodeLastRuneInString(t[:from])
			from -= size
		}
		window := t[from:m.start]
		if i := strings.LastIndexAny(window, "，。；,"); i >= 0 {
			window = window[i:]
		}
		if sentTo.MatchString(window) {
			places = append(places, t[m.start:m.end])
			if first < 0 {
				first = m.start
			}
		}
	}
	return places, first
}

// storageAndTransfer finds where data is stored and whether it leaves the
// country (stated present, conditional or absent), with the destination
// and the information sent where the sentence names them.
func storageAndTransfer(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		t := s.Text
		if !s.has(transferGate) {
			continue
		}
		if s.has(keepGate) && hasAny(t, "境", "国", "服务器", "数据中心") {
			for _, m := range storedIn.FindAllStringSubmatchIndex(t, -1) {
				out = append(out, Fact{Type: StorageLocation, Value: placeOnly(t[m[6]:m[7]]), Line: s.LineAt(m[0]), Context: clip(t)})
			}
		}
		places, at := placesSentTo(t)
		if s.has(abroadGate) {
			if loc := abroad.FindStringIndex(t); loc != nil && (at < 0 || loc[0] < at) {
				at = loc[0]
			}
		}
		if at < 0 || !transferWords.MatchString(t) {
			continue
		}
		for _, p := range places {
			if s.has(keepGate) {
				out = append(out, Fact{Type: StorageLocation, Value: p, Line: s.LineAt(at), Context: clip(t)})
			}
		}
		out = append(out, transfer(s, at, places, denies, conditional))
	}
	return out
}

// transfer is the transfer abroad a sentence states at byte at: stated
// absent where the sentence denies it, conditional where it makes it
// depend on a future need or consent, else present, with the places named
// and the information sent.
func transfer(s *Sentence, at int, places []string, denies, conditional *lazyregexp.Regexp) Fact {
	stated := "present"
	switch {
	case denies.MatchString(s.Text):
		stated = "absent"
	case conditional.MatchString(s.Text):
		stated = "conditional"
	}
	f := Fact{Type: CrossBorder, Stated: stated, Line: s.LineAt(at), Context: clip(s.Text)}
	if stated != "absent" {
		f.Destination = strings.Join(uniqueStrings(places), "、")
		f.PI = piNamedIn(s)
	}
	f.Value = crossBorderValue(f)
	return f
}

// piNamedIn are the kinds of personal information a sentence names (not
// the generic words): what a transfer it states sends.
func piNamedIn(s *Sentence) []string {
	var out []string
	for _, m := range vocab().matchers[PI].findIn(s) {
		if !m.concept.Generic {
			out = appendNew(out, s.Text[m.start:m.end])
		}
	}
	return out
}

// crossBorderValue words a cross-border statement the same way whatever
// sentence made it.
func crossBorderValue(f Fact) string {
	v := map[string]string{"present": "向境外提供或存储个人信息", "absent": "不向境外提供个人信息",
		"conditional": "需要时向境外提供个人信息（另行告知或征得同意）"}[f.Stated]
	if f.Destination != "" {
		v += "（" + f.Destination + "）"
	}
	return v
}

func uniqueStrings(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// placeOnly cuts "中国境内的服务器上" to "中国境内".
func placeOnly(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "的"); i > 0 && strings.HasPrefix(s, "中国") {
		s = s[:i]
	}
	return s
}

var transferWords = lazyregexp.New(`传输|提供|转移|存储|存放|传送|出境|跨境|访问`)

// conditional marks a transfer stated as possible ("如需…", "如将来涉及…").
var conditional = lazyregexp.New(`^[^，,]{0,6}(如|若|如果|如需|如将来|倘若|一旦)|确需|如需|如涉及|如有必要|在.{0,10}情况下`)

var (
	ageWords = lazyregexp.New(`未成年|儿童|监护人|学生|少年`)
	age      = lazyregexp.New(`(不满|未满|低于|小于)?\s*` + number + `\s*(周岁|岁)`)
)

// minorAges finds the age thresholds of the minors' clauses (14, 18), in
// sentences about minors.
func minorAges(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !strings.Contains(s.Text, "岁") || !ageWords.MatchString(s.Text) {
			continue
		}
		for _, m := range age.FindAllStringSubmatchIndex(s.Text, -1) {
			n := chineseNumber(s.Text[m[4]:m[5]])
			if n >= 6 && n <= 18 {
				out = append(out, Fact{Type: MinorAge, Value: strconv.Itoa(n), Line: s.LineAt(m[0]), Context: clip(s.Text)})
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
	phone      = lazyregexp.New(`(?:\+?86[- ]?)?(?:400|800)[- ]?\d{3,4}[- ]?\d{3,4}|(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}[- ]\d{7,8}|0\d{9,11}|\b9\d{4}\b|\b1\d{4}\b`)
	phoneWords = lazyregexp.New(`电话|热线|客服|拨打|联系方式|致电|联系我们|手机`)
	email      = lazyregexp.New(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	address    = lazyregexp.New(`(联系地址|通讯地址|办公地址|注册地址|邮寄地址|公司地址|地址)\s*[:：为是]\s*([^；;。，,)）\n]{4,60})`)
)

// contacts finds phone numbers, e-mail addresses and postal addresses.
func contacts(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !s.has(contactGate) {
			continue
		}
		for _, f := range contactsIn(s.Text, 0) {
			f.Line = s.LineAt(strings.Index(s.Text, f.Value))
			out = append(out, f)
		}
	}
	return out
}

func contactsIn(s string, line int) []Fact {
	var out []Fact
	if digits(s) >= 4 && phoneWords.MatchString(s) {
		for _, p := range phone.FindAllString(s, -1) {
			if !isDate(p, s) {
				out = append(out, Fact{Type: ContactPhone, Value: p, Line: line, Context: clip(s)})
			}
		}
	}
	for _, m := range labelledPhones(s) {
		if p := strings.TrimSpace(m[1]); !containsFactValue(out, p) {
			out = append(out, Fact{Type: ContactPhone, Value: p, Line: line, Context: clip(s)})
		}
	}
	if strings.Contains(s, "@") {
		for _, e := range email.FindAllString(s, -1) {
			out = append(out, Fact{Type: ContactEmail, Value: cleanEmail(e), Line: line, Context: clip(s)})
		}
	}
	if hasAny(s, "地址", "寄") {
		for _, re := range []*lazyregexp.Regexp{address, mailTo} {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				if v := strings.TrimSpace(m[len(m)-1]); looksLikeAddress(v) && !containsFactValue(out, v) {
					out = append(out, Fact{Type: ContactAddress, Value: v, Line: line, Context: clip(s)})
				}
			}
		}
	}
	return out
}

var (
	// 联系电话：957126; 客服热线为 95xxx: a number the sentence labels as
	// a phone, whatever its length.
	labelledPhone = lazyregexp.New(`(?:联系电话|客服电话|服务电话|客服热线|服务热线|热线电话|电话|热线|Tel|TEL|Phone)\s*(?:[:：为是]|号码[:：为是]?)\s*(\+?\d[\d\- ]{3,16}\d)`)
	// 寄至北京市朝阳区…: a postal address the sentence sends letters to.
	mailTo = lazyregexp.New(`(?:邮寄|寄送|寄至|寄到|信件至)\s*(?:至|到)?\s*(?:(?:如下|以下|下列)?地址)?\s*[:：]?\s*([^；;。，,)）\n]{6,60})`)
)

func containsFactValue(fs []Fact, v string) bool {
	for _, f := range fs {
		if f.Value == v {
			return true
		}
	}
	return false
}

// listLetter is a list item's letter glued to an address: "c.Dataprivacy@…".
var listLetter = lazyregexp.New(`^[a-zA-Z]\.([A-Z])`)

// cleanEmail drops a closing full stop and a list letter glued in front.
func cleanEmail(e string) string {
	return listLetter.ReplaceAllString(strings.TrimRight(e, "."), "$1")
}

// isDate tells a year ("2025") misread as a short number.
func isDate(p, s string) bool {
	return len(p) == 5 && strings.Contains(s, p+"年")
}

var addressWords = lazyregexp.New(`省|市|区|县|路|街|号|大厦|园|楼|室|镇|道`)

func looksLikeAddress(v string) bool { return addressWords.MatchString(v) }

var (
	respondWithin = lazyregexp.New(number + `\s*(个)?(工作日|天|日|小时)(内|之内)?[^。；]{0,16}?(回复|答复|响应|处理|反馈|予以)`)
	respondIn     = lazyregexp.New(`(回复|答复|响应|反馈)[^。；]{0,12}?` + number + `\s*(个)?(工作日|天|日|小时)`)
)

// responseTimes finds how long the operator takes to answer requests.
func responseTimes(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !s.has(responseGate) || !s.has(periodGate) {
			continue
		}
		for _, re := range []*lazyregexp.Regexp{respondWithin, respondIn} {
			for _, m := range re.FindAllStringSubmatchIndex(s.Text, -1) {
				if v := period(submatches(s.Text, m)); v != "" {
					out = append(out, Fact{Type: ResponseTime, Value: v, Line: s.LineAt(m[0]), Context: clip(s.Text)})
				}
			}
		}
	}
	return out
}

const datePattern = `(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`

var (
	updated   = lazyregexp.New(`(更新日期|更新时间|最近更新|最新更新|修订日期|修改日期|版本日期|发布日期|版本更新日期)[^\d]{0,6}` + datePattern)
	effective = lazyregexp.New(`(生效日期|生效时间|施行日期|起施行|起生效)[^\d]{0,6}` + datePattern + `|` + datePattern + `(起)?(生效|施行|正式实施)`)
	revisedOn = lazyregexp.New(`于` + datePattern + `(修改|修订|更新)`)
	dateParts = lazyregexp.New(`(\d{4})\D+(\d{1,2})\D+(\d{1,2})`)
)

// dates finds when the policy was last updated and when it takes effect.
func dates(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		t := s.Text
		if !s.has(dateMarkGate) || !s.has(dateWordGate) {
			continue
		}
		for _, m := range updated.FindAllStringSubmatchIndex(t, -1) {
			out = append(out, Fact{Type: DateUpdated, Value: compactDate(t[m[4]:m[5]]), Line: s.LineAt(m[0]), Context: clip(t)})
		}
		for _, m := range revisedOn.FindAllStringSubmatchIndex(t, -1) {
			out = append(out, Fact{Type: DateUpdated, Value: compactDate(t[m[2]:m[3]]), Line: s.LineAt(m[0]), Context: clip(t)})
		}
		for _, m := range effective.FindAllStringSubmatchIndex(t, -1) {
			v := submatches(t, m)
			date := v[2]
			if date == "" {
				date = v[3]
			}
			out = append(out, Fact{Type: DateEffective, Value: compactDate(date), Line: s.LineAt(m[0]), Context: clip(t)})
		}
	}
	return out
}

func compactDate(s string) string { return strings.ReplaceAll(s, " ", "") }

// canonicalDate reads 2025年3月05日 and 2025-03-05 alike.
func canonicalDate(s string) string {
	m := dateParts.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	return fmt.Sprintf("%s-%02d-%02d", m[1], mo, day)
}

// canonicalPeriod reads 十五个工作日 as 15工作日 and 6个月 as 6月.
func canonicalPeriod(s string) string {
	m := periodParts.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return matchForm(s)
	}
	unit := m[2]
	switch unit {
	case "日", "自然日":
		unit = "天"
	case "个月":
		unit = "月"
	}
	return strconv.Itoa(chineseNumber(m[1])) + unit
}

var periodParts = lazyregexp.New(`^(\d+|[一二两三四五六七八九十百]+)\s*个?\s*(工作日|自然日|小时|日|天|周|个月|月|年)`)

// WorkingDays reads a response time as working days: 15个工作日 is 15,
// calendar days count five in seven (rounded down), weeks and months as
// calendar days. ok is false for what it cannot read.
func WorkingDays(period string) (days int, ok bool) {
	m := periodParts.FindStringSubmatch(strings.TrimSpace(period))
	if m == nil {
		return 0, false
	}
	n := chineseNumber(m[1])
	if n < 0 {
		return 0, false
	}
	switch m[2] {
	case "工作日":
		return n, true
	case "小时":
		return (n + 23) / 24 * 5 / 7, true
	case "周":
		return n * 5, true
	case "个月", "月":
		return n * 30 * 5 / 7, true
	case "年":
		return n * 365 * 5 / 7, true
	}
	return n * 5 / 7, true
}

// MaxResponseWorkingDays is the longest answer time the 2019 App rules and
// GB/T 35273-2020 8.7 practice accept: fifteen working days.
const MaxResponseWorkingDays = 15

// digits counts the ASCII digits of s.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func labelledPhones(s string) [][]string {
	if digits(s) < 5 {
		return nil
	}
	return labelledPhone.FindAllStringSubmatch(s, -1)
}

// digitsOf keeps the digits of a phone number.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Number reads a number as policies write it: 15, 十五, 三十 (up to 99);
// -1 when s is not one.
func Number(s string) int { return chineseNumber(strings.TrimSpace(s)) }
