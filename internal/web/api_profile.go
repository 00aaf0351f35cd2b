package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/profile"
)

// profileJSON is GET /api/v1/policies/{id}/profile.
type profileJSON struct {
	PolicyID  string `json:"policy_id"`
	VersionID string `json:"version_id"`
	Lang      string `json:"lang"`
	*profile.Profile
}

// apiProfile serves GET /api/v1/policies/{id}/profile[?version=&lang=].
func (s *Server) apiProfile(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	lang, err := apiLang(r)
	if err != nil {
		return nil, err
	}
	pol, err := s.store.FindPolicy(r.Context(), id)
	if err != nil {
		return nil, err
	}
	v, err := s.profileVersion(r, pol)
	if err != nil {
		return nil, err
	}
	prof, err := s.storedProfile(r.Context(), v, lang)
	if err != nil {
		return nil, err
	}
	return profileJSON{PolicyID: policywatch.FormatID(pol.ID), VersionID: policywatch.FormatID(v.ID), Lang: lang,
		Profile: prof}, nil
}
