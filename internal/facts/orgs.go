package facts

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
	"github.com/policywatch/policywatch/internal/runes"
)

// orgPattern finds organisation names: a run of name characters ending in
// a legal-form suffix (…有限公司, …股份有限公司, …集团, Co., Ltd. …), with an
// optional branch (…分公司). A bare …公司 is not enough: in policies it is
// nearly always a common noun (关联公司, 保险公司, 任何公司).
var orgPattern = lazyregexp.New(`[\p{Han}A-Za-z0-9（）()·&\-]{2,60}?(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司|集团|研究院|合伙企业(?:（有限合伙）)?)(?:[\p{Han}]{2,10}分公司)?|[A-Z][A-Za-z0-9&.,'()\- ]{1,60}?(?:Co\.,? ?Ltd\.?|Inc\.|LLC|Ltd\.|Limited|Corporation|Corp\.|GmbH|Pte\. Ltd\.)`)

// leadIns are words that introduce a name in running text; a name starts
// after the last of them ("极物商城由关联方浙江浩物…" → "浙江浩物…").
var leadIns = []string{"运营主体", "主体为", "主体是", "遵守", "运营者为", "经营者为", "提供者为", "关联方", "合作方", "合作伙伴", "第三方", "运营方", "提供方", "服务商", "委托", "授权", "包括", "例如", "如下",
	"不适用于", "适用于", "不会与", "不会向", "可能会与", "可能与", "会与", "会向", "提供给", "共享给", "委托给", "授权给",
	"来自", "属于", "以及", "或者", "通过", "包括但不限于"}

// notAName marks candidates that are clauses, not names.
var notAName = lazyregexp.New(`我们|您|任何|以外|不会|可能|如果|这些|上述|其他|其它|及其|关联公司|之|该等`)

// leadChars introduce a name too, but they also occur inside names
// (北京三快在线科技), so a name starts after one only where a place name
// follows: Chinese registered names begin with their region.
const leadChars = "由是即为向与和及或将给的于在经从对如请被"

var places = []string{"北京", "上海", "天津", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
	"江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
	"广西", "西藏", "宁夏", "新疆", "香港", "澳门", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安", "厦门",
	"宁波", "青岛", "大连", "沈阳", "长沙", "郑州", "合肥", "济南", "福州", "无锡", "珠海", "东莞", "佛山", "中国", "中华"}

func startsWithPlace(s string) bool {
	for _, p := range places {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// generic names are words for "a company", not a company.
var generic = lazyregexp.New(`^(本|该|此|其|其他|其它|相关|关联|合作|第三方|我们|我司|贵|各|任何|一家|上述|以下|下列|子|母|保险|银行|支付|快递|物流|运营商|电信运营商|云服务|技术|服务|外包)?(公司|集团|有限公司|股份有限公司|研究院)$`)

// OrganisationsIn returns the organisation names a text names, in order.
func OrganisationsIn(text string) []string { return findOrgs(text) }

// findOrgs returns the organisation names in a line, in order.
func findOrgs(line string) []string {
	if !hasAny(line, orgWords...) {
		return nil
	}
	var out []string
	for _, w := range orgWindows(line) {
		for _, m := range orgPattern.FindAllString(w, -1) {
			if name := cleanOrg(m); name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// orgWindows are the stretches of a line that can hold an organisation's
// name: up to sixty characters before each legal-form word, and twelve
// after (a branch's name). The pattern runs on these alone, not on the
// whole line.
func orgWindows(line string) []string {
	if len(line) < 200 {
		return []string{line}
	}
	var spans [][2]int
	for _, w := range orgWords {
		for i := 0; ; {
			j := strings.Index(line[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			spans = append(spans, [2]int{back(line, at, 60), forward(line, at+len(w), 12)})
			i = at + len(w)
		}
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a][0] < spans[b][0] })
	var out []string
	for k := 0; k < len(spans); {
		from, to := spans[k][0], spans[k][1]
		for k++; k < len(spans) && spans[k][0] <= to; k++ {
			to = max(to, spans[k][1])
		}
		out = append(out, line[from:to])
	}
	return out
}

// back moves n runes back from byte i; forward moves n runes on.
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func forward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// cleanOrg cuts lead-in words and brackets off a candidate and rejects
// generic words.
func cleanOrg(s string) string {
	s = strings.TrimLeft(s, "（()）·&-")
	cut := -1
	for _, w := range leadIns {
		if i := strings.LastIndex(s, w); i >= 0 && i+len(w) > cut && utf8.RuneCountInString(s[i+len(w):]) >= 5 {
			cut = i + len(w)
		}
	}
	if cut >= 0 {
		s = s[cut:]
	}
	// The last lead-in character followed by a place name.
	for i := len(s) - 1; i >= 0; i-- {
		if !utf8.RuneStart(s[i]) {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(leadChars, r) && startsWithPlace(s[i+size:]) {
			s = s[i+size:]
			break
		}
	}
	s = strings.TrimLeft(s, "（()）·&- ")
	if rest, ok := strings.CutPrefix(s, "公司"); ok && startsWithPlace(rest) { // "第三方公司贵州…"
		s = rest
	}
	if generic.MatchString(s) || notAName.MatchString(s) || utf8.RuneCountInString(s) < 5 {
		return ""
	}
	return s
}

// operatorPatterns say who "we" are.
var (
	// …有限公司（以下简称"…"或"我们"）; …以下统称"我们"
	defines = lazyregexp.New(`以下(?:简称|统称|称)[^。]{0,30}?(?:我们|本公司|我司)|(?:简称|统称|亦称为?|合称)[“"]?(?:我们|本公司)`)
	// "我们"…即/是/指 …有限公司
	weAre = lazyregexp.New(`(?:我们|本公司)[”"]?[^。]{0,12}?(?:即|是指|指|是)`)
	// 运营者 / 个人信息处理者 / 开发者 …: …有限公司
	role = lazyregexp.New(`(?:运营者|运营方|经营者|个人信息处理者|开发者|服务提供者|主体)(?:为|是|[:：])`)
)

var aboutUs = lazyregexp.New(`我们|本政策|本隐私政策|本声明|本平台|本应用|本产品|运营|开发|提供`)

// operator finds who issues the policy: the organisation "we" are defined
// as near the start, else the first organisation named there.
func operator(d *doc) *Fact {
	limit := min(len(d.lines), 150) // some policies open with a summary
	for i := 0; i < limit; i++ {
		line := d.line(i)
		if !hasAny(line, orgWords...) || !hasAny(line, "我们", "本公司", "运营", "经营", "处理者", "开发者", "提供者", "主体") {
			continue // every pattern below names an organisation and who "we" are
		}
		if loc := defines.FindStringIndex(line); loc != nil {
			// The organisation named last before the definition.
			if orgs := findOrgs(line[:loc[0]]); len(orgs) > 0 {
				return &Fact{Type: Operator, Value: orgs[len(orgs)-1], Line: i + 1, Context: clip(line)}
			}
		}
		for _, re := range []*lazyregexp.Regexp{weAre, role} {
			if loc := re.FindStringIndex(line); loc != nil {
				if orgs := findOrgs(line[loc[1]:]); len(orgs) > 0 {
					return &Fact{Type: Operator, Value: orgs[0], Line: i + 1, Context: clip(line)}
				}
			}
		}
	}
	// Else the first organisation named near the start in a sentence about
	// the service (not in a table of recipients).
	for i := 0; i < min(len(d.lines), 20); i++ {
		line := d.line(i)
		if strings.HasPrefix(line, "|") || !aboutUs.MatchString(line) {
			continue
		}
		if orgs := findOrgs(line); len(orgs) > 0 {
			return &Fact{Type: Operator, Value: orgs[0], Line: i + 1, Context: clip(line)}
		}
	}
	return nil
}

// roles are how a sentence says an organisation handles the data.
var roles = []struct{ word, role string }{
	{"共同处理", "共同处理"}, {"共同决定", "共同处理"}, {"委托", "委托处理"}, {"受托", "委托处理"},
	{"共享", "共享"}, {"提供给", "共享"}, {"转让", "转让"}, {"关联方", "关联方"}, {"关联公司", "关联方"},
	{"负责运营", "运营"}, {"运营", "运营"},
}

// organisations lists the organisations a policy names besides its
// operator, with what the sentence says of their role, and with purpose,
// information and link where a table or a block of labelled lines gives
// them.
func organisations(d *doc, op *Fact) []Fact {
	var out []Fact
	for _, rec := range records(d) {
		if rec.name == "" || (op != nil && rec.name == op.Value) || isSDKName(rec.name) {
			continue
		}
		out = append(out, Fact{Type: ThirdParty, Value: rec.name, Line: rec.line, Purpose: rec.purpose,
			PI: rec.pi, URL: rec.url, Role: "共享", Context: clip(d.line(rec.line - 1))})
	}
	for i := range d.Sentences {
		s := &d.Sentences[i]
		for _, name := range findOrgs(s.Text) {
			if op != nil && name == op.Value {
				continue
			}
			out = append(out, Fact{Type: ThirdParty, Value: name, Line: s.LineAt(strings.Index(s.Text, name)), Role: roleIn(s.Text), Context: clip(s.Text)})
		}
	}
	return out
}

func roleIn(sentence string) string {
	var found []string
	for _, r := range roles {
		if strings.Contains(sentence, r.word) && !slices.Contains(found, r.role) {
			found = append(found, r.role)
		}
	}
	return strings.Join(found, "、")
}

// clip shortens context to keep reports readable.
func clip(s string) string { return runes.Clip(strings.TrimSpace(s), 160) }

// sharingVerb marks a sentence that gives information to someone.
var sharingVerb = lazyregexp.New(`提供|共享|披露|报送|提交|转交|告知|通报|移交|查询|核验|比对|协助|(?i:\b(disclose|share|provide|transfer|report|comply|respond to|request)\w*)`)

// authorities finds the public bodies a policy says may receive
// information (公安机关, 消费者权益保护部门 …), in sentences that give
// information to someone.
func authorities(d *doc) []Fact {
	var out []Fact
	d.eachUnnegated(ThirdParty, func(s *Sentence, mt match) {
		f := Fact{Type: ThirdParty, Value: s.Text[mt.start:mt.end], Canonical: mt.concept.Canonical, Role: "国家机关",
			Line: s.LineAt(mt.start), Context: clip(s.Text)}
		d.mention(f)
		if sharingVerb.MatchString(s.Text) {
			out = append(out, f)
		}
	})
	return out
}

// productList finds the products or affiliates a sentence lists by name:
// "关联产品包括但不限于扣子、猫箱、星绘".
var productList = lazyregexp.New(`(关联产品|关联方产品|关联应用|关联公司|关联方|合作方|合作伙伴)(?:包括但不限于|包括|例如|如|为|有)[：:]?\s*((?:[\p{Han}A-Za-z0-9·+]{2,12}[、，,和及与])+[\p{Han}A-Za-z0-9·+]{2,12})`)

// notProductNames are list items that are no names.
var notProductNames = lazyregexp.New(`我们|您|你|其他|其它|相关|第三方|公司|服务|产品|应用|平台|功能|信息|等$`)

// products finds products and affiliates a policy names as sharing an
// account or receiving information, where it lists them by name.
func products(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if !hasAny(s.Text, "关联", "合作") {
			continue
		}
		for _, m := range productList.FindAllStringSubmatchIndex(s.Text, -1) {
			list := s.Text[m[4]:m[5]]
			role := "关联方"
			if strings.HasPrefix(s.Text[m[2]:m[3]], "合作") {
				role = "合作方"
			}
			offset := m[4]
			for _, name := range listItems.Split(list, -1) {
				at := offset + strings.Index(list, name)
				name = strings.TrimSuffix(name, "等")
				if utf8.RuneCountInString(name) < 2 || notProductNames.MatchString(name) || len(findOrgs(name)) > 0 {
					continue
				}
				out = append(out, Fact{Type: ThirdParty, Value: name, Role: role, Line: s.LineAt(at), Context: clip(s.Text)})
			}
		}
	}
	return out
}

var listItems = lazyregexp.New(`[、，,和及与]`)
