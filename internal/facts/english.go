package facts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// Policies in English: the statements the Chinese extractors read, in the
// words English policies use. Personal information, permissions and
// authorities come from vocab_en.txt through the same matchers.

// englishRights are the users' rights as English policies phrase them,
// under the same canonical names as the Chinese ones.
var englishRights = []struct {
	canonical, name string
	re              *lazyregexp.Regexp
}{
	{"查询/访问", "access", lazyregexp.New(`(?i)\b(right (of|to) access|access (to )?(your|the) personal (data|information)|request (a copy of|access to) (your )?personal|know (what|whether))`)},
	{"更正/补充", "correction", lazyregexp.New(`(?i)\b(rectif(y|ication)|correct(ion)? (of )?(your|any|inaccurate)|update (your|inaccurate) personal)`)},
	{"删除", "deletion", lazyregexp.New(`(?i)\b(right to (erasure|deletion|delete|be forgotten)|(delete|erase|erasure of|deletion of) (your|the) personal (data|information)|request (the )?(deletion|erasure))`)},
	{"撤回同意", "withdraw consent", lazyregexp.New(`(?i)\b(withdraw(al of)? (your )?consent|revoke (your )?consent)`)},
	{"注销账号", "close account", lazyregexp.New(`(?i)\b((delete|close|deactivate|cancel) (your|the) account|account (deletion|closure|cancellation))`)},
	{"获取副本", "copy", lazyregexp.New(`(?i)\b(copy of (your|the) personal|obtain a copy)`)},
	{"转移", "portability", lazyregexp.New(`(?i)\b(data )?portability\b|transmit (it|them|your personal (data|information)) to another`)},
	{"投诉举报", "complaint", lazyregexp.New(`(?i)\b(lodge|file|make|submit) a complaint|complain to`)},
}

var (
	// English negation: "we do not sell", "will never share", "do not knowingly collect".
	englishNegation = lazyregexp.New(`(?i)\b(do not|does not|don't|doesn't|will not|won't|never|shall not|not)\s+(\w+ly\s+)?(collect|sell|share|use|process|store|retain|transfer|disclose|access|request|require|rent|trade)\b`)
	englishNegEnds  = lazyregexp.New(`(?i)\b(but|unless|except|other than)\b`)

	englishPeriod  = `(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|thirty|sixty|ninety)\s*(business |working |calendar )?(hours?|days?|weeks?|months?|years?)`
	englishKeep    = lazyregexp.New(`(?i)\b(retain|keep|store|hold)\b[^.;]{0,60}?\bfor (up to |a period of |no longer than |at most )?` + englishPeriod)
	englishAfter   = lazyregexp.New(`(?i)\bwithin ` + englishPeriod + `[^.;]{0,40}?\b(delete|deleted|erase|erased|anonymi[sz]e|anonymi[sz]ed)\b`)
	englishAnswer  = lazyregexp.New(`(?i)\b(respond|reply|answer)\b[^.;]{0,60}?\bwithin ` + englishPeriod)
	englishAge     = lazyregexp.New(`(?i)\b(under|below|younger than|aged? under|under the age of|the age of)\s+(\d{1,2})\b`)
	englishMinor   = lazyregexp.New(`(?i)\b(child|children|minor|minors|teen|teens|parent|guardian|age)\b`)
	englishAbroad  = lazyregexp.New(`(?i)\b(transfer(red|s)?|stor(e|ed|es)|process(ed|es)?|host(ed|s)?|access(ed)?)\b[^.;]{0,80}?\b(outside|other than|across borders|internationally|globally|another country|other countries|jurisdictions?|abroad)\b|\bcross[- ]border\b`)
	englishDenies  = lazyregexp.New(`(?i)\b(do not|does not|will not|won't|never|not)\b[^.;]{0,20}\b(transfer|store|process)`)
	englishIf      = lazyregexp.New(`(?i)^\s*(if|should|in the event)\b`)
	englishDate    = lazyregexp.New(`(?i)\b(?P<label>last (?:updated|modified|revised)|updated(?: on)?|effective(?: date| as of| from)?|date of (?:entry into force|last update))\s*[:：]?\s*(?P<date>` + englishDateValue + `)`)
	englishPhone   = lazyregexp.New(`(?i)\b(phone|telephone|tel|call us|hotline)\b[^0-9+]{0,12}(\+?\d[\d\- ()]{5,18}\d)`)
	englishGeneral = lazyregexp.New(`(?i)\bexercise (any of )?(these|your|such|the above) rights\b`)
	englishWays    = lazyregexp.New(`(?i)\b(account settings|settings page|privacy settings|through your (services )?account|contact (us|our)|support center|help center|web form|online form)\b`)
)

const englishDateValue = `(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October|November|December),?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2}`

var months = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12}

// englishNegatedSpans are the stretches an English negation governs.
func englishNegatedSpans(s string) [][2]int {
	var spans [][2]int
	for _, loc := range englishNegation.FindAllStringIndex(s, -1) {
		end := len(s)
		if e := englishNegEnds.FindStringIndex(s[loc[1]:]); e != nil {
			end = loc[1] + e[0]
		}
		spans = append(spans, [2]int{loc[0], end})
	}
	return spans
}

// englishStatements reads the statements of an English policy: rights and
// the ways to exercise them, retention, transfers abroad, minors' ages,
// response times, dates and phone numbers.
func englishStatements(d *doc) []Fact {
	var out []Fact
	for i := range d.Sentences {
		s := &d.Sentences[i]
		t := s.Text
		if !s.english() {
			continue
		}
		neg := s.negatedSpans()
		if englishGeneral.MatchString(t) {
			d.generalWays = appendNew(d.generalWays, englishWaysIn(t)...)
		}
		for _, r := range englishRights {
			if loc := r.re.FindStringIndex(t); loc != nil && !inSpans(neg, loc[0]) {
				out = append(out, Fact{Type: Right, Value: r.name, Canonical: r.canonical, Line: s.LineAt(loc[0]),
					Ways: englishWaysIn(t), Context: clip(t)})
			}
		}
		for _, re := range []*lazyregexp.Regexp{englishKeep, englishAfter} {
			for _, m := range re.FindAllStringSubmatchIndex(t, -1) {
				if v := englishPeriodOf(t, m); v != "" {
					out = append(out, Fact{Type: Retention, Value: v, Canonical: canonicalEnglishPeriod(v), Line: s.LineAt(m[0]), Context: clip(t)})
				}
			}
		}
		for _, m := range englishAnswer.FindAllStringSubmatchIndex(t, -1) {
			if v := englishPeriodOf(t, m); v != "" {
				out = append(out, Fact{Type: ResponseTime, Value: v, Canonical: canonicalEnglishPeriod(v), Line: s.LineAt(m[0]), Context: clip(t)})
			}
		}
		if englishMinor.MatchString(t) {
			for _, m := range englishAge.FindAllStringSubmatchIndex(t, -1) {
				if n, _ := strconv.Atoi(t[m[4]:m[5]]); n >= 6 && n <= 18 {
					out = append(out, Fact{Type: MinorAge, Value: strconv.Itoa(n), Line: s.LineAt(m[0]), Context: clip(t)})
				}
			}
		}
		if loc := englishAbroad.FindStringIndex(t); loc != nil && !englishHeading(t) {
			out = append(out, englishTransfer(s, loc[0]))
		}
		for _, m := range englishDate.FindAllStringSubmatchIndex(t, -1) {
			typ := DateUpdated
			l, d := 2*englishDate.SubexpIndex("label"), 2*englishDate.SubexpIndex("date")
			label := strings.ToLower(t[m[l]:m[l+1]])
			if strings.HasPrefix(label, "effective") || strings.Contains(label, "force") {
				typ = DateEffective
			}
			v := t[m[d]:m[d+1]]
			out = append(out, Fact{Type: typ, Value: v, Canonical: canonicalEnglishDate(v), Line: s.LineAt(m[0]), Context: clip(t)})
		}
		for _, m := range englishPhone.FindAllStringSubmatch(t, -1) {
			if len(digitsOf(m[2])) >= 6 {
				out = append(out, Fact{Type: ContactPhone, Value: strings.TrimSpace(m[2]), Line: s.LineAt(strings.Index(t, m[2])), Context: clip(t)})
			}
		}
	}
	return out
}

// englishHeading reports a short line without closing punctuation: a
// section's title ("V. How's Your Personal Data Transferred Globally").
func englishHeading(t string) bool {
	t = strings.TrimSpace(t)
	return len(t) < 100 && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, ";")
}

// englishTransfer is a transfer abroad as an English sentence states it,
// with the places named.
func englishTransfer(s *Sentence, at int) Fact {
	var places []string
	for _, m := range foreignPlaces().find(s.Text) {
		places = append(places, s.Text[m.start:m.end])
	}
	return transfer(s, at, places, englishDenies, englishIf)
}

func englishWaysIn(s string) []string {
	var out []string
	for _, m := range englishWays.FindAllString(s, -1) {
		out = appendNew(out, strings.ToLower(m))
	}
	for _, e := range email.FindAllString(s, -1) {
		out = appendNew(out, strings.TrimRight(e, "."))
	}
	return out
}

// englishPeriodOf rebuilds "30 days" from a match's number, qualifier and
// unit groups.
func englishPeriodOf(t string, m []int) string {
	g := submatches(t, m)
	for k := 1; k+2 < len(g); k++ {
		if g[k] != "" && englishNumber(g[k]) > 0 && g[k+2] != "" {
			return strings.TrimSpace(g[k] + " " + g[k+1] + g[k+2])
		}
	}
	return ""
}

var englishNumbers = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "thirty": 30, "sixty": 60, "ninety": 90}

func englishNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return englishNumbers[strings.ToLower(s)]
}

// canonicalEnglishPeriod writes "thirty days" and "30 calendar days" as
// the Chinese periods are written (30天), so that periods compare alike.
func canonicalEnglishPeriod(v string) string {
	f := strings.Fields(strings.ToLower(v))
	if len(f) < 2 {
		return v
	}
	n := englishNumber(f[0])
	unit := f[len(f)-1]
	working := len(f) > 2 && (f[1] == "business" || f[1] == "working")
	switch {
	case strings.HasPrefix(unit, "day") && working:
		return fmt.Sprintf("%d工作日", n)
	case strings.HasPrefix(unit, "day"):
		return fmt.Sprintf("%d天", n)
	case strings.HasPrefix(unit, "week"):
		return fmt.Sprintf("%d周", n)
	case strings.HasPrefix(unit, "month"):
		return fmt.Sprintf("%d月", n)
	case strings.HasPrefix(unit, "year"):
		return fmt.Sprintf("%d年", n)
	case strings.HasPrefix(unit, "hour"):
		return fmt.Sprintf("%d小时", n)
	}
	return v
}

// canonicalEnglishDate reads "April 25, 2025", "25 April 2025" and
// "2025-04-25" alike.
func canonicalEnglishDate(v string) string {
	f := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
	var y, m, d int
	for _, x := range f {
		switch {
		case months[x] > 0:
			m = months[x]
		case len(x) == 4:
			y, _ = strconv.Atoi(x)
		default:
			n, _ := strconv.Atoi(x)
			if m == 0 && y > 0 && d == 0 && n <= 12 && len(f) == 3 && months[f[1]] == 0 {
				m = n // 2025-04-25
				continue
			}
			d = n
		}
	}
	if y == 0 || m == 0 || d == 0 {
		return v
	}
	return fmt.Sprintf("%d-%02d-%02d", y, m, d)
}
