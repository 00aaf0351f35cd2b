package web

import (
	"context"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/profile"
	"github.com/policywatch/policywatch/internal/track"
)

// storedFacts are what version v states, as stored when it was recorded.
// A version recorded before facts were stored, which serve's back-fill has
// not reached yet, has them extracted and stored now: one version, once.
func (s *Server) storedFacts(ctx context.Context, v *policywatch.Version) (*policywatch.VersionFacts, error) {
	vf, err := s.store.FindVersionFacts(ctx, v.ID)
	if !policywatch.IsClass(err, policywatch.ErrNotFound) {
		return vf, err
	}
	text := v.Text
	if text == "" {
		full, err := s.store.FindVersion(ctx, v.ID)
		if err != nil {
			return nil, err
		}
		text = full.Text
	}
	return track.StoreFacts(ctx, s.store, v.ID, text, time.Now())
}

// storedProfile is the profile in lang of version v, from its stored facts.
func (s *Server) storedProfile(ctx context.Context, v *policywatch.Version, lang string) (*profile.Profile, error) {
	vf, err := s.storedFacts(ctx, v)
	if err != nil {
		return nil, err
	}
	return profile.StoredProfile(vf, lang)
}
