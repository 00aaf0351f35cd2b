package profile

import (
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
	"github.com/policywatch/policywatch/internal/textdiff"
)

func build(t *testing.T, text, lang string) (*Profile, []string) {
	t.Helper()
	return Build(text, facts.Extract(text), lang), textdiff.Lines(normalize.Text(text))
}

func seedProfile(t *testing.T, prefix string) (*Profile, []string) {
	t.Helper()
	text, err := testpages.Seed(prefix)
	if err != nil {
		t.Skip(err)
	}
	return build(t, text, "zh")
}

func check(t *testing.T, p *Profile, id string) Check {
	t.Helper()
	for _, c := range p.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q", id)
	return Check{}
}

// expectCheck asserts an item's outcome and that its evidence line holds
// the words given.
func expectCheck(t *testing.T, p *Profile, lines []string, id string, pass bool, evidence string) {
	t.Helper()
	c := check(t, p, id)
	if c.Pass != pass {
		t.Errorf("%s: pass=%v, want %v (%s)", id, c.Pass, pass, c.Detail)
	}
	if evidence == "" {
		return
	}
	if len(c.Lines) == 0 {
		t.Errorf("%s: no evidence line, want one with %q", id, evidence)
		return
	}
	for _, n := range c.Lines {
		if strings.Contains(lines[n-1], evidence) {
			return
		}
	}
	t.Errorf("%s: evidence lines %v lack %q (first: %q)", id, c.Lines, evidence, lines[c.Lines[0]-1])
}

func TestSeed000(t *testing.T) {
	p, lines := seedProfile(t, "000")
	expectCheck(t, p, lines, "operator", true, "重庆瑞驰汽车实业有限公司")
	expectCheck(t, p, lines, "contact", true, "DPO@seres.cn")
	expectCheck(t, p, lines, "recipients", true, "高德软件有限公司")
	expectCheck(t, p, lines, "minors", false, "18")
	expectCheck(t, p, lines, "storage_location", false, "")
	if c := check(t, p, "minors"); !strings.Contains(c.Detail, "18") {
		t.Errorf("minors' detail should name the age stated: %s", c.Detail)
	}
}

func TestSeed003(t *testing.T) {
	p, lines := seedProfile(t, "003")
	expectCheck(t, p, lines, "minors", true, "14")
	expectCheck(t, p, lines, "response_time", false, "三十天")
	expectCheck(t, p, lines, "storage_location", true, "境内")
	expectCheck(t, p, lines, "dates", true, "2020")
}

func TestZeekr(t *testing.T) {
	text, err := testpages.Read("fixtures/zeekr/zeekr-2025-12-31.txt")
	if err != nil {
		t.Skip(err)
	}
	p, lines := build(t, text, "en")
	expectCheck(t, p, lines, "operator", true, "浙江极氪智能科技有限公司")
	expectCheck(t, p, lines, "account_deletion", true, "注销")
	expectCheck(t, p, lines, "response_time", true, "15个工作日")
	expectCheck(t, p, lines, "recipients", true, "《第三方信息数据共享清单》")
	expectCheck(t, p, lines, "sensitive_marked", true, "敏感")
	expectCheck(t, p, lines, "storage_location", true, "存储于中国杭州")
	expectCheck(t, p, lines, "cross_border", true, "不会将您的个人信息")
	if c := check(t, p, "cross_border"); c.Detail != "no transfer abroad" {
		t.Errorf("cross-border detail %q", c.Detail)
	}
	if p.Passed != 10 {
		for _, c := range p.Checks {
			if !c.Pass {
				t.Logf("failed: %s: %s", c.ID, c.Detail)
			}
		}
		t.Errorf("Zeekr passes %d of 10", p.Passed)
	}
	if len(p.Sensitive) == 0 || p.Groups[0].Type != facts.Operator {
		t.Errorf("groups or sensitive information missing")
	}
	for _, g := range p.Groups {
		if g.Type == facts.PI && !g.Facts[0].IsSensitive() {
			t.Errorf("sensitive information is not listed first")
		}
	}
}

// Made-up policies, one rule each, so that every failure has a test.
func TestChecksFail(t *testing.T) {
	bare := "某某隐私政策\n我们会收集您的身份证号码和人脸信息。\n我们会在三十个工作日内答复您的请求。\n我们会与合作伙伴共享您的信息。\n"
	p, lines := build(t, bare, "zh")
	for _, id := range []string{"operator", "contact", "account_deletion", "minors", "storage_location", "cross_border", "dates", "recipients"} {
		expectCheck(t, p, lines, id, false, "")
	}
	expectCheck(t, p, lines, "response_time", false, "三十个工作日")
	expectCheck(t, p, lines, "sensitive_marked", false, "身份证号码")
	if p.Passed != 0 {
		t.Errorf("a bare policy passes %d checks", p.Passed)
	}
}

func TestMatrixRow(t *testing.T) {
	text, err := testpages.Seed("003")
	if err != nil {
		t.Skip(err)
	}
	r := MatrixRow(facts.Extract(text))
	var sdks []string
	for _, f := range r.SDKs {
		sdks = append(sdks, f.Value)
	}
	if !strings.Contains(strings.Join(sdks, " "), "支付宝SDK") || len(r.Sensitive["个人身份信息"]) == 0 || len(r.Sensitive["个人生物识别信息"]) > 0 {
		t.Errorf("seed 003's row: SDKs %v, sensitive %v (设备指纹 is no biometric)", sdks, r.Sensitive)
	}
	if r.CrossBorder == "" || r.CrossBorderLine == 0 {
		t.Errorf("cross-border not summed up: %+v", r.CrossBorder)
	}
}

// TestWords: every text of the checklist comes from the catalogue in the
// language asked for, never a bare key.
func TestWords(t *testing.T) {
	bare := "某某隐私政策\n我们会收集您的身份证号码和人脸信息。\n我们会在三十个工作日内答复您的请求。\n我们会与合作伙伴共享您的信息。\n"
	for _, lang := range []string{"zh", "en"} {
		p, _ := build(t, bare, lang)
		for _, c := range p.Checks {
			for _, s := range []string{c.Title, c.Basis, c.Detail} {
				if s == "" || strings.HasPrefix(s, "profile.") {
					t.Errorf("%s %s: text %q", lang, c.ID, s)
				}
			}
		}
	}
	if got := check(t, mustBuild(t, bare, "en"), "cross_border").Detail; got != "Does not say whether data goes abroad" {
		t.Errorf("en cross_border: %q", got)
	}
	if got := check(t, mustBuild(t, bare, "zh"), "response_time").Detail; got != "答复时限为三十个工作日，超过15个工作日" {
		t.Errorf("zh response_time: %q", got)
	}
}

func mustBuild(t *testing.T, text, lang string) *Profile {
	p, _ := build(t, text, lang)
	return p
}

func TestNames(t *testing.T) {
	for _, c := range SensitiveCategories {
		if _, ok := categoryKeys[c]; !ok {
			t.Errorf("category %s has no name in the catalogue", c)
		}
	}
	for _, tt := range []struct{ got, want string }{
		{CategoryName("个人位置信息", "en"), "location"},
		{CategoryName("个人位置信息", "zh"), "个人位置信息"},
		{CategoryName("车辆信息", "en"), "vehicle information"},
		{CategoryName("火星信息", "en"), "火星信息"},
		{StatedName("present", "zh"), "写明会向境外提供"},
		{StatedName("conditional", "en"), "transfers abroad in some cases"},
		{StatedName("", "en"), "not stated"},
		{StatedName("", "zh"), "未说明"},
		{StatedName("sometimes", "en"), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
