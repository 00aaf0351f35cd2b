package analyze

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// Editorial kinds: the ways a text can change without changing what it
// says. A change whose differences are all of these kinds is editorial,
// wherever in the line they are and however many there are.
const (
	EditFormatting = "formatting"     // whitespace, line wrapping, punctuation, width, quote styles
	EditEmphasis   = "emphasis"       // Markdown bold, italics, code and heading marks
	EditLink       = "link"           // a link's target (its text unchanged)
	EditMenuPath   = "menu_path"      // a menu path such as 【设置-账号设置】 replaced by another
	EditDates      = "dates"          // dates of update or effect
	EditNumbering  = "renumbering"    // clause and list numbers, references to them
	EditPronoun    = "pronoun"        // 您 and 你
	EditSelf       = "self_reference" // the operator's own names (豆包, 公司) for 我们
	EditVariant    = "variant"        // variant spellings: 帐号/账号, 其它/其他, 登陆/登录
	EditMoved      = "moved"          // text moved or a duplicate dropped: every sentence still stands elsewhere
	EditTypo       = "typo"           // at most three characters, no word of negation or obligation
)

// canonicalSteps are the editorial kinds that rewriting can undo, in the
// order they are undone; formatting (punctuation and spaces) comes last so
// that it does not swallow the Markdown marks the emphasis step reads.
var canonicalSteps = []string{EditLink, EditEmphasis, EditMenuPath, EditDates, EditNumbering, EditPronoun, EditSelf, EditVariant, EditFormatting}

var (
	linkRe = lazyregexp.New(`!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	// a qualifier in brackets inside a link's text: [[豆包+Dora]语音服务…](…)
	qualifierRe = lazyregexp.New(`\[[^\[\]]*\]|【[^】]*】`)
	autoLinkRe  = lazyregexp.New(`<((?:https?://|mailto:)[^>\s]+)>`)
	bareURLRe   = lazyregexp.New(`https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+`)
	escapeRe    = lazyregexp.New(`\\([[:punct:]])`)
	headingRe   = lazyregexp.New(`(?m)^#{1,6}\s*`)
	menuPathRe  = lazyregexp.New(`【[^】]{1,80}】|[\p{Han}A-Za-z]{1,12}(?:\s*[-－—>＞→]\s*[\p{Han}A-Za-z]{1,14}){2,}`)
	dateRe      = lazyregexp.New(`\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}`)
	// references to clauses: 第5.4条, 2.2.1
	numberRefRe = lazyregexp.New(`第[一二三四五六七八九十百\d.]+[章节条款部分项]|\d+(?:\.\d+)+`)
	variants    = [][2]string{{"帐号", "账号"}, {"帐户", "账户"}, {"帐单", "账单"}, {"其它", "其他"}, {"登陆", "登录"}, {"图象", "图像"}, {"剪切板", "剪贴板"}}
)

// canonicalizer undoes editorial changes. Its aliases are the names a
// policy gives itself besides 我们 (豆包(简称“我们”), 下称“公司”或“我们”).
type canonicalizer struct {
	aliases [][2]string // name, 我们; longest first
}

func newCanonicalizer(texts ...string) *canonicalizer {
	names := map[string]bool{"本公司": true, "我司": true}
	for _, t := range texts {
		for _, n := range selfNames(t) {
			names[n] = true
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	// Longest first, so that 本公司 is replaced before 公司.
	sort.Slice(list, func(i, j int) bool {
		return len(list[i]) > len(list[j]) || len(list[i]) == len(list[j]) && list[i] < list[j]
	})
	var pairs [][2]string
	for _, n := range list {
		pairs = append(pairs, [2]string{n, "我们"})
	}
	return &canonicalizer{aliases: pairs}
}

var (
	// 豆包(简称“我们”)
	namedAsWe = lazyregexp.New(`([\p{Han}A-Za-z0-9]{2,12})["“”「」]?\s*[（(]\s*(?:以下)?(?:简称|下称|统称|合称|亦称)\s*["“「]?(?:我们|本公司|我司)`)
	// (下称“公司”或“我们”)
	alsoWe = lazyregexp.New(`(?:简称|下称|统称|合称|亦称)\s*["“「]([^"”」]{1,10})["”」]\s*(?:或|、|及|和|/)\s*["“「]?(?:我们|本公司|我司)`)
)

// selfNames are the names a policy gives its operator or product besides
// 我们.
func selfNames(text string) []string {
	var out []string
	head := text
	if len(head) > 20000 {
		head = head[:20000] // definitions come first
	}
	for _, line := range strings.Split(head, "\n") {
		if !strings.Contains(line, "称") {
			continue
		}
		for _, m := range namedAsWe.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
		for _, m := range alsoWe.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// canonical rewrites s undoing every editorial kind but skip ("" skips
// none).
func (c *canonicalizer) canonical(s, skip string) string {
	for _, step := range canonicalSteps {
		if step != skip {
			s = c.apply(step, s)
		}
	}
	return s
}

func (c *canonicalizer) apply(step, s string) string {
	switch step {
	case EditLink:
		return eachLine(s, func(l string) bool {
			return strings.Contains(l, "](") || strings.Contains(l, "://") || strings.Contains(l, "<")
		},
			func(l string) string {
				l = linkRe.ReplaceAllStringFunc(l, func(m string) string {
					text := linkRe.FindStringSubmatch(m)[1]
					return "《" + qualifierRe.ReplaceAllString(text, "") + "》"
				})
				l = autoLinkRe.ReplaceAllString(l, "$1")
				return bareURLRe.ReplaceAllString(l, "")
			})
	case EditEmphasis:
		return eachLine(s, func(l string) bool { return strings.ContainsAny(l, "*_`\\#") },
			func(l string) string {
				l = escapeRe.ReplaceAllString(l, "$1")
				l = headingRe.ReplaceAllString(l, "")
				return strings.NewReplacer("**", "", "__", "", "*", "", "`", "").Replace(l)
			})
	case EditMenuPath:
		return eachLine(s, func(l string) bool { return strings.Contains(l, "【") || separators(l) >= 2 },
			func(l string) string { return menuPathRe.ReplaceAllString(l, "【】") })
	case EditDates:
		return eachLine(s, func(l string) bool { return hasDigit(l) && strings.ContainsAny(l, "年-/.") },
			func(l string) string { return dateRe.ReplaceAllString(l, "〇") })
	case EditNumbering:
		return eachLine(s, numbered, func(l string) string {
			l = stripLeadNumber(l)
			if strings.Contains(l, "第") || hasDottedNumber(l) {
				l = numberRefRe.ReplaceAllString(l, "〇")
			}
			return l
		})
	case EditPronoun:
		return strings.ReplaceAll(s, "您", "你")
	case EditSelf:
		return replacePairs(s, c.aliases)
	case EditVariant:
		return replacePairs(s, variants)
	case EditFormatting:
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 0x4E00 && r <= 0x9FFF: // CJK ideographs, most of a policy
				return r
			case unicode.IsSpace(r):
				return -1
			case r == '*' || r == '_' || r == '#' || r == '`' || r == '\\':
				return r // the emphasis step's to undo
			case unicode.IsPunct(r) || unicode.IsSymbol(r):
				return -1
			}
			return r
		}, s)
	}
	return s
}

// replacePairs replaces each pair's first word by its second, in order;
// most texts contain none of them, which strings.Contains finds fast.
func replacePairs(s string, pairs [][2]string) string {
	if len(pairs) == 0 {
		return s
	}
	var firsts [8]rune // the pairs' first runes: one pass over s finds whether any occurs
	n := 0
	for _, p := range pairs {
		r, _ := utf8.DecodeRuneInString(p[0])
		if n < len(firsts) {
			firsts[n] = r
		}
		n++
	}
	if n <= len(firsts) && !strings.ContainsFunc(s, func(r rune) bool {
		for _, f := range firsts[:n] {
			if r == f {
				return true
			}
		}
		return false
	}) {
		return s
	}
	for _, p := range pairs {
		if strings.Contains(s, p[0]) {
			s = strings.ReplaceAll(s, p[0], p[1])
		}
	}
	return s
}

// separators counts the marks that join the steps of a menu path.
func separators(l string) int {
	n := 0
	for _, r := range l {
		switch r {
		case '-', '－', '—', '>', '＞', '→':
			n++
		}
	}
	return n
}

// stripLeadNumber drops the clause number a line starts with: 一、 （三）
// 1.3.5 d. 第五条 ①. It is written out rather than a regular expression:
// every line of both versions goes through it.
func stripLeadNumber(l string) string {
	s := strings.TrimLeft(l, " ")
	rest := func(i int) string { return strings.TrimLeft(s[i:], " ") }
	cn := func(r rune) bool { return strings.ContainsRune("一二三四五六七八九十百", r) }
	digit := func(r rune) bool { return r >= '0' && r <= '9' }
	numeral := func(r rune) bool { return cn(r) || digit(r) }
	// after reports the rune that follows a run of numerals from i, and
	// where it ends.
	after := func(i int, in func(rune) bool) (rune, int, int) {
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !in(r) {
				break
			}
			i += n
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		return r, i, n
	}
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == '第':
		if next, i, n := after(size, numeral); i > size && strings.ContainsRune("章节条款部分项", next) {
			return rest(i + n)
		}
	case r == '（' || r == '(':
		if next, i, n := after(size, numeral); i > size && (next == ')' || next == '）') {
			return rest(i + n)
		}
	case cn(r):
		if next, i, n := after(0, cn); strings.ContainsRune("、.．", next) {
			return rest(i + n)
		}
	case digit(r):
		i := 0
		for i < len(s) && (digit(rune(s[i])) || s[i] == '.' && i+1 < len(s) && digit(rune(s[i+1]))) {
			i++
		}
		if next, n := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune(".、．)）", next) && next != utf8.RuneError {
			i += n
		}
		return rest(i)
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		if next, n := utf8.DecodeRuneInString(s[size:]); strings.ContainsRune(".、．)）", next) && next != utf8.RuneError {
			return rest(size + n)
		}
	case r >= '①' && r <= '⑳':
		return rest(size)
	}
	return l
}

// numbered reports a line that may carry a clause number: at its start,
// or a reference to one (第5条, 2.2.1).
func numbered(l string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(l, " "))
	return strings.ContainsRune(numberStarts, r) || r >= '0' && r <= '9' || r < utf8.RuneSelf && unicode.IsLetter(r) ||
		strings.Contains(l, "第") || hasDottedNumber(l)
}

// hasDottedNumber reports a digit, a dot and a digit in a row.
func hasDottedNumber(l string) bool {
	for i := 1; i+1 < len(l); i++ {
		if l[i] == '.' && l[i-1] >= '0' && l[i-1] <= '9' && l[i+1] >= '0' && l[i+1] <= '9' {
			return true
		}
	}
	return false
}

// numberStarts are the characters a clause number can start with, besides
// digits and Latin letters.
const numberStarts = "第（(一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

// eachLine rewrites the lines of s that need it; regular expressions run
// only on the few lines where they can match.
func eachLine(s string, need func(string) bool, rewrite func(string) string) string {
	if !strings.Contains(s, "\n") {
		if need(s) {
			return rewrite(s)
		}
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, l := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if need(l) {
			l = rewrite(l)
		}
		b.WriteString(l)
	}
	return b.String()
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// editorialKinds returns the kinds that make a and b differ, when undoing
// them makes the two the same; ok is false when the texts differ in more
// than editorial ways.
func (c *canonicalizer) editorialKinds(a, b string) (kinds []string, ok bool) {
	if c.canonical(a, "") != c.canonical(b, "") {
		return nil, false
	}
	for _, step := range canonicalSteps {
		if c.canonical(a, step) != c.canonical(b, step) {
			kinds = append(kinds, step)
		}
	}
	if len(kinds) == 0 && a != b { // several kinds undo the same difference
		for i := range canonicalSteps {
			if c.upTo(a, i) == c.upTo(b, i) {
				kinds = append(kinds, canonicalSteps[i])
				break
			}
		}
	}
	return kinds, true
}

// upTo applies the steps up to and including the i-th.
func (c *canonicalizer) upTo(s string, i int) string {
	for _, step := range canonicalSteps[:i+1] {
		s = c.apply(step, s)
	}
	return s
}

// EditorialEdit is one kind of editorial difference and how often it
// occurs: in a change, or summed over a report.
type EditorialEdit struct {
	Kind    string   `json:"kind"`
	Count   int      `json:"count"`
	From    string   `json:"from,omitempty"`    // pronoun: the word replaced
	To      string   `json:"to,omitempty"`      // pronoun: the word put in its place
	Items   []string `json:"items,omitempty"`   // emphasis: phrases newly in bold
	Changes []int    `json:"changes,omitempty"` // in a report: the changes with such edits
}

var boldRe = lazyregexp.New(`\*\*([^*\n]{1,80}?)\*\*|__([^_\n]{1,80}?)__`)

// countEdits counts the editorial differences of each kind between two
// texts: the pronouns swapped, phrases put in or out of bold, link targets
// changed, self-names replaced by 我们. They are counted in every change,
// substantive ones too: a report says how often the whole text was edited
// so.
func (c *canonicalizer) countEdits(a, b string) []EditorialEdit {
	var out []EditorialEdit
	youA, youB := strings.Count(a, "您"), strings.Count(b, "您")
	niA, niB := strings.Count(a, "你"), strings.Count(b, "你")
	switch {
	case youB > youA && niA > niB:
		out = append(out, EditorialEdit{Kind: EditPronoun, Count: min(youB-youA, niA-niB), From: "你", To: "您"})
	case youA > youB && niB > niA:
		out = append(out, EditorialEdit{Kind: EditPronoun, Count: min(youA-youB, niB-niA), From: "您", To: "你"})
	}
	boldA, boldB := bolds(a), bolds(b)
	plainA, plainB := c.apply(EditEmphasis, a), c.apply(EditEmphasis, b)
	var newBold []string
	changed := 0
	for p := range boldB {
		if !boldA[p] && strings.Contains(plainA, p) { // the words were there, not in bold
			changed++
			newBold = append(newBold, p)
		}
	}
	for p := range boldA {
		if !boldB[p] && strings.Contains(plainB, p) {
			changed++
		}
	}
	if changed > 0 {
		sort.Strings(newBold)
		out = append(out, EditorialEdit{Kind: EditEmphasis, Count: changed, Items: newBold})
	}
	if n := differentTargets(a, b); n > 0 {
		out = append(out, EditorialEdit{Kind: EditLink, Count: n})
	}
	if n := c.selfSwaps(a, b); n > 0 {
		out = append(out, EditorialEdit{Kind: EditSelf, Count: n})
	}
	return out
}

// selfSwaps counts the operator's names put in the place of 我们, or the
// reverse: as many as one side gained names and the other lost 我们.
func (c *canonicalizer) selfSwaps(a, b string) int {
	namesA := strings.Count(c.apply(EditSelf, a), "我们") - strings.Count(a, "我们")
	namesB := strings.Count(c.apply(EditSelf, b), "我们") - strings.Count(b, "我们")
	weA, weB := strings.Count(a, "我们"), strings.Count(b, "我们")
	switch {
	case namesB > namesA && weA > weB:
		return min(namesB-namesA, weA-weB)
	case namesA > namesB && weB > weA:
		return min(namesA-namesB, weB-weA)
	}
	return 0
}

func bolds(s string) map[string]bool {
	out := map[string]bool{}
	for _, m := range boldRe.FindAllStringSubmatch(s, -1) {
		p := strings.TrimSpace(m[1] + m[2])
		if p != "" {
			out[p] = true
		}
	}
	return out
}

// differentTargets counts links whose text stayed and whose target moved.
func differentTargets(a, b string) int {
	if !strings.Contains(a, "](") && !strings.Contains(b, "](") {
		return 0
	}
	targets := func(s string) map[string]string {
		out := map[string]string{}
		for _, m := range linkRe.FindAllStringSubmatch(s, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	ta, tb := targets(a), targets(b)
	n := 0
	for text, u := range tb {
		if old, ok := ta[text]; ok && old != u {
			n++
		}
	}
	return n
}

// weightyRunes are words of negation or obligation: a change of one of
// them is never a typo.
const weightyRunes = "不无未非禁仅只可会须应得必"

// isTypo reports a difference of at most three characters, none of them a
// word of negation or obligation, between two canonical texts.
func isTypo(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	del, ins := string(ra[p:len(ra)-s]), string(rb[p:len(rb)-s])
	if utf8.RuneCountInString(del) > 3 || utf8.RuneCountInString(ins) > 3 || del+ins == "" {
		return false
	}
	return !strings.ContainsAny(del+ins, weightyRunes)
}

// sentencesOf splits a text into sentences at closing marks and line ends.
func sentencesOf(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '\n' || strings.ContainsRune("。；！？;!?", r) || r == '.' && facts.EndsEnglishSentence(text, i) {
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}
