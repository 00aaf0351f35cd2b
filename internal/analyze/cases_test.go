package analyze

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"

	"github.com/policywatch/policywatch/internal/facts"
)

// The cases of the issue "Explain real histories truthfully", each built
// from a real text: a development pair of ../shared/histories (豆包's
// policy of 2024-10-14, Open Terms Archive GenAI Contrib, ODC-By), the
// seeds, or the Zeekr fixture.

func doubao(t *testing.T) string {
	return readShared(t, "histories/doubao-privacy-policy-2024-10-14/old.md")
}

func compare(t *testing.T, oldText, newText string) *Report {
	t.Helper()
	r, err := Compare(oldText, newText, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func substantive(r *Report) []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Substantive {
			out = append(out, c)
		}
	}
	return out
}

func edit(r *Report, kind string) (EditorialEdit, bool) {
	for _, e := range r.Editorial {
		if e.Kind == kind {
			return e, true
		}
	}
	return EditorialEdit{}, false
}

func reasonOf(r *Report, code string) (Reason, bool) {
	for _, c := range r.Changes {
		for _, x := range c.Reasons {
			if x.Code == code {
				return x, true
			}
		}
	}
	return Reason{}, false
}

// TestEditorialKindsAnywhere: a version whose only differences are of
// editorial kinds is editorial however many lines they touch, and the
// report sums each kind up in one line.
func TestEditorialKindsAnywhere(t *testing.T) {
	base := doubao(t)
	cases := []struct {
		name string
		edit func(string) string
		kind string
		line string // a part of the report's line for the kind
	}{
		{"pronoun throughout", func(s string) string { return strings.ReplaceAll(s, "你", "您") }, EditPronoun, "全文将「你」统一为「您」，共"},
		{"sensitive items in bold", func(s string) string {
			return strings.ReplaceAll(s, "精确地理位置信息是敏感个人信息", "**精确地理位置信息**是敏感个人信息")
		}, EditEmphasis, "精确地理位置"},
		{"clauses renumbered", func(s string) string {
			s = strings.Replace(s, "**1.3 用户反馈与服务**", "**1.4 用户反馈与服务**", 1)
			return strings.Replace(s, "d. 我们通过功能紧密联系", "c. 我们通过功能紧密联系", 1)
		}, EditNumbering, "编号调整"},
		{"a link's target", func(s string) string {
			return strings.Replace(s, "(https://www.doubao.com/legal/permissions)", "(https://www.doubao.com/legal/permissions-v2)", 1)
		}, EditLink, "链接的目标地址"},
		{"a menu path", func(s string) string {
			return strings.Replace(s, "【我的-设置-账号设置-个性化内容推荐】", "【我的-设置-隐私设置-个性化推荐】", 1)
		}, EditMenuPath, "菜单路径"},
		{"variant spelling", func(s string) string { return strings.Replace(s, "第三方账号登录", "第三方帐号登录", 1) }, EditVariant, "用字规范"},
		{"the operator's own name for 我们", func(s string) string {
			return strings.Replace(s, "我们自动接收上述信息以便于向你提供对话服务", "豆包自动接收上述信息以便于向你提供对话服务", 1)
		}, EditSelf, "自称"},
		{"a paragraph moved", func(s string) string {
			p := "c.你主动拍摄，或输入图片、语音时，我们会根据你输入的信息类型分别请求你授权相机、相册、麦克风权限。 如你拒绝授权，将无法拍摄或无法输入图片信息和语音信息，但不影响你使用豆包的其他功能。\n"
			if !strings.Contains(s, p) {
				t.Fatal("paragraph to move not found")
			}
			s = strings.Replace(s, p, "", 1)
			return strings.Replace(s, "**1.3 用户反馈与服务**", p+"\n**1.3 用户反馈与服务**", 1)
		}, EditMoved, "移动了位置"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			newText := tc.edit(base)
			if newText == base {
				t.Fatal("the edit changed nothing")
			}
			r := compare(t, base, newText)
			if r.Level != policywatch.LevelEditorial || len(substantive(r)) != 0 {
				t.Fatalf("level %s, substantive %+v", r.Level, substantive(r))
			}
			if _, ok := edit(r, tc.kind); !ok {
				t.Fatalf("no %s edit in %+v", tc.kind, r.Editorial)
			}
			if lines := r.EditorialLines(); !slices.ContainsFunc(lines, func(s Statement) bool { return strings.Contains(s.Text, tc.line) }) {
				t.Errorf("no line saying %q in %+v", tc.line, lines)
			}
		})
	}
	t.Run("pronoun count", func(t *testing.T) {
		r := compare(t, base, strings.ReplaceAll(base, "你", "您"))
		e, _ := edit(r, EditPronoun)
		if want := strings.Count(base, "你"); e.Count != want || e.From != "你" || e.To != "您" {
			t.Errorf("pronoun edit %+v, want %d from 你 to 您", e, want)
		}
	})
}

// TestFactsByConcept: a fact worded by a synonym, moved, or still stated
// in another clause is neither added nor removed.
func TestFactsByConcept(t *testing.T) {
	base := doubao(t)
	t.Run("synonyms", func(t *testing.T) {
		newText := strings.Replace(base, "如果你不提供手机号码用于注册", "如果你不提供手机号用于注册", 1)
		newText = strings.Replace(newText, "分别请求你授权相机、相册、麦克风权限", "分别请求你授权摄像头、相册、麦克风权限", 1)
		newText = strings.Replace(newText, "我们还会收集你的地理位置信息", "我们还会收集你的位置信息", 1)
		r := compare(t, base, newText)
		if len(r.Facts.Added)+len(r.Facts.Removed) != 0 {
			t.Errorf("facts changed: added %+v removed %+v", r.Facts.Added, r.Facts.Removed)
		}
		if r.Level.Rank() > policywatch.LevelMinor.Rank() {
			t.Errorf("level %s for synonyms", r.Level)
		}
	})
	t.Run("stated in two places, removed from one", func(t *testing.T) {
		zeekr := readShared(t, "fixtures/zeekr/zeekr-2025-11-10.txt")
		newText := strings.Replace(zeekr, "客服电话:400-003-6036", "客服电话:400-888-6036", 1)
		r := compare(t, zeekr, newText)
		if len(r.Changes) != 1 {
			t.Fatalf("%d changes", len(r.Changes))
		}
		c := r.Changes[0]
		old := slices.IndexFunc(c.Facts.Removed, func(f facts.Fact) bool { return f.Type == facts.ContactPhone && f.Value == "400-003-6036" })
		if old < 0 || c.Facts.Removed[old].Elsewhere == 0 {
			t.Errorf("the change does not show the number it replaced, still stated elsewhere: %+v", c.Facts.Removed)
		}
		if !hasFact(c.Facts.Added, facts.ContactPhone, "400-888-6036") {
			t.Errorf("the new number is not added: %+v", c.Facts.Added)
		}
		if hasFact(r.Facts.Removed, facts.ContactPhone, "") {
			t.Errorf("the policy still gives 400-003-6036, yet it is reported removed: %+v", r.Facts.Removed)
		}
		if r.Level != policywatch.LevelMinor || !hasReason(c, "contact_changed") {
			t.Errorf("level %s, reasons %+v", r.Level, c.Reasons)
		}
	})
	t.Run("a term moved between clauses", func(t *testing.T) {
		newText := strings.Replace(base, "我们可能会保存**你与我们的通信/通话记录及相关内容", "我们可能会保存**通信/通话记录等你与我们的相关内容", 1)
		r := compare(t, base, newText)
		if hasFact(r.Facts.Added, facts.PI, "") || hasFact(r.Facts.Removed, facts.PI, "") {
			t.Errorf("facts changed: %+v %+v", r.Facts.Added, r.Facts.Removed)
		}
	})
}

// TestSentencesReadWhole: a sentence broken across lines of text out of a
// PDF is read as one, and a new transfer abroad with its destination and
// the information sent is found and rated major.
func TestSentencesReadWhole(t *testing.T) {
	ruichi := readShared(t, "seeds/000_0995b67a48fbbf40.txt")
	old := facts.Take(ruichi)
	for _, f := range old.Facts {
		if f.Type == facts.CrossBorder && f.Stated == "present" {
			t.Errorf("the old version states no transfer abroad, read: %+v", f)
		}
	}
	para := "目前我们智能网联服务不存在向境外提供个人信息的场景。如将来涉及向境外传输个人信"
	if !strings.Contains(ruichi, para) {
		t.Fatal("cross-border paragraph not found")
	}
	newText := strings.Replace(ruichi, para, "为提供远程诊断服务，我们会将您的车辆识别代号（VIN）与车辆位置信息传输至位于德国法兰\n\n克福的数据中心。如将来涉及向境外传输个人信", 1)
	r := compare(t, ruichi, newText)
	reason, ok := reasonOf(r, "cross_border_added")
	if r.Level != policywatch.LevelMajor || !ok {
		t.Fatalf("level %s, reasons %+v", r.Level, r.Reasons)
	}
	if !strings.Contains(reason.Value, "德国") || !strings.Contains(reason.Value, "法兰克福") {
		t.Errorf("destination %q", reason.Value)
	}
	i := slices.IndexFunc(r.Facts.Added, func(f facts.Fact) bool { return f.Type == facts.CrossBorder && f.Stated == "present" })
	if i < 0 {
		t.Fatalf("no transfer abroad added: %+v", r.Facts.Added)
	}
	if pi := strings.Join(r.Facts.Added[i].PI, "、"); !strings.Contains(pi, "VIN") && !strings.Contains(pi, "车辆识别代号") || !strings.Contains(pi, "车辆位置") {
		t.Errorf("information sent abroad: %q", pi)
	}
	for _, c := range substantive(r) {
		if strings.Contains(c.Impact, "中性") {
			t.Errorf("a transfer abroad described as neutral: %s", c.Impact)
		}
	}
}

// TestRightsNeedAWay: a right is only as good as a way to exercise it.
func TestRightsNeedAWay(t *testing.T) {
	zeekr := readShared(t, "fixtures/zeekr/zeekr-2025-11-10.txt")
	phoneWays := []string{"拨打我们的客服电话“400-003-6036”协助您进行注销。", "拨打我们的客服电话“400-003-6036”协助您进行账户注销。"}
	withoutPhone := zeekr
	for _, w := range phoneWays {
		if !strings.Contains(withoutPhone, w) {
			t.Fatalf("%q not found", w)
		}
		withoutPhone = strings.Replace(withoutPhone, w, "", 1)
	}
	t.Run("a way gone, another left", func(t *testing.T) {
		r := compare(t, zeekr, withoutPhone)
		reason, ok := reasonOf(r, "right_way_removed")
		if !ok || reason.Value != "注销账号" || r.Level != policywatch.LevelSubstantive {
			t.Fatalf("level %s, reasons %+v", r.Level, r.Reasons)
		}
	})
	t.Run("the only way gone", func(t *testing.T) {
		// Without the app's menu path and the ways given for every right
		// (the e-mail, customer service), nothing says how to close the
		// account any more.
		general := regexp.MustCompile(`在APP页面上的“我的”-“设置”-“账号管理”中进行在线操作;|如果您无法通过上述方式行使您的权利[^\n]*|如您在操作过程中有疑惑或困难[^\n]*|行使您的相关个人信息权利、`)
		onlyWayGone := general.ReplaceAllString(withoutPhone, "")
		for _, lang := range []string{"zh", "en"} {
			r, err := Compare(zeekr, onlyWayGone, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			if reason, ok := reasonOf(r, "right_removed"); r.Level != policywatch.LevelMajor || !ok || reason.Value != "注销账号" {
				t.Fatalf("level %s, reasons %+v", r.Level, r.Reasons)
			}
			if slices.Contains(r.Rights, "注销账号") {
				t.Errorf("rights left %v", r.Rights)
			}
			if strings.Contains(r.Conclusion, "可撤回同意、关闭相关权限或注销账号") || strings.Contains(r.Conclusion, "close their account") {
				t.Errorf("the conclusion recommends closing the account: %s", r.Conclusion)
			}
		}
	})
}

// TestResponseTimeLengthened: answering requests in 30 days instead of 15
// working days is substantive and past the 15 working days the profile
// checks.
func TestResponseTimeLengthened(t *testing.T) {
	zeekr := readShared(t, "fixtures/zeekr/zeekr-2025-11-10.txt")
	newText := strings.Replace(zeekr, "我们将在15个工作日内回复您的请求。", "我们将在30天内回复您的请求。", 1)
	r := compare(t, zeekr, newText)
	if _, ok := reasonOf(r, "response_time_lengthened"); r.Level != policywatch.LevelSubstantive || !ok {
		t.Fatalf("level %s, reasons %+v", r.Level, r.Reasons)
	}
	if _, ok := reasonOf(r, "response_time_over_limit"); !ok {
		t.Errorf("30 days not flagged as past 15 working days: %+v", r.Reasons)
	}
}

// TestReportConsistent: over the development pairs, the report numbers each
// change once and lists them so, cites only changes that exist, says the
// level it is, quotes whole clauses, and never points users to a right the
// rules found removed.
func TestReportConsistent(t *testing.T) {
	fragment := regexp.MustCompile(`（空）|\(nothing\)|「」|“”`)
	for _, h := range histories(t) {
		for _, lang := range []string{"zh", "en"} {
			r, err := Compare(h.old, h.new, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			seenEditorial := false
			for i, c := range r.Changes {
				if c.ID != i+1 {
					t.Errorf("%s: change %d numbered %d", h.name, i+1, c.ID)
				}
				if !c.Substantive {
					seenEditorial = true
				} else if seenEditorial {
					t.Errorf("%s: a substantive change listed after an editorial one", h.name)
				}
				if i > 0 && c.Substantive && c.Level.Rank() > r.Changes[i-1].Level.Rank() {
					t.Errorf("%s: changes not ranked by level", h.name)
				}
				var desc strings.Builder
				for _, p := range c.Description(lang) {
					desc.WriteString(p.Text)
				}
				if fragment.MatchString(desc.String()) {
					t.Errorf("%s: description with an empty quote: %s", h.name, desc.String())
				}
			}
			for _, st := range append(r.Statements, r.EditorialLines()...) {
				for _, id := range st.Changes {
					if id < 1 || id > len(r.Changes) {
						t.Errorf("%s: statement cites change %d of %d", h.name, id, len(r.Changes))
					}
				}
			}
			if want := r.Level.Label(lang); !strings.Contains(r.Overview(), want) && len(r.Changes) > 0 {
				t.Errorf("%s: overview %q does not say the level %q", h.name, r.Overview(), want)
			}
			for _, c := range r.Changes {
				for _, x := range c.Reasons {
					if x.Code == "right_removed" && strings.Contains(r.Conclusion, x.Value) && !strings.Contains(r.Conclusion, "不再") {
						t.Errorf("%s: conclusion names removed right %s: %s", h.name, x.Value, r.Conclusion)
					}
				}
			}
		}
	}
}

// TestJSONLists: the contract's lists are lists, never null, for identical
// and formatting-only pairs too.
func TestJSONLists(t *testing.T) {
	base := doubao(t)
	for name, newText := range map[string]string{"identical": base, "formatting only": strings.ReplaceAll(base, "。", "。\n")} {
		r := compare(t, base, newText)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"changes":[]`, `"added":[]`, `"removed":[]`, `"statements":[]`, `"reasons":[]`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: no %s in %s", name, want, b)
			}
		}
	}
}

// TestEnglishPolicy: a policy in English is read too: new sensitive
// information stated as collected is major, and the report quotes whole
// English sentences.
func TestEnglishPolicy(t *testing.T) {
	base := readShared(t, "histories/qwen-chat-privacy-policy-2025-09-23/new.md")
	old := "We may collect information about your use of the Services,"
	if !strings.Contains(base, old) {
		t.Fatal("sentence to edit not found")
	}
	newText := strings.Replace(base, old, "We may collect your precise location and your voiceprint when you use voice features. "+old, 1)
	r, err := Compare(base, newText, Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	reason, ok := reasonOf(r, "sensitive_pi_added")
	if r.Level != policywatch.LevelMajor || !ok {
		t.Fatalf("level %s, reasons %+v", r.Level, r.Reasons)
	}
	if !strings.Contains(reason.Value+" "+fmtReasons(r), "voiceprint") {
		t.Errorf("reasons %+v", r.Reasons)
	}
	var desc strings.Builder
	for _, p := range r.Changes[0].Description("en") {
		desc.WriteString(p.Text)
	}
	if !strings.Contains(desc.String(), "We may collect your precise location and your voiceprint") {
		t.Errorf("description %q", desc.String())
	}
	if same := compare(t, base, base); same.Level != policywatch.LevelNone {
		t.Errorf("identical English texts: %s", same.Level)
	}
}

func fmtReasons(r *Report) string {
	var b strings.Builder
	for _, x := range r.Reasons {
		b.WriteString(x.Value + " ")
	}
	return b.String()
}
