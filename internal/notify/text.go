package notify

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// content is what a person reads, before any format's markup, so that every
// human-readable format says the same thing.
type content struct {
	Title   string // one line: e-mail subject, robot title, notification preview
	Lead    string // one sentence saying what happened
	KeyLead bool   // the lead, not a field, is what to make stand out
	Fields  []field
	Links   []link
	Tone    tone
	colon   string // between a label and its value, as the language writes it
}

type field struct {
	Label, Value string
	Key          bool // the value to make stand out (the level)
}

type link struct{ Text, URL string }

// tone says how alarming a message is, for formats that can color text.
type tone int

const (
	toneQuiet tone = iota
	toneAlert
	toneGood
)

type locale struct {
	levels   map[string]string
	name     func(platform, policy string) string // how a sentence names a policy
	colon    string
	arrow    string
	newVer   string // %s: the policy's name
	failing  string // %s: the policy's name
	failed   string // title word for failing
	recov    string // %s: the policy's name
	recovT   string // title word for recovered
	level    string
	versions string
	summary  string
	compare  string
	source   string
}

var zh = locale{
	levels: map[string]string{
		"none":        "无变化",
		"editorial":   "文字性修改",
		"minor":       "轻微变更",
		"substantive": "实质性变更",
		"major":       "重大变更",
	},
	name: func(platform, policy string) string {
		return platform + "《" + policy + "》"
	},
	colon:    "：",
	arrow:    " → ",
	newVer:   "%s发布了新版本",
	failing:  "监测失败：%s连续检查失败",
	failed:   "监测失败",
	recov:    "已恢复：%s重新检查正常",
	recovT:   "已恢复",
	level:    "变更级别",
	versions: "版本",
	summary:  "摘要",
	compare:  "查看对比",
	source:   "政策原文",
}

var en = locale{
	levels: map[string]string{
		"none":        "no change",
		"editorial":   "editorial change",
		"minor":       "minor change",
		"substantive": "substantive change",
		"major":       "major change",
	},
	name: func(platform, policy string) string {
		if platform == "" {
			return "“" + policy + "”"
		}
		return platform + " “" + policy + "”"
	},
	colon:    ": ",
	arrow:    " → ",
	newVer:   "%s has a new version",
	failing:  "Monitoring failing: %s keeps failing",
	failed:   "Monitoring failing",
	recov:    "Recovered: %s checks fine again",
	recovT:   "Recovered",
	level:    "Level",
	versions: "Versions",
	summary:  "Summary",
	compare:  "Compare versions",
	source:   "Policy",
}

func localeFor(lang string) *locale {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return &en
	}
	return &zh
}

// LevelLabel is the human-readable name of a change level in lang ("zh" or
// "en"); an unknown level is returned as it is.
func LevelLabel(level, lang string) string {
	if s, ok := localeFor(lang).levels[level]; ok {
		return s
	}
	return level
}

// compose turns m into what a person reads. limit, when > 0, caps the bytes
// of the free-text parts (summary, error), which come from a model or a
// remote server and are the only parts that can be long enough to exceed a
// robot's message size limit.
func compose(m Message, limit int) content {
	l := localeFor(m.Lang)
	policy := m.Policy
	if policy == "" {
		policy = "#" + strconv.FormatInt(m.PolicyID, 10)
	}
	name := l.name(m.Platform, policy)
	short := policy
	if m.Platform != "" {
		short = m.Platform + " · " + policy
	}

	var c content
	switch m.Event {
	case EventChange:
		level := LevelLabel(m.Level, m.Lang)
		c.Title = short
		if level != "" {
			c.Title += " — " + level
		}
		c.Lead = fmt.Sprintf(l.newVer, name)
		c.Fields = append(c.Fields, field{Label: l.level, Value: level, Key: true})
		if m.FromVersion != 0 || m.ToVersion != 0 {
			c.Fields = append(c.Fields, field{Label: l.versions, Value: idString(m.FromVersion) + l.arrow + idString(m.ToVersion)})
		}
		c.Fields = append(c.Fields, field{Label: l.summary, Value: clip(m.Summary, limit)})
		c.Links = []link{{l.compare, m.CompareURL}, {l.source, m.URL}}
		if m.Level == "substantive" || m.Level == "major" {
			c.Tone = toneAlert
		}
	case EventFailing:
		c.Title = l.failed + " — " + short
		c.Lead = fmt.Sprintf(l.failing, name)
		if e := clip(strings.TrimSpace(m.Error), limit); e != "" {
			c.Lead += l.colon + e
		}
		c.KeyLead, c.Tone = true, toneAlert
		c.Links = []link{{l.source, m.URL}}
	case EventRecovered:
		c.Title = l.recovT + " — " + short
		c.Lead = fmt.Sprintf(l.recov, name)
		c.KeyLead, c.Tone = true, toneGood
		c.Links = []link{{l.source, m.URL}}
	}
	// Drop what is unknown rather than print a label with nothing after it.
	fields := c.Fields[:0]
	for _, f := range c.Fields {
		if strings.TrimSpace(f.Value) != "" {
			fields = append(fields, f)
		}
	}
	c.Fields = fields
	links := c.Links[:0]
	for _, k := range c.Links {
		if k.URL != "" {
			links = append(links, k)
		}
	}
	c.Links = links
	c.colon = l.colon
	return c
}

// plain renders c as plain text (e-mail, shoutrrr).
func (c content) plain() string {
	var b strings.Builder
	b.WriteString(c.Lead)
	b.WriteString("\n")
	if len(c.Fields) > 0 {
		b.WriteString("\n")
		for _, f := range c.Fields {
			b.WriteString(f.Label + c.colon + f.Value + "\n")
		}
	}
	if len(c.Links) > 0 {
		b.WriteString("\n")
		for _, k := range c.Links {
			b.WriteString(k.Text + c.colon + k.URL + "\n")
		}
	}
	return b.String()
}

// idString renders an id the way the project's JSON does: a decimal
// string, and "" for 0, which no row has (so "no version", not "version 0").
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// clip cuts s to at most max bytes on a rune boundary, marking the cut.
func clip(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	const mark = "…"
	cut := max - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut <= 0 {
		return mark
	}
	return s[:cut] + mark
}
