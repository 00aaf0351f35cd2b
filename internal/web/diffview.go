package web

import (
	"strings"

	"github.com/policywatch/policywatch/internal/textdiff"
)

// contextLines of unchanged text stay visible around each change; longer
// unchanged runs are folded.
const contextLines = 3

// diffView is a comparison laid out for the compare page.
type diffView struct {
	Rows    []viewRow
	Changes int // change blocks shown
	// Stats are the comparison's figures less the blank lines the view
	// leaves out (textdiff counts a blank line added or removed as a
	// formatting change).
	Stats textdiff.Stats
}

// viewRow is one row of the table: a line pair, or a fold standing for
// the hidden unchanged rows after it.
type viewRow struct {
	Op         string // equal, insert, delete, replace, move, fold; pair: a deletion beside an insertion
	OldOp      string // how the old side renders: delete, replace, move, equal, or "" for an empty cell
	NewOp      string // how the new side renders
	OldNo      int
	NewNo      int
	Old, New   []textdiff.Segment
	Formatting bool
	// OldDepth and NewDepth are the Markdown heading levels (1-6) of the
	// sides that are headings, 0 for other lines; their segments are
	// without the heading marks, which the page shows as heading styles.
	OldDepth, NewDepth int
	Quiet              bool // a formatting-only change shown as unchanged
	Hidden             bool // folded away until expanded
	Block              int  // 1-based change number on the first row of a change, else 0
	Folded             int  // on a fold row: how many rows it hides
}

// FoldLabel is what a fold's link says: how many unchanged lines it
// hides and how many one click shows. The same texts, with {n} and
// {show}, go to app.js in the link's data attributes (foldTemplates).
func (r viewRow) FoldLabel(p *page) string {
	show := r.FoldShow()
	if show < r.Folded {
		return p.Tn("compare.fold.part", r.Folded, r.Folded, show)
	}
	return p.Tn("compare.fold", r.Folded, r.Folded)
}

// unfoldStep is how many hidden rows one click on a fold reveals (app.js
// uses the same number).
const unfoldStep = 40

// FoldShow is how many rows the fold's next click reveals.
func (r viewRow) FoldShow() int { return min(r.Folded, unfoldStep) }

// Anchor is the row's id: n<line> by its new line, o<line> for a deletion.
// A pair's anchor is its new line.
func (r viewRow) Anchor() string {
	if r.NewNo > 0 {
		return "n" + itoa(r.NewNo)
	}
	return "o" + itoa(r.OldNo)
}

type viewOptions struct {
	hideFormatting bool // show formatting-only changes as unchanged
	allContext     bool // fold nothing
	sideBySide     bool // put deletions beside the insertions that follow them
}

// newDiffView lays a comparison out. Blank lines are never rows: they
// only separate paragraphs (line numbers still count them, as everywhere
// a line is cited), so the view drops them before it finds the changes
// and folds the rest.
func newDiffView(res textdiff.Result, opt viewOptions) *diffView {
	res = withoutBlankLines(res)
	v := &diffView{Rows: make([]viewRow, 0, len(res.Rows)+8), Stats: res.Stats}
	blocks := res.Blocks(opt.hideFormatting)
	v.Changes = len(blocks)
	visible := make([]bool, len(res.Rows))
	blockAt := map[int]int{}
	for i, b := range blocks {
		blockAt[b.Start] = i + 1
		for j := max(0, b.Start-contextLines); j < min(len(res.Rows), b.End+contextLines); j++ {
			visible[j] = true
		}
	}
	for i := 0; i < len(res.Rows); {
		if opt.allContext || visible[i] {
			v.Rows = append(v.Rows, toViewRow(res.Rows[i], opt, blockAt[i]))
			i++
			continue
		}
		// A run of unchanged rows to fold: a fold row, then the rows hidden.
		j := i
		for j < len(res.Rows) && !visible[j] {
			j++
		}
		v.Rows = append(v.Rows, viewRow{Op: "fold", Folded: j - i})
		for ; i < j; i++ {
			row := toViewRow(res.Rows[i], opt, 0)
			row.Hidden = true
			v.Rows = append(v.Rows, row)
		}
	}
	if opt.sideBySide {
		v.Rows = zipDeletionsAndInsertions(v.Rows)
	}
	return v
}

// withoutBlankLines drops the rows whose every side is a blank line: the
// blank lines between paragraphs, added, removed or kept.
func withoutBlankLines(res textdiff.Result) textdiff.Result {
	rows := make([]textdiff.Row, 0, len(res.Rows))
	for _, r := range res.Rows {
		switch {
		case !isBlankRow(r):
			rows = append(rows, r)
		case r.Formatting:
			res.Stats.Formatting--
		case r.Op == textdiff.Equal:
			res.Stats.Unchanged--
		}
	}
	res.Rows = rows
	return res
}

func isBlankRow(r textdiff.Row) bool {
	return (r.OldNo == 0 || strings.TrimSpace(r.Old) == "") && (r.NewNo == 0 || strings.TrimSpace(r.New) == "")
}

// zipDeletionsAndInsertions puts a run of deleted lines beside the run of
// inserted lines that follows it, row by row, as side-by-side views do:
// no half-empty rows where one text replaced another.
func zipDeletionsAndInsertions(rows []viewRow) []viewRow {
	out := make([]viewRow, 0, len(rows))
	for i := 0; i < len(rows); {
		d := i
		for d < len(rows) && rows[d].Op == "delete" && !rows[d].Hidden && !rows[d].Quiet {
			d++
		}
		n := d
		for n < len(rows) && rows[n].Op == "insert" && !rows[n].Hidden && !rows[n].Quiet {
			n++
		}
		dels, ins := rows[i:d], rows[d:n]
		if len(dels) == 0 || len(ins) == 0 {
			out = append(out, rows[i])
			i++
			continue
		}
		for k := 0; k < max(len(dels), len(ins)); k++ {
			var r viewRow
			switch {
			case k < len(dels) && k < len(ins):
				r = viewRow{Op: "pair", OldOp: "delete", NewOp: "insert", OldNo: dels[k].OldNo, NewNo: ins[k].NewNo,
					Old: dels[k].Old, New: ins[k].New, OldDepth: dels[k].OldDepth, NewDepth: ins[k].NewDepth,
					Formatting: dels[k].Formatting && ins[k].Formatting,
					Block:      max(dels[k].Block, ins[k].Block)}
			case k < len(dels):
				r = dels[k]
			default:
				r = ins[k]
			}
			out = append(out, r)
		}
		i = n
	}
	return out
}

func toViewRow(r textdiff.Row, opt viewOptions, block int) viewRow {
	v := viewRow{
		Op: string(r.Op), OldOp: string(r.Op), NewOp: string(r.Op), OldNo: r.OldNo, NewNo: r.NewNo,
		Old: r.Segments(textdiff.Old), New: r.Segments(textdiff.New),
		Formatting: r.Formatting, Block: block,
	}
	switch r.Op {
	case textdiff.Delete:
		v.NewOp = ""
	case textdiff.Insert:
		v.OldOp = ""
	}
	if opt.hideFormatting && r.Formatting {
		v.Quiet = true
		v.Old = []textdiff.Segment{{Text: r.Old}}
		v.New = []textdiff.Segment{{Text: r.New}}
	}
	if r.OldNo > 0 {
		v.OldDepth, v.Old = headingSegments(r.Old, v.Old)
	}
	if r.NewNo > 0 {
		v.NewDepth, v.New = headingSegments(r.New, v.New)
	}
	return v
}

// headingSegments finds whether line is a Markdown heading and, if so,
// cuts its marks ("## ") off the front of its segments.
func headingSegments(line string, segs []textdiff.Segment) (int, []textdiff.Segment) {
	depth, marks := headingMarks(line)
	if depth == 0 {
		return 0, segs
	}
	out := make([]textdiff.Segment, 0, len(segs))
	for _, sg := range segs {
		if marks >= len(sg.Text) {
			marks -= len(sg.Text)
			continue
		}
		sg.Text = sg.Text[marks:]
		marks = 0
		out = append(out, sg)
	}
	return depth, out
}

// headingMarks reads a Markdown ATX heading: its level (1-6, 0 when line
// is no heading) and the length in bytes of its marks and the spaces after
// them.
func headingMarks(line string) (depth, marks int) {
	for depth < len(line) && line[depth] == '#' {
		depth++
	}
	if depth == 0 || depth > 6 {
		return 0, 0
	}
	rest := line[depth:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return 0, 0
	}
	text := strings.TrimLeft(rest, " \t")
	if text == "" {
		return 0, 0 // a line of marks alone says nothing
	}
	return depth, len(line) - len(text)
}
