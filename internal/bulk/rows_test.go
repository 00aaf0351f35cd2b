package bulk

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/policywatch/policywatch"
)

// want is what a test expects of a row: its line and either the policy's
// name (added) or words of its error.
type want struct {
	line int
	name string
	err  string
}

func checkRows(t *testing.T, rows []Row, wants []want) {
	t.Helper()
	if len(rows) != len(wants) {
		for _, r := range rows {
			t.Logf("%s: %+v %v", r.Where(), r.Policy, r.Err)
		}
		t.Fatalf("%d rows, want %d", len(rows), len(wants))
	}
	for i, w := range wants {
		r := rows[i]
		if r.Line != w.line {
			t.Errorf("row %d: line %d, want %d", i, r.Line, w.line)
		}
		switch {
		case w.err == "" && r.Err != nil:
			t.Errorf("line %d: %v", r.Line, r.Err)
		case w.err == "" && r.Policy.Name != w.name:
			t.Errorf("line %d: name %q, want %q", r.Line, r.Policy.Name, w.name)
		case w.err != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), w.err)):
			t.Errorf("line %d: error %v, want %q", r.Line, r.Err, w.err)
		}
	}
}

func TestReadCSV(t *testing.T) {
	in := "\ufeffURL, Name ,platform,kind,select,remove,render,every\n" +
		"https://a.example/privacy,隐私政策,A,privacy,#main,.ad|#nav,browser,7d\n" +
		"\n" + // blank lines are skipped, lines still counted
		"https://a.example/terms,用户协议,A,用户协议,,,,\n" +
		"https://b.example/p,\"名称, 带逗号\",B,,,,,\n" +
		"\"https://c.example/p\",\"两行\n的名称\",C,,,,,\n" +
		"not a url,x,C,,,,,\n" +
		"https://d.example/p,x,D,,,,,3s\n" +
		"https://d.example/q,,D,,,,,\n" +
		"https://e.example/p,x,E,sdk,div[[,,,\n" +
		"https://f.example/p,x,F,,,,\n" +
		"https://g.example/p,x,G,,,,fast,\n" +
		"https://h.example/p,x,\"H,,,,,\n"
	rows, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rows, []want{
		{line: 2, name: "隐私政策"},
		{line: 4, name: "用户协议"},
		{line: 5, name: "名称, 带逗号"},
		{line: 6, name: "两行\n的名称"},
		{line: 8, err: "invalid URL"},
		{line: 9, err: "check interval"},
		{line: 10, err: "needs a name"},
		{line: 11, err: "does not parse"},
		{line: 12, err: "7 fields where the header has 8"},
		{line: 13, err: "render mode"},
		{line: 14, err: "cannot read the row"},
	})
	p := rows[0].Policy
	if p.URL != "https://a.example/privacy" || p.Platform != "A" || p.Select != "#main" ||
		strings.Join(p.Remove, ",") != ".ad,#nav" || p.Render != policywatch.RenderBrowser || p.Interval.Hours() != 7*24 {
		t.Errorf("first row: %+v", p)
	}
	if p := rows[1].Policy; p.Kind != policywatch.KindTerms || p.Interval != policywatch.DefaultInterval || p.Render != policywatch.RenderAuto {
		t.Errorf("defaults and Chinese kind: %+v", p)
	}
}

func TestReadHeaderErrors(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"", "empty"},
		{"  \n\n", "empty"},
		{"url,name\nhttps://a.example/,x\n", "no platform column"},
		{"url,name,platform,plattform\n", `unknown column "plattform"`},
		{"url,name,platform,URL\n", `"url" is named twice`},
	} {
		_, err := Read(strings.NewReader(tc.in))
		if !policywatch.IsClass(err, policywatch.ErrInvalid) || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.err)
		}
	}
}

// Excel on a Chinese Windows saves CSV in GB18030 (GBK).
func TestReadGB18030(t *testing.T) {
	in, err := simplifiedchinese.GB18030.NewEncoder().String("url,name,platform\nhttps://a.example/,隐私政策,微信\n")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rows, []want{{line: 2, name: "隐私政策"}})
	if rows[0].Policy.Platform != "微信" {
		t.Errorf("platform %q", rows[0].Policy.Platform)
	}
}

func TestReadJSONLines(t *testing.T) {
	in := `{"url": "https://a.example/privacy", "name": "隐私政策", "platform": "A", "remove": [".ad", "#nav"], "every": "12h"}
  {"url": "https://a.example/terms", "name": "用户协议", "platform": "A", "kind": "terms", "remove": ".x|.y", "select": null}

{"url": "https://b.example/", "name": "x", "platform": "B", "colour": "red"}
{"url": "https://b.example/", "name": "x", "platform": "B", "every": 24}
{"url": "https://b.example/", "name": "x", "platform": "B", "remove": [1]}
{"url": "https://b.example/", "name": "x"
{"name": "x", "platform": "B"}
`
	rows, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rows, []want{
		{line: 1, name: "隐私政策"},
		{line: 2, name: "用户协议"},
		{line: 4, err: `unknown key "colour"`},
		{line: 5, err: `"every" must be text`},
		{line: 6, err: `"remove" must be text`},
		{line: 7, err: "not a JSON object"},
		{line: 8, err: "needs its URL"},
	})
	if p := rows[0].Policy; strings.Join(p.Remove, ",") != ".ad,#nav" || p.Interval.Hours() != 12 {
		t.Errorf("first: %+v", p)
	}
	if p := rows[1].Policy; strings.Join(p.Remove, ",") != ".x,.y" || p.Kind != policywatch.KindTerms {
		t.Errorf("second: %+v", p)
	}
}

// TestSplitRemove: several rules split at "|", except inside an attribute
// selector, where "|" belongs to the selector.
func TestSplitRemove(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{".ad", []string{".ad"}},
		{".ad|#nav", []string{".ad", "#nav"}},
		{"[lang|=en]", []string{"[lang|=en]"}},
		{"[lang|=en]|.ad|div[data-x|=y] p", []string{"[lang|=en]", ".ad", "div[data-x|=y] p"}},
		{"a]|b", []string{"a]", "b"}}, // a stray bracket does not swallow the rest
	} {
		if got := splitRemove(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitRemove(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
