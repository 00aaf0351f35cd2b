package web

import (
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
