package profile

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/locale"
)

// RulesVersion changes whenever facts.Extract or Build would say something
// different of a text: stored facts of older rules are extracted again in
// the background (and shown until then).
const RulesVersion = 1

// Stored is what the store keeps of a version, made when it is recorded:
// its facts, its matrix row and its profile in every language the
// catalogue speaks.
func Stored(versionID int64, text string, now time.Time) (*policywatch.VersionFacts, error) {
	fs := facts.Extract(text)
	profiles := make(map[string]*Profile, len(locale.Langs))
	for _, lang := range locale.Langs {
		profiles[lang] = Build(text, fs, lang)
	}
	vf := &policywatch.VersionFacts{VersionID: versionID, Rules: RulesVersion, ExtractedAt: now.UTC()}
	var err error
	if vf.Facts, err = json.Marshal(fs); err != nil {
		return nil, err
	}
	if vf.Matrix, err = json.Marshal(MatrixRow(fs)); err != nil {
		return nil, err
	}
	if vf.Profiles, err = json.Marshal(profiles); err != nil {
		return nil, err
	}
	return vf, nil
}

// StoredFacts are the facts of stored vf.
func StoredFacts(vf *policywatch.VersionFacts) ([]facts.Fact, error) {
	var fs []facts.Fact
	if err := json.Unmarshal(vf.Facts, &fs); err != nil {
		return nil, fmt.Errorf("stored facts of version %d: %w", vf.VersionID, err)
	}
	return fs, nil
}

// StoredRow is a stored matrix row.
func StoredRow(versionID int64, matrix []byte) (Row, error) {
	var r Row
	if err := json.Unmarshal(matrix, &r); err != nil {
		return r, fmt.Errorf("stored matrix row of version %d: %w", versionID, err)
	}
	return r, nil
}

// StoredProfile is the profile in lang of stored vf.
func StoredProfile(vf *policywatch.VersionFacts, lang string) (*Profile, error) {
	var profiles map[string]*Profile
	if err := json.Unmarshal(vf.Profiles, &profiles); err != nil {
		return nil, fmt.Errorf("stored profile of version %d: %w", vf.VersionID, err)
	}
	p, ok := profiles[locale.Normalize(lang)]
	if !ok || p == nil {
		return nil, fmt.Errorf("stored profile of version %d: none in %s", vf.VersionID, lang)
	}
	return p, nil
}
