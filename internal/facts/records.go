package facts

import (
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// record is one recipient of data as a table row or a block of labelled
// lines describes it.
type record struct {
	name    string // organisation (or SDK, when sdk is set)
	sdk     bool
	purpose string
	pi      []string
	url     string
	line    int // of the name
}

// field kinds of a record, recognised by their labels or column headers.
const (
	fieldNone = iota
	fieldName
	fieldSDK
	fieldPurpose
	fieldPI
	fieldURL
)

// fieldOf maps a label or column header to a field. Order matters: the
// first matching rule wins.
func fieldOf(label string) int {
	l := strings.ToLower(strings.TrimSpace(strings.Trim(label, "*#：:| ")))
	switch {
	case l == "":
		return fieldNone
	case strings.Contains(l, "sdk") && (strings.Contains(l, "名称") || strings.Contains(l, "name")):
		return fieldSDK
	case containsAny(l, "链接", "网址", "官网", "url", "隐私政策"):
		return fieldURL
	case containsAny(l, "第三方", "合作方", "公司", "接收方", "共享对象", "提供方", "主体", "企业", "机构", "运营方", "名称"):
		return fieldName
	case containsAny(l, "目的", "用途", "场景", "功能", "purpose"):
		return fieldPurpose
	case containsAny(l, "个人信息", "信息类型", "信息种类", "字段", "收集的信息", "共享的信息", "数据类型", "收集信息", "共享信息"):
		return fieldPI
	}
	return fieldNone
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var urlPattern = lazyregexp.New(`https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+`)

// records finds recipients in Markdown tables and in labelled blocks.
func records(d *doc) []record {
	return append(tableRecords(d), blockRecords(d)...)
}

// tableRecords reads Markdown tables whose header names a recipient column.
func tableRecords(d *doc) []record {
	var out []record
	for i := 0; i < len(d.lines); {
		if !strings.HasPrefix(d.lines[i], "|") {
			i++
			continue
		}
		start := i
		for i < len(d.lines) && strings.HasPrefix(d.lines[i], "|") {
			i++
		}
		out = append(out, readTable(d, start, i)...)
	}
	return out
}

func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func readTable(d *doc, start, end int) []record {
	header := cells(d.lines[start])
	kinds := make([]int, len(header))
	hasName := false
	for j, h := range header {
		kinds[j] = fieldOf(h)
		if kinds[j] == fieldName || kinds[j] == fieldSDK {
			hasName = true
		}
	}
	if !hasName {
		return nil
	}
	var out []record
	for i := start + 1; i < end; i++ {
		row := cells(d.lines[i])
		if isRule(row) {
			continue
		}
		rec := record{line: i + 1}
		for j, c := range row {
			if j >= len(kinds) || c == "" {
				continue
			}
			switch kinds[j] {
			case fieldName:
				rec.name = recipientName(c)
			case fieldSDK:
				if rec.name == "" {
					rec.name, rec.sdk = c, true
				}
			case fieldPurpose:
				rec.purpose = c
			case fieldPI:
				rec.pi = splitList(c)
			case fieldURL:
				rec.url = urlPattern.FindString(c)
			}
			if rec.url == "" {
				rec.url = urlPattern.FindString(c)
			}
		}
		if rec.name != "" {
			out = append(out, rec)
		}
	}
	return out
}

func isRule(row []string) bool {
	for _, c := range row {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

// labelLine matches a line that is a label, with or without its value:
// "第三方：高德软件有限公司" or "使用目的：".
var labelLine = lazyregexp.New(`^([\p{Han}A-Za-z ]{2,12})[：:]\s*(.*)$`)

// blockRecords reads runs of labelled lines. A label seen again starts a
// new record; lines without a label continue the last value.
func blockRecords(d *doc) []record {
	const maxContinuation = 2 // lines a value may wrap over (PDF text)
	var out []record
	var cur record
	seen := map[int]bool{}
	last, continued := fieldNone, 0
	flush := func() {
		if cur.name != "" {
			out = append(out, cur)
		}
		cur, seen, last = record{}, map[int]bool{}, fieldNone
	}
	for i, line := range d.lines {
		var m []string
		if i := strings.IndexAny(line, ":："); i > 0 && i <= 40 {
			m = labelLine.FindStringSubmatch(line)
		}
		kind := fieldNone
		if m != nil && len(findOrgs(m[1])) == 0 { // "高德软件有限公司：https://…" is a value
			kind = fieldOf(m[1])
		}
		if kind == fieldNone {
			if line == "" {
				continue
			}
			// A name may only follow its bare label directly ("第三方：" then
			// the name); other values may wrap over a couple of lines.
			nameOK := (last != fieldName && last != fieldSDK) || (continued == 0 && cur.name == "")
			if last != fieldNone && nameOK && continued < maxContinuation && !strings.HasPrefix(line, "#") && len([]rune(line)) < 120 {
				addValue(&cur, last, line, i+1)
				continued++
				continue
			}
			flush()
			continue
		}
		if seen[kind] {
			flush()
		}
		seen[kind] = true
		last, continued = kind, 0
		if v := strings.TrimSpace(m[2]); v != "" {
			addValue(&cur, kind, v, i+1)
			continued = 1 // the value was on the label's line
		}
	}
	flush()
	return out
}

func addValue(r *record, kind int, v string, line int) {
	switch kind {
	case fieldName, fieldSDK:
		if r.name == "" {
			r.name, r.line = recipientName(v), line
			r.sdk = kind == fieldSDK
		}
		if r.url == "" {
			r.url = urlPattern.FindString(v)
		}
	case fieldPurpose:
		r.purpose = strings.TrimSpace(r.purpose + v)
	case fieldPI:
		r.pi = append(r.pi, splitList(v)...)
	case fieldURL:
		if r.url == "" {
			r.url = urlPattern.FindString(v)
		}
	}
}

// recipientName is the organisation a name cell or value names: the first
// organisation found, else the text before a link or colon.
func recipientName(v string) string {
	if orgs := findOrgs(v); len(orgs) > 0 {
		return orgs[0]
	}
	v = urlPattern.ReplaceAllString(v, "")
	if i := strings.IndexAny(v, "：:"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	// A definition ("指一方现在或将来控制…") or a sentence is not a name.
	if strings.HasPrefix(v, "指") || utf8.RuneCountInString(v) > 30 || strings.ContainsAny(v, "。；，,") {
		return ""
	}
	return v
}

var listSep = lazyregexp.New(`[、，,；;/]|以及|及|和`)

// splitList splits "电话号码、签名信息及证件信息" into its items.
func splitList(v string) []string {
	var out []string
	for _, p := range listSep.Split(v, -1) {
		if p = strings.Trim(strings.TrimSpace(p), "。等"); p != "" {
			out = append(out, p)
		}
	}
	return out
}
