package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/normalize"
)

// Feature namespaces keep the same n-gram in different roles apart.
const (
	nsSentence byte = 'S' // character n-grams of the sentence
	nsPrev     byte = 'p' // of the sentence before
	nsNext     byte = 'x' // of the sentence after
	nsStart    byte = 'B' // how the sentence begins (list markers, 如果/当您…)
	nsSection  byte = 'h' // the section heading the sentence stands under
	nsNear     byte = 'n' // the nearest heading, when kept apart from the top one
	nsBias     byte = '0' // always on
)

// Sentence is a sentence with its context in the document: the sentences
// before and after it and the heading of its section. Any of them may be
// empty.
type Sentence struct {
	Text, Prev, Next string
	Section          string
}

// featureText prepares text for features: normalized (NFKC), without
// spaces, Latin letters lower-cased, digits folded to 0 (numbers say
// little about a clause's topic and would scatter its n-grams).
func featureText(s string) []rune {
	s = normalize.KeyOfText(normalize.Text(s))
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			r = '0'
		case r < utf8.RuneSelf:
			r = unicode.ToLower(r)
		}
		out = append(out, r)
	}
	return out
}

// FeatureSet says which features a model uses; it is saved with the model
// so that classifying computes exactly what training computed.
type FeatureSet struct {
	MaxN       int  `json:"max_n"`       // longest character n-gram of the sentence
	Context    bool `json:"context"`     // neighbouring sentences and section
	ContextMin int  `json:"context_min"` // shortest n-gram of the context
	ContextMax int  `json:"context_max"` // longest n-gram of the context
	SplitHeads bool `json:"split_heads"` // the top heading and the nearest heading apart
}

// features appends the hashed features of a sentence to dst. dim must be a
// power of two.
func features(dst []uint32, s Sentence, dim uint32, fs FeatureSet) []uint32 {
	mask := dim - 1
	text := featureText(s.Text)
	dst = append(dst, hashRunes(nsBias, nil)&mask)
	for n := 1; n <= fs.MaxN; n++ {
		dst = ngrams(dst, nsSentence+byte(n), text, n, mask)
	}
	for n := 1; n <= 3 && n <= len(text); n++ {
		dst = append(dst, hashRunes(nsStart+byte(n), text[:n])&mask)
	}
	if !fs.Context {
		return dst
	}
	context := func(ns byte, t string) {
		if t == "" {
			return
		}
		rs := featureText(t)
		for n := fs.ContextMin; n <= fs.ContextMax; n++ {
			dst = ngrams(dst, ns+byte(n), rs, n, mask)
		}
	}
	context(nsPrev, s.Prev)
	context(nsNext, s.Next)
	if top, near, ok := strings.Cut(s.Section, sectionSep); ok && fs.SplitHeads {
		context(nsSection, top)
		context(nsNear, near)
	} else {
		context(nsSection, strings.Replace(s.Section, sectionSep, " ", 1))
	}
	return dst
}

// sectionSep separates a section's top heading from its nearest heading.
const sectionSep = SectionSep

// SectionSep joins the headings of a section path (Sections).
const SectionSep = " ▸ "

func ngrams(dst []uint32, ns byte, text []rune, n int, mask uint32) []uint32 {
	for i := 0; i+n <= len(text); i++ {
		dst = append(dst, hashRunes(ns, text[i:i+n])&mask)
	}
	return dst
}

// hashRunes is 32-bit FNV-1a over a namespace byte and the runes.
func hashRunes(ns byte, rs []rune) uint32 {
	h := uint32(2166136261)
	h = (h ^ uint32(ns)) * 16777619
	for _, r := range rs {
		h = (h ^ uint32(r&0xFF)) * 16777619
		h = (h ^ uint32(r>>8&0xFF)) * 16777619
		h = (h ^ uint32(r>>16)) * 16777619
	}
	return h
}
