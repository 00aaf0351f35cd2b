package analyze

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/policywatch/policywatch"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/locale"
)

// words writes the report's prose in one language, from the catalogue.
type words struct{ p *locale.Printer }

func wordsFor(lang string) words { return words{locale.NewPrinter(lang)} }

func (w words) t(key string, args ...any) string { return w.p.Printf(key, args...) }

func (w words) list(xs []string) string { return strings.Join(xs, w.t("list.sep")) }

func (w words) q(s string) string { return w.t("quote", s) }

// sentences ends each part as a sentence and joins them.
func (w words) sentences(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, w.t("sentence", strings.TrimRight(p, "。.")))
		}
	}
	return strings.Join(out, w.t("join"))
}

// FactTypeName is a fact type in words.
func FactTypeName(typ facts.Type, lang string) string { return wordsFor(lang).t("fact." + string(typ)) }

// KindWord is the change's kind in words.
func (c Change) KindWord(lang string) string {
	return wordsFor(lang).t("change.kind." + string(c.Kind))
}

// EditorialName is why an editorial change is editorial, in words.
func (c Change) EditorialName(lang string) string {
	if c.Editorial == "" {
		return ""
	}
	return wordsFor(lang).t("edit." + c.Editorial)
}

// Where is the change's line in words ("第147行", "line 147"); a removal
// is placed by its old line.
func (c Change) Where(lang string) string { return wordsFor(lang).t("analysis.line", c.line()) }

func (c Change) line() int {
	if c.NewLine != nil {
		return *c.NewLine
	}
	if c.OldLine != nil {
		return *c.OldLine
	}
	return 0
}

// TopicNames are the change's clause topics in words.
func (c Change) TopicNames(lang string) string {
	if len(c.Categories) == 0 {
		return ""
	}
	return wordsFor(lang).topics(c.Categories)
}

func (w words) topics(cats []string) string {
	var names []string
	for _, c := range cats {
		names = append(names, w.t("topic."+c))
	}
	if len(names) == 0 {
		return w.t("topic.none")
	}
	return w.list(names)
}

// SectionPath is where the change stands, in the policy's own headings.
func (c Change) SectionPath(lang string) string { return wordsFor(lang).section(c.Section) }

func (w words) section(path string) string {
	if path == "" {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(path, classify.SectionSep) {
		parts = append(parts, w.t("change.section.path", quote(p, 30)))
	}
	return strings.Join(parts, w.t("change.section.sep"))
}

// impact is what a change means for users, from the rules' findings.
func (w words) impact(c Change) string { return w.sentences(w.impactParts(c)) }

// impactParts are the impact's sentences, the most telling first.
func (w words) impactParts(c Change) []string {
	if !c.Substantive {
		var kinds []string
		for _, e := range c.Edits {
			kinds = append(kinds, w.t("edit."+e.Kind))
		}
		if len(kinds) == 0 {
			kinds = []string{w.t("edit." + c.Editorial)}
		}
		return []string{w.t("impact.editorial", w.list(uniq(kinds)))}
	}
	var parts []string
	done := map[string]bool{}
	byCode := map[string][]Reason{}
	var codes []string
	for _, r := range c.Reasons {
		if _, ok := byCode[r.Code]; !ok {
			codes = append(codes, r.Code)
		}
		byCode[r.Code] = append(byCode[r.Code], r)
	}
	for _, code := range codes {
		rs := byCode[code]
		if done[code] {
			continue
		}
		done[code] = true
		if p := w.reasonText(c, code, rs); p != "" {
			parts = append(parts, p)
		}
	}
	if moved := elsewhereValues(c); len(moved) > 0 {
		parts = append(parts, w.t("impact.elsewhere", w.list(moved)))
	}
	return parts
}

// reasonText words the reasons of one kind a change has.
func (w words) reasonText(c Change, code string, rs []Reason) string {
	values := func() string {
		var vs []string
		for _, r := range rs {
			if r.Value != "" && !slices.Contains(vs, r.Value) {
				vs = append(vs, r.Value)
			}
		}
		return w.list(vs)
	}
	r := rs[0]
	switch code {
	case "widens":
		return ""
	case "clause_changed":
		return w.t("impact.clause_changed", w.topics(c.Categories))
	case "recipient_replaced":
		var olds, news []string
		role := ""
		for _, f := range c.Facts.Removed {
			if isRecipient(f) && f.Elsewhere == 0 {
				olds = append(olds, f.Value)
			}
		}
		for _, f := range c.Facts.Added {
			if isRecipient(f) && f.Elsewhere == 0 {
				news = append(news, f.Value)
				role = f.Role
			}
		}
		return w.t("impact.recipient_replaced", w.t(roleKey(role)), w.list(olds), w.list(news))
	case "right_way_removed":
		return w.t("impact.right_way_removed", r.Value, w.q(r.From))
	case "right_moved_out":
		return w.t("impact.right_moved_out", r.Value, r.To)
	case "retention_lengthened", "response_time_lengthened":
		return w.t("impact."+code, r.From, r.To)
	case "response_time_over_limit":
		return w.t("impact.response_time_over_limit", r.To)
	case "minor_age_lowered":
		return w.t("impact.minor_age_lowered", r.From, r.To)
	case "cross_border_added":
		text := w.t("impact.cross_border_added")
		for _, f := range c.Facts.Added {
			if f.Type == facts.CrossBorder && f.Stated == "present" {
				if f.Destination != "" {
					text += w.t("impact.cross_border_to", f.Destination)
				}
				if len(f.PI) > 0 {
					text += w.t("impact.cross_border_pi", w.list(uniq(f.PI)))
				}
				break
			}
		}
		return text
	case "contact_changed":
		return w.t("impact.contact_changed", w.contactChanges(c))
	case "processing_added", "processing_removed", "limitation_added", "limitation_removed":
		return w.t("impact."+code, w.q(quote(r.Value, 40)))
	}
	if w.p.Has("impact." + code) {
		return w.t("impact."+code, values())
	}
	return ""
}

func isRecipient(f facts.Fact) bool { return f.Type == facts.ThirdParty || f.Type == facts.SDK }

func (w words) contactChanges(c Change) string {
	var added, removed []string
	for _, f := range c.Facts.Added {
		if isContact(f.Type) {
			added = append(added, f.Value)
		}
	}
	for _, f := range c.Facts.Removed {
		if isContact(f.Type) {
			removed = append(removed, f.Value)
		}
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, w.t("impact.contact_added", w.list(added)))
	}
	if len(removed) > 0 {
		parts = append(parts, w.t("impact.contact_removed", w.list(removed)))
	}
	return strings.Join(parts, w.t("clause.sep"))
}

// elsewhereValues are the facts a change moves or rewords: shown as such,
// not as gained or lost.
func elsewhereValues(c Change) []string {
	var out []string
	for _, fs := range [][]facts.Fact{c.Facts.Added, c.Facts.Removed} {
		for _, f := range fs {
			if f.Elsewhere > 0 && !isContact(f.Type) && f.Type != facts.DateUpdated && f.Type != facts.DateEffective && !slices.Contains(out, f.Value) {
				out = append(out, f.Value)
			}
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

func roleKey(role string) string {
	switch {
	case strings.Contains(role, "共同处理") && strings.Contains(role, "运营"):
		return "role.joint_operator"
	case strings.Contains(role, "共同处理"):
		return "role.joint"
	case strings.Contains(role, "运营"):
		return "role.operator"
	case strings.Contains(role, "委托"):
		return "role.processor"
	case strings.Contains(role, "国家机关"):
		return "role.authority"
	case strings.Contains(role, "共享"), strings.Contains(role, "关联"):
		return "role.shared"
	}
	return "role.other"
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// Statement is one sentence of the overall assessment with the changes it
// rests on (their IDs): every statement can be traced to its rows.
type Statement struct {
	Text    string `json:"text"`
	Changes []int  `json:"changes"`
}

// headlines are the built-in statements: the first findings of the most
// serious changes (changes are numbered most serious first).
func headlines(r *Report) []Statement {
	w := wordsFor(r.Lang)
	out := []Statement{}
	for _, c := range r.Changes {
		if !c.Substantive || len(out) == 3 {
			continue
		}
		parts := w.impactParts(c)
		if len(parts) > 2 {
			parts = parts[:2]
		}
		if text := w.sentences(parts); text != "" {
			out = append(out, Statement{Text: text, Changes: []int{c.ID}})
		}
	}
	return out
}

// summary is the report's overall assessment: how many changes of each
// sort, the level, then the statements.
func (w words) summary(r *Report) string {
	texts := []string{w.overview(r)}
	for _, st := range r.Statements {
		texts = append(texts, st.Text)
	}
	return strings.Join(texts, w.t("join"))
}

// overview says how many changes of content and editorial edits there
// are, and the level, in words that cannot contradict it.
func (w words) overview(r *Report) string {
	content, edits := 0, 0
	for _, c := range r.Changes {
		if c.Substantive {
			content++
		} else {
			edits++
		}
	}
	level := w.t("level." + string(r.Level))
	switch {
	case len(r.Changes) == 0 && r.Level == policywatch.LevelNone:
		return w.t("summary.same")
	case len(r.Changes) == 0:
		return w.t("summary.formatting")
	case content == 0:
		return w.t("summary.editorial", edits, level)
	case edits == 0:
		return w.t("summary.counts.only", content, level)
	}
	return w.t("summary.counts", content, edits, level)
}

// Overview is the first sentence of the summary.
func (r *Report) Overview() string { return wordsFor(r.Lang).overview(r) }

// conclusion says whether users need to act; it names only the rights the
// new version states.
func (w words) conclusion(r *Report) string {
	switch r.Level {
	case policywatch.LevelNone, policywatch.LevelEditorial:
		return w.t("conclusion.none")
	case policywatch.LevelMinor:
		return w.lost(r, w.t("conclusion.minor"))
	case policywatch.LevelSubstantive:
		return w.lost(r, w.t("conclusion.substantive"))
	}
	options := []string{}
	if slices.Contains(r.Rights, "撤回同意") {
		options = append(options, w.t("right.撤回同意"))
	}
	options = append(options, w.t("conclusion.optout"))
	if slices.Contains(r.Rights, "注销账号") {
		options = append(options, w.t("right.注销账号"))
	}
	last := options[len(options)-1]
	text := last
	if len(options) > 1 {
		text = w.list(options[:len(options)-1]) + w.t("conclusion.or") + last
	}
	return w.lost(r, w.t("conclusion.major", text))
}

// lost adds a warning about rights the new version no longer states.
func (w words) lost(r *Report, text string) string {
	var gone []string
	for _, c := range r.Changes {
		for _, reason := range c.Reasons {
			if reason.Code == "right_removed" && !slices.Contains(gone, reason.Value) {
				gone = append(gone, reason.Value)
			}
		}
	}
	if len(gone) == 0 {
		return text
	}
	return text + w.t("join") + w.t("conclusion.lost", w.list(gone))
}

// Rewrite replaces the report's prose (statements, change impacts by change
// ID, conclusion) with another engine's, keeping the rules' level and facts.
// Statements citing no existing change and impacts of unknown changes are
// dropped; it returns how many were.
func (r *Report) Rewrite(engine string, statements []Statement, impacts map[int]string, conclusion string) (dropped int) {
	exists := map[int]bool{}
	for _, c := range r.Changes {
		exists[c.ID] = true
	}
	var kept []Statement
	for _, st := range statements {
		var cites []int
		for _, id := range st.Changes {
			if exists[id] {
				cites = append(cites, id)
			}
		}
		if len(cites) == 0 || strings.TrimSpace(st.Text) == "" {
			dropped++
			continue
		}
		kept = append(kept, Statement{Text: strings.TrimSpace(st.Text), Changes: cites})
	}
	for id, text := range impacts {
		if !exists[id] || strings.TrimSpace(text) == "" {
			dropped++
			continue
		}
		for i := range r.Changes {
			if r.Changes[i].ID == id {
				r.Changes[i].Impact = strings.TrimSpace(text)
			}
		}
	}
	if len(kept) > 0 {
		r.Statements = kept
	}
	if strings.TrimSpace(conclusion) != "" {
		r.Conclusion = strings.TrimSpace(conclusion)
	}
	r.Engine = engine
	r.Summary = wordsFor(r.Lang).summary(r)
	return dropped
}

// MarkdownOptions place the report's links.
type MarkdownOptions struct {
	Title   string // e.g. the policy's name
	LinkTo  string // compare page URL the row anchors are appended to ("" for bare anchors)
	From    string // version labels for the heading, e.g. capture times
	To      string
	Heading bool // start with a level-1 heading
}

// WriteMarkdown writes the report as Markdown in the seed's structure:
// overall assessment, the changes of content (most serious first) with
// their content and potential impact, linked to their rows, the editorial
// edits grouped by kind, and the conclusion.
func (r *Report) WriteMarkdown(out io.Writer, opt MarkdownOptions) error {
	var b strings.Builder
	w := wordsFor(r.Lang)
	if opt.Heading {
		title := opt.Title
		if title == "" {
			title = w.t("report.policy")
		}
		fmt.Fprintf(&b, "# %s\n\n", w.t("report.title", title))
	}
	fmt.Fprintf(&b, "## 1. %s\n\n", w.t("analysis.overall"))
	if opt.From != "" {
		b.WriteString(w.t("summary.versions", "**"+opt.From+"**", "**"+opt.To+"**") + "\n\n")
	}
	b.WriteString(w.overview(r))
	for _, st := range r.Statements {
		b.WriteString(w.t("join") + st.Text)
		for _, id := range st.Changes {
			if c := r.change(id); c != nil {
				fmt.Fprintf(&b, " [%s](%s#%s)", w.t("analysis.changeref", id), opt.LinkTo, c.Anchor)
			}
		}
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "## 2. %s\n\n", w.t("analysis.details"))
	substantive := 0
	for _, c := range r.Changes {
		if !c.Substantive {
			continue
		}
		substantive++
		fmt.Fprintf(&b, "%d. **%s** [%s](%s#%s)", c.ID, c.KindWord(r.Lang), c.Where(r.Lang), opt.LinkTo, c.Anchor)
		if len(c.Categories) > 0 {
			fmt.Fprintf(&b, " · %s", w.topics(c.Categories))
		}
		fmt.Fprintf(&b, " · %s\n", w.t("level."+string(c.Level)))
		fmt.Fprintf(&b, "   * **%s**%s%s\n", w.t("analysis.content"), w.t("report.colon"), markdownPieces(c.Description(r.Lang)))
		fmt.Fprintf(&b, "   * **%s**%s%s\n", w.t("analysis.impact"), w.t("report.colon"), c.Impact)
	}
	if substantive == 0 {
		b.WriteString(w.t("analysis.nocontent") + "\n")
	}
	if lines := w.editorialLines(r); len(lines) > 0 {
		fmt.Fprintf(&b, "\n**%s**%s%s\n\n", w.t("report.editorial.label"), w.t("report.colon"), w.t("report.editorial.n", len(r.Changes)-substantive))
		for _, l := range lines {
			b.WriteString("- " + l.Text)
			for _, id := range l.Changes {
				if c := r.change(id); c != nil {
					fmt.Fprintf(&b, " [%d](%s#%s)", id, opt.LinkTo, c.Anchor)
				}
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n## 3. %s\n\n%s\n\n---\n", w.t("analysis.conclusion"), r.Conclusion)
	if r.Engine == EngineBuiltin {
		b.WriteString("*" + w.t("report.by.builtin") + "*\n")
	} else {
		b.WriteString("*" + w.t("report.by.model", r.Engine) + "*\n")
	}
	_, err := io.WriteString(out, b.String())
	return err
}

func markdownPieces(ps []Piece) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Strong {
			b.WriteString("**" + p.Text + "**")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// EditorialLines are the report's editorial edits grouped, one line per
// kind with its count and the changes that have it.
func (r *Report) EditorialLines() []Statement { return wordsFor(r.Lang).editorialLines(r) }

func (w words) editorialLines(r *Report) []Statement {
	var out []Statement
	editorialIDs := map[int]bool{}
	for _, c := range r.Changes {
		if !c.Substantive {
			editorialIDs[c.ID] = true
		}
	}
	edits := append([]EditorialEdit(nil), r.Editorial...)
	sort.SliceStable(edits, func(i, j int) bool { return editOrder[edits[i].Kind] < editOrder[edits[j].Kind] })
	for _, e := range edits {
		var text string
		switch e.Kind {
		case EditPronoun:
			key := "edit.line.pronoun"
			if e.Count < 10 {
				key += ".few" // not "throughout"
			}
			text = w.t(key, e.From, e.To, e.Count)
		case EditDates:
			text = w.datesLine(r, e)
		case EditEmphasis:
			if sens := sensitiveItems(e.Items); len(sens) > 0 {
				text = w.t("edit.line.emphasis.items", e.Count, w.list(sens))
			} else {
				text = w.t("edit.line.emphasis", e.Count)
			}
		default:
			text = w.t("edit.line."+e.Kind, e.Count)
		}
		out = append(out, Statement{Text: text, Changes: e.Changes})
	}
	return out
}

// editOrder lists editorial kinds from the most telling to the least.
var editOrder = map[string]int{EditDates: 0, EditEmphasis: 1, EditPronoun: 2, EditSelf: 3, EditMoved: 4, EditNumbering: 5,
	EditLink: 6, EditMenuPath: 7, EditVariant: 8, EditTypo: 9, EditFormatting: 10}

// datesLine says which dates changed from what to what.
func (w words) datesLine(r *Report, e EditorialEdit) string {
	var parts []string
	for _, typ := range []facts.Type{facts.DateUpdated, facts.DateEffective} {
		var from, to string
		for _, f := range r.Facts.Removed {
			if f.Type == typ && from == "" {
				from = f.Value
			}
		}
		for _, f := range r.Facts.Added {
			if f.Type == typ && to == "" {
				to = f.Value
			}
		}
		switch {
		case from != "" && to != "":
			parts = append(parts, w.t("edit.dates.changed", w.t("fact."+string(typ)), from, to))
		case to != "":
			parts = append(parts, w.t("edit.dates.added", w.t("fact."+string(typ)), to))
		}
	}
	if len(parts) == 0 {
		return w.t("edit.line.dates", e.Count)
	}
	return strings.Join(parts, w.t("clause.sep"))
}

// sensitiveItems are the sensitive personal information that phrases,
// newly in bold, name.
func sensitiveItems(items []string) []string {
	var out []string
	for _, it := range items {
		for _, f := range facts.Take(it).All {
			if f.Type == facts.PI && f.IsSensitive() && !slices.Contains(out, f.Value) {
				out = append(out, f.Value)
			}
		}
	}
	if len(out) > 8 {
		out = out[:8]
	}
	return out
}

// change returns the change with the ID, or nil.
func (r *Report) change(id int) *Change {
	for i := range r.Changes {
		if r.Changes[i].ID == id {
			return &r.Changes[i]
		}
	}
	return nil
}

// Piece is part of a description; Strong pieces are the words that changed.
type Piece struct {
	Text   string `json:"text"`
	Strong bool   `json:"strong,omitempty"`
}

// Description says what a change did, where, quoting whole clauses, in
// pieces so that a page can mark the changed words without trusting
// markup.
func (c Change) Description(lang string) []Piece {
	w := wordsFor(lang)
	var out []Piece
	if where := w.section(c.Section); where != "" {
		out = append(out, Piece{Text: w.t("change.section", where)})
	}
	strong := func(s string) Piece { return Piece{Text: w.q(quote(s, 80)), Strong: true} }
	switch {
	case !c.Substantive && c.Editorial != EditTypo && c.Kind != "moved":
		var kinds []string
		for _, e := range c.Edits {
			kinds = append(kinds, w.t("describe.count", w.t("edit."+e.Kind), e.Count))
		}
		out = append(out, Piece{Text: w.t("describe.editorial", w.list(kinds))})
	case c.Kind == Moved:
		out = append(out, Piece{Text: w.t("describe.moved", w.q(quote(readable(c.NewText), 60)), deref(c.OldLine), deref(c.NewLine))})
	case c.Kind == Added:
		out = append(out, w.clausePieces(Clause{New: readable(c.NewText)}, strong)...)
	case c.Kind == Removed:
		out = append(out, w.clausePieces(Clause{Old: readable(c.OldText)}, strong)...)
	default:
		const shown = 3
		for i, cl := range c.Clauses {
			if i == shown {
				out = append(out, Piece{Text: w.t("describe.more", len(c.Clauses)-shown)})
				break
			}
			if i > 0 {
				out = append(out, Piece{Text: w.t("clause.sep")})
			}
			out = append(out, w.clausePieces(cl, strong)...)
		}
	}
	return append(out, Piece{Text: w.t("describe.end")})
}

// clausePieces words one changed clause: replaced, added or removed, the
// changed words within it marked.
func (w words) clausePieces(cl Clause, strong func(string) Piece) []Piece {
	split := func(key string, n int) []string { // the message's text around its %s verbs
		marks := make([]any, n)
		for i := range marks {
			marks[i] = "\x00"
		}
		return strings.Split(w.t(key, marks...), "\x00")
	}
	var out []Piece
	switch {
	case cl.Old != "" && cl.New != "":
		parts := split("describe.replaced", 2)
		out = append(out, Piece{Text: parts[0]})
		out = append(out, w.quoted(cl.Old, cl.OldMark)...)
		out = append(out, Piece{Text: parts[1]})
		out = append(out, w.quoted(cl.New, cl.NewMark)...)
		out = append(out, Piece{Text: parts[2]})
	case cl.New != "":
		parts := split("describe.added", 1)
		out = append(out, Piece{Text: parts[0]}, strong(cl.New), Piece{Text: parts[1]})
	default:
		parts := split("describe.removed", 1)
		out = append(out, Piece{Text: parts[0]}, strong(cl.Old), Piece{Text: parts[1]})
	}
	var kept []Piece
	for _, p := range out {
		if p.Text != "" {
			kept = append(kept, p)
		}
	}
	return kept
}

// quoted quotes a clause with its changed words strong; a long clause is
// shortened around them.
func (w words) quoted(clause string, mark []int) []Piece {
	rs := []rune(strings.TrimRight(strings.TrimSpace(clause), "，,、；;：: "))
	if len(mark) != 2 || mark[1] > len(rs) || mark[0] >= mark[1] {
		return []Piece{{Text: w.q(quote(string(rs), 80)), Strong: true}}
	}
	s, e := mark[0], mark[1]
	before, changed, after := string(rs[:s]), string(rs[s:e]), string(rs[e:])
	if n := []rune(before); len(n) > 30 {
		before = "…" + string(n[len(n)-30:])
	}
	if n := []rune(after); len(n) > 30 {
		after = string(n[:30]) + "…"
	}
	open, close := w.quoteMarks()
	return []Piece{{Text: open + before}, {Text: quote(changed, 60), Strong: true}, {Text: after + close}}
}

// quoteMarks are the language's quotation marks, from its quote message.
func (w words) quoteMarks() (string, string) {
	open, close, _ := strings.Cut(w.t("quote", "\x00"), "\x00")
	return open, close
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
