package facts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/testpages"
)

// find returns the facts of a type with the given value.
func find(fs []Fact, typ Type, value string) []Fact {
	var out []Fact
	for _, f := range fs {
		if f.Type == typ && (f.Value == value || (value != "" && f.Canonical == value)) {
			out = append(out, f)
		}
	}
	return out
}

func values(fs []Fact, typ Type) []string {
	var out []string
	for _, f := range fs {
		if f.Type == typ {
			out = append(out, f.Value)
		}
	}
	return out
}

func expect(t *testing.T, fs []Fact, typ Type, value string) Fact {
	t.Helper()
	got := find(fs, typ, value)
	if len(got) == 0 {
		t.Errorf("no %s %q; have %q", typ, value, values(fs, typ))
		return Fact{}
	}
	return got[0]
}

func seed(t *testing.T, prefix string) []Fact {
	t.Helper()
	s, err := testpages.Seed(prefix)
	if err != nil {
		t.Skip(err)
	}
	return Extract(s)
}

func TestSeed000(t *testing.T) {
	fs := seed(t, "000")
	expect(t, fs, Operator, "重庆瑞驰汽车实业有限公司")
	amap := expect(t, fs, ThirdParty, "高德软件有限公司")
	if amap.URL != "https://mobile.amap.com/" || amap.Purpose != "向您提供导航服务" || !slices.Contains(amap.PI, "目的地") {
		t.Errorf("高德's details from the 数据委托处理和共享情况说明 block: %+v", amap)
	}
	expect(t, fs, ThirdParty, "中国移动通信集团重庆有限公司江津分公司")
	expect(t, fs, MinorAge, "18")
	expect(t, fs, ContactEmail, "DPO@seres.cn")
	expect(t, fs, ContactPhone, "400-687-2201")
	expect(t, fs, CrossBorder, "不向境外提供个人信息")
	for _, v := range values(fs, ThirdParty) {
		if strings.Contains(v, "任何") || strings.Contains(v, "我们") || strings.Contains(v, "关联公司") {
			t.Errorf("a phrase was taken for a third party: %q", v)
		}
	}
}

func TestSeed002(t *testing.T) {
	fs := seed(t, "002")
	op := expect(t, fs, Operator, "南京三百云信息科技有限公司")
	if op.Line != 1 {
		t.Errorf("operator line %d", op.Line)
	}
	if len(find(fs, ThirdParty, "南京三百云信息科技有限公司")) != 0 {
		t.Error("the operator is listed as a third party too")
	}
	expect(t, fs, ContactPhone, "025-84808893")
	expect(t, fs, ContactPhone, "400-858-7585")
	expect(t, fs, DateUpdated, "2023年8月29日")
	expect(t, fs, MinorAge, "18")
	expect(t, fs, Retention, "实现目的所必需的最短时间")
	expect(t, fs, ResponseTime, "15天")
	expect(t, fs, StorageLocation, "中华人民共和国境内")
	expect(t, fs, Permission, "剪贴板")
	for _, r := range []string{"查询/访问", "更正/补充", "删除", "撤回同意", "注销账号", "获取副本", "投诉举报"} {
		expect(t, fs, Right, r)
	}
}

func TestSeed003(t *testing.T) {
	fs := seed(t, "003")
	expect(t, fs, Operator, "国网电动汽车服务有限公司")
	for _, sdk := range []string{"支付宝SDK", "微信SDK"} {
		f := expect(t, fs, SDK, sdk)
		if f.Line == 0 || !strings.Contains(f.Context, sdk) {
			t.Errorf("%s without its line: %+v", sdk, f)
		}
	}
	expect(t, fs, DateUpdated, "2020年06月30日")
	expect(t, fs, DateEffective, "2020年07月01日")
	expect(t, fs, ContactPhone, "400-0188-688")
	expect(t, fs, MinorAge, "14")
	expect(t, fs, StorageLocation, "中华人民共和国境内")
	expect(t, fs, CrossBorder, "需要时向境外提供个人信息（另行告知或征得同意）")
	// Seed 003 defines 个人敏感信息 with examples; examples are not collected.
	for _, f := range find(fs, PI, "生物识别信息") {
		t.Errorf("a definition's example was taken for collected information: line %d", f.Line)
	}
}

func zeekr(t *testing.T) (string, string) {
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-11-10.txt"))
	b, _ := os.ReadFile(filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt"))
	return string(a), string(b)
}

func TestZeekr(t *testing.T) {
	a, b := zeekr(t)
	fa := Extract(a)
	expect(t, fa, Operator, "浙江极氪智能科技有限公司")
	old := expect(t, fa, ThirdParty, "浙江浩物网络科技有限公司")
	if old.Line != 147 || !strings.Contains(old.Role, "共同处理") || !strings.Contains(old.Role, "关联方") {
		t.Errorf("极物商城's operator: %+v", old)
	}
	expect(t, fa, ContactEmail, "Dataprivacy@zeekrlife.com")
	expect(t, fa, ContactPhone, "400-003-6036")
	expect(t, fa, ResponseTime, "15个工作日")
	expect(t, fa, DateUpdated, "2025年05月19日")
	expect(t, fa, DateEffective, "2025年05月25日")
	expect(t, fa, MinorAge, "14")
	added, removed := Diff(Take(a), Take(b))
	if len(added) != 1 || added[0].Value != "浙江吉利汽车备件有限公司" || added[0].Type != ThirdParty || added[0].Line != 147 {
		t.Errorf("added %+v", added)
	}
	if len(removed) != 1 || removed[0].Value != "浙江浩物网络科技有限公司" {
		t.Errorf("removed %+v", removed)
	}
}

func TestSentences(t *testing.T) {
	text := `一、我们如何收集和使用您的个人信息
当您使用刷脸登录时，我们会收集您的人脸识别特征，并收集您的手机号码。
我们不会收集您的通讯录。
我们会申请您的相机权限，用于扫描二维码；您可以随时撤回授权。
您的个人信息将保存6个月，超出期限后我们将删除。
为完成跨境支付，我们会将您的订单信息传输至境外。
若您是未满十四周岁的儿童，请在监护人的陪同下使用。
| 第三方名称 | 使用目的 | 共享信息 | 隐私政策链接 |
|---|---|---|---|
| 北京三快在线科技有限公司 | 外卖配送 | 手机号码、收货地址 | https://www.meituan.com/privacy |
我们将在十五个工作日内答复您的请求。客服热线：400-123-4567，邮箱：privacy@example.com。
`
	fs := Extract(text)
	face := expect(t, fs, PI, "人脸识别特征")
	if face.Sensitive == nil || !*face.Sensitive || face.Category != "个人生物识别信息" || face.Line != 2 {
		t.Errorf("face: %+v", face)
	}
	phone := expect(t, fs, PI, "手机号码")
	if phone.Sensitive == nil || *phone.Sensitive {
		t.Errorf("a phone number is not sensitive: %+v", phone)
	}
	if len(find(fs, PI, "通讯录")) != 0 {
		t.Error("a negated collection was taken as collected")
	}
	expect(t, fs, Permission, "相机")
	expect(t, fs, Right, "撤回同意")
	expect(t, fs, Retention, "6个月")
	cb := expect(t, fs, CrossBorder, "向境外提供或存储个人信息")
	if cb.Stated != "present" {
		t.Errorf("cross-border: %+v", cb)
	}
	expect(t, fs, MinorAge, "14")
	mt := expect(t, fs, ThirdParty, "北京三快在线科技有限公司")
	if mt.Purpose != "外卖配送" || mt.URL != "https://www.meituan.com/privacy" || !slices.Equal(mt.PI, []string{"手机号码", "收货地址"}) {
		t.Errorf("table row: %+v", mt)
	}
	expect(t, fs, ResponseTime, "十五个工作日")
	expect(t, fs, ContactPhone, "400-123-4567")
	expect(t, fs, ContactEmail, "privacy@example.com")
}

func TestOrganisationNames(t *testing.T) {
	tests := map[string][]string{
		"极物商城由关联方浙江浩物网络科技有限公司负责运营":                {"浙江浩物网络科技有限公司"},
		"极物商城由浙江浩物网络科技有限公司负责运营":                   {"浙江浩物网络科技有限公司"},
		"我们与北京三快在线科技有限公司合作":                       {"北京三快在线科技有限公司"},
		"支付宝（中国）网络技术有限公司提供支付服务":                   {"支付宝（中国）网络技术有限公司"},
		"我们不会与任何公司共享":                             nil,
		"我们可能与关联公司共享":                             nil,
		"Tencent Technology (Shenzhen) Co., Ltd.": {"Tencent Technology (Shenzhen) Co., Ltd."},
	}
	for in, want := range tests {
		if got := findOrgs(in); !slices.Equal(got, want) {
			t.Errorf("findOrgs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChineseNumbers(t *testing.T) {
	for in, want := range map[string]int{"14": 14, "十四": 14, "十八": 18, "二十": 20, "十": 10, "三": 3, "x": -1} {
		if got := chineseNumber(in); got != want {
			t.Errorf("chineseNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestAllCAPPPoliciesQuickly(t *testing.T) {
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	withOperator := 0
	for _, n := range names {
		src, _ := testpages.Policy(n)
		fs := Extract(src)
		for _, f := range fs {
			if f.Line <= 0 || f.Value == "" {
				t.Fatalf("%s: fact without line or value: %+v", n, f)
			}
		}
		if len(find(fs, Operator, "")) == 0 && len(values(fs, Operator)) > 0 {
			withOperator++
		}
	}
	t.Logf("%d of %d policies name an operator", withOperator, len(names))
	if withOperator < len(names)*6/10 {
		t.Errorf("an operator found in only %d of %d policies", withOperator, len(names))
	}
}

func BenchmarkExtract(b *testing.B) {
	src, err := testpages.Policy("中国农业银行")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Extract(src)
	}
}

func TestStatements(t *testing.T) {
	cases := []struct {
		text          string
		typ           Type
		value, stated string
		absent        bool
	}{
		{text: "我们在合理必要期限内存储您的个人信息，最长不超过五年。", typ: Retention, value: "五年"},
		{text: "日志信息保存期限为6个月。", typ: Retention, value: "6个月"},
		{text: "您的个人信息将在注销后15天内删除。", typ: Retention, value: "15天"},
		{text: "最长不超过三年，我们会为您提供客服。", typ: Retention, absent: true},
		{text: "我们会将您的个人信息传输至位于新加坡的服务器。", typ: CrossBorder, stated: "present"},
		{text: "目前，我们不会将您的个人信息传输至境外。", typ: CrossBorder, stated: "absent"},
		{text: "如需向境外提供您的个人信息，我们会征得您的单独同意。", typ: CrossBorder, stated: "conditional"},
		{text: "您可以随时复制您的个人信息。", typ: Right, value: "获取副本"},
		{text: "您可以要求我们提供个人信息副本。", typ: Right, value: "获取副本"},
		{text: "删除后，我们可能不会立即从备份系统中删除相应的副本。", typ: Right, value: "获取副本", absent: true},
		{text: "您可以在设置中注销您的账号。", typ: Right, value: "注销账号"},
		{text: "我们会按照法律法规规定，将境内收集的用户个人信息存储于中国杭州。", typ: StorageLocation, value: "中国杭州"},
		{text: "您的信息存储在中国境内的服务器上。", typ: StorageLocation, value: "中国境内"},
		{text: "我们的产品和/或服务中可能会包含第三方SDK，该第三方可能会处理您的信息。", typ: SDK, absent: true},
		{text: "我们使用设备指纹识别异常登录。", typ: PI, value: "设备指纹"},
		{text: "我们使用设备指纹识别异常登录。", typ: PI, value: "指纹", absent: true},
	}
	for _, tc := range cases {
		var got []Fact
		for _, f := range Extract(tc.text) {
			if f.Type == tc.typ && (tc.value == "" || f.Value == tc.value) && (tc.stated == "" || f.Stated == tc.stated) {
				got = append(got, f)
			}
		}
		if tc.absent != (len(got) == 0) {
			t.Errorf("%s: %s %q %s: got %+v", tc.text, tc.typ, tc.value, tc.stated, Extract(tc.text))
		}
	}
}

func TestWorkingDays(t *testing.T) {
	for in, want := range map[string]int{"15个工作日": 15, "十五个工作日": 15, "30天": 21, "三十日": 21, "1个月": 21, "两周": 10, "15天": 10} {
		if n, ok := WorkingDays(in); !ok || n != want {
			t.Errorf("%s: %d %v, want %d", in, n, ok, want)
		}
	}
	if _, ok := WorkingDays("及时"); ok {
		t.Errorf("及时 read as a period")
	}
}

func BenchmarkTake100KB(b *testing.B) {
	var sb strings.Builder
	names, err := testpages.PolicyNames()
	if err != nil {
		b.Skip(err)
	}
	for _, n := range names {
		src, _ := testpages.Policy(n)
		sb.WriteString(src)
		if sb.Len() > 100_000 {
			break
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Take(text)
	}
}
