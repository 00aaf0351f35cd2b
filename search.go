package policywatch

import "time"

// SearchQuery asks the store for the lines of policies' texts that contain
// a phrase (internal/search says how a phrase matches).
type SearchQuery struct {
	// Phrase is what to find, as typed; the store normalizes it as it
	// normalizes texts. Empty is ErrInvalid.
	Phrase string
	// AllVersions searches every version, not only each policy's current
	// one.
	AllVersions bool
	// Limit is the most hits returned (DefaultSearchLimit when 0, at most
	// MaxSearchLimit); Offset the hits skipped, to ask for the next ones.
	Limit, Offset int
}

// DefaultSearchLimit and MaxSearchLimit bound the hits of one search.
const (
	DefaultSearchLimit = 100
	MaxSearchLimit     = 10000
)

// SearchResult is one page of hits, in the order of platform, policy name,
// policy, version (oldest first) and line.
type SearchResult struct {
	Hits []SearchHit
	// More is true when hits follow the last one returned.
	More bool
}

// SearchHit is one line containing the phrase.
type SearchHit struct {
	PolicyID   int64
	Policy     string
	Platform   string
	VersionID  int64
	CapturedAt time.Time // of the version
	Line       int       // 1-based, over the normalized text
	Text       string    // the line, normalized
	// Origin is when the phrase came into the policy's text.
	Origin PhraseOrigin
}

// PhraseOrigin is the first version of a policy whose text contains a
// phrase, and whether every later version has contained it too.
type PhraseOrigin struct {
	VersionID  int64
	CapturedAt time.Time
	Continuous bool
}
