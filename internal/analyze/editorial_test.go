package analyze

import "testing"

func TestStripLeadNumber(t *testing.T) {
	for in, want := range map[string]string{"一、我们": "我们", "（三）我们": "我们", "1.3.5 我们": "我们", "d. 我们": "我们", "第五条 我们": "我们", "①我们": "我们",
		"12月": "月", "我们": "我们", "2.2 .2 x": ".2 x", "1、收集": "收集", "(2) x": "x", "a.我们": "我们", "App": "App", "15天内": "天内"} {
		if got := stripLeadNumber(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
