package policywatch

import "testing"

func TestLevelLabels(t *testing.T) {
	tests := []struct{ level, lang, want string }{
		{"none", "", "无变化"},
		{"editorial", "zh", "编辑性修订"},
		{"minor", "zh", "轻微变更"},
		{"substantive", "zh", "实质性变更"},
		{"major", "zh", "重大变更"},
		{"major", "en", "major"},
		{"none", "en-US", "no change"},
		{"editorial", "en", "editorial"},
		{"cosmic", "zh", "cosmic"},
		{"", "zh", ""},
	}
	for _, tt := range tests {
		if got := Level(tt.level).Label(tt.lang); got != tt.want {
			t.Errorf("Level(%q).Label(%q) = %q, want %q", tt.level, tt.lang, got, tt.want)
		}
	}
}

func TestLevelOrder(t *testing.T) {
	tests := []struct {
		level, min Level
		want       bool
	}{
		{LevelMajor, LevelMinor, true}, {LevelMinor, LevelMinor, true}, {LevelEditorial, LevelMinor, false},
		{LevelNone, "", true}, {"", LevelMajor, true}, {"cosmic", LevelMajor, true},
	}
	for _, tt := range tests {
		if got := tt.level.AtLeast(tt.min); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v", tt.level, tt.min, got)
		}
	}
	if LevelMinor.Max(LevelMajor) != LevelMajor || LevelMajor.Max(LevelNone) != LevelMajor || Level("").Max(LevelNone) != LevelNone {
		t.Error("Max")
	}
	for in, want := range map[string]Level{" Major ": LevelMajor, "": "", "minor": LevelMinor} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("huge"); ClassOf(err) != ErrInvalid {
		t.Errorf("ParseLevel(huge): %v", err)
	}
}
