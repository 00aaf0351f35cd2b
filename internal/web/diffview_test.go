package web

import (
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/textdiff"
)

func TestSideBySideZipsDeletionsWithInsertions(t *testing.T) {
	res := textdiff.Compare("甲。\n完全不同的旧句子一。\n完全不同的旧句子二。\n旧的第三句。\n乙。\n",
		"甲。\n全新的说法第一条规定。\n另一条新的规定内容。\n乙。\n")
	side := newDiffView(res, viewOptions{sideBySide: true, allContext: true})
	var ops []string
	for _, r := range side.Rows {
		ops = append(ops, r.Op+":"+r.OldOp+"/"+r.NewOp)
	}
	want := []string{"equal:equal/equal", "pair:delete/insert", "pair:delete/insert", "delete:delete/", "equal:equal/equal"}
	if len(ops) != len(want) {
		t.Fatalf("rows %v, want %v", ops, want)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Errorf("row %d: %s, want %s", i, ops[i], want[i])
		}
	}
	if side.Rows[1].Block != 1 {
		t.Errorf("the change's first row lost its block number")
	}
	inline := newDiffView(res, viewOptions{allContext: true})
	if len(inline.Rows) != len(res.Rows) {
		t.Errorf("the inline view zipped rows")
	}
}

func TestFolding(t *testing.T) {
	var a, b []string
	for i := 0; i < 100; i++ {
		a = append(a, "第"+itoa(i)+"行。")
	}
	b = append(b, a...)
	b[50] = "第50行，已修改。"
	res := textdiff.CompareLines(a, b)
	v := newDiffView(res, viewOptions{})
	visible, hidden, folds := 0, 0, 0
	for _, r := range v.Rows {
		switch {
		case r.Op == "fold":
			folds++
		case r.Hidden:
			hidden++
		default:
			visible++
		}
	}
	if folds != 2 || visible != 1+2*contextLines || hidden != 100-visible {
		t.Errorf("folds %d, visible %d, hidden %d", folds, visible, hidden)
	}
	if v.Changes != 1 {
		t.Errorf("changes %d", v.Changes)
	}
}

// TestBlankLinesAreNeverRows: blank lines added, removed or kept between
// paragraphs are no rows of the view, in either layout, and make no
// change of their own; the other rows keep their numbers over the
// normalized text.
func TestBlankLinesAreNeverRows(t *testing.T) {
	old := "第一段。\n\n第二段。\n第三段。\n\n\n第四段。\n"
	neu := "第一段。\n第二段。\n\n第三段。\n\n第四段，改了。\n\n第五段。\n"
	res := textdiff.Compare(old, neu)
	for _, side := range []bool{false, true} {
		v := newDiffView(res, viewOptions{allContext: true, sideBySide: side})
		var got []string
		for _, r := range v.Rows {
			if len(r.Old) == 0 && len(r.New) == 0 || (r.OldNo == 0 || segmentsText(r.Old) == "") && (r.NewNo == 0 || segmentsText(r.New) == "") {
				t.Errorf("side %v: a blank row %+v", side, r)
			}
			got = append(got, r.Op+":"+itoa(r.OldNo)+"/"+itoa(r.NewNo))
		}
		want := "equal:1/1 equal:3/2 equal:4/4 replace:6/6 insert:0/8" // normalization keeps one blank line of a run
		if strings.Join(got, " ") != want {
			t.Errorf("side %v: rows %v, want %s", side, got, want)
		}
		if v.Changes != 1 {
			t.Errorf("side %v: %d changes, want 1 (the edited paragraph and the new one, with nothing but blank lines between)", side, v.Changes)
		}
		if want := (textdiff.Stats{Added: 1, Modified: 1, Unchanged: 3}); v.Stats != want {
			t.Errorf("side %v: stats %+v, want %+v (blank lines are no formatting changes the page could show)", side, v.Stats, want)
		}
	}
	// The comparison itself (the diff JSON) keeps every line.
	blank := 0
	for _, r := range res.Rows {
		if isBlankRow(r) {
			blank++
		}
	}
	if blank == 0 {
		t.Error("textdiff dropped the blank lines: the diff JSON's contract keeps them")
	}
}

func segmentsText(segs []textdiff.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return strings.TrimSpace(b.String())
}

func TestHeadingsLoseTheirMarks(t *testing.T) {
	res := textdiff.Compare("# 隐私政策\n## 一、我们收集的信息\n正文。\n### 1.1 设备信息\n#不是标题\n",
		"# 隐私政策\n## 一、我们收集和使用的信息\n正文。\n#### 1.1 设备信息\n#不是标题\n")
	v := newDiffView(res, viewOptions{allContext: true})
	type want struct {
		old, new         string
		oldDepth, newDep int
	}
	var got []want
	for _, r := range v.Rows {
		got = append(got, want{segmentsText(r.Old), segmentsText(r.New), r.OldDepth, r.NewDepth})
	}
	expected := []want{
		{"隐私政策", "隐私政策", 1, 1},
		{"一、我们收集的信息", "一、我们收集和使用的信息", 2, 2},
		{"正文。", "正文。", 0, 0},
		{"1.1 设备信息", "1.1 设备信息", 3, 4},
		{"#不是标题", "#不是标题", 0, 0},
	}
	if len(got) != len(expected) {
		t.Fatalf("rows %+v", got)
	}
	for i := range expected {
		if got[i] != expected[i] {
			t.Errorf("row %d: %+v, want %+v", i, got[i], expected[i])
		}
	}
	// The changed words of a heading are still marked.
	var marked []string
	for _, s := range v.Rows[1].New {
		if s.Changed {
			marked = append(marked, s.Text)
		}
	}
	if strings.Join(marked, "") != "和使用" {
		t.Errorf("marked in the edited heading: %q", marked)
	}
	for _, tt := range []struct {
		line         string
		depth, marks int
	}{
		{"# 标题", 1, 2}, {"###### 六级", 6, 7}, {"####### 七个井号", 0, 0}, {"##", 0, 0}, {"#号开头", 0, 0}, {"##  两个空格", 2, 4}, {"正文 # 不是", 0, 0},
	} {
		if d, m := headingMarks(tt.line); d != tt.depth || m != tt.marks {
			t.Errorf("headingMarks(%q) = %d, %d; want %d, %d", tt.line, d, m, tt.depth, tt.marks)
		}
	}
}

func TestFoldSaysHowManyLinesItHides(t *testing.T) {
	zh, en := &page{Lang: "zh"}, &page{Lang: "en"}
	for _, tt := range []struct {
		p      *page
		folded int
		want   string
	}{
		{zh, 143, "这里折叠了 143 行未变化的内容，显示其中 40 行"},
		{zh, 12, "显示这里折叠的 12 行未变化的内容"},
		{en, 143, "143 unchanged lines folded here: show 40 of them"},
		{en, 40, "Show the 40 unchanged lines folded here"},
		{en, 1, "Show the 1 unchanged line folded here"},
	} {
		if got := (viewRow{Op: "fold", Folded: tt.folded}).FoldLabel(tt.p); got != tt.want {
			t.Errorf("%s, %d folded: %q, want %q", tt.p.Lang, tt.folded, got, tt.want)
		}
	}
	// The texts app.js words the link with after a click.
	data := foldTemplates(zh)
	for _, want := range []string{`data-part="这里折叠了 {n} 行未变化的内容，显示其中 {show} 行"`, `data-all="显示这里折叠的 {n} 行未变化的内容"`} {
		if !strings.Contains(data, want) {
			t.Errorf("fold data %s lacks %s", data, want)
		}
	}
}
