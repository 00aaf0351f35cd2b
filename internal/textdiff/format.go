package textdiff

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// RowJSON is a row in the contract's JSON shape (line numbers null where a
// side is missing).
type RowJSON struct {
	Op         Op     `json:"op"`
	OldNo      *int   `json:"old_no"`
	NewNo      *int   `json:"new_no"`
	Old        string `json:"old"`
	New        string `json:"new"`
	Spans      []Span `json:"spans"`
	Formatting bool   `json:"formatting"`
}

// ResultJSON is a comparison in the contract's JSON shape.
type ResultJSON struct {
	Stats Stats     `json:"stats"`
	Rows  []RowJSON `json:"rows"`
}

// JSON converts a result to its JSON shape.
func (res Result) JSON() ResultJSON {
	out := ResultJSON{Stats: res.Stats, Rows: make([]RowJSON, len(res.Rows))}
	for i, r := range res.Rows {
		spans := r.Spans
		if spans == nil {
			spans = []Span{}
		}
		out.Rows[i] = RowJSON{Op: r.Op, OldNo: lineNo(r.OldNo), NewNo: lineNo(r.NewNo),
			Old: r.Old, New: r.New, Spans: spans, Formatting: r.Formatting}
	}
	return out
}

func lineNo(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// Segment is a piece of a line, changed or not, for rendering.
type Segment struct {
	Text    string
	Changed bool
}

// Segments cuts one side ("old" or "new") of a row at its spans.
func (r Row) Segments(side Side) []Segment {
	text := r.Old
	if side == New {
		text = r.New
	}
	rs := []rune(text)
	var out []Segment
	pos := 0
	for _, s := range r.Spans {
		if s.Side != side {
			continue
		}
		if s.Start > pos {
			out = append(out, Segment{Text: string(rs[pos:s.Start])})
		}
		out = append(out, Segment{Text: string(rs[s.Start:s.End]), Changed: true})
		pos = s.End
	}
	if pos < len(rs) {
		out = append(out, Segment{Text: string(rs[pos:])})
	}
	return out
}

// TextOptions shape the terminal rendering.
type TextOptions struct {
	Color            bool // ANSI colours (markers are always written too)
	Context          int  // unchanged lines around each change; default 3
	IgnoreFormatting bool // hide changes of formatting only
}

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
	ansiDelBg  = "\x1b[41;97m"
	ansiInsBg  = "\x1b[42;30m"
)

// WriteText renders the changes for a terminal: each change with context,
// a mark per line (- deleted, + added, ~ modified, > moved), and the
// changed characters inside a modified line as [-old-]{+new+}.
func WriteText(w io.Writer, res Result, opt TextOptions) error {
	if opt.Context <= 0 {
		opt.Context = 3
	}
	paint := func(code, s string) string {
		if !opt.Color || s == "" {
			return s
		}
		return code + s + ansiReset
	}
	s := res.Stats
	fmt.Fprintf(w, "%s\n", paint(ansiCyan, fmt.Sprintf("%d added, %d removed, %d modified, %d moved, %d formatting, %d unchanged",
		s.Added, s.Removed, s.Modified, s.Moved, s.Formatting, s.Unchanged)))
	blocks := res.Blocks(opt.IgnoreFormatting)
	shown := -1 // last row index written
	for bi, b := range blocks {
		from := max(b.Start-opt.Context, shown+1)
		to := min(b.End+opt.Context, len(res.Rows))
		if bi+1 < len(blocks) && blocks[bi+1].Start-opt.Context <= to {
			to = b.End // the next change's context continues this one
		}
		if from > shown+1 || shown < 0 {
			fmt.Fprintln(w, paint(ansiCyan, hunkHeader(res.Rows[from:max(to, b.End)])))
		}
		for i := from; i < to; i++ {
			writeTextRow(w, res.Rows[i], opt, paint)
		}
		shown = to - 1
	}
	return nil
}

func hunkHeader(rows []Row) string {
	oldLo, oldHi, newLo, newHi := 0, 0, 0, 0
	for _, r := range rows {
		if r.OldNo > 0 && r.Op != Move {
			if oldLo == 0 {
				oldLo = r.OldNo
			}
			oldHi = r.OldNo
		}
		if r.NewNo > 0 {
			if newLo == 0 {
				newLo = r.NewNo
			}
			newHi = r.NewNo
		}
	}
	return fmt.Sprintf("@@ old %s, new %s @@", lineRange(oldLo, oldHi), lineRange(newLo, newHi))
}

func lineRange(lo, hi int) string {
	switch {
	case lo == 0:
		return "-"
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func writeTextRow(w io.Writer, r Row, opt TextOptions, paint func(string, string) string) {
	num := func(n int) string {
		if n == 0 {
			return "     "
		}
		return fmt.Sprintf("%5d", n)
	}
	prefix := num(r.OldNo) + " " + num(r.NewNo) + " │ "
	op := r.Op
	if opt.IgnoreFormatting && r.Formatting {
		op = Equal
	}
	switch op {
	case Equal:
		fmt.Fprintln(w, paint(ansiDim, "  "+prefix)+r.New)
	case Delete:
		fmt.Fprintln(w, paint(ansiRed, "- "+prefix+r.Old))
	case Insert:
		fmt.Fprintln(w, paint(ansiGreen, "+ "+prefix+r.New))
	case Replace, Move:
		mark := paint(ansiYellow, "~ ")
		if op == Move {
			mark = paint(ansiCyan, "> ")
		}
		var b strings.Builder
		for _, seg := range mergedSegments(r) {
			switch seg.kind {
			case '-':
				b.WriteString(paint(ansiDelBg, "[-"+seg.text+"-]"))
			case '+':
				b.WriteString(paint(ansiInsBg, "{+"+seg.text+"+}"))
			default:
				b.WriteString(seg.text)
			}
		}
		line := mark + prefix + b.String()
		if op == Move {
			line += paint(ansiCyan, fmt.Sprintf("  (moved from line %d)", r.OldNo))
		}
		fmt.Fprintln(w, line)
	}
}

type mergedSegment struct {
	kind byte // ' ', '-' or '+'
	text string
}

// mergedSegments interleaves a row's two sides into one line: shared text
// once, deleted text then inserted text where they differ.
func mergedSegments(r Row) []mergedSegment {
	oldR, newR := []rune(r.Old), []rune(r.New)
	var dels, ins []Span
	for _, s := range r.Spans {
		if s.Side == Old {
			dels = append(dels, s)
		} else {
			ins = append(ins, s)
		}
	}
	var out []mergedSegment
	op, np := 0, 0
	for op < len(oldR) || np < len(newR) {
		nextDel, nextIns := len(oldR), len(newR)
		if len(dels) > 0 {
			nextDel = dels[0].Start
		}
		if len(ins) > 0 {
			nextIns = ins[0].Start
		}
		// Shared text runs until either side's next change.
		shared := min(nextDel-op, nextIns-np)
		if shared > 0 {
			out = append(out, mergedSegment{' ', string(newR[np : np+shared])})
			op, np = op+shared, np+shared
			continue
		}
		progressed := false
		if len(dels) > 0 && dels[0].Start == op {
			out = append(out, mergedSegment{'-', string(oldR[dels[0].Start:dels[0].End])})
			op, dels, progressed = dels[0].End, dels[1:], true
		}
		if len(ins) > 0 && ins[0].Start == np {
			out = append(out, mergedSegment{'+', string(newR[ins[0].Start:ins[0].End])})
			np, ins, progressed = ins[0].End, ins[1:], true
		}
		if !progressed { // spans out of step: show the rest plainly
			if op < len(oldR) {
				out = append(out, mergedSegment{'-', string(oldR[op:])})
			}
			if np < len(newR) {
				out = append(out, mergedSegment{'+', string(newR[np:])})
			}
			break
		}
	}
	return out
}

// patchLine is one line of a unified patch.
type patchLine struct {
	kind         byte // ' ', '-', '+'
	oldNo, newNo int
	text         string
}

// WritePatch writes the comparison as a unified diff that patch(1) and
// git apply understand: a modified line is a deletion and an insertion, a
// moved line a deletion at its old place and an insertion at its new one.
func WritePatch(w io.Writer, res Result, oldName, newName string, context int) error {
	if context < 0 {
		context = 3
	}
	lines := patchLines(res.Rows)
	fmt.Fprintf(w, "--- %s\n+++ %s\n", oldName, newName)
	changed := func(i int) bool { return lines[i].kind != ' ' }
	for i := 0; i < len(lines); {
		if !changed(i) {
			i++
			continue
		}
		// A hunk: this change, its context, and any change whose context
		// touches it.
		start := max(0, i-context)
		end := i
		for end < len(lines) {
			if changed(end) {
				end++
				continue
			}
			next := end
			for next < len(lines) && !changed(next) && next-end < 2*context {
				next++
			}
			if next < len(lines) && changed(next) {
				end = next
				continue
			}
			end = min(len(lines), end+context)
			break
		}
		writeHunk(w, lines[start:end])
		i = end
	}
	return nil
}

func writeHunk(w io.Writer, lines []patchLine) {
	oldStart, newStart, oldCount, newCount := 0, 0, 0, 0
	for _, l := range lines {
		if l.kind != '+' {
			if oldStart == 0 {
				oldStart = l.oldNo
			}
			oldCount++
		}
		if l.kind != '-' {
			if newStart == 0 {
				newStart = l.newNo
			}
			newCount++
		}
	}
	// An empty side's start is the line before the hunk, as diff(1) writes it.
	if oldCount == 0 {
		oldStart = precedingNo(lines, true)
	}
	if newCount == 0 {
		newStart = precedingNo(lines, false)
	}
	fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n", oldStart, oldCount, newStart, newCount)
	for _, l := range lines {
		fmt.Fprintf(w, "%c%s\n", l.kind, l.text)
	}
}

func precedingNo(lines []patchLine, old bool) int {
	for _, l := range lines {
		if old && l.kind == '+' {
			return max(l.oldNo-1, 0)
		}
		if !old && l.kind == '-' {
			return max(l.newNo-1, 0)
		}
	}
	return 0
}

// patchLines lays the rows out as a sequence in which old line numbers
// and new line numbers both only grow, as a unified diff needs. Insertions
// carry the old line number they follow (and deletions the new one), for
// hunk headers.
func patchLines(rows []Row) []patchLine {
	var out []patchLine
	var moved []patchLine
	lastOld, lastNew := 0, 0
	for _, r := range rows {
		switch r.Op {
		case Equal:
			out = append(out, patchLine{' ', r.OldNo, r.NewNo, r.New})
			lastOld, lastNew = r.OldNo, r.NewNo
		case Delete:
			out = append(out, patchLine{'-', r.OldNo, lastNew + 1, r.Old})
			lastOld = r.OldNo
		case Insert:
			out = append(out, patchLine{'+', lastOld + 1, r.NewNo, r.New})
			lastNew = r.NewNo
		case Replace:
			out = append(out, patchLine{'-', r.OldNo, lastNew + 1, r.Old}, patchLine{'+', r.OldNo + 1, r.NewNo, r.New})
			lastOld, lastNew = r.OldNo, r.NewNo
		case Move:
			out = append(out, patchLine{'+', lastOld + 1, r.NewNo, r.New})
			moved = append(moved, patchLine{'-', r.OldNo, 0, r.Old})
			lastNew = r.NewNo
		}
	}
	// Each moved line's deletion goes where its old line number belongs.
	for _, m := range moved {
		at := len(out)
		for i, l := range out {
			if l.kind != '+' && l.oldNo > m.oldNo {
				at = i
				break
			}
		}
		// Deletions go before the insertions of the same change.
		for at > 0 && out[at-1].kind == '+' {
			at--
		}
		m.newNo = newNoBefore(out, at) + 1
		out = append(out[:at], append([]patchLine{m}, out[at:]...)...)
	}
	return out
}

func newNoBefore(lines []patchLine, at int) int {
	for i := at - 1; i >= 0; i-- {
		if lines[i].kind != '-' {
			return lines[i].newNo
		}
	}
	return 0
}

// WriteJSON streams the result in its JSON shape (as JSON() and
// encoding/json would write it, compact). Large comparisons make megabytes
// of JSON; writing them row by row keeps memory flat and is several times
// faster than reflection.
func (res Result) WriteJSON(w io.Writer) error {
	buf := make([]byte, 0, 64<<10)
	flush := func() error {
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}
	s := res.Stats
	buf = fmt.Appendf(buf, `{"stats":{"added":%d,"removed":%d,"modified":%d,"moved":%d,"unchanged":%d,"formatting":%d},"rows":[`,
		s.Added, s.Removed, s.Modified, s.Moved, s.Unchanged, s.Formatting)
	for i, r := range res.Rows {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"op":"`...)
		buf = append(buf, r.Op...)
		buf = append(buf, `","old_no":`...)
		buf = appendLineNo(buf, r.OldNo)
		buf = append(buf, `,"new_no":`...)
		buf = appendLineNo(buf, r.NewNo)
		buf = append(buf, `,"old":`...)
		buf = appendJSONString(buf, r.Old)
		buf = append(buf, `,"new":`...)
		buf = appendJSONString(buf, r.New)
		buf = append(buf, `,"spans":[`...)
		for j, sp := range r.Spans {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"side":`...)
			buf = appendJSONString(buf, string(sp.Side))
			buf = append(buf, `,"start":`...)
			buf = strconv.AppendInt(buf, int64(sp.Start), 10)
			buf = append(buf, `,"end":`...)
			buf = strconv.AppendInt(buf, int64(sp.End), 10)
			buf = append(buf, `,"op":`...)
			buf = appendJSONString(buf, string(sp.Op))
			buf = append(buf, '}')
		}
		buf = append(buf, `],"formatting":`...)
		buf = strconv.AppendBool(buf, r.Formatting)
		buf = append(buf, '}')
		if len(buf) > 48<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	buf = append(buf, "]}\n"...)
	return flush()
}

// appendJSONString appends s as a JSON string, as jsontext.AppendQuote
// writes it (invalid UTF-8 becomes U+FFFD, as encoding/json does). Most
// lines need no escaping and are copied as they are.
func appendJSONString(buf []byte, s string) []byte {
	if !plainJSON(s) {
		buf, _ = jsontext.AppendQuote(buf, s)
		return buf
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// plainJSON reports valid UTF-8 without a character JSON escapes: no
// control character, quote or backslash. Three-byte characters led by
// E3–EC (Chinese, most of a policy) are valid whenever two continuation
// bytes follow.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				return false
			}
			i++
			continue
		}
		if c >= 0xE3 && c <= 0xEC && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

func appendLineNo(buf []byte, n int) []byte {
	if n == 0 {
		return append(buf, "null"...)
	}
	return strconv.AppendInt(buf, int64(n), 10)
}
