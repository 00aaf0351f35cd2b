package classify

import (
	"slices"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"我们会收集您的手机号码。我们不会出售您的信息！", []string{"我们会收集您的手机号码。", "我们不会出售您的信息！"}},
		{"包括：\n1. 姓名；\n2. 电话。", []string{"包括：", "1. 姓名；", "2. 电话。"}},
		{"客服电话：400-003-6036；邮箱：a@b.com。", []string{"客服电话：400-003-6036；", "邮箱：a@b.com。"}},
		{"他说：“我们会删除。”然后……结束了。", []string{"他说：“我们会删除。”", "然后……", "结束了。"}},
		{"We collect your email. We keep it 30 days; then delete it.", []string{"We collect your email.", "We keep it 30 days;", "then delete it."}},
		{"Version 2.0 is live.", []string{"Version 2.0 is live."}},
		{"| 支付宝SDK | 支付 |\n| 微信SDK | 分享 |", []string{"| 支付宝SDK | 支付 |", "| 微信SDK | 分享 |"}},
		{"\n\n一、我们如何收集\n\n", []string{"一、我们如何收集"}},
	}
	for _, tt := range tests {
		if got := SplitSentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
