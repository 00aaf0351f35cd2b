package web

import (
	"net/http"

	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// compareJSON is the `diff` JSON plus the two versions and the analysis.
type compareJSON struct {
	textdiff.ResultJSON
	From     jsonview.Version `json:"from"`
	To       jsonview.Version `json:"to"`
	Analysis *analyze.Report  `json:"analysis"` // the `analyze` JSON; null for a version against itself
}

// apiCompare serves GET /api/v1/compare?from=&to=[&lang=].
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) (any, error) {
	from, to, err := s.versionPair(r)
	if err != nil {
		return nil, err
	}
	res, err := s.compare(r, from.ID, to.ID)
	if err != nil {
		return nil, err
	}
	lang, err := apiLang(r)
	if err != nil {
		return nil, err
	}
	out := compareJSON{ResultJSON: res.JSON(), From: jsonview.NewVersion(*from), To: jsonview.NewVersion(*to)}
	if from.ID != to.ID {
		if out.Analysis, err = s.analysisFor(r.Context(), from.ID, to.ID, lang); err != nil {
			return nil, err
		}
	}
	return out, nil
}
