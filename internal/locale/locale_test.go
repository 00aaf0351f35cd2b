package locale

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestBothLanguagesHaveEveryKey(t *testing.T) {
	for _, pair := range [][2]string{{"zh", "en"}, {"en", "zh"}} {
		other := NewPrinter(pair[1])
		for _, key := range Keys(pair[0]) {
			if IsPluralForm(key) && pair[0] == "en" {
				continue // Chinese has no plural forms
			}
			if !other.Has(key) {
				t.Errorf("%s lacks %q (which %s has)", pair[1], key, pair[0])
			}
		}
	}
	if len(Keys("zh")) == 0 {
		t.Fatal("no messages")
	}
}

// verb is one fmt verb: flags, argument index, width and precision, verb.
var verb = regexp.MustCompile(`%([-+# 0]*)(?:\[(\d+)\])?((?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%])`)

// verbs are the fmt verbs of a message in the order of the arguments they
// take, each as "argument:verb" (so that a translation may reorder its
// arguments with %[n]s), %% left out. %q counts as %s: both take a string,
// and the languages quote differently (Chinese writes “%s”, English %q).
func verbs(text string) []string {
	type use struct {
		arg  int
		verb string
	}
	var uses []use
	arg := 1
	for _, m := range verb.FindAllStringSubmatch(text, -1) {
		if m[3] == "%" {
			continue
		}
		if m[2] != "" {
			arg, _ = strconv.Atoi(m[2])
		}
		v := "%" + m[1] + m[3]
		if strings.HasSuffix(v, "q") {
			v = strings.TrimSuffix(v, "q") + "s"
		}
		uses = append(uses, use{arg, v})
		arg++
	}
	slices.SortStableFunc(uses, func(a, b use) int { return a.arg - b.arg })
	out := make([]string, len(uses))
	for i, u := range uses {
		out[i] = strconv.Itoa(u.arg) + ":" + u.verb
	}
	return out
}

func TestVerbsAgree(t *testing.T) {
	zh, en := NewPrinter("zh"), NewPrinter("en")
	for _, key := range Keys("zh") {
		if a, b := verbs(zh.Print(key)), verbs(en.Print(key)); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %v in Chinese, %v in English", key, a, b)
		}
	}
	// A plural form takes the arguments of its message, and has one.
	for _, key := range Keys("en") {
		if !IsPluralForm(key) {
			continue
		}
		base := strings.TrimSuffix(key, ".one")
		if !en.Has(base) {
			t.Errorf("%s is the singular of nothing", key)
		} else if a, b := verbs(en.Print(base)), verbs(en.Print(key)); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %v, its singular %v", base, a, b)
		}
	}
	for text, want := range map[string][]string{
		"%d 个（共 %5.1f%%）%q":   {"1:%d", "2:%5.1f", "3:%s"},
		"%[2]s then %[1]d":    {"1:%d", "2:%s"},
		"%s, %[1]s again, %d": {"1:%s", "1:%s", "2:%d"},
	} {
		if got := verbs(text); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %v, want %v", text, got, want)
		}
	}
	// The check catches what it is for.
	if slices.Equal(verbs("%s 有 %d 个"), verbs("%d of %s")) {
		t.Error("swapped verbs pass")
	}
	if slices.Equal(verbs("%d 个"), verbs("%d of %d")) {
		t.Error("a missing verb passes")
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"": "zh", "zh": "zh", "zh-CN": "zh", "zh_TW": "zh", "fr": "zh", "de-DE": "zh",
		"en": "en", "en-US": "en", "EN": "en", "en_GB": "en", "English": "en",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if got := NewPrinter(in).Lang(); got != want {
			t.Errorf("NewPrinter(%q).Lang() = %q, want %q", in, got, want)
		}
	}
}

func TestPrint(t *testing.T) {
	zh, en := NewPrinter("zh"), NewPrinter("en-US")
	if got := zh.Print("level.editorial"); got != "编辑性修订" {
		t.Errorf("zh level.editorial = %q", got)
	}
	if got := en.Print("level.editorial"); got != "editorial" {
		t.Errorf("en level.editorial = %q", got)
	}
	if got := en.Printf("compare.stats", 1, 2, 3, 4, 5); got != "Lines: 1 added, 2 removed, 3 modified, 4 moved, 5 formatting only" {
		t.Errorf("en compare.stats = %q", got)
	}
	if got := zh.Printf("analysis.line", 7); got != "第7行" {
		t.Errorf("zh analysis.line = %q", got)
	}
	// Without arguments a message is not formatted.
	if got := en.Printf("compare.fold"); got != "Show the %d unchanged lines folded here" {
		t.Errorf("en compare.fold without args = %q", got)
	}
}

func TestPlural(t *testing.T) {
	zh, en := NewPrinter("zh"), NewPrinter("en")
	for _, tt := range []struct {
		p    *Printer
		n    int
		want string
	}{
		{en, 1, "1 change"}, {en, 2, "2 changes"}, {en, 0, "0 changes"}, {zh, 1, "共 1 处变更"}, {zh, 3, "共 3 处变更"},
	} {
		if got := tt.p.Plural("compare.position", tt.n, tt.n); got != tt.want {
			t.Errorf("%s Plural(compare.position, %d) = %q, want %q", tt.p.Lang(), tt.n, got, tt.want)
		}
	}
}

func TestFallback(t *testing.T) {
	catalogue()["zh"]["test.onlychinese"] = "只有中文 %d"
	defer delete(catalogue()["zh"], "test.onlychinese")
	en := NewPrinter("en")
	if en.Has("test.onlychinese") {
		t.Error("English claims a key only Chinese has")
	}
	if got := en.Printf("test.onlychinese", 3); got != "只有中文 3" {
		t.Errorf("missing English = %q, want the Chinese", got)
	}
	if got := en.Print("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q, want the key", got)
	}
	if got := NewPrinter("zh").Print("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key in Chinese = %q, want the key", got)
	}
}

func TestMergeRefusesDuplicates(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a key given by two areas was accepted")
		}
	}()
	merge(messages{"zh": {"a": "甲"}}, messages{"zh": {"a": "乙"}})
}

// TestLevels: one label per level, and the level.* keys are the levels only.
func TestLevels(t *testing.T) {
	want := map[string][2]string{
		"none": {"无变化", "no change"}, "editorial": {"编辑性修订", "editorial"}, "minor": {"轻微变更", "minor"},
		"substantive": {"实质性变更", "substantive"}, "major": {"重大变更", "major"},
	}
	for level, names := range want {
		if got := NewPrinter("zh").Print("level." + level); got != names[0] {
			t.Errorf("zh %s = %q, want %q", level, got, names[0])
		}
		if got := NewPrinter("en").Print("level." + level); got != names[1] {
			t.Errorf("en %s = %q, want %q", level, got, names[1])
		}
	}
	for _, key := range Keys("zh") {
		if level, ok := strings.CutPrefix(key, "level."); ok {
			if _, known := want[level]; !known {
				t.Errorf("%s is not a level", key)
			}
		}
	}
}
