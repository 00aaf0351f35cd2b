package policywatch

import "time"

// What the pages that list many policies read: what each version states,
// stored when it is recorded, and lists of policies and changes cut to a
// page by the store, so that no page extracts facts or reads every policy's
// versions on request.

// VersionFacts is what one version states, extracted when it is recorded
// (internal/profile computes it, internal/track stores it): facts, the
// version's row of the cross-platform matrix and its profile in each
// language, as JSON.
type VersionFacts struct {
	VersionID   int64
	Rules       int    // version of the rules that extracted them (profile.RulesVersion)
	Facts       []byte // JSON: []facts.Fact
	Matrix      []byte // JSON: profile.Row
	Profiles    []byte // JSON: language → profile.Profile
	ExtractedAt time.Time
}

// MatrixFilter narrows ListMatrix to one platform (zero: all) and cuts it
// to Limit rows (zero: all) from Offset.
type MatrixFilter struct {
	Platform      string
	Offset, Limit int
}

// MatrixEntry is a policy's newest version and what the matrix shows of
// it: Matrix is nil while the version's facts are not extracted yet.
type MatrixEntry struct {
	PolicyID  int64
	Platform  string
	Name      string
	VersionID int64
	Rules     int
	Matrix    []byte // JSON: profile.Row
}

// PolicyKey is what orders, groups and filters a list of policies.
type PolicyKey struct {
	ID       int64
	Platform string
	Name     string
	URL      string
}

// PolicyOverview is a policy as lists of many policies show it.
type PolicyOverview struct {
	PolicyKey
	Kind           Kind
	Status         Status
	LastErrorClass ErrorClass
	LastCheckedAt  time.Time
	Versions       int // versions other than technical re-extractions
	Changes        int // of them, those recorded after another
	// LastChange is the newest change (FromVersion → ToVersion, captured
	// at CapturedAt), zero when the policy never changed; LastLevel is the
	// level of its analysis, "" when it has none.
	LastChange Change
	LastLevel  Level
}
