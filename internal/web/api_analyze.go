package web

import (
	"net/http"

	"github.com/policywatch/policywatch/internal/track"
)

// apiAnalyze: POST /api/v1/analyze?from=&to=[&lang=] analyses a pair with
// the configured engine now and returns the `analyze` JSON.
func (s *Server) apiAnalyze(w http.ResponseWriter, r *http.Request) (any, error) {
	from, to, err := s.formPair(r)
	if err != nil {
		return nil, err
	}
	lang, err := apiLang(r)
	if err != nil {
		return nil, err
	}
	_, report, err := track.AnalyzePair(r.Context(), s.store, s.analyzer(), from, to, lang)
	return report, err
}
