package facts

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// Categories of GB/T 35273-2020 Appendix A that the rules name (the full
// list is vocab.txt's).
const (
	catMinor = "未成年人信息" // PIPL Art. 28: under 14, always sensitive
)

// Negation: a word of negation (不会, 无需 …), perhaps a modifier (主动,
// 默认 …), then a verb of processing (收集, 共享 …) turns a statement of
// processing around (我们不会收集…): the terms after it, up to a "but" or
// "unless", are not processed.
var (
	negationWords = []string{"不会", "不得", "并不", "无需", "不需要", "不再", "从不", "绝不", "均不", "不", "未", "无"}
	negationMods  = []string{"主动", "默认", "会", "向您", "向你"}
	negatedVerbs  = []string{"收集", "获取", "读取", "保存", "存储", "上传", "要求", "申请", "调用", "使用", "处理", "共享", "提供", "访问", "开启", "采集", "索取", "传输", "披露", "转让"}
	negationEnds  = lazyregexp.New(`但|除非|除外|除了|而是|仅|只有|只会|只在|同时|此外|另外`)
)

// negatedSpans returns the byte ranges of a sentence that negations
// govern.
func negatedSpans(sent *Sentence) [][2]int {
	if !sent.has(negationGate) || !sent.has(negatedVerbGate) {
		return nil
	}
	s := sent.Text
	var spans [][2]int
	for i := 0; i < len(s); {
		end := negationAt(s, i)
		if end < 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		stop := len(s)
		if e := negationEnds.FindStringIndex(s[end:]); e != nil {
			stop = end + e[0]
		}
		spans = append(spans, [2]int{i, stop})
		i = end
	}
	return spans
}

// negationAt returns where a negated verb starting at i ends, or -1.
func negationAt(s string, i int) int {
	for _, n := range negationWords {
		if !strings.HasPrefix(s[i:], n) {
			continue
		}
		j := i + len(n)
		for _, m := range negationMods {
			if strings.HasPrefix(s[j:], m) {
				j += len(m)
				break
			}
		}
		for _, v := range negatedVerbs {
			if strings.HasPrefix(s[j:], v) {
				return j + len(v)
			}
		}
	}
	return -1
}

func inSpans(spans [][2]int, at int) bool {
	for _, sp := range spans {
		if at >= sp[0] && at < sp[1] {
			return true
		}
	}
	return false
}

// definition marks sentences that define terms ("个人敏感信息是指…包括…"):
// their examples are not information the policy collects.
var definition = lazyregexp.New(`^[^，,。]{1,16}[：:]\s*指|是指|指的是|定义|举例|例如[^，。；]{0,6}等属于`)

// processingVerb marks a sentence about handling information, where a
// generic word (文件, 图片) in an enumeration names what is handled.
var processingVerb = lazyregexp.New(`收集|获取|接收|上传|输入|发送|读取|使用|处理|提供|存储|保存|分析|识别|录制|拍摄|采集|调用|访问|共享|包括|包含|(?i:\b(collect|receive|upload|provide|use|process|store|share|submit|send|input|include|obtain|access)\w*)`)

// personalInformation finds the kinds of personal information a policy
// says it processes, and records every concept it names.
func personalInformation(d *doc) []Fact {
	var out []Fact
	d.eachUnnegated(PI, func(s *Sentence, mt match) {
		if namesPermission(s.Text, mt) || labelsContact(s.Text, mt) {
			return // 剪切板的读写权限; 联系电话：957126
		}
		f := piFact(*s, mt)
		d.mention(f)
		if d.defines(*s) || mt.concept.Generic && !((s.Item || processingVerb.MatchString(s.Text)) && enumerated(s.Text, mt)) {
			return
		}
		out = append(out, f)
	})
	return out
}

// eachUnnegated calls fn for each concept of a type that a sentence names
// outside the scope of a negation.
func (d *doc) eachUnnegated(typ Type, fn func(s *Sentence, mt match)) {
	m := vocab().matchers[typ]
	for i := range d.Sentences {
		s := &d.Sentences[i]
		ms := m.findIn(s)
		if len(ms) == 0 {
			continue
		}
		neg := s.negatedSpans()
		for _, mt := range ms {
			if !inSpans(neg, mt.start) {
				fn(s, mt)
			}
		}
	}
}

func piFact(s Sentence, mt match) Fact {
	c := mt.concept
	return Fact{Type: PI, Value: s.Text[mt.start:mt.end], Canonical: c.Canonical, Category: c.Category,
		Sensitive: boolPtr(c.Sensitive), Line: s.LineAt(mt.start), Context: clip(s.Text)}
}

// namesPermission reports a term that names a permission here: 剪切板的读写权限.
func namesPermission(s string, mt match) bool {
	after := s[mt.end:]
	for i, r := range after {
		if i >= 12 || strings.ContainsRune("、，,。；;", r) {
			break
		}
		if strings.HasPrefix(after[i:], "权限") {
			return true
		}
	}
	return false
}

// contactValue is what a contact label introduces: a number or an e-mail
// address.
var contactValue = lazyregexp.New(`^[\s:：为是(（]{0,3}(\+?\d[\d\- ]{3,}|[A-Za-z0-9._%+\-]+@)`)

// labelsContact reports a term that labels the operator's own contact
// (联系电话：957126, 举报邮箱(jubao@…)), not information it collects.
func labelsContact(s string, mt match) bool {
	return contactValue.MatchString(s[mt.end:])
}

// enumerated reports a term that stands as an item of a list (after a
// list mark, between enumeration commas) or right after 您的, 上传 ….
func enumerated(s string, mt match) bool {
	before, after := s[:mt.start], s[mt.end:]
	prev, _ := utf8.DecodeLastRuneInString(before)
	next, _ := utf8.DecodeRuneInString(after)
	const marks = "、,，/（(：:；;"
	if strings.ContainsRune(marks, prev) || strings.ContainsRune(marks+"）)等", next) {
		return true
	}
	for _, w := range []string{"和", "及", "或", "与", "以及"} {
		if strings.HasSuffix(before, w) || strings.HasPrefix(after, w) {
			return true
		}
	}
	for _, w := range []string{"你的", "您的", "上传", "输入", "发送", "提供", "拍摄", "录制", "分享"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return mt.start == 0 || mt.end == len(s)
}

// permissionContext marks a sentence about permissions.
var permissionContext = []string{"权限", "授权", "授予", "permission", "access to", "allow", "enable", "grant", "turn on", "开启", "打开", "访问", "调用", "申请", "允许", "启用", "自启", "唤醒"}

// nearPermissionWord reports a permission's name within a few characters
// of a word about permissions (权限, 开启, 授权 …) in its clause: "存储"
// alone is a verb as often as a permission.
func nearPermissionWord(s string, mt match) bool {
	// About five characters before, fifteen after: an enumeration of
	// names often ends in 权限 ("麦克风、相册（存储）、蓝牙权限").
	from, to := max(0, mt.start-16), min(len(s), mt.end+48)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to++
	}
	before, after := s[from:mt.start], s[mt.end:to]
	if i := strings.LastIndexAny(before, "。；;"); i >= 0 {
		before = before[i:]
	}
	if i := strings.IndexAny(after, "。；;，,"); i >= 0 {
		after = after[:i]
	}
	return hasAny(before+"\x00"+after, permissionContext...)
}

// permissionName finds "X权限" after a word that leads into a
// permission's name (开启, 授予, 的, 、 …); leads inside the name are cut
// off later.
var permissionName = lazyregexp.New(`(?:开启|打开|授予|授权|获取|申请|调用|使用|需要|允许|的|、|和|及|或|与)([\p{Han}A-Za-z0-9/]{2,12}?)(?:的)?(?:读写|使用|访问|调用)?权限`)

var permissionLeads = []string{"开启设备的", "开启", "打开", "授予", "获取", "申请", "调用", "使用", "需要", "设备的", "系统的", "手机的", "的", "及", "和", "以及", "或", "与", "、"}

// notPermissionNames are words before 权限 that name no permission.
var notPermissionNames = lazyregexp.New(`^(相关|敏感|系统|对应|上述|这些|该|此|必要|任何|设备|应用|手机|所需|前述|部分|其他|其它|全部|所有|以上|更多|特定|管理|选择|具体|可选|必需|访问|使用|调用|读写|某些|某项|这项|该项|各项|授权|个人信息|信息|数据|账号|帐号|账户|用户|管理员|操作|系统级)$|^者|这些|全部|严格|说明|查看|决定|设置|我们|您|你|^(调整|修改|变更|管理|开通|关闭|授予|获得|取得|拥有|分配|限制|赋予|收回|撤销|操作|编辑|查阅)`)

// permissions finds the system permissions a policy asks for: words of the
// vocabulary in sentences about permissions (or anywhere, for unambiguous
// ones such as 自启动), and any other "X权限".
func permissions(d *doc) []Fact {
	var out []Fact
	m := vocab().matchers[Permission]
	for i := range d.Sentences {
		s := &d.Sentences[i]
		ms := m.findIn(s)
		neg := s.negatedSpans()
		var covered [][2]int
		for _, mt := range ms {
			if inSpans(neg, mt.start) {
				continue
			}
			f := Fact{Type: Permission, Value: s.Text[mt.start:mt.end], Canonical: mt.concept.Canonical,
				Line: s.LineAt(mt.start), Context: clip(s.Text)}
			d.mention(f)
			if !mt.concept.Unambiguous && !strings.Contains(s.Text[mt.start:mt.end], "权限") && !nearPermissionWord(s.Text, mt) {
				continue
			}
			out = append(out, f)
			covered = append(covered, [2]int{mt.start, mt.end})
		}
		if !strings.Contains(s.Text, "权限") {
			continue
		}
		for _, loc := range permissionName.FindAllStringSubmatchIndex(s.Text, -1) {
			name := trimLeads(s.Text[loc[2]:loc[3]], permissionLeads)
			if inSpans(neg, loc[0]) || overlaps(covered, loc[3]-len(name), loc[1]) {
				continue
			}
			if name == "" || notPermissionNames.MatchString(name) || utf8.RuneCountInString(name) < 2 {
				continue
			}
			f := Fact{Type: Permission, Value: name + "权限", Canonical: name, Line: s.LineAt(loc[2]), Context: clip(s.Text)}
			if c := namedPermission(name); c != nil {
				f.Canonical = c.Canonical
			}
			d.mention(f)
			out = append(out, f)
		}
	}
	return out
}

// overlaps reports a span [from, to) that meets one of the spans.
func overlaps(spans [][2]int, from, to int) bool {
	for _, sp := range spans {
		if from < sp[1] && sp[0] < to {
			return true
		}
	}
	return false
}

// trimLeads cuts the last lead word and everything before it.
func trimLeads(s string, leads []string) string {
	for {
		cut := -1
		for _, w := range leads {
			if i := strings.LastIndex(s, w); i >= 0 && i+len(w) > cut {
				cut = i + len(w)
			}
		}
		if cut <= 0 || cut >= len(s) {
			if cut == len(s) {
				return ""
			}
			return strings.Trim(s, "（）() ")
		}
		s = s[cut:]
	}
}

// namedPermission is the vocabulary's permission a "X权限" names: X
// itself, or the one permission named inside it (本地文件读写/存储 → 存储).
func namedPermission(name string) *Concept {
	if c := lookup(Permission, name); c != nil {
		return c
	}
	var found *Concept
	for _, m := range vocab().matchers[Permission].find(name) {
		if found != nil && found != m.concept {
			return nil
		}
		found = m.concept
	}
	return found
}

// lookup finds the concept of a type whose surface is exactly s.
func lookup(typ Type, s string) *Concept {
	key := matchForm(s)
	for _, c := range vocab().concepts[typ] {
		for _, w := range c.Surfaces {
			if matchForm(w) == key {
				return c
			}
		}
	}
	return nil
}

// Lookup is the concept of a type that s names, if the vocabulary has it.
func Lookup(typ Type, s string) *Concept { return lookup(typ, s) }

// defines reports a sentence on a line that defines terms: the examples
// of a definition ("个人敏感信息：指…。包括身份证件号码…") are not
// information the policy collects.
func (d *doc) defines(s Sentence) bool {
	if d.definitions == nil {
		d.definitions = make([]int8, len(d.lines))
	}
	switch d.definitions[s.Line-1] {
	case 1:
		return true
	case -1:
		return false
	}
	line := d.lines[s.Line-1]
	is := hasAny(line, "指", "定义", "举例", "例如") && definition.MatchString(line)
	d.definitions[s.Line-1] = map[bool]int8{true: 1, false: -1}[is]
	return is
}
