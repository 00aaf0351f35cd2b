package analyze

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// The rules, in order of precedence:
//
// A change is editorial when it alters no fact other than dates and its
// changed characters are only
//   - formatting (whitespace, wrapping, width, quotes: the diff's formatting flag),
//   - dates and numbers of dates,
//   - list numbering (（三）→（四）, 3.→4.),
//   - or at most three characters that are not words of negation or
//     obligation (不 无 未 非 禁 仅 只 可 会 须 应 得 必): a typo.
// Every other change is substantive.
//
// A substantive change's level:
//   - major when it adds sensitive personal information, adds a cross-border
//     transfer (stated present), removes a user's right, or adds a third
//     party or SDK that receives sensitive information, or states a minors'
//     age threshold lower than the old version's lowest;
//   - substantive when it widens processing (new information, recipients,
//     SDKs, permissions, longer retention) or changes rights or storage;
//   - minor otherwise: a recipient replaced by another in the same role,
//     changed contacts or response times, narrowing, clarifications.
//
// The report's level is the highest of its changes' levels (none when
// there are no changes at all).

var (
	dateOnly    = regexp.MustCompile(`^[\d０-９一二三四五六七八九十〇零年月日号/\-.\s:：时分]+$`)
	numberingRe = regexp.MustCompile(`^[\s(（]*[\d一二三四五六七八九十a-zA-Z]+[)）.、．\s]*$`)
	// what may stand before a changed list number: "1.1" before "3" in 1.13
	numberPrefix = regexp.MustCompile(`^[\s(（]*([\d一二三四五六七八九十]+[.．、]?)*$`)
	weightyRunes = "不无未非禁仅只可会须应得必"
)

// judge decides whether a change is substantive, which way it goes, and
// its level.
func judge(c *Change, rows []textdiff.Row) {
	c.Direction = direction(c, rows)
	if why := editorialReason(c, rows); why != "" {
		c.Substantive, c.Editorial, c.Level = false, why, LevelEditorial
		c.Direction = Neutral
		return
	}
	c.Substantive = true
	c.Level, c.Reasons = changeLevel(c)
}

// editorialReason says why a change is editorial, or "" if it is not.
func editorialReason(c *Change, rows []textdiff.Row) string {
	for _, f := range append(append([]facts.Fact{}, c.Facts.Added...), c.Facts.Removed...) {
		if f.Type != facts.DateUpdated && f.Type != facts.DateEffective {
			return ""
		}
	}
	allFormatting := true
	for _, r := range rows {
		if !r.Formatting {
			allFormatting = false
		}
	}
	if allFormatting {
		return "formatting"
	}
	segs := changedSegments(rows)
	if len(segs) == 0 {
		return "formatting"
	}
	allDates, allNumbering, changedRunes, weighty := true, true, 0, false
	for _, s := range segs {
		t := strings.TrimSpace(s.text)
		if t == "" {
			continue
		}
		if !dateOnly.MatchString(t) {
			allDates = false
		}
		if !s.atStart || !numberingRe.MatchString(t) {
			allNumbering = false
		}
		changedRunes += utf8.RuneCountInString(t)
		if strings.ContainsAny(t, weightyRunes) {
			weighty = true
		}
	}
	switch {
	case allNumbering:
		return "renumbering"
	case allDates:
		return "dates"
	case changedRunes <= 3 && !weighty && !wholeLines(rows):
		return "typo"
	}
	return ""
}

// segment is a changed piece of a line.
type segment struct {
	text    string
	atStart bool // at the start of its line (a list number)
}

// changedSegments returns what changed in a block: spans inside modified
// lines, whole inserted and deleted lines.
func changedSegments(rows []textdiff.Row) []segment {
	var out []segment
	for _, r := range rows {
		if r.Formatting {
			continue
		}
		switch r.Op {
		case textdiff.Insert:
			out = append(out, segment{text: r.New, atStart: true})
		case textdiff.Delete:
			out = append(out, segment{text: r.Old, atStart: true})
		case textdiff.Replace, textdiff.Move:
			for _, s := range r.Spans {
				text := r.Old
				if s.Side == "new" {
					text = r.New
				}
				rs := []rune(text)
				out = append(out, segment{text: string(rs[s.Start:s.End]),
					atStart: numberPrefix.MatchString(string(rs[:s.Start])) && endsNumber(rs[s.End:])})
			}
		}
	}
	return out
}

// endsNumber reports whether what follows a changed list number closes it
// ("3" in "1.13 若您" is a number; "15" in "15天内" is not).
func endsNumber(rest []rune) bool {
	return len(rest) == 0 || strings.ContainsRune(" .．、)）", rest[0]) || unicode.IsDigit(rest[0])
}

func wholeLines(rows []textdiff.Row) bool {
	for _, r := range rows {
		if r.Op == textdiff.Insert || r.Op == textdiff.Delete {
			return true
		}
	}
	return false
}

// widening facts: adding one extends processing; removing one reduces it.
var widening = map[string]bool{facts.PI: true, facts.ThirdParty: true, facts.SDK: true, facts.Permission: true}

// direction weighs a change for users: facts first, then what kind of
// text was added or removed.
func direction(c *Change, rows []textdiff.Row) string {
	widen, narrow := 0, 0
	replaced := replacedRecipients(c)
	for _, f := range c.Facts.Added {
		switch {
		case replaced[f.Value]:
		case widening[f.Type]:
			widen++
		case f.Type == facts.Right:
			narrow++
		case f.Type == facts.CrossBorder && f.Stated != "absent":
			widen++
		case f.Type == facts.CrossBorder:
			narrow++
		}
	}
	for _, f := range c.Facts.Removed {
		switch {
		case replaced[f.Value]:
		case widening[f.Type]:
			narrow++
		case f.Type == facts.Right:
			widen++
		}
	}
	if widen == 0 && narrow == 0 {
		switch c.Kind {
		case "added":
			if touchesProcessing(c.Categories) {
				widen++
			}
		case "removed":
			if touchesProcessing(c.Categories) {
				narrow++
			}
		}
		// A negation appearing or disappearing turns a clause around.
		oldNeg, newNeg := negations(c.OldText), negations(c.NewText)
		if newNeg > oldNeg {
			narrow++
		} else if newNeg < oldNeg {
			widen++
		}
	}
	switch {
	case widen > 0 && narrow > 0:
		return Mixed
	case widen > 0:
		return Widens
	case narrow > 0:
		return Narrows
	}
	return Neutral
}

func touchesProcessing(cats []string) bool {
	for _, c := range cats {
		switch c {
		case "collection", "permission", "sharing", "usage", "retention":
			return true
		}
	}
	return false
}

var negationRe = regexp.MustCompile(`不会|不得|不再|不予|无需|禁止|绝不|未经`)

func negations(s string) int { return len(negationRe.FindAllString(s, -1)) }

// replacedRecipients are third parties or SDKs added and removed in the
// same change with the same role: one recipient swapped for another.
func replacedRecipients(c *Change) map[string]bool {
	out := map[string]bool{}
	for _, a := range c.Facts.Added {
		for _, r := range c.Facts.Removed {
			if a.Type == r.Type && (a.Type == facts.ThirdParty || a.Type == facts.SDK) && sameRole(a.Role, r.Role) {
				out[a.Value], out[r.Value] = true, true
			}
		}
	}
	return out
}

func sameRole(a, b string) bool { return a == b }

// changeLevel applies the level rules to a substantive change.
func changeLevel(c *Change) (string, []string) {
	var reasons []string
	level := LevelMinor
	raise := func(l, why string) {
		if Rank(l) > Rank(level) {
			level = l
		}
		reasons = append(reasons, why)
	}
	sensitiveAdded := false
	for _, f := range c.Facts.Added {
		if f.Type == facts.PI && f.Sensitive != nil && *f.Sensitive {
			sensitiveAdded = true
		}
	}
	replaced := replacedRecipients(c)
	for _, f := range c.Facts.Added {
		switch {
		case f.Type == facts.PI && f.Sensitive != nil && *f.Sensitive:
			raise(LevelMajor, "sensitive_pi_added:"+f.Value)
		case f.Type == facts.CrossBorder && f.Stated == "present":
			raise(LevelMajor, "cross_border_added")
		case (f.Type == facts.ThirdParty || f.Type == facts.SDK) && !replaced[f.Value] && (sensitiveAdded || receivesSensitive(f)):
			raise(LevelMajor, "recipient_of_sensitive_pi_added:"+f.Value)
		case replaced[f.Value]:
			raise(LevelMinor, "recipient_replaced:"+f.Value)
		case widening[f.Type]:
			raise(LevelSubstantive, f.Type+"_added:"+f.Value)
		case f.Type == facts.Retention || f.Type == facts.StorageLocation || f.Type == facts.CrossBorder:
			raise(LevelSubstantive, f.Type+"_changed:"+f.Value)
		case f.Type == facts.Right:
			raise(LevelSubstantive, "right_added:"+f.Value)
		default:
			raise(LevelMinor, f.Type+"_changed:"+f.Value)
		}
	}
	for _, f := range c.Facts.Removed {
		switch {
		case f.Type == facts.Right:
			raise(LevelMajor, "right_removed:"+f.Value)
		case replaced[f.Value]:
		case widening[f.Type]:
			raise(LevelMinor, f.Type+"_removed:"+f.Value)
		case f.Type == facts.Retention || f.Type == facts.StorageLocation || f.Type == facts.CrossBorder:
			raise(LevelSubstantive, f.Type+"_changed:"+f.Value)
		default:
			raise(LevelMinor, f.Type+"_changed:"+f.Value)
		}
	}
	if c.Direction == Widens || c.Direction == Mixed {
		raise(LevelSubstantive, "widens")
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "clause_changed")
	}
	return level, reasons
}

// receivesSensitive reports a recipient whose listed information includes
// sensitive kinds.
func receivesSensitive(f facts.Fact) bool {
	for _, p := range f.PI {
		for _, t := range facts.Extract(p) {
			if t.Type == facts.PI && t.Sensitive != nil && *t.Sensitive {
				return true
			}
		}
	}
	return false
}

// overall is the report's level and the reasons for it.
func overall(r *Report) (string, []string) {
	if len(r.Changes) == 0 {
		return LevelNone, nil
	}
	level := LevelEditorial
	var reasons []string
	for _, c := range r.Changes {
		if Rank(c.Level) > Rank(level) {
			level = c.Level
		}
		if c.Level == LevelMajor {
			reasons = append(reasons, c.Reasons...)
		}
	}
	return level, reasons
}

// ageLowered is the lowest minors' age threshold of the old version and of
// the new one, when the new one is lower (zeros otherwise). The whole
// documents are compared: a policy may keep "14" in one clause and lower
// another.
func ageLowered(oldFacts, newFacts []facts.Fact) (from, to int) {
	from, to = lowestAge(oldFacts), lowestAge(newFacts)
	if from == 0 || to == 0 || to >= from {
		return 0, 0
	}
	return from, to
}

// markAgeLowered makes the change that states the lowered threshold major.
func markAgeLowered(c *Change, from, to int) {
	if to == 0 {
		return
	}
	for _, f := range c.Facts.Added {
		if f.Type == facts.MinorAge && f.Value == strconv.Itoa(to) {
			c.Level, c.Substantive, c.Editorial = LevelMajor, true, ""
			c.Reasons = append(c.Reasons, fmt.Sprintf("minor_age_lowered:%d→%d", from, to))
			if c.Direction == Neutral {
				c.Direction = Widens
			}
			return
		}
	}
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
