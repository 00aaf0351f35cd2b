package analyze

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policywatch/policywatch"

	"github.com/policywatch/policywatch/internal/facts"
)

const shared = "../../../shared"

func readShared(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared, rel))
	if err != nil {
		t.Skipf("../shared not available: %v", err)
	}
	return string(b)
}

// edited applies one edit to a real policy; the edit must apply exactly.
func edited(t *testing.T, text, old, new string) string {
	t.Helper()
	if strings.Count(text, old) != 1 {
		t.Fatalf("edit target occurs %d times, want once: %q", strings.Count(text, old), old)
	}
	return strings.Replace(text, old, new, 1)
}

func hasReason(c Change, prefix string) bool {
	for _, r := range c.Reasons {
		if strings.HasPrefix(r.Code, prefix) {
			return true
		}
	}
	return false
}

// typedFact is a fact a case expects: its type and value.
type typedFact struct {
	typ   facts.Type
	value string
}

func hasFact(fs []facts.Fact, typ facts.Type, value string) bool {
	for _, f := range fs {
		if f.Type == typ && (value == "" || f.Value == value || f.Canonical == value) {
			return true
		}
	}
	return false
}

// TestEditKinds edits real CAPP-130 policies in each way the rules know and
// checks the level, the editorial reason or the facts and reasons found.
func TestEditKinds(t *testing.T) {
	keep := readShared(t, "capp130/policies/KEEP.txt")
	xinyue := readShared(t, "capp130/policies/心悦俱乐部.txt")
	marketing := "营销类的授权合作伙伴：当您选择参加我们举办的有关营销活动时，根据活动需要您需要提供姓名、通信地址、联系方式、银行账号信息，以便第三方物流公司能及时向您提供奖品。经过您的单独同意，我们会将上述信息与第三方共享，以便第三方及时向您提供奖品。\n"
	cases := []struct {
		name       string
		base       string
		old, new   string
		level      policywatch.Level
		editorial  string // editorial reason of the one change, if editorial
		direction  string // of the one change, if checked
		reason     string // a reason prefix the change must give
		addedFact  typedFact
		removedFct typedFact
	}{
		{name: "full-width punctuation only", base: keep,
			old: "来保护您的隐私，同时", new: "来保护您的隐私,同时", level: policywatch.LevelNone},
		{name: "paragraph re-wrapped", base: keep,
			old: "管理所有数据。当您访问", new: "管理所有数据。\n当您访问", level: policywatch.LevelEditorial, editorial: "none"},
		{name: "date updated", base: keep,
			old: "更新日期：2022 年 08 月 01 日", new: "更新日期：2023 年 03 月 15 日", level: policywatch.LevelEditorial, editorial: "dates",
			addedFact: typedFact{facts.DateUpdated, "2023年03月15日"}},
		{name: "list renumbered", base: keep,
			old: "1.13 若您使用创作中心", new: "1.14 若您使用创作中心", level: policywatch.LevelEditorial, editorial: "renumbering"},
		{name: "typo fixed", base: keep,
			old: "屏幕分表率", new: "屏幕分辨率", level: policywatch.LevelEditorial, editorial: "typo"},
		{name: "new sensitive information", base: keep,
			old: "屏幕分表率、设备环境", new: "屏幕分表率、人脸识别特征、设备环境", level: policywatch.LevelMajor, direction: Widens,
			reason: "sensitive_pi_added", addedFact: typedFact{facts.PI, "人脸识别特征"}},
		{name: "new third party", base: keep,
			old: "小米科技有限责任公司等", new: "小米科技有限责任公司、北京字节跳动科技有限公司等", level: policywatch.LevelSubstantive, direction: Widens,
			reason: "third_party_added", addedFact: typedFact{facts.ThirdParty, "北京字节跳动科技有限公司"}},
		// The only way to close the account goes; the clause still speaks
		// of 账号注销, but gives no way to ask for it.
		{name: "account deletion's only way removed", base: xinyue,
			old: "您可以在本产品内【设置】-【注销账号】界面申请进行账号注销。", new: "", level: policywatch.LevelMajor, direction: Widens,
			reason: "right_removed"},
		{name: "cross-border transfer added", base: keep,
			old: "目前，我们不会将您的个人信息传输至境外。", new: "为提供全球同步服务，我们会将您的个人信息传输至位于新加坡的服务器。",
			level: policywatch.LevelMajor, direction: Widens, reason: "cross_border_added"},
		{name: "minors' age lowered", base: keep,
			old: "若您是未满 14 周岁的儿童", new: "若您是未满 12 周岁的儿童", level: policywatch.LevelMajor,
			reason: "minor_age_lowered", addedFact: typedFact{facts.MinorAge, "12"}},
		{name: "sharing clause removed", base: keep,
			old: marketing, new: "", level: policywatch.LevelMinor, direction: Narrows,
			removedFct: typedFact{facts.PI, "银行账号"}},
		{name: "retention limit added", base: keep,
			old: "在合理必要期限内存储您个人信息。", new: "在合理必要期限内存储您个人信息，最长不超过五年。", level: policywatch.LevelSubstantive,
			addedFact: typedFact{facts.Retention, "五年"}},
		{name: "negation dropped", base: keep,
			old: "Keep App 不会主动共享", new: "Keep App 会主动共享", level: policywatch.LevelSubstantive, direction: Widens},
		{name: "permission added", base: keep,
			old: "访问您的设备麦克风和录音相关权限", new: "访问您的设备麦克风、通讯录和录音相关权限", level: policywatch.LevelMajor, direction: Widens,
			addedFact: typedFact{facts.Permission, "通讯录"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(tc.base, edited(t, tc.base, tc.old, tc.new), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != tc.level {
				t.Fatalf("level %s, want %s (changes %+v)", r.Level, tc.level, r.Changes)
			}
			if tc.level == policywatch.LevelNone || tc.editorial == "none" {
				if len(r.Changes) != 0 {
					t.Fatalf("changes %+v, want none", r.Changes)
				}
				return
			}
			if len(r.Changes) != 1 {
				t.Fatalf("%d changes, want 1: %+v", len(r.Changes), r.Changes)
			}
			c := r.Changes[0]
			if c.Editorial != tc.editorial {
				t.Errorf("editorial %q, want %q", c.Editorial, tc.editorial)
			}
			if c.Substantive != (tc.editorial == "") {
				t.Errorf("substantive %v for editorial reason %q", c.Substantive, tc.editorial)
			}
			if tc.direction != "" && c.Direction != tc.direction {
				t.Errorf("direction %s, want %s", c.Direction, tc.direction)
			}
			if tc.reason != "" && !hasReason(c, tc.reason) {
				t.Errorf("reasons %v, want %s", c.Reasons, tc.reason)
			}
			if tc.addedFact.typ != "" && !hasFact(c.Facts.Added, tc.addedFact.typ, tc.addedFact.value) {
				t.Errorf("facts added %+v, want %v", c.Facts.Added, tc.addedFact)
			}
			if tc.removedFct.typ != "" && !hasFact(c.Facts.Removed, tc.removedFct.typ, tc.removedFct.value) {
				t.Errorf("facts removed %+v, want %v", c.Facts.Removed, tc.removedFct)
			}
			if c.Impact == "" || len(c.Categories) == 0 && c.Substantive {
				t.Errorf("impact %q, categories %v", c.Impact, c.Categories)
			}
		})
	}
}

func TestIdenticalIsNone(t *testing.T) {
	keep := readShared(t, "capp130/policies/KEEP.txt")
	r, err := Compare(keep, keep, Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Level != policywatch.LevelNone || len(r.Changes) != 0 || r.Summary == "" || r.Conclusion == "" {
		t.Fatalf("got %+v", r)
	}
}

// TestZeekr: the seed's pair is one minor change that names both operators
// of 极物商城 and what they are.
func TestZeekr(t *testing.T) {
	oldText := readShared(t, "fixtures/zeekr/zeekr-2025-11-10.txt")
	newText := readShared(t, "fixtures/zeekr/zeekr-2025-12-31.txt")
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			r, err := Builtin{}.Analyze(context.Background(), oldText, newText, Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != policywatch.LevelMinor || len(r.Changes) != 1 || r.Engine != EngineBuiltin {
				t.Fatalf("level %s, %d changes, engine %s", r.Level, len(r.Changes), r.Engine)
			}
			c := r.Changes[0]
			if c.Kind != "modified" || *c.OldLine != 147 || *c.NewLine != 147 || !c.Substantive || c.Anchor != "n147" {
				t.Fatalf("change %+v", c)
			}
			if !hasFact(c.Facts.Added, facts.ThirdParty, "浙江吉利汽车备件有限公司") || !hasFact(c.Facts.Removed, facts.ThirdParty, "浙江浩物网络科技有限公司") {
				t.Fatalf("facts %+v", c.Facts)
			}
			for _, s := range []string{c.Impact, r.Summary} {
				if !strings.Contains(s, "浙江浩物网络科技有限公司") || !strings.Contains(s, "浙江吉利汽车备件有限公司") {
					t.Errorf("does not name both operators: %s", s)
				}
			}
			want := "共同处理"
			if lang == "en" {
				want = "jointly processes"
			}
			if !strings.Contains(c.Impact, want) {
				t.Errorf("impact does not say the role (%s): %s", want, c.Impact)
			}
			var md bytes.Buffer
			if err := r.WriteMarkdown(&md, MarkdownOptions{Title: "极氪APP个人信息保护政策", Heading: true, LinkTo: "/compare?from=1&to=2"}); err != nil {
				t.Fatal(err)
			}
			out := md.String()
			sections := []string{"总体评估", "详细变更点分析", "变更内容", "潜在影响", "结论"}
			if lang == "en" {
				sections = []string{"Overall assessment", "Changes in detail", "What changed", "Potential impact", "Conclusion"}
			}
			for _, s := range sections {
				if !strings.Contains(out, s) {
					t.Errorf("report lacks %q:\n%s", s, out)
				}
			}
			if !strings.Contains(out, "(/compare?from=1&to=2#n147)") {
				t.Errorf("report does not link the change to its row:\n%s", out)
			}
		})
	}
}

// TestEveryChangeLinked: in a report over many changes, each detailed
// change carries a link to its row.
func TestEveryChangeLinked(t *testing.T) {
	keep := readShared(t, "capp130/policies/KEEP.txt")
	newText := strings.Replace(keep, "屏幕分表率", "屏幕分辨率", 1)
	newText = strings.Replace(newText, "若您是未满 14 周岁的儿童", "若您是未满 12 周岁的儿童", 1)
	newText = strings.Replace(newText, "更新日期：2022 年 08 月 01 日", "更新日期：2023 年 03 月 15 日", 1)
	r, err := Compare(keep, newText, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) != 3 || r.Level != policywatch.LevelMajor {
		t.Fatalf("level %s, %d changes", r.Level, len(r.Changes))
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\(#[no]\d+\)`).FindAllString(md.String(), -1)
	if len(links) < len(r.Changes) {
		t.Fatalf("%d links for %d changes:\n%s", len(links), len(r.Changes), md.String())
	}
}
