package notify

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/locale"
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

// arrow goes between two versions.
const arrow = " → "

// compose turns m into what a person reads. limit, when > 0, caps the bytes
// of the free-text parts (summary, error), which come from a model or a
// remote server and are the only parts that can be long enough to exceed a
// robot's message size limit.
func compose(m Message, limit int) content {
	l := locale.NewPrinter(m.Lang)
	policy := m.Policy
	if policy == "" {
		policy = "#" + strconv.FormatInt(m.PolicyID, 10)
	}
	name := l.Printf("notify.name.noplatform", policy) // how a sentence names the policy
	if m.Platform != "" {
		name = l.Printf("notify.name", m.Platform, policy)
	}
	colon := l.Print("notify.colon")
	short := policy
	if m.Platform != "" {
		short = m.Platform + " · " + policy
	}

	var c content
	switch m.Event {
	case policywatch.EventChange:
		level := m.Level.Label(m.Lang)
		c.Title = short
		if level != "" {
			c.Title += " — " + level
		}
		c.Lead = l.Printf("notify.newversion", name)
		c.Fields = append(c.Fields, field{Label: l.Print("notify.level"), Value: level, Key: true})
		if versions := versionsString(m); versions != "" {
			c.Fields = append(c.Fields, field{Label: l.Print("notify.versions"), Value: versions})
		}
		c.Fields = append(c.Fields, field{Label: l.Print("notify.summary"), Value: clip(m.Summary, limit)})
		c.Links = []link{{l.Print("notify.compare"), m.CompareURL}, {l.Print("notify.source"), m.URL}}
		if m.Level.Rank() >= policywatch.LevelSubstantive.Rank() {
			c.Tone = toneAlert
		}
	case policywatch.EventFailing:
		c.Title = l.Print("notify.failing.title") + " — " + short
		c.Lead = l.Printf("notify.failing", name)
		reason := clip(strings.TrimSpace(m.Error), limit)
		switch {
		case m.ErrorClass != "":
			// The class speaks the reader's language; the recorded
			// message (English) stays for whoever diagnoses it.
			c.Lead += colon + m.ErrorClass.Label(m.Lang)
			c.Fields = append(c.Fields, field{Label: l.Print("notify.error.original"), Value: reason})
		case reason != "":
			c.Lead += colon + reason
		}
		c.KeyLead, c.Tone = true, toneAlert
		c.Links = []link{{l.Print("notify.source"), m.URL}}
	case policywatch.EventRecovered:
		c.Title = l.Print("notify.recovered.title") + " — " + short
		c.Lead = l.Printf("notify.recovered", name)
		c.KeyLead, c.Tone = true, toneGood
		c.Links = []link{{l.Print("notify.source"), m.URL}}
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
	c.colon = colon
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

// versionsString names the two versions of a change as the pages do (v3 →
// v4), or by their ids when their places in the history are unknown.
func versionsString(m Message) string {
	switch {
	case m.FromNumber > 0 && m.ToNumber > 0:
		return policywatch.VersionLabel(m.FromNumber) + arrow + policywatch.VersionLabel(m.ToNumber)
	case m.FromVersion != 0 || m.ToVersion != 0:
		return idString(m.FromVersion) + arrow + idString(m.ToVersion)
	}
	return ""
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
