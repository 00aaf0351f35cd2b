// Package locale is policywatch's one message catalogue: every sentence and
// label the web UI, the policy profile and the notifications show, in
// Chinese (the default) and English.
//
// Messages are keyed by dotted names ("home.title", "level.major",
// "notify.newversion", …) and split across files by area; each file adds one
// messages value to the catalogue. A Printer gives the messages of one
// language:
//
//	p := locale.NewPrinter("en")
//	p.Print("home.title")             // "Platforms and policies"
//	p.Printf("compare.position", 3)   // "3 changes"
//
// A key missing in the language falls back to Chinese, then to the key
// itself; a test makes sure neither language lacks a key of the other
// (but for the ".one" forms of English plurals, see Plural).
package locale

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// messages are one area's texts: language → key → text. Texts taking
// arguments use fmt verbs, which must be the same, in the same order, in
// both languages.
type messages map[string]map[string]string

// catalogue is every area's messages together, put together on first use
// (a command that prints no message builds no table).
var catalogue = sync.OnceValue(func() messages {
	return merge(levelMessages(), webMessages(), browseMessages(), profileMessages(), notifyMessages(), analysisMessages(), llmMessages(), errorMessages(), checkMessages(), subscriptionMessages(), searchMessages())
})

// merge joins the areas' messages; a key given by two areas is a
// programming error (there is one label per thing).
func merge(areas ...messages) messages {
	all := messages{"zh": {}, "en": {}}
	for _, area := range areas {
		for lang, texts := range area {
			dst, ok := all[lang]
			if !ok {
				panic("locale: unknown language " + lang)
			}
			for key, text := range texts {
				if _, dup := dst[key]; dup {
					panic("locale: key " + key + " given twice")
				}
				dst[key] = text
			}
		}
	}
	return all
}

// Langs are the languages the catalogue speaks, the default first.
var Langs = []string{"zh", "en"}

// Normalize maps a language name to one the catalogue has: anything
// starting with "en" (any case: "en", "en-US", "English") is "en",
// everything else, "" included, is "zh".
func Normalize(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return "en"
	}
	return "zh"
}

// Printer gives the messages of one language. It is immutable and safe for
// concurrent use.
type Printer struct {
	lang  string
	texts map[string]string
}

// printers are made once; NewPrinter hands them out.
var printers = sync.OnceValue(func() map[string]*Printer {
	return map[string]*Printer{
		"zh": {lang: "zh", texts: catalogue()["zh"]},
		"en": {lang: "en", texts: catalogue()["en"]},
	}
})

// NewPrinter is the printer for lang, normalised as Normalize does.
func NewPrinter(lang string) *Printer { return printers()[Normalize(lang)] }

// Lang is the printer's language, "zh" or "en".
func (p *Printer) Lang() string { return p.lang }

// Print is the message for key: in the printer's language, else in Chinese,
// else the key itself.
func (p *Printer) Print(key string) string {
	if text, ok := p.texts[key]; ok {
		return text
	}
	if text, ok := catalogue()["zh"][key]; ok {
		return text
	}
	return key
}

// Printf is the message for key (as Print finds it) formatted with args by
// fmt.Sprintf. Without args the message is returned as it is.
func (p *Printer) Printf(key string, args ...any) string {
	text := p.Print(key)
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Plural is Printf for a message counting n things: the key's ".one"
// form when n is 1 and the language has one (English: "1 change", not
// "1 changes"; Chinese needs none).
func (p *Printer) Plural(key string, n int, args ...any) string {
	if n == 1 && p.Has(key+".one") {
		key += ".one"
	}
	return p.Printf(key, args...)
}

// IsPluralForm reports a key that is the ".one" form of another: only
// languages with plurals have it.
func IsPluralForm(key string) bool { return strings.HasSuffix(key, ".one") }

// Has reports whether the printer's own language has a message for key
// (without falling back to Chinese or the key).
func (p *Printer) Has(key string) bool {
	_, ok := p.texts[key]
	return ok
}

// Keys are the keys of lang's messages (normalised as Normalize does),
// sorted.
func Keys(lang string) []string {
	texts := catalogue()[Normalize(lang)]
	keys := make([]string, 0, len(texts))
	for key := range texts {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
