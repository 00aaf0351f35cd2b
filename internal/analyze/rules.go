package analyze

import (
	"slices"
	"strconv"
	"strings"

	"github.com/policywatch/policywatch"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// The rules, in one place. Everything the report says about a change —
// level, direction, impact — follows from what judge finds here.
//
// A change is editorial when
//   - undoing the editorial kinds (formatting, emphasis, link targets, menu
//     paths, dates, renumbering, 您/你, the operator's own names for 我们,
//     variant spellings) makes both sides the same, wherever in the line
//     the differences are;
//   - or every sentence of each side still stands, so edited, in the other
//     version (moved text, a duplicate dropped);
//   - or, with no fact changed, at most three characters differ and none is
//     a word of negation or obligation (不 无 未 非 禁 仅 只 可 会 须 应 得 必): a typo.
//
// Facts count when the other version says nothing of them anywhere
// (facts.Diff); a fact a change moves or rewords is shown, not counted.
//
// A substantive change's level:
//   - major when it adds sensitive personal information in a clause about
//     processing it, states a cross-border transfer where the old version
//     stated none (or only as absent or conditional), leaves a right with no
//     statement at all, adds a recipient (third party, SDK, authority) of
//     sensitive information, or lowers the minors' age threshold;
//   - substantive when it widens processing (new information, recipients,
//     SDKs, permissions, a clause stating new processing, longer retention),
//     removes a way to exercise a right, lengthens the time to answer
//     requests (flagged past 15 working days, the rule the profile checks),
//     or changes retention, storage location or cross-border transfer;
//   - minor otherwise: a recipient replaced by another in the same role,
//     changed contacts, narrowing, clarifications.
//
// The report's level is the highest of its changes' levels (editorial
// when the texts differ in formatting only, none when they do not differ).

// processingThreshold is the clause classifier's probability above which a
// clause reads as stating how personal information is handled.
const processingThreshold = 0.5

// judge decides whether a change is substantive, which way it goes, and
// its level.
func (a *analysis) judge(c *Change) {
	c.Direction = Neutral
	if kinds, ok := a.canon.editorialKinds(c.OldText, c.NewText); ok {
		if c.Kind == Moved {
			kinds = append([]string{EditMoved}, kinds...)
		}
		a.editorial(c, kinds)
		return
	}
	if a.standsElsewhere(c) {
		a.editorial(c, []string{EditMoved})
		return
	}
	c.Clauses = a.changedClauses(c.OldText, c.NewText)
	if typoFacts(c) && isTypo(a.canon.canonical(c.OldText, ""), a.canon.canonical(c.NewText, "")) {
		a.editorial(c, []string{EditTypo})
		return
	}
	c.Substantive = true
	c.Level, c.Direction, c.Reasons = a.level(c)
}

// editorial marks a change editorial, of the given kinds, and counts its
// edits.
func (a *analysis) editorial(c *Change, kinds []string) {
	if len(kinds) == 0 {
		kinds = []string{EditMoved} // the same words: they only moved
	}
	c.Substantive, c.Level, c.Editorial = false, policywatch.LevelEditorial, kinds[0]
	for _, k := range kinds {
		if !hasEdit(c.Edits, k) {
			c.Edits = append(c.Edits, EditorialEdit{Kind: k, Count: 1})
		}
	}
	if c.Editorial == EditFormatting && len(kinds) > 1 {
		c.Editorial = kinds[1]
	}
	if c.Kind == "moved" || kinds[0] == EditMoved {
		return
	}
	if kinds[0] == EditTypo {
		c.Clauses = a.changedClauses(c.OldText, c.NewText)
	}
}

func hasEdit(es []EditorialEdit, kind string) bool {
	for _, e := range es {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

// standsElsewhere reports a change whose every sentence, on both sides,
// the other version still states (text moved, a repeated paragraph
// dropped or restored).
func (a *analysis) standsElsewhere(c *Change) bool {
	found := 0
	check := func(text string, doc *document) bool {
		var all strings.Builder
		whole := true
		for _, s := range sentencesOf(text) {
			k := a.canon.canonical(s, "")
			if k == "" {
				continue
			}
			all.WriteString(k)
			found++
			whole = whole && doc.states(k)
		}
		// Sentence by sentence, or, re-wrapped or split otherwise, the
		// whole passage running through the other version's text.
		return whole || doc.contains(all.String())
	}
	return check(c.NewText, a.oldDoc) && check(c.OldText, a.newDoc) && found > 0
}

// typoFacts reports a change whose facts a typo fix can explain: none
// dropped but dates, and none added but the plain information or
// permission a misspelt word now names (屏幕分表率 → 屏幕分辨率). A word
// replaced by another word (IMEI → IMSI) drops a fact and is no typo.
func typoFacts(c *Change) bool {
	for _, f := range c.Facts.Removed {
		if f.Type != facts.DateUpdated && f.Type != facts.DateEffective {
			return false
		}
	}
	for _, f := range c.Facts.Added {
		switch {
		case f.Type == facts.DateUpdated || f.Type == facts.DateEffective:
		case (f.Type == facts.PI || f.Type == facts.Permission) && !f.IsSensitive():
		default:
			return false
		}
	}
	return true
}

// verdict collects a change's level, direction and reasons.
type verdict struct {
	level          policywatch.Level
	widen, narrow  int
	reasons        []Reason
	sensitiveAdded bool
}

func (v *verdict) raise(level policywatch.Level, r Reason) {
	v.level = v.level.Max(level)
	v.reasons = append(v.reasons, r)
}

func (v *verdict) direction() string {
	switch {
	case v.widen > 0 && v.narrow > 0:
		return Mixed
	case v.widen > 0:
		return Widens
	case v.narrow > 0:
		return Narrows
	}
	return Neutral
}

// widening fact types: adding one extends processing; removing one reduces it.
var widening = map[facts.Type]bool{facts.PI: true, facts.ThirdParty: true, facts.SDK: true, facts.Permission: true}

// level applies the rules to a substantive change.
func (a *analysis) level(c *Change) (policywatch.Level, string, []Reason) {
	v := &verdict{level: policywatch.LevelMinor}
	added, removed := counted(c.Facts.Added), counted(c.Facts.Removed)
	replaced := replacedRecipients(added, removed)
	for _, f := range added {
		if f.Type == facts.PI && f.IsSensitive() && a.aboutProcessing(f) {
			v.sensitiveAdded = true
		}
	}
	for _, f := range added {
		a.ruleAdded(c, f, replaced, v)
	}
	for _, f := range removed {
		a.ruleRemoved(c, f, replaced, v)
	}
	for _, f := range append(append([]facts.Fact{}, c.Facts.Added...), c.Facts.Removed...) {
		if f.Elsewhere > 0 && isContact(f.Type) {
			v.raise(policywatch.LevelMinor, Reason{Code: "contact_changed", Value: f.Value})
		}
	}
	a.ruleWays(c, v)
	a.ruleClauses(c, v)
	if len(v.reasons) == 0 {
		v.reasons = append(v.reasons, Reason{Code: "clause_changed"})
	}
	if v.direction() == Widens || v.direction() == Mixed {
		v.raise(policywatch.LevelSubstantive, Reason{Code: "widens"})
	}
	return v.level, v.direction(), v.reasons
}

// counted are the facts the rules count: those the other version states
// nowhere.
func counted(fs []facts.Fact) []facts.Fact {
	var out []facts.Fact
	for _, f := range fs {
		if f.Elsewhere == 0 {
			out = append(out, f)
		}
	}
	return out
}

func isContact(t facts.Type) bool {
	return t == facts.ContactPhone || t == facts.ContactEmail || t == facts.ContactAddress
}

func (a *analysis) ruleAdded(c *Change, f facts.Fact, replaced map[string]bool, v *verdict) {
	switch {
	case f.Type == facts.PI && f.IsSensitive() && a.aboutProcessing(f):
		v.widen++
		v.raise(policywatch.LevelMajor, Reason{Code: "sensitive_pi_added", Value: f.Value})
	case (f.Type == facts.ThirdParty || f.Type == facts.SDK) && replaced[f.Key()]:
		v.raise(policywatch.LevelMinor, Reason{Code: "recipient_replaced", Value: f.Value})
	case (f.Type == facts.ThirdParty || f.Type == facts.SDK) && (v.sensitiveAdded || a.receivesSensitive(f)):
		v.widen++
		v.raise(policywatch.LevelMajor, Reason{Code: "recipient_of_sensitive_pi_added", Value: f.Value})
	case f.Type == facts.PI && !a.aboutProcessing(f):
		v.raise(policywatch.LevelMinor, Reason{Code: "pi_mentioned", Value: f.Value})
	case widening[f.Type]:
		v.widen++
		v.raise(policywatch.LevelSubstantive, Reason{Code: string(f.Type) + "_added", Value: f.Value})
	case f.Type == facts.Operator:
		v.raise(policywatch.LevelSubstantive, Reason{Code: "operator_changed", Value: f.Value})
	case f.Type == facts.Right:
		v.narrow++
		v.raise(policywatch.LevelSubstantive, Reason{Code: "right_added", Value: f.Value})
	case f.Type == facts.CrossBorder:
		a.ruleCrossBorder(f, v)
	case f.Type == facts.Retention:
		from, longer := longerThanBefore(a.oldInv.Facts, f, facts.Retention)
		if longer {
			v.widen++
			v.raise(policywatch.LevelSubstantive, Reason{Code: "retention_lengthened", Value: f.Value, From: from, To: f.Value})
		} else {
			v.raise(policywatch.LevelSubstantive, Reason{Code: "retention_changed", Value: f.Value})
		}
	case f.Type == facts.StorageLocation:
		v.raise(policywatch.LevelSubstantive, Reason{Code: "storage_changed", Value: f.Value})
	case f.Type == facts.MinorAge:
		if from := lowestAge(a.oldInv.Facts); from > 0 && lowestAge(a.newInv.Facts) < from && f.Value == strconv.Itoa(lowestAge(a.newInv.Facts)) {
			v.widen++
			v.raise(policywatch.LevelMajor, Reason{Code: "minor_age_lowered", Value: f.Value, From: strconv.Itoa(from), To: f.Value})
		} else {
			v.raise(policywatch.LevelMinor, Reason{Code: "minor_age_changed", Value: f.Value})
		}
	case f.Type == facts.ResponseTime:
		a.ruleResponseTime(f, v)
	case isContact(f.Type):
		v.raise(policywatch.LevelMinor, Reason{Code: "contact_changed", Value: f.Value})
	}
}

func (a *analysis) ruleRemoved(c *Change, f facts.Fact, replaced map[string]bool, v *verdict) {
	switch {
	case f.Type == facts.Right && a.newlyCited(c) != "":
		v.widen++
		v.raise(policywatch.LevelSubstantive, Reason{Code: "right_moved_out", Value: f.Value, To: a.newlyCited(c)})
	case f.Type == facts.Right:
		v.widen++
		v.raise(policywatch.LevelMajor, Reason{Code: "right_removed", Value: f.Value})
	case replaced[f.Key()]:
	case widening[f.Type]:
		v.narrow++
		v.raise(policywatch.LevelMinor, Reason{Code: string(f.Type) + "_removed", Value: f.Value})
	case f.Type == facts.CrossBorder && f.Stated == "present":
		v.narrow++
		v.raise(policywatch.LevelSubstantive, Reason{Code: "cross_border_changed", Value: f.Value})
	case f.Type == facts.Retention || f.Type == facts.StorageLocation || f.Type == facts.CrossBorder:
		v.raise(policywatch.LevelSubstantive, Reason{Code: string(f.Type) + "_changed", Value: f.Value})
	case isContact(f.Type):
		v.raise(policywatch.LevelMinor, Reason{Code: "contact_changed", Value: f.Value})
	}
}

// citesDocument finds a reference to another document (《豆包账号服务须知》,
// a link): a right whose statement moves there is not gone.
var citesDocument = lazyregexp.New(`《[^》]{2,40}》`)

// newlyCited is the first document the change's new text refers to that the
// old version did not.
func (a *analysis) newlyCited(c *Change) string {
	for _, m := range citesDocument.FindAllString(readable(c.NewText), -1) {
		if !strings.Contains(readable(a.oldText), m) {
			return m
		}
	}
	return ""
}

// ruleCrossBorder: a transfer stated present where the old version stated
// none present is major; a new destination of a transfer already stated
// is substantive; a transfer now stated absent narrows.
func (a *analysis) ruleCrossBorder(f facts.Fact, v *verdict) {
	switch f.Stated {
	case "present":
		v.widen++
		if !statesTransfer(a.oldInv.Facts) {
			v.raise(policywatch.LevelMajor, Reason{Code: "cross_border_added", Value: f.Destination})
			return
		}
		v.raise(policywatch.LevelSubstantive, Reason{Code: "cross_border_changed", Value: f.Destination})
	case "absent":
		v.narrow++
		v.raise(policywatch.LevelSubstantive, Reason{Code: "cross_border_changed", Value: f.Value})
	default:
		v.raise(policywatch.LevelSubstantive, Reason{Code: "cross_border_changed", Value: f.Value})
	}
}

func statesTransfer(fs []facts.Fact) bool {
	for _, f := range fs {
		if f.Type == facts.CrossBorder && f.Stated == "present" {
			return true
		}
	}
	return false
}

// ruleResponseTime: a longer time to answer requests than any the old
// version gave is substantive, and flagged past fifteen working days; a
// shorter one is minor.
func (a *analysis) ruleResponseTime(f facts.Fact, v *verdict) {
	days, ok := facts.WorkingDays(f.Period())
	if !ok {
		v.raise(policywatch.LevelMinor, Reason{Code: "response_time_changed", Value: f.Value})
		return
	}
	from, longer := longerThanBefore(a.oldInv.Facts, f, facts.ResponseTime)
	switch {
	case longer:
		v.widen++
		v.raise(policywatch.LevelSubstantive, Reason{Code: "response_time_lengthened", Value: f.Value, From: from, To: f.Value})
		if days > facts.MaxResponseWorkingDays {
			v.reasons = append(v.reasons, Reason{Code: "response_time_over_limit", Value: f.Value, To: strconv.Itoa(facts.MaxResponseWorkingDays)})
		}
	default:
		v.narrow++
		v.raise(policywatch.LevelMinor, Reason{Code: "response_time_changed", Value: f.Value, From: from, To: f.Value})
	}
}

// longerThanBefore compares a period with the longest of its type the old
// version gave; from is that one's wording.
func longerThanBefore(old []facts.Fact, f facts.Fact, typ facts.Type) (from string, longer bool) {
	days, ok := facts.WorkingDays(f.Period())
	if !ok {
		return "", false
	}
	longest := -1
	for _, o := range old {
		if o.Type != typ {
			continue
		}
		if d, ok := facts.WorkingDays(o.Period()); ok && d > longest {
			longest, from = d, o.Value
		}
	}
	return from, longest >= 0 && days > longest
}

// ruleWays: a right counts only with a way to exercise it. When a change
// drops a statement of a right that the new version still names
// elsewhere, the right is removed if the old version gave a way to
// exercise it and the new one gives none (neither its own nor one given
// for every right); a concrete way (a number, an address, a path) gone
// while others remain makes it harder to exercise.
func (a *analysis) ruleWays(c *Change, v *verdict) {
	removed := map[string]bool{}
	for _, f := range c.oldRights {
		if !a.newInv.StatesRight(f.Value) || removed[f.Value] {
			continue // a right stated nowhere any more is ruleRemoved's
		}
		newWays := a.newInv.Ways(f.Value)
		if len(newWays) == 0 {
			removed[f.Value] = true
			v.widen++
			v.raise(policywatch.LevelMajor, Reason{Code: "right_removed", Value: f.Value})
			continue
		}
		for _, w := range f.Ways {
			if !slices.Contains(newWays, w) && isChannel(w) && !hasReasonFrom(v.reasons, "right_way_removed", w) {
				v.widen++
				v.raise(policywatch.LevelSubstantive, Reason{Code: "right_way_removed", Value: f.Value, From: w})
			}
		}
	}
}

func hasReasonFrom(rs []Reason, code, from string) bool {
	for _, r := range rs {
		if r.Code == code && r.From == from {
			return true
		}
	}
	return false
}

// isChannel reports a way that is a concrete channel (a number, an
// address, a path), not a general word such as 客服.
func isChannel(w string) bool {
	return strings.ContainsAny(w, "0123456789@【-") || strings.Contains(w, ">")
}

var (
	limitation = lazyregexp.New(`仅|只会|只在|只有|不会|不再|无需|不得|除非|未经.{0,8}同意|单独同意|明示同意|征得.{0,6}同意|关闭|退出|拒绝`)
	negated    = lazyregexp.New(`不会|不得|不再|无需|禁止|绝不|未经`)
	// userDuty marks what users must do (请你…获得授权), which is no
	// processing by the operator.
	userDuty = lazyregexp.New(`请[你您]|[你您用户](应当|应|须|需要|必须|务必|不得|不应)|务必`)
)

// ruleClauses reads the changed clauses themselves, in their sentences: a
// sentence stating new processing widens, one removed narrows, a
// limitation or negation put in narrows and one taken out widens.
func (a *analysis) ruleClauses(c *Change, v *verdict) {
	for _, cl := range c.Clauses {
		pNew, pOld := a.mostProcessing(cl.newSentences, c.Section), a.mostProcessing(cl.oldSentences, c.Section)
		newNeg, oldNeg := len(negated.FindAllString(cl.New, -1)), len(negated.FindAllString(cl.Old, -1))
		newLim, oldLim := len(limitation.FindAllString(cl.New, -1)), len(limitation.FindAllString(cl.Old, -1))
		switch {
		case oldNeg > newNeg && cl.Old != "" && cl.New != "":
			v.widen++
			v.raise(policywatch.LevelSubstantive, Reason{Code: "limitation_removed", Value: cl.New})
		case pNew >= processingThreshold && pNew-pOld >= 0.3:
			v.widen++
			v.raise(policywatch.LevelSubstantive, Reason{Code: "processing_added", Value: cl.New})
		case newLim > oldLim:
			v.narrow++
			v.raise(policywatch.LevelMinor, Reason{Code: "limitation_added", Value: cl.New})
		case pOld >= processingThreshold && pOld-pNew >= 0.3:
			v.narrow++
			v.raise(policywatch.LevelMinor, Reason{Code: "processing_removed", Value: cl.Old})
		}
	}
}

// mostProcessing is the highest sentenceProcessing of the sentences that
// are not headings.
func (a *analysis) mostProcessing(ss []string, section string) float64 {
	p := 0.0
	for _, s := range ss {
		if !classify.IsHeading(s) {
			p = max(p, a.sentenceProcessing(s, section))
		}
	}
	return p
}

// sentenceProcessing is how likely a sentence states the operator's
// handling of personal information (0 for what users must do).
func (a *analysis) sentenceProcessing(s, section string) float64 {
	if s == "" || userDuty.MatchString(s) {
		return 0
	}
	return a.processing(s, section)
}

// replacedRecipients are third parties or SDKs added and removed in the
// same change with the same role: one recipient swapped for another.
func replacedRecipients(added, removed []facts.Fact) map[string]bool {
	out := map[string]bool{}
	for _, x := range added {
		for _, y := range removed {
			if x.Type == y.Type && (x.Type == facts.ThirdParty || x.Type == facts.SDK) && x.Role == y.Role {
				out[x.Key()], out[y.Key()] = true, true
			}
		}
	}
	return out
}

// aboutProcessing reports personal information named in a sentence about
// handling it (a table or list of collected information counts), not in,
// say, a disclaimer about the answers of a service.
func (a *analysis) aboutProcessing(f facts.Fact) bool {
	if strings.Contains(f.Context, "|") {
		return true
	}
	p := a.sentenceProcessing(f.Context, a.newSection(f.Line))
	return p >= processingThreshold/2
}

func (a *analysis) newSection(line int) string {
	if line > 0 && line <= len(a.newSec) {
		return a.newSec[line-1]
	}
	return ""
}

// receivesSensitive reports a recipient whose listed information, or the
// sentence naming it, includes sensitive kinds.
func (a *analysis) receivesSensitive(f facts.Fact) bool {
	for _, text := range append(append([]string{}, f.PI...), f.Context) {
		for _, t := range facts.Extract(text) {
			if t.Type == facts.PI && t.IsSensitive() {
				return true
			}
		}
	}
	return false
}

// overall is the report's level and the reasons for it.
func overall(r *Report, textsDiffer bool) (policywatch.Level, []Reason) {
	reasons := []Reason{}
	if len(r.Changes) == 0 {
		if textsDiffer {
			return policywatch.LevelEditorial, reasons
		}
		return policywatch.LevelNone, reasons
	}
	level := policywatch.LevelEditorial
	for _, c := range r.Changes {
		if c.Level.Rank() > level.Rank() {
			level = c.Level
		}
	}
	for _, c := range r.Changes {
		if c.Level == level && c.Substantive {
			reasons = append(reasons, c.Reasons...)
		}
	}
	return level, reasons
}

// lowestAge is the lowest minors' age a version states (0 if none).
func lowestAge(fs []facts.Fact) int {
	n := 0
	for _, f := range fs {
		if f.Type == facts.MinorAge {
			if v, err := strconv.Atoi(f.Value); err == nil && (n == 0 || v < n) {
				n = v
			}
		}
	}
	return n
}
