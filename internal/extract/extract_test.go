package extract

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
)

// plainLines returns the normalized lines of text without Markdown block
// markers, for comparing extracted text with the source policy.
func plainLines(text string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(normalize.Text(text), "\n") {
		if l = plain(l); l != "" {
			out[l] = true
		}
	}
	return out
}

// plain strips a line's Markdown heading or list marker.
func plain(l string) string {
	l = strings.TrimLeft(l, "#")
	l = strings.TrimPrefix(strings.TrimSpace(l), "- ")
	return strings.TrimSpace(l)
}

// missingLines lists source lines absent from the extracted text.
func missingLines(source, extracted string) []string {
	got := plainLines(extracted)
	var missing []string
	for _, l := range strings.Split(normalize.Text(source), "\n") {
		if l = plain(l); l != "" && !got[l] {
			missing = append(missing, l)
		}
	}
	return missing
}

func extractString(t *testing.T, in Input) Result {
	t.Helper()
	res, err := Extract(context.Background(), in)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return res
}

func TestHTMLKeepsEveryLineAndDropsChrome(t *testing.T) {
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			src, _ := testpages.Policy(name)
			page := testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"})
			res := extractString(t, Input{Body: []byte(page), ContentType: "text/html"})
			if missing := missingLines(src, res.Text); len(missing) > 0 {
				t.Errorf("%d source lines missing, first: %q", len(missing), missing[0])
			}
			for _, junk := range testpages.ChromeTexts {
				if strings.Contains(res.Text, junk) {
					t.Errorf("site chrome %q reached the text", junk)
				}
			}
		})
	}
}

func TestHTMLStructure(t *testing.T) {
	page := `<html><head><title>隐私政策</title></head><body>
<nav><a href="/">首页</a></nav>
<div class="wrap"><h1>隐私政策</h1>
<h2>一、我们如何收集</h2>
<p>我们会收集您的<b>手机号码</b>，详见<a href="https://example.com/x?utm=1">《个人信息收集清单》</a>。<br>第二行</p>
<ul><li>位置权限</li><li>相机权限</li></ul>
<ol><li>查询</li><li>更正</li></ol>
<ol><li>1.删除</li><li>2.注销</li></ol>
<table><tr><th>SDK名称</th><th>第三方</th><th>收集信息</th></tr>
<tr><td>支付宝SDK</td><td>支付宝（中国）网络技术有限公司</td><td>设备信息<br>网络信息</td></tr>
<tr><td>微信SDK</td><td>深圳市腾讯计算机系统有限公司</td><td><p>设备标识</p><p>a|b</p></td></tr></table>
<pre>第一行文本
   第二行文本</pre>
</div>
<footer>版权所有</footer></body></html>`
	res := extractString(t, Input{Body: []byte(page), ContentType: "text/html; charset=utf-8"})
	want := []string{
		"# 隐私政策",
		"## 一、我们如何收集",
		"我们会收集您的手机号码，详见《个人信息收集清单》。",
		"第二行",
		"- 位置权限",
		"1. 查询",
		"2. 更正",
		"- 1.删除",
		"| SDK名称 | 第三方 | 收集信息 |",
		"| 支付宝SDK | 支付宝（中国）网络技术有限公司 | 设备信息 网络信息 |",
		"| 微信SDK | 深圳市腾讯计算机系统有限公司 | 设备标识 a｜b |",
		"第一行文本",
		"第二行文本",
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(res.Text, "\n") {
		lines[l] = true
	}
	for _, w := range want {
		if !lines[w] {
			t.Errorf("missing line %q in:\n%s", w, res.Text)
		}
	}
	for _, junk := range []string{"首页", "版权所有", "utm", "**", "https://"} {
		if strings.Contains(res.Text, junk) {
			t.Errorf("%q should not be in the text:\n%s", junk, res.Text)
		}
	}
	if res.Title != "隐私政策" {
		t.Errorf("title = %q", res.Title)
	}
}

func TestSelectAndRemove(t *testing.T) {
	page := `<html><body><div id="menu">菜单 关于我们</div><div class="policy"><p>正文第一段。</p><div class="ad">广告内容</div><p>正文第二段。</p></div></body></html>`
	res := extractString(t, Input{Body: []byte(page), ContentType: "text/html", Select: ".policy", Remove: []string{".ad"}})
	if res.Text != "正文第一段。\n\n正文第二段。\n" {
		t.Errorf("got %q", res.Text)
	}
	_, err := Extract(context.Background(), Input{Body: []byte(page), ContentType: "text/html", Select: "#missing"})
	if !policywatch.IsClass(err, policywatch.ErrExtract) || !strings.Contains(err.Error(), "#missing") {
		t.Errorf("selector matching nothing: got %v", err)
	}
	_, err = Extract(context.Background(), Input{Body: []byte(page), ContentType: "text/html", Select: "div[["})
	if !policywatch.IsClass(err, policywatch.ErrInvalid) {
		t.Errorf("bad selector: got %v", err)
	}
}

func TestCookieSectionOfThePolicyIsKept(t *testing.T) {
	long := strings.Repeat("我们使用Cookie和同类技术来记住您的偏好设置，您可以在浏览器中管理或删除Cookie。", 20)
	page := `<html><body><div class="cookie-bar">本网站使用Cookie。<button>同意</button></div><main><h1>隐私政策</h1>` +
		`<section class="cookie-section"><h2>二、我们如何使用Cookie</h2><p>` + long + `</p></section><p>其他内容。</p></main></body></html>`
	res := extractString(t, Input{Body: []byte(page), ContentType: "text/html"})
	if !strings.Contains(res.Text, "二、我们如何使用Cookie") || !strings.Contains(res.Text, long) {
		t.Errorf("the policy's cookie section was dropped:\n%s", res.Text)
	}
	if strings.Contains(res.Text, "本网站使用Cookie。") {
		t.Errorf("the cookie banner was kept")
	}
}

func TestCharsets(t *testing.T) {
	src, err := testpages.Seed("002")
	if err != nil {
		t.Skip(err)
	}
	src = src[:4000]
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(src)
	if err != nil {
		t.Fatal(err)
	}
	trad := "本隱私政策說明我們如何收集、使用和保護您的個人資料。我們不會出售您的個人資料，亦不會在未經您同意的情況下向第三方披露。如您對本政策有任何疑問，請與我們聯絡。"
	big5, err := traditionalchinese.Big5.NewEncoder().String(trad)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, contentType, body, want, charset string
	}{
		{"gbk from header", "text/html; charset=GBK", testpages.HTML(gbk, testpages.Options{}), src, "gbk"},
		{"gb2312 label decodes gbk", "text/html; charset=gb2312", testpages.HTML(gbk, testpages.Options{}), src, "gbk"},
		{"gbk from meta", "text/html", testpages.HTML(gbk, testpages.Options{Charset: "gbk"}), src, "gbk"},
		{"gbk sniffed", "text/html", testpages.HTML(gbk, testpages.Options{}), src, "gb18030"},
		{"gbk labelled utf-8", "text/html; charset=utf-8", testpages.HTML(gbk, testpages.Options{}), src, "gb18030"},
		{"gbk labelled latin-1", "text/html; charset=iso-8859-1", testpages.HTML(gbk, testpages.Options{}), src, "gb18030"},
		{"gbk plain text sniffed", "text/plain", gbk, src, "gb18030"},
		{"big5 from header", "text/html; charset=big5", testpages.HTML(big5, testpages.Options{}), trad, "big5"},
		{"big5 sniffed", "text/plain", big5 + big5 + big5, trad + trad + trad, "big5"},
		{"utf-8 with BOM", "text/plain", "\xEF\xBB\xBF" + src, src, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := extractString(t, Input{Body: []byte(tt.body), ContentType: tt.contentType})
			if missing := missingLines(tt.want, res.Text); len(missing) > 0 {
				t.Errorf("decoded text differs; first missing line %q\ngot: %.300s", missing[0], res.Text)
			}
			if res.Charset != tt.charset {
				t.Errorf("charset = %q, want %q", res.Charset, tt.charset)
			}
		})
	}
}

func TestPDF(t *testing.T) {
	if _, err := PDFToTextPath(); err != nil {
		t.Skip("pdftotext not installed: apt-get install poppler-utils poppler-data")
	}
	body, err := os.ReadFile("testdata/zhongguoyidong.pdf")
	if err != nil {
		t.Fatal(err)
	}
	src, err := testpages.Policy("中国移动")
	if err != nil {
		t.Skip(err)
	}
	res := extractString(t, Input{Body: body, Name: "policy.pdf"})
	if res.Format != FormatPDF {
		t.Fatalf("format = %s", res.Format)
	}
	// The fixture holds the first three pages: compare the source lines up
	// to the last one that made it in.
	got := plainLines(res.Text)
	var lines []string
	for _, l := range strings.Split(normalize.Text(src), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	last := 0
	for i, l := range lines {
		if got[l] {
			last = i
		}
	}
	if last < 40 {
		t.Fatalf("only %d source paragraphs recovered:\n%s", last, res.Text)
	}
	missing := 0
	for _, l := range lines[:last] {
		if !got[l] {
			missing++
			t.Logf("not rebuilt: %q", l)
		}
	}
	if missing > last/20 {
		t.Errorf("%d of %d paragraphs not rebuilt exactly", missing, last)
	}
	if strings.Count(res.Text, "中国移动隐私政策") != 1 {
		t.Errorf("running header not removed: title appears %d times", strings.Count(res.Text, "中国移动隐私政策"))
	}
	if strings.Contains(res.Text, "页/共") {
		t.Errorf("page-number footer left in the text")
	}
}

func TestBrokenPDFIsAnError(t *testing.T) {
	if _, err := PDFToTextPath(); err != nil {
		t.Skip("pdftotext not installed")
	}
	_, err := Extract(context.Background(), Input{Body: []byte("%PDF-1.7\n garbage"), Name: "x.pdf"})
	if !policywatch.IsClass(err, policywatch.ErrExtract) {
		t.Fatalf("want extract error, got %v", err)
	}
}

func TestRepairSeed000(t *testing.T) {
	seed, err := testpages.Seed("000")
	if err != nil {
		t.Skip(err)
	}
	text := RepairPDFText(seed)
	lines := plainLines(text)
	for _, want := range []string{
		// broken across lines in the seed
		"重庆瑞驰汽车实业有限公司（以下简称“我们”）非常重视您的个人隐私，并且深知个人信息对您的重要性，我们将充分尊重和保护您的个人信息，并按照相关的法律法规要求，采取相应的保护措施，尽全力保护您的个人信息安全。为了说明我们会如何收集、使用、存储和保护您的个人信息，并让您充分了解您享有的权利，特制订瑞驰汽车隐私政策（以下简称“本隐私政策”）。除本隐私政策外，在您使用各产品或服务时，您将有机会阅读我们在该产品或服务发布的专门的隐私声明或补充通知（以下称“产品隐私通知”），我们建议您仔细阅读。",
		// list items stay apart
		"1. 我们如何收集和使用您的个人信息；",
		"2. 我们如何使用 Cookie 和同类技术；",
		"（1）用户登录",
	} {
		if !lines[plain(normalize.Text(want))] {
			t.Errorf("missing paragraph %q", want)
		}
	}
	// broken across a page break (blank and space-only lines in the seed)
	if !strings.Contains(text, "用以支撑云端大数据分析和检测车辆状态") {
		t.Errorf("sentence across the page break not joined")
	}
}

func TestRepairPDFText(t *testing.T) {
	in := "隐私政策\n第一段的文字很长很长很长很长很长很长很长很长很长很长很长很长\n接着写完。\n二、标题\n\n- 3 -\n\f隐私政策\n第二页开头的一段文字很长很长很长很长很长很长很长很长很长很长\n还没有写完，\n写完了。\n\n- 4 -\n\f隐私政策\n隐 私 政 策 的 最 后 一 页\nP r i v a c y  P o l i c y\ninforma-\ntion here.\n- 5 -"
	got := RepairPDFText(in)
	want := "第一段的文字很长很长很长很长很长很长很长很长很长很长很长很长接着写完。\n\n二、标题\n\n第二页开头的一段文字很长很长很长很长很长很长很长很长很长很长还没有写完，写完了。\n\n隐私政策的最后一页\n\nPrivacy Policy\n\ninformation here.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestLooksScriptRendered(t *testing.T) {
	shell := `<html><head><title>隐私政策</title><script src="/app.js"></script></head><body><div id="app"></div><noscript>请启用JavaScript</noscript></body></html>`
	res := extractString(t, Input{Body: []byte(shell), ContentType: "text/html"})
	if !res.LooksScriptRendered() {
		t.Errorf("an empty app shell should look script-rendered: %+v", res.Shell)
	}
	src, err := testpages.Policy("QQ")
	if err != nil {
		t.Skip(err)
	}
	full := extractString(t, Input{Body: []byte(testpages.HTML(src, testpages.Options{Chrome: true})), ContentType: "text/html"})
	if full.LooksScriptRendered() {
		t.Errorf("a full policy page with a script should not look script-rendered")
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		contentType, name, body string
		want                    Format
	}{
		{"application/pdf", "", "%PDF-1.4", FormatPDF},
		{"application/octet-stream", "x", "%PDF-1.4", FormatPDF},
		{"", "policy.pdf", "", FormatPDF},
		{"text/html; charset=utf-8", "", "<p>x</p>", FormatHTML},
		{"text/plain", "", "<!DOCTYPE html><html>", FormatHTML},
		{"text/plain", "", "隐私政策", FormatText},
		{"", "a.md", "# 隐私政策", FormatText},
		{"", "a.htm", "x", FormatHTML},
		{"", "noext", "<html><body>x", FormatHTML},
		{"", "noext", "just text", FormatText},
		{"image/png", "", "\x89PNG\r\n\x1a\n\x00\x00", ""},
	}
	for _, tt := range tests {
		if got := DetectFormat(tt.contentType, tt.name, []byte(tt.body)); got != tt.want {
			t.Errorf("DetectFormat(%q, %q, %q) = %q, want %q", tt.contentType, tt.name, tt.body, got, tt.want)
		}
	}
	_, err := Extract(context.Background(), Input{Body: []byte("\x89PNG\r\n\x1a\n\x00\x00"), ContentType: "image/png"})
	if !policywatch.IsClass(err, policywatch.ErrUnsupported) {
		t.Errorf("image: got %v", err)
	}
}

// BenchmarkExtractCAPP130 extracts every CAPP-130 policy rendered as a web
// page with site chrome: the figure for extraction throughput.
func BenchmarkExtractCAPP130(b *testing.B) {
	names, err := testpages.PolicyNames()
	if err != nil {
		b.Skip(err)
	}
	var pages [][]byte
	var total int64
	for _, n := range names {
		src, _ := testpages.Policy(n)
		p := []byte(testpages.HTML(src, testpages.Options{Chrome: true, Charset: "utf-8"}))
		pages = append(pages, p)
		total += int64(len(p))
	}
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Extract(context.Background(), Input{Body: p, ContentType: "text/html"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/policy")
}

// TestPrintDebrisDropped: what a browser's print dialog writes on every
// page (the file's address, the date) goes, on one page as on many.
func TestPrintDebrisDropped(t *testing.T) {
	for name, in := range map[string]string{
		"one page": "2025/12/1 22:05 隐私政策\n我们会收集您的手机号码。\nfile:///C:/Users/me/Downloads/privacy.html 1/1\n",
		"two pages": "12/1/25, 10:05 PM 隐私政策\n我们会收集您的手机号码。\nfile:///home/me/privacy.html 1/2\n\f" +
			"12/1/25, 10:05 PM 隐私政策\n我们不会出售您的个人信息。\nfile:///home/me/privacy.html 2/2\n",
	} {
		got := RepairPDFText(in)
		if strings.Contains(got, "file:") || strings.Contains(got, "22:05") || strings.Contains(got, "10:05") {
			t.Errorf("%s: print debris left:\n%s", name, got)
		}
		if !strings.Contains(got, "我们会收集您的手机号码。") {
			t.Errorf("%s: the text went too:\n%s", name, got)
		}
	}
}
