package web

import (
	"net/http"

	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/normalize"
)

// apiVersions serves GET /api/v1/policies/{id}/versions.
func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) (any, error) {
	versions, err := byPathID(r, s.store.ListVersions)
	if err != nil {
		return nil, err
	}
	return listJSON(versions, jsonview.NewVersion), nil
}

type versionText struct {
	jsonview.Version
	Text string `json:"text"` // normalized, as `policywatch show` prints it
}

// apiVersion serves GET /api/v1/versions/{id}.
func (s *Server) apiVersion(w http.ResponseWriter, r *http.Request) (any, error) {
	v, err := byPathID(r, s.store.FindVersion)
	if err != nil {
		return nil, err
	}
	return versionText{Version: jsonview.NewVersion(*v), Text: normalize.Text(v.Text)}, nil
}
