package policywatch

import (
	"slices"
	"strings"

	"github.com/policywatch/policywatch/internal/locale"
)

// Level is how much a change of a policy matters to the people whose data
// it concerns: the analysis's verdict and a subscription's threshold.
type Level string

// The levels, from nothing to the most serious (internal/analyze's rules
// say which a change reaches).
const (
	LevelNone        Level = "none"        // no change after normalization
	LevelEditorial   Level = "editorial"   // formatting, dates, typos, renumbering and the like only
	LevelMinor       Level = "minor"       // substantive but not widening: replacements, contacts, narrowing, clarifications
	LevelSubstantive Level = "substantive" // widens processing or changes users' rights
	LevelMajor       Level = "major"       // sensitive information, minors, transfers abroad, rights taken away
)

// Levels are the levels in order, least serious first.
var Levels = []Level{LevelNone, LevelEditorial, LevelMinor, LevelSubstantive, LevelMajor}

// Rank orders levels: none 0 … major 4; an unknown level, or none
// given, is -1.
func (l Level) Rank() int { return slices.Index(Levels, l) }

// AtLeast reports whether l is at or above min ("" is no minimum). An
// unknown level (no analysis could be made) passes every minimum: better a
// notification too many than a change missed.
func (l Level) AtLeast(min Level) bool {
	return min == "" || l.Rank() < 0 || l.Rank() >= min.Rank()
}

// Label is the level in words in lang ("zh" or "en"): the catalogue's
// level.* label; an unknown level is shown as it is.
func (l Level) Label(lang string) string {
	if p := locale.NewPrinter(lang); p.Has("level." + string(l)) {
		return p.Print("level." + string(l))
	}
	return string(l)
}

// Max is the more serious of two levels.
func (l Level) Max(o Level) Level {
	if o.Rank() > l.Rank() {
		return o
	}
	return l
}

// ParseLevel reads a level as a user types it (any case, spaces around);
// "" is no level.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	if l == "" || l.Rank() >= 0 {
		return l, nil
	}
	names := make([]string, len(Levels))
	for i, l := range Levels {
		names[i] = string(l)
	}
	return "", Errorl(ErrInvalid, "invalid.level", s, strings.Join(names, ", "))
}
