package web

import (
	"net/http"

	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/normalize"
)

// apiVersions serves GET /api/v1/policies/{id}/versions.
func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	versions, err := s.store.ListVersions(r.Context(), id)
	if err != nil {
		return nil, err
	}
	out := make([]jsonview.Version, 0, len(versions))
	for _, v := range versions {
		out = append(out, jsonview.NewVersion(v))
	}
	return out, nil
}

type versionText struct {
	jsonview.Version
	Text string `json:"text"` // normalized, as `policywatch show` prints it
}

// apiVersion serves GET /api/v1/versions/{id}.
func (s *Server) apiVersion(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.store.FindVersion(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return versionText{Version: jsonview.NewVersion(*v), Text: normalize.Text(v.Text)}, nil
}
