package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/policywatch/policywatch/internal/textdiff"
)

// The diff tables are rendered here in Go, not by html/template: a long
// policy has thousands of rows, and the template engine's reflection made
// the page several times slower. Every piece of text goes through
// html.EscapeString (policy text is untrusted); everything else written
// is a fixed string or a number.

// renderDiff returns the table of a comparison, side by side or inline.
func renderDiff(v *diffView, p *page, inline bool, expandURL string) template.HTML {
	var b strings.Builder
	b.Grow(len(v.Rows) * 220)
	r := diffRenderer{b: &b, p: p, expand: html.EscapeString(expandURL), foldData: foldTemplates(p)}
	if inline {
		r.inline(v)
	} else {
		r.side(v)
	}
	return template.HTML(b.String())
}

type diffRenderer struct {
	b      *strings.Builder
	p      *page
	expand string // escaped URL of the page with nothing folded
	// foldData are the fold links' data attributes: their texts for app.js
	// to say what is left after a click.
	foldData string
}

// foldTemplates are the fold link's texts with {n} for the lines hidden
// and {show} for those the next click shows, as data attributes: app.js
// words the link anew after each click.
func foldTemplates(p *page) string {
	const n, show = 7654321, 1234567 // stand-ins, replaced by the placeholders
	placeholders := strings.NewReplacer(itoa(n), "{n}", itoa(show), "{show}")
	attr := func(name, text string) string {
		return ` data-` + name + `="` + html.EscapeString(placeholders.Replace(text)) + `"`
	}
	return attr("all", p.Tn("compare.fold", n, n)) + attr("one", p.Tn("compare.fold", 1, 1)) +
		attr("part", p.Tn("compare.fold.part", n, n, show))
}

func (r *diffRenderer) s(parts ...string) {
	for _, x := range parts {
		r.b.WriteString(x)
	}
}

func (r *diffRenderer) text(s string) { r.b.WriteString(html.EscapeString(s)) }

func (r *diffRenderer) side(v *diffView) {
	r.s(`<table class="diff side" id="diff"><colgroup><col class="ln"><col class="tx"><col class="ln"><col class="tx"></colgroup>`,
		`<thead><tr><th colspan="2">`, html.EscapeString(r.p.T("compare.from")), `</th><th colspan="2">`,
		html.EscapeString(r.p.T("compare.to")), "</th></tr></thead>\n<tbody>\n")
	for _, row := range v.Rows {
		if row.Op == "fold" {
			r.fold(row, 4)
			continue
		}
		r.rowStart(row, "")
		r.sideCells(row, row.OldNo, row.OldOp, row.OldDepth, row.Old, true)
		r.sideCells(row, row.NewNo, row.NewOp, row.NewDepth, row.New, false)
		r.s("</tr>\n")
	}
	r.s("</tbody>\n</table>\n")
}

// sideCells writes one version's line number and text cells of a
// side-by-side row; a moved line's new side names where it came from.
func (r *diffRenderer) sideCells(row viewRow, no int, op string, depth int, segs []textdiff.Segment, old bool) {
	side, changedOp, tag := "new", "insert", "ins"
	if old {
		side, changedOp, tag = "old", "delete", "del"
	}
	r.s(`<td class="ln">`)
	if no > 0 {
		r.lineLink(row, no)
	}
	r.s(`</td><td class="tx `, side, ` `, cellClass(op), headClass(depth), `">`)
	if no > 0 {
		r.mark(markFor(op, old))
		r.segments(segs, op == changedOp, tag)
		if !old && row.Op == "move" {
			r.movedNote(row.OldNo)
		}
	}
	r.s("</td>")
}

func (r *diffRenderer) inline(v *diffView) {
	r.s(`<table class="diff inline" id="diff"><colgroup><col class="ln"><col class="ln"><col class="tx"></colgroup>`,
		`<thead><tr><th title="`, html.EscapeString(r.p.T("compare.from")), `">`, html.EscapeString(r.p.T("compare.old.short")),
		`</th><th title="`, html.EscapeString(r.p.T("compare.to")), `">`, html.EscapeString(r.p.T("compare.new.short")),
		"</th><th></th></tr></thead>\n<tbody>\n")
	for _, row := range v.Rows {
		switch {
		case row.Op == "fold":
			r.fold(row, 3)
		case (row.Op == "replace" || row.Op == "move") && !row.Quiet:
			// Two lines: the old version, then the new one.
			r.rowStart(row, " first")
			r.s(`<td class="ln">`, strconv.Itoa(row.OldNo), `</td><td class="ln"></td><td class="tx old`, headClass(row.OldDepth), `">`)
			r.mark(markFor(row.OldOp, true))
			r.segments(row.Old, false, "del")
			r.s("</td></tr>\n")
			r.s(`<tr class="`, rowClass(row), ` second"`)
			if row.Hidden {
				r.s(" hidden")
			}
			r.s(`><td class="ln"></td><td class="ln">`)
			r.lineLink(row, row.NewNo)
			r.s(`</td><td class="tx new`, headClass(row.NewDepth), `">`)
			r.mark(markFor(row.NewOp, false))
			r.segments(row.New, false, "ins")
			if row.Op == "move" {
				r.movedNote(row.OldNo)
			}
			r.s("</td></tr>\n")
		default:
			r.rowStart(row, "")
			r.s(`<td class="ln">`)
			if row.OldNo > 0 {
				r.lineLink(row, row.OldNo)
			}
			r.s(`</td><td class="ln">`)
			if row.NewNo > 0 {
				r.lineLink(row, row.NewNo)
			}
			switch row.Op {
			case "delete":
				r.s(`</td><td class="tx old`, headClass(row.OldDepth), `">`)
				r.mark("−")
				r.segments(row.Old, true, "del")
			case "insert":
				r.s(`</td><td class="tx new`, headClass(row.NewDepth), `">`)
				r.mark("+")
				r.segments(row.New, true, "ins")
			default:
				r.s(`</td><td class="tx`, headClass(row.NewDepth), `">`)
				r.segments(row.New, false, "")
			}
			r.s("</td></tr>\n")
		}
	}
	r.s("</tbody>\n</table>\n")
}

// rowStart opens a row: its anchor, classes, and whether it is folded.
func (r *diffRenderer) rowStart(row viewRow, extraClass string) {
	r.s(`<tr id="`, row.Anchor(), `" class="`, rowClass(row), extraClass, `"`)
	if row.Hidden {
		r.s(" hidden")
	}
	if row.Block > 0 {
		r.s(` data-block="`, strconv.Itoa(row.Block), `"`)
	}
	r.s(">")
}

func (r *diffRenderer) fold(row viewRow, columns int) {
	r.s(`<tr class="fold"><td colspan="`, strconv.Itoa(columns), `"><a class="unfold" href="`, r.expand,
		`" data-rows="`, strconv.Itoa(row.Folded), `"`, r.foldData, `>`, html.EscapeString(row.FoldLabel(r.p)), "</a></td></tr>\n")
}

func (r *diffRenderer) lineLink(row viewRow, n int) {
	r.s(`<a href="#`, row.Anchor(), `">`, strconv.Itoa(n), `</a>`)
}

func (r *diffRenderer) mark(m string) {
	r.s(`<span class="mk" aria-hidden="true">`, m, `</span>`)
}

func (r *diffRenderer) movedNote(from int) {
	r.s(` <span class="note">`, html.EscapeString(r.p.T("compare.movedfrom", from)), `</span>`)
}

// segments writes a line: whole inside <tag class="line"> when the whole
// line is new or gone, else with its changed parts inside <tag>.
func (r *diffRenderer) segments(segs []textdiff.Segment, whole bool, tag string) {
	if whole {
		r.s("<", tag, ` class="line">`)
		for _, sg := range segs {
			r.text(sg.Text)
		}
		r.s("</", tag, ">")
		return
	}
	for _, sg := range segs {
		if sg.Changed && tag != "" {
			r.s("<", tag, ">")
			r.text(sg.Text)
			r.s("</", tag, ">")
		} else {
			r.text(sg.Text)
		}
	}
}

func rowClass(row viewRow) string {
	c := row.Op
	if row.Quiet {
		c += " quiet"
	}
	if row.Formatting {
		c += " fmt"
	}
	if row.Block > 0 {
		c += " blk"
	}
	return c
}

// headClass is the class of a cell holding a heading of that depth: h1 …
// h6, styled as headings.
func headClass(depth int) string {
	if depth == 0 {
		return ""
	}
	return " h" + strconv.Itoa(depth)
}

func cellClass(op string) string {
	if op == "" {
		return "nil"
	}
	return op
}

func markFor(op string, old bool) string {
	switch op {
	case "delete":
		if old {
			return "−"
		}
	case "insert":
		if !old {
			return "+"
		}
	case "replace":
		return "~"
	case "move":
		return "↕"
	}
	return ""
}
