package web

import (
	"cmp"
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
	id, idErr := pathID(r)
	lang, langErr := apiLang(r)
	if err := cmp.Or(idErr, langErr); err != nil { // the path's fault first
		return nil, err
	}
	pol, v, prof, err := s.profileOf(r, id, lang)
	if err != nil {
		return nil, err
	}
	return profileJSON{PolicyID: policywatch.FormatID(pol.ID), VersionID: policywatch.FormatID(v.ID), Lang: lang,
		Profile: prof}, nil
}
