package policywatch

import (
	"strings"
	"testing"
	"time"
)

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]time.Duration{"24h": 24 * time.Hour, "30m": 30 * time.Minute, "7d": 7 * 24 * time.Hour,
		"1d12h": 36 * time.Hour, " 1m ": time.Minute, "366d": MaxInterval} {
		if got, err := ParseInterval(in); err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "often", "1ms", "0.4s", "30s", "0", "-1h", "400d", "d", "1x"} {
		if d, err := ParseInterval(in); !IsClass(err, ErrInvalid) {
			t.Errorf("ParseInterval(%q) = %v, %v; want an invalid-input error", in, d, err)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	ok := func() Policy {
		return Policy{Name: "隐私政策", Platform: "示例", URL: "https://example.com/privacy", Kind: KindPrivacy, Render: RenderAuto,
			Interval: DefaultInterval, Select: "#content", Remove: []string{".share", "footer nav"}}
	}
	p := ok()
	if err := p.Validate(); err != nil {
		t.Fatalf("a good policy: %v", err)
	}
	bad := map[string]func(*Policy){
		"no name":          func(p *Policy) { p.Name = " " },
		"no platform":      func(p *Policy) { p.Platform = "" },
		"not http":         func(p *Policy) { p.URL = "ftp://example.com/p" },
		"interval 0":       func(p *Policy) { p.Interval = 0 },
		"interval 400ms":   func(p *Policy) { p.Interval = 400 * time.Millisecond },
		"bad select":       func(p *Policy) { p.Select = "div[[[" },
		"bad remove":       func(p *Policy) { p.Remove = []string{"p:nth-child("} },
		"unknown render":   func(p *Policy) { p.Render = "magic" },
		"interval 2 years": func(p *Policy) { p.Interval = 2 * 365 * 24 * time.Hour },
	}
	for name, spoil := range bad {
		p := ok()
		spoil(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p = ok()
	p.URL = "" // known only from imported files
	if err := p.Validate(); err != nil {
		t.Errorf("import-only policy: %v", err)
	}
}

func TestCheckCapturedAt(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{now, now.Add(-10 * 365 * 24 * time.Hour), now.Add(12 * time.Hour)} {
		if err := CheckCapturedAt(at, now); err != nil {
			t.Errorf("%v: %v", at, err)
		}
	}
	for _, at := range []time.Time{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), {}, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), now.Add(48 * time.Hour)} {
		if err := CheckCapturedAt(at, now); !IsClass(err, ErrInvalid) {
			t.Errorf("%v: %v", at, err)
		}
	}
}

// TestErrorsSpeakTheReadersLanguage: input errors carry their catalogue
// key, so a page says them in Chinese while the CLI and API keep English.
func TestErrorsSpeakTheReadersLanguage(t *testing.T) {
	_, err := ParseInterval("每天")
	if got := err.Error(); got != `check interval "每天": want e.g. 24h, 30m or 7d` {
		t.Errorf("English: %q", got)
	}
	if got := Localize(err, "zh"); !strings.Contains(got, "检查间隔") || !strings.Contains(got, "每天") {
		t.Errorf("Chinese: %q", got)
	}
	p := Policy{Name: "x", Platform: "y", Interval: time.Hour, Kind: "pigeon"}
	if err := p.Validate(); ClassOf(err) != ErrInvalid || !strings.Contains(Localize(err, "zh"), "未知的政策类型") {
		t.Errorf("kind: %v (%s)", err, ClassOf(err))
	}
	plain := Errorf(ErrInvalid, "no key")
	if Localize(plain, "zh") != "no key" {
		t.Errorf("an error without a key keeps its message")
	}
}
