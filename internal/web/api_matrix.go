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

// apiMatrix serves GET /api/v1/matrix[?platform=&page=]: every policy's
// row, or with ?page= a page of them as /matrix shows them, a Link header
// naming the next page.
func (s *Server) apiMatrix(w http.ResponseWriter, r *http.Request) (any, error) {
	f := policywatch.MatrixFilter{Platform: r.URL.Query().Get("platform")}
	number, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	paged := r.URL.Query().Has("page")
	if paged {
		f.Offset, f.Limit = (number-1)*matrixPerPage, matrixPerPage
	}
	rows, _, total, err := s.matrix(r.Context(), f, true)
	if err != nil {
		return nil, err
	}
	if paged {
		s.linkNext(w, r, countedPager(r, number, total, matrixPerPage))
	}
	return listJSON(rows, func(row matrixRow) matrixJSON {
		return matrixJSON{PolicyID: policywatch.FormatID(row.PolicyID), Platform: row.Platform, Name: row.Name,
			VersionID: policywatch.FormatID(row.VersionID), Row: row.Row}
	}), nil
}
