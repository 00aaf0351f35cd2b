package analyze

import (
	"fmt"
	"io"
	"strings"

	"github.com/policywatch/policywatch/internal/facts"
)

// words holds the report's phrases in each language.
type words struct {
	levels     map[string]string
	kinds      map[string]string
	editorial  map[string]string
	directions map[string]string
	topics     map[string]string
	factTypes  map[string]string
}

var zh = words{
	levels: map[string]string{LevelNone: "无变化", LevelEditorial: "编辑性修订", LevelMinor: "轻微变更",
		LevelSubstantive: "实质性变更", LevelMajor: "重大变更"},
	kinds:      map[string]string{"added": "新增", "removed": "删除", "modified": "修改", "moved": "移动"},
	editorial:  map[string]string{"formatting": "格式调整", "dates": "日期更新", "renumbering": "编号调整", "typo": "文字勘误"},
	directions: map[string]string{Widens: "扩大了个人信息处理或削弱了用户权利", Narrows: "收窄了个人信息处理或增强了用户权利", Neutral: "对处理范围影响中性", Mixed: "既有扩大也有收窄"},
	topics: map[string]string{"collection": "数据收集", "permission": "权限获取", "sharing": "共享与委托处理", "usage": "使用",
		"retention": "存储", "security": "安全措施", "special_audience": "未成年人等特殊人群", "rights": "用户权利",
		"contact": "联系方式", "policy_change": "政策变更", "cessation": "停止运营"},
	factTypes: map[string]string{facts.Operator: "运营者", facts.ThirdParty: "第三方", facts.SDK: "SDK", facts.PI: "个人信息",
		facts.Permission: "权限", facts.Right: "用户权利", facts.Retention: "保存期限", facts.StorageLocation: "存储地点",
		facts.CrossBorder: "跨境传输", facts.MinorAge: "未成年人年龄", facts.ContactPhone: "联系电话", facts.ContactEmail: "联系邮箱",
		facts.ContactAddress: "联系地址", facts.ResponseTime: "响应时限", facts.DateUpdated: "更新日期", facts.DateEffective: "生效日期"},
}

var en = words{
	levels: map[string]string{LevelNone: "no change", LevelEditorial: "editorial", LevelMinor: "minor",
		LevelSubstantive: "substantive", LevelMajor: "major"},
	kinds:      map[string]string{"added": "Added", "removed": "Removed", "modified": "Modified", "moved": "Moved"},
	editorial:  map[string]string{"formatting": "formatting", "dates": "dates updated", "renumbering": "renumbering", "typo": "typo fixed"},
	directions: map[string]string{Widens: "widens processing or weakens users' rights", Narrows: "narrows processing or strengthens users' rights", Neutral: "neutral for processing", Mixed: "both widens and narrows"},
	topics: map[string]string{"collection": "collection", "permission": "permissions", "sharing": "sharing and processors", "usage": "use",
		"retention": "storage", "security": "security", "special_audience": "minors and special groups", "rights": "users' rights",
		"contact": "contact", "policy_change": "policy changes", "cessation": "end of service"},
	factTypes: map[string]string{facts.Operator: "operator", facts.ThirdParty: "third party", facts.SDK: "SDK", facts.PI: "personal information",
		facts.Permission: "permission", facts.Right: "user right", facts.Retention: "retention period", facts.StorageLocation: "storage location",
		facts.CrossBorder: "cross-border transfer", facts.MinorAge: "minors' age", facts.ContactPhone: "phone", facts.ContactEmail: "e-mail",
		facts.ContactAddress: "address", facts.ResponseTime: "response time", facts.DateUpdated: "date updated", facts.DateEffective: "date effective"},
}

func wordsFor(lang string) words {
	if lang == "en" {
		return en
	}
	return zh
}

// LevelName is a level in words.
func LevelName(level, lang string) string { return wordsFor(lang).levels[level] }

func valuesOf(fs []facts.Fact, types ...string) []string {
	var out []string
	for _, f := range fs {
		for _, t := range types {
			if f.Type == t && !contains(out, f.Value) {
				out = append(out, f.Value)
			}
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sensitiveValues(fs []facts.Fact) []string {
	var out []string
	for _, f := range fs {
		if f.Type == facts.PI && f.Sensitive != nil && *f.Sensitive && !contains(out, f.Value) {
			out = append(out, f.Value)
		}
	}
	return out
}

// impact is one sentence on what a change means for users.
func impact(c Change, lang string) string {
	w := wordsFor(lang)
	list := func(xs []string) string {
		if lang == "en" {
			return strings.Join(xs, ", ")
		}
		return strings.Join(xs, "、")
	}
	if !c.Substantive {
		if lang == "en" {
			return fmt.Sprintf("Editorial (%s); no effect on how personal information is processed.", w.editorial[c.Editorial])
		}
		return fmt.Sprintf("属于%s，不影响个人信息的处理。", w.editorial[c.Editorial])
	}
	replaced := replacedRecipients(&c)
	var oldRec, newRec []string
	for _, f := range c.Facts.Removed {
		if replaced[f.Value] {
			oldRec = append(oldRec, f.Value)
		}
	}
	for _, f := range c.Facts.Added {
		if replaced[f.Value] {
			newRec = append(newRec, f.Value)
		}
	}
	var parts []string
	if len(oldRec) > 0 && len(newRec) > 0 {
		role := roleOf(c.Facts.Added, newRec[0])
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("The party that %s changes from %s to %s: users' data will be handled by a different company, under the same role.", roleEN(role), list(oldRec), list(newRec)))
		} else {
			parts = append(parts, fmt.Sprintf("%s由%s变更为%s：您的个人信息将由新的主体处理，其角色不变。", roleZH(role), list(oldRec), list(newRec)))
		}
	}
	add := func(zhFmt, enFmt string, xs []string) {
		if len(xs) == 0 {
			return
		}
		if lang == "en" {
			parts = append(parts, fmt.Sprintf(enFmt, list(xs)))
		} else {
			parts = append(parts, fmt.Sprintf(zhFmt, list(xs)))
		}
	}
	notReplaced := func(fs []facts.Fact, types ...string) []string {
		var out []string
		for _, v := range valuesOf(fs, types...) {
			if !replaced[v] {
				out = append(out, v)
			}
		}
		return out
	}
	add("新增收集敏感个人信息：%s，处理前应取得您的单独同意。", "Newly collects sensitive personal information: %s, which needs your separate consent.", sensitiveValues(c.Facts.Added))
	var plain []string
	for _, v := range valuesOf(c.Facts.Added, facts.PI) {
		if !contains(sensitiveValues(c.Facts.Added), v) {
			plain = append(plain, v)
		}
	}
	add("新增提及的个人信息：%s。", "Newly mentions personal information: %s.", plain)
	add("不再提及的个人信息：%s。", "No longer mentions personal information: %s.", valuesOf(c.Facts.Removed, facts.PI))
	add("新增第三方：%s。", "New third party: %s.", notReplaced(c.Facts.Added, facts.ThirdParty))
	add("不再提及第三方：%s。", "Third party no longer named: %s.", notReplaced(c.Facts.Removed, facts.ThirdParty))
	add("新增第三方SDK：%s。", "New third-party SDK: %s.", notReplaced(c.Facts.Added, facts.SDK))
	add("移除第三方SDK：%s。", "Third-party SDK removed: %s.", notReplaced(c.Facts.Removed, facts.SDK))
	add("新增申请的权限：%s。", "New permission requested: %s.", valuesOf(c.Facts.Added, facts.Permission))
	add("不再申请的权限：%s。", "Permission no longer requested: %s.", valuesOf(c.Facts.Removed, facts.Permission))
	add("新增用户权利的说明：%s。", "New statement of users' rights: %s.", valuesOf(c.Facts.Added, facts.Right))
	add("删除了用户权利的说明：%s，您的权利可能受到限制。", "Removed statement of users' rights: %s; your rights may be limited.", valuesOf(c.Facts.Removed, facts.Right))
	add("保存期限变为：%s。", "Retention now stated as: %s.", valuesOf(c.Facts.Added, facts.Retention))
	add("存储地点变为：%s。", "Storage location now: %s.", valuesOf(c.Facts.Added, facts.StorageLocation))
	add("跨境传输的表述变为：%s。", "Cross-border transfer now stated as: %s.", valuesOf(c.Facts.Added, facts.CrossBorder))
	add("联系方式变为：%s。", "Contact details now: %s.", valuesOf(c.Facts.Added, facts.ContactPhone, facts.ContactEmail, facts.ContactAddress))
	add("响应时限变为：%s。", "Response time now: %s.", valuesOf(c.Facts.Added, facts.ResponseTime))
	if from, to := loweredAge(c); from != "" {
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("The minors' age threshold is lowered from %s to %s: children between these ages lose the protection of the stricter rules.", from, to))
		} else {
			parts = append(parts, fmt.Sprintf("未成年人年龄门槛由%s周岁降低为%s周岁：这一年龄段的儿童将不再受到更严格的保护。", from, to))
		}
	} else {
		add("未成年人年龄门槛变为：%s周岁。", "Minors' age threshold now: %s.", valuesOf(c.Facts.Added, facts.MinorAge))
	}
	if len(parts) == 0 {
		topics := topicNames(c.Categories, lang)
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("%s a clause on %s; it %s.", c.KindWord(lang), topics, w.directions[c.Direction]))
		} else {
			parts = append(parts, fmt.Sprintf("%s了关于%s的条款，%s。", c.KindWord(lang), topics, w.directions[c.Direction]))
		}
	}
	sep := ""
	if lang == "en" {
		sep = " "
	}
	return strings.Join(parts, sep)
}

// loweredAge reads the minors' age thresholds from a minor_age_lowered reason.
func loweredAge(c Change) (from, to string) {
	for _, r := range c.Reasons {
		if v, ok := strings.CutPrefix(r, "minor_age_lowered:"); ok {
			from, to, _ = strings.Cut(v, "→")
			return from, to
		}
	}
	return "", ""
}

// KindWord is the change's kind in words.
func (c Change) KindWord(lang string) string { return wordsFor(lang).kinds[c.Kind] }

func topicNames(cats []string, lang string) string {
	w := wordsFor(lang)
	var names []string
	for _, c := range cats {
		names = append(names, w.topics[c])
	}
	if len(names) == 0 {
		if lang == "en" {
			return "the policy"
		}
		return "政策内容"
	}
	if lang == "en" {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, "、")
}

func roleOf(fs []facts.Fact, value string) string {
	for _, f := range fs {
		if f.Value == value {
			return f.Role
		}
	}
	return ""
}

func roleZH(role string) string {
	switch {
	case strings.Contains(role, "共同处理") && strings.Contains(role, "运营"):
		return "负责运营并与我们共同处理您个人信息的关联方"
	case strings.Contains(role, "共同处理"):
		return "与我们共同处理您个人信息的一方"
	case strings.Contains(role, "运营"):
		return "负责运营的一方"
	case strings.Contains(role, "委托"):
		return "受托处理您个人信息的一方"
	case strings.Contains(role, "共享"):
		return "接收共享个人信息的一方"
	}
	return "相关第三方"
}

func roleEN(role string) string {
	switch {
	case strings.Contains(role, "共同处理") && strings.Contains(role, "运营"):
		return "runs the feature and jointly processes your personal information with the operator (an affiliate)"
	case strings.Contains(role, "共同处理"):
		return "jointly processes your personal information"
	case strings.Contains(role, "运营"):
		return "runs the feature"
	case strings.Contains(role, "委托"):
		return "processes your personal information on the operator's behalf"
	case strings.Contains(role, "共享"):
		return "receives shared personal information"
	}
	return "is involved"
}

// Statement is one sentence of the overall assessment with the changes it
// rests on (their IDs): every statement can be traced to its rows.
type Statement struct {
	Text    string `json:"text"`
	Changes []int  `json:"changes"`
}

// headlines are the built-in statements: the impacts of the first
// substantive changes, most serious first.
func headlines(r *Report) []Statement {
	out := []Statement{}
	for rank := Rank(LevelMajor); rank >= Rank(LevelMinor) && len(out) < 3; rank-- {
		for _, c := range r.Changes {
			if c.Substantive && Rank(c.Level) == rank && len(out) < 3 {
				out = append(out, Statement{Text: c.Impact, Changes: []int{c.ID}})
			}
		}
	}
	return out
}

// summary is the report's overall assessment: how many changes of which
// kind, the level, then the statements.
func summary(r *Report) string {
	var texts []string
	for _, st := range r.Statements {
		texts = append(texts, st.Text)
	}
	if r.Lang == "en" {
		return strings.TrimSpace(countSentence(r) + " " + strings.Join(texts, " "))
	}
	return countSentence(r) + strings.Join(texts, "")
}

// countSentence says how many changes of which kind, and the level.
func countSentence(r *Report) string {
	w := wordsFor(r.Lang)
	subst, edit := 0, 0
	for _, c := range r.Changes {
		if c.Substantive {
			subst++
		} else {
			edit++
		}
	}
	if len(r.Changes) == 0 {
		if r.Lang == "en" {
			return "The two versions have the same text after normalization."
		}
		return "两个版本在规范化后文字完全相同。"
	}
	if r.Lang == "en" {
		return fmt.Sprintf("This update has %d change(s): %d substantive, %d editorial. Overall level: %s.", len(r.Changes), subst, edit, w.levels[r.Level])
	}
	return fmt.Sprintf("本次更新共有%d处变更，其中实质性变更%d处、编辑性修订%d处，总体评估为：%s。", len(r.Changes), subst, edit, w.levels[r.Level])
}

// Rewrite replaces the report's prose (statements, change impacts by change
// ID, conclusion) with another engine's, keeping the rules' level and facts.
// Statements citing no existing change and impacts of unknown changes are
// dropped; it returns how many were.
func (r *Report) Rewrite(engine string, statements []Statement, impacts map[int]string, conclusion string) (dropped int) {
	exists := map[int]bool{}
	for _, c := range r.Changes {
		exists[c.ID] = true
	}
	var kept []Statement
	for _, st := range statements {
		var cites []int
		for _, id := range st.Changes {
			if exists[id] {
				cites = append(cites, id)
			}
		}
		if len(cites) == 0 || strings.TrimSpace(st.Text) == "" {
			dropped++
			continue
		}
		kept = append(kept, Statement{Text: strings.TrimSpace(st.Text), Changes: cites})
	}
	for id, text := range impacts {
		if !exists[id] || strings.TrimSpace(text) == "" {
			dropped++
			continue
		}
		for i := range r.Changes {
			if r.Changes[i].ID == id {
				r.Changes[i].Impact = strings.TrimSpace(text)
			}
		}
	}
	if len(kept) > 0 {
		r.Statements = kept
	}
	if strings.TrimSpace(conclusion) != "" {
		r.Conclusion = strings.TrimSpace(conclusion)
	}
	r.Engine = engine
	r.Summary = summary(r)
	return dropped
}

// conclusion says whether users need to act.
func conclusion(r *Report) string {
	if r.Lang == "en" {
		switch r.Level {
		case LevelNone, LevelEditorial:
			return "Nothing changes for users: no action is needed."
		case LevelMinor:
			return "The changes are limited; users need not act, though it is worth knowing who now handles their data."
		case LevelSubstantive:
			return "Users should read the changed clauses and review their settings and consents where the changes concern them."
		}
		return "Users should review these changes closely; where they do not agree, they can withdraw consent, change permissions or close their account."
	}
	switch r.Level {
	case LevelNone, LevelEditorial:
		return "本次更新对用户没有实际影响，无需采取任何行动。"
	case LevelMinor:
		return "本次变更范围有限，用户一般无需采取额外行动，但值得了解个人信息处理主体等方面的变化。"
	case LevelSubstantive:
		return "建议用户仔细阅读变更条款，并根据自身情况检查相关授权和设置。"
	}
	return "建议用户重点关注上述变更；如不同意，可撤回同意、关闭相关权限或注销账号。"
}

// MarkdownOptions place the report's links.
type MarkdownOptions struct {
	Title   string // e.g. the policy's name
	LinkTo  string // compare page URL the row anchors are appended to ("" for bare anchors)
	From    string // version labels for the heading, e.g. capture times
	To      string
	Heading bool // start with a level-1 heading
}

// WriteMarkdown writes the report as Markdown in the seed's structure:
// overall assessment, each change with its content and potential impact
// (linked to its row), conclusion.
func (r *Report) WriteMarkdown(out io.Writer, opt MarkdownOptions) error {
	var b strings.Builder
	en := r.Lang == "en"
	w := wordsFor(r.Lang)
	title := opt.Title
	if opt.Heading {
		if en {
			fmt.Fprintf(&b, "# %s: analysis of the changes\n\n", orDefault(title, "Policy"))
		} else {
			fmt.Fprintf(&b, "# %s版本变更分析报告\n\n", title)
		}
	}
	if en {
		b.WriteString("## 1. Overall assessment\n\n")
		if opt.From != "" {
			fmt.Fprintf(&b, "From **%s** to **%s**. ", opt.From, opt.To)
		}
	} else {
		b.WriteString("## 1. 总体评估\n\n")
		if opt.From != "" {
			fmt.Fprintf(&b, "本次从 **%s** 到 **%s** 的政策更新。", opt.From, opt.To)
		}
	}
	b.WriteString(countSentence(r))
	for _, st := range r.Statements {
		if en {
			b.WriteString(" ")
		}
		b.WriteString(st.Text)
		for _, id := range st.Changes {
			if c := r.change(id); c != nil {
				label := fmt.Sprintf("变更%d", id)
				if en {
					label = fmt.Sprintf("change %d", id)
				}
				fmt.Fprintf(&b, " [%s](%s#%s)", label, opt.LinkTo, c.Anchor)
			}
		}
	}
	b.WriteString("\n\n")
	if en {
		b.WriteString("## 2. Changes in detail\n\n")
	} else {
		b.WriteString("## 2. 详细变更点分析\n\n")
	}
	if len(r.Changes) == 0 {
		if en {
			b.WriteString("No changes.\n\n")
		} else {
			b.WriteString("没有变更。\n\n")
		}
	}
	for i, c := range r.Changes {
		link := opt.LinkTo + "#" + c.Anchor
		where := lineLabel(c, en)
		kind := w.kinds[c.Kind]
		if !c.Substantive {
			kind += map[bool]string{true: " (" + w.editorial[c.Editorial] + ")", false: "（" + w.editorial[c.Editorial] + "）"}[en]
		}
		fmt.Fprintf(&b, "%d. **%s** [%s](%s)", i+1, kind, where, link)
		if len(c.Categories) > 0 {
			fmt.Fprintf(&b, " · %s", topicNames(c.Categories, r.Lang))
		}
		b.WriteString("\n")
		if en {
			fmt.Fprintf(&b, "   * **What changed**: %s\n", describe(c, true))
			fmt.Fprintf(&b, "   * **Potential impact**: %s\n", c.Impact)
		} else {
			fmt.Fprintf(&b, "   * **变更内容**: %s\n", describe(c, false))
			fmt.Fprintf(&b, "   * **潜在影响**: %s\n", c.Impact)
		}
	}
	if en {
		b.WriteString("\n## 3. Conclusion\n\n")
	} else {
		b.WriteString("\n## 3. 结论\n\n")
	}
	b.WriteString(r.Conclusion + "\n\n---\n")
	if en {
		if r.Engine == EngineBuiltin {
			b.WriteString("*Analysis by builtin: policywatch's rules and its CAPP-130 clause classifier.*\n")
		} else {
			fmt.Fprintf(&b, "*Prose by %s over the changes, facts and level found by policywatch's rules.*\n", r.Engine)
		}
	} else {
		if r.Engine == EngineBuiltin {
			b.WriteString("*分析由 builtin 提供：policywatch 内置规则与基于 CAPP-130 训练的条款分类器。*\n")
		} else {
			fmt.Fprintf(&b, "*文字由 %s 撰写，变更、事实与等级由 policywatch 内置规则判定。*\n", r.Engine)
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// change returns the change with the ID, or nil.
func (r *Report) change(id int) *Change {
	for i := range r.Changes {
		if r.Changes[i].ID == id {
			return &r.Changes[i]
		}
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func lineLabel(c Change, en bool) string {
	n := 0
	if c.NewLine != nil {
		n = *c.NewLine
	} else if c.OldLine != nil {
		n = *c.OldLine
	}
	if en {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("第%d行", n)
}

// describe says what the change's text does: which words were replaced by
// which, or what was added, removed or moved.
func describe(c Change, en bool) string {
	lang := "zh"
	if en {
		lang = "en"
	}
	var b strings.Builder
	for _, p := range c.Description(lang) {
		if p.Strong {
			b.WriteString("**" + p.Text + "**")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// Piece is part of a description; Strong pieces are the words that changed.
type Piece struct {
	Text   string `json:"text"`
	Strong bool   `json:"strong,omitempty"`
}

// Description says what a change did, in pieces so that a page can mark
// the changed words without trusting markup.
func (c Change) Description(lang string) []Piece {
	en := lang == "en"
	q := func(s string) string {
		s = clipText(s, 80)
		if en {
			return "“" + s + "”"
		}
		return "「" + s + "」"
	}
	plain := func(s string) []Piece { return []Piece{{Text: s}} }
	switch c.Kind {
	case "added":
		if en {
			return plain("Added " + q(c.NewText) + ".")
		}
		return plain("新增" + q(c.NewText) + "。")
	case "removed":
		if en {
			return plain("Removed " + q(c.OldText) + ".")
		}
		return plain("删除" + q(c.OldText) + "。")
	case "moved":
		if en {
			return plain(fmt.Sprintf("Moved %s from line %d to line %d.", q(c.NewText), deref(c.OldLine), deref(c.NewLine)))
		}
		return plain(fmt.Sprintf("将%s从第%d行移至第%d行。", q(c.NewText), deref(c.OldLine), deref(c.NewLine)))
	}
	before, after := changedWords(c.OldText, c.NewText)
	if before != "" || after != "" {
		ctx := clipText(c.NewText, 60)
		if en {
			return []Piece{{Text: "In " + q(ctx) + ", "}, {Text: orDefault(before, "(nothing)"), Strong: true},
				{Text: " became "}, {Text: orDefault(after, "(nothing)"), Strong: true}, {Text: "."}}
		}
		return []Piece{{Text: "在" + q(ctx) + "中，将 "}, {Text: orDefault(before, "（空）"), Strong: true},
			{Text: " 修改为 "}, {Text: orDefault(after, "（空）"), Strong: true}, {Text: "。"}}
	}
	if en {
		return plain(fmt.Sprintf("Replaced %s with %s.", q(c.OldText), q(c.NewText)))
	}
	return plain(fmt.Sprintf("将%s修改为%s。", q(c.OldText), q(c.NewText)))
}

// changedWords returns the differing middle of two texts when the change
// is one place in a line ("浙江浩物网络科技" → "吉利汽车备件"); else "".
func changedWords(a, b string) (string, string) {
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	before, after := string(ra[p:len(ra)-s]), string(rb[p:len(rb)-s])
	if len([]rune(before)) > 60 || len([]rune(after)) > 60 || strings.Contains(before+after, "\n") {
		return "", ""
	}
	// Widen to whole organisation names when the difference sits inside one.
	return widenToName(ra, p, len(ra)-s, before), widenToName(rb, p, len(rb)-s, after)
}

// widenToName extends a changed span to the organisation name around it,
// so the report says which company replaced which.
func widenToName(text []rune, from, to int, span string) string {
	for _, org := range facts.OrganisationsIn(string(text)) {
		rs := []rune(string(text))
		for i := 0; i+len([]rune(org)) <= len(rs); i++ {
			if string(rs[i:i+len([]rune(org))]) == org && i <= from && i+len([]rune(org)) >= to {
				return org
			}
		}
	}
	return span
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func clipText(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

// Words a page needs to show a report in its language.

// Overview is the first sentence of the summary: how many changes of
// which kind, and the level.
func (r *Report) Overview() string { return countSentence(r) }

// Where is the change's line in words ("第147行", "line 147"); a removal
// is placed by its old line.
func (c Change) Where(lang string) string { return lineLabel(c, lang == "en") }

// TopicNames are the change's clause topics in words.
func (c Change) TopicNames(lang string) string {
	if len(c.Categories) == 0 {
		return ""
	}
	return topicNames(c.Categories, lang)
}

// EditorialName is why an editorial change is editorial, in words.
func (c Change) EditorialName(lang string) string { return wordsFor(lang).editorial[c.Editorial] }

// FactTypeName is a fact type in words.
func FactTypeName(typ, lang string) string { return wordsFor(lang).factTypes[typ] }
