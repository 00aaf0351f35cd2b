package normalize

import (
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/testpages"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"old mac", "a\rb", "a\nb\n"},
		{"blank runs", "\n\na\n\n\n\nb\n\n", "a\n\nb\n"},
		{"trailing blanks", "a  \t\nb\u3000\n", "a\nb\n"},
		{"invisible", "\uFEFFa\u200Bb\u00ADc\n\u200B\n\nd", "abc\n\nd\n"},
		{"nbsp", "一、\u00A0我们", "一、 我们\n"},
		{"keeps indentation and width", "\t（一）　基本", "\t（一）　基本\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width folds", "（一）基本，ＡＢＣ１２３", "(一)基本,ABC123\n"},
		{"ideographic space collapses", "a\u3000\u3000b\t\tc", "a b c\n"},
		{"lines trimmed", "   a  b   \n\t\tc", "a b\nc\n"},
		{"whitespace-only lines are blank", "a\n\u3000\n \nb", "a\n\nb\n"},
		{"chinese punctuation kept", "我们。“您”、", "我们。“您”、\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKeyIgnoresFormattingOnly(t *testing.T) {
	base := "# 一、我们如何收集\n\n我们会收集您的手机号码，用于注册。\n- 位置信息\n| SDK | 用途 |\n|---|---|\n| 支付宝 | 支付 |\n"
	same := []string{
		// re-wrapped
		"# 一、我们如何收集\n我们会收集您的手机\n号码，用于注册。\n\n- 位置信息\n| SDK | 用途 |\n| 支付宝 | 支付 |\n",
		// half-width punctuation and different quotes/spacing
		"## 一、 我们如何收集\n\n我们会收集您的 手机号码, 用于注册。\n* 位置信息\n|SDK|用途|\n|:--|--:|\n|支付宝|支付|\n",
		// heading demoted to a paragraph
		"一、我们如何收集\n我们会收集您的手机号码，用于注册。\n位置信息\nSDK 用途\n支付宝 支付\n",
	}
	for i, s := range same {
		if Key(s) != Key(base) {
			t.Errorf("variant %d: key differs:\n%q\n%q", i, Key(s), Key(base))
		}
	}
	different := []string{
		strings.Replace(base, "手机号码", "身份证号码", 1),
		strings.Replace(base, "支付宝", "微信", 1),
		strings.Replace(base, "。", "；", 1),
	}
	for i, s := range different {
		if Key(s) == Key(base) {
			t.Errorf("word change %d: key unchanged", i)
		}
	}
}

func TestTextKeepsZeekrLineNumbers(t *testing.T) {
	raw, err := os.ReadFile("../../../shared/fixtures/zeekr/zeekr-2025-11-10.txt")
	if err != nil {
		t.Skipf("shared fixtures not found: %v", err)
	}
	lines := strings.Split(Text(string(raw)), "\n")
	if got := lines[146]; !strings.HasPrefix(got, "极物商城由关联方浙江浩物网络科技有限公司负责运营") {
		t.Fatalf("line 147 = %q", got)
	}
}

func BenchmarkKey(b *testing.B) {
	raw, err := os.ReadFile("../../../shared/fixtures/zeekr/zeekr-2025-11-10.txt")
	if err != nil {
		b.Skip(err)
	}
	s := string(raw)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Key(s)
	}
}

func TestCleanRepairsInvalidUTF8AndInvisibles(t *testing.T) {
	for in, want := range map[string]string{
		"a\xffb":          "a\uFFFDb\n",
		"\xef\xbb\xbfa":   "a\n",
		"x\u200dy\u00a0z": "xy z\n",
		"正常的中文行。":         "正常的中文行。\n",
		"\u2028行分隔符":      "\u2028行分隔符\n",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFastPathsAgree: text that is already clean or normal comes back as
// it is, and anything else is rebuilt exactly as before.
func TestFastPathsAgree(t *testing.T) {
	inputs := []string{"a\n", "a\n\nb\n", "a \n", "\na\n", "a\n\n\nb\n", "a", "a\n\n", "a\u200bb\n", "a\tb\n", "（一）\n", "a  b\n", " a\n"}
	if src, err := testpages.Policy("QQ"); err == nil {
		inputs = append(inputs, src, Clean(src), Text(src))
	}
	for _, in := range inputs {
		cleaned := Clean(in)
		if isClean(in) && cleaned != in {
			t.Errorf("isClean(%q) but Clean changes it to %q", in, cleaned)
		}

		text := Text(in)
		if isNormalText(in) && text != in {
			t.Errorf("isNormalText(%q) but Text changes it to %q", in, text)
		}

		if Text(text) != text || Clean(cleaned) != cleaned {
			t.Errorf("not idempotent on %q", in)
		}
	}
}

func FuzzTextAndClean(f *testing.F) {
	f.Add("a\r\n\r\n\r\nb \u3000\n")
	f.Add("（一）我们\u200b收集\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, n := Clean(s), Text(s)
		// The fast paths may pass over text they could accept (é is normal
		// but unknown to them); they must never accept text they would change.
		if isClean(s) && c != s {
			t.Fatalf("isClean(%q) but Clean gives %q", s, c)
		}
		if isNormalText(s) && n != s {
			t.Fatalf("isNormalText(%q) but Text gives %q", s, n)
		}
		if Clean(c) != c {
			t.Fatalf("Clean not idempotent on %q: %q", s, c)
		}
		if Text(n) != n {
			t.Fatalf("Text not idempotent on %q: %q", s, n)
		}
		if Text(c) != n {
			t.Fatalf("Text(Clean(%q)) = %q, Text = %q", s, Text(c), n)
		}
		if want := slowClean(s); c != want {
			t.Fatalf("Clean(%q) = %q, by definition %q", s, c, want)
		}
		if want := slowText(s); n != want {
			t.Fatalf("Text(%q) = %q, by definition %q", s, n, want)
		}
	})
}

// TestCleanAndTextByDefinition: the one-pass Clean and Text give what their
// definitions give, on the policies and on text in every state of repair.
func TestCleanAndTextByDefinition(t *testing.T) {
	inputs := []string{"", "\n", "\n\n", "a", "a\n", "a\n\n", "\na\n", "a\n\n\nb", "a \n", "a\r\nb\r", "\xffa\n",
		"a\u00a0\n", "\u200b\n", "x\n\u200b\n\ny\n", "（一）　基本 \n", "a\fb\n", "a\u2028\n", "a\n\n", "\uFFFD\n"}
	if names, err := testpages.PolicyNames(); err == nil {
		for _, n := range names[:min(len(names), 20)] {
			src, _ := testpages.Policy(n)
			inputs = append(inputs, src, Clean(src), Text(src), strings.ReplaceAll(src, "\n", "\n\n\n"), src+"\n\n", "\n"+src)
		}
	}
	for _, in := range inputs {
		if got, want := Clean(in), slowClean(in); got != want {
			t.Errorf("Clean(%.40q) = %.80q, by definition %.80q", in, got, want)
		}
		if got, want := Text(in), slowText(in); got != want {
			t.Errorf("Text(%.40q) = %.80q, by definition %.80q", in, got, want)
		}
	}
}

// slowClean is Clean by its definition.
func slowClean(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		var b strings.Builder
		for _, r := range line {
			switch {
			case invisible(r):
			case r == '\u00A0':
				b.WriteByte(' ')
			default:
				b.WriteRune(r) // invalid bytes become U+FFFD
			}
		}
		line = strings.TrimRightFunc(b.String(), unicode.IsSpace)
		if line == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func TestPlainValid(t *testing.T) {
	lines := []string{"", "abc", "中文，“引号”。", "\u00a0", "a\u200bb", "\ufeff", "\xff", "a\xe4\xb8", "\xe4\xb8\x80", "\xed\xa0\x80",
		"\xe0\x80\x80", "\uFFFD", "ㄅ가힣", "\u00ad", "\u2060", "\U0001F600", "\xe3\x80", "\xec\xbf\xbf"}
	for r := rune(0x80); r < 0x10000; r += 7 {
		lines = append(lines, "x"+string(r)+"y")
	}
	for _, l := range lines {
		if got, want := plainValid(l), quickPlain(l) && utf8.ValidString(l); got != want {
			t.Errorf("plainValid(%q) = %v, want %v", l, got, want)
		}
	}
}

// TestKeyFastPath: a line taken as its own key is its key as the general
// path computes it.
func TestKeyFastPath(t *testing.T) {
	slowKey := func(s string) string {
		var b strings.Builder
		for line := range strings.Lines(s) {
			line = strings.TrimRight(line, "\n")
			if isTableRule(line) {
				continue
			}
			for _, r := range stripBlockMarker(line) {
				if !unicode.IsSpace(r) {
					b.WriteRune(foldQuote(r))
				}
			}
		}
		return b.String()
	}
	lines := []string{"", "中文", "“中”", "a b", "\xe4\xb8", "\xed\xa0\x80", "# 标题", "|a|", "中\u3000文", "\xe4\xb8\xad\xe4"}
	for r := rune(0); r < 0x10000; r += 3 {
		lines = append(lines, "中"+string(r)+"文")
	}
	if src, err := testpages.Policy("QQ"); err == nil {
		lines = append(lines, strings.Split(Text(src), "\n")...)
	}
	for _, l := range lines {
		if got, want := KeyOfText(l), slowKey(l); got != want {
			t.Fatalf("KeyOfText(%q) = %q, want %q", l, got, want)
		}
	}
}
