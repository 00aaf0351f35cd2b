package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/profile"
)

// matrixJSON is one row of GET /api/v1/matrix.
type matrixJSON struct {
	PolicyID  string `json:"policy_id"`
	Platform  string `json:"platform"`
	Name      string `json:"name"`
	VersionID string `json:"version_id"`
	profile.Row
}

// apiMatrix serves GET /api/v1/matrix[?platform=].
func (s *Server) apiMatrix(w http.ResponseWriter, r *http.Request) (any, error) {
	rows, _, _, err := s.matrix(r.Context(), policywatch.MatrixFilter{Platform: r.URL.Query().Get("platform")}, true)
	if err != nil {
		return nil, err
	}
	return listJSON(rows, func(row matrixRow) matrixJSON {
		return matrixJSON{PolicyID: policywatch.FormatID(row.PolicyID), Platform: row.Platform, Name: row.Name,
			VersionID: policywatch.FormatID(row.VersionID), Row: row.Row}
	}), nil
}
