package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/profile"
)

// matrixRow is one policy's row of the cross-platform matrix.
type matrixRow struct {
	PolicyID  int64
	Platform  string
	Name      string
	VersionID int64
	profile.Row
}

// matrix reads the rows of the matrix (one platform's when f.Platform is
// set; a page of them when f.Limit is) from the facts stored with each
// policy's newest version. A version whose facts are not extracted yet
// (serve's back-fill is on its way) has them extracted now when complete is
// set; otherwise its policy has no row and is counted in pending. total
// counts every policy with a version.
func (s *Server) matrix(ctx context.Context, f policywatch.MatrixFilter, complete bool) (rows []matrixRow, pending, total int, err error) {
	entries, total, err := s.store.ListMatrix(ctx, f)
	if err != nil {
		return nil, 0, 0, err
	}
	for _, e := range entries {
		if e.Matrix == nil && complete {
			vf, err := s.storedFacts(ctx, &policywatch.Version{ID: e.VersionID})
			if err != nil {
				return nil, 0, 0, err
			}
			e.Matrix = vf.Matrix
		}
		if e.Matrix == nil {
			pending++
			continue
		}
		row, err := profile.StoredRow(e.VersionID, e.Matrix)
		if err != nil {
			return nil, 0, 0, err
		}
		rows = append(rows, matrixRow{PolicyID: e.PolicyID, Platform: e.Platform, Name: e.Name, VersionID: e.VersionID, Row: row})
	}
	return rows, pending, total, nil
}

type matrixData struct {
	Platform   string
	Platforms  []string
	Categories []matrixColumn // the sensitive categories some row of the page has
	Rows       []matrixRowView
	Pending    int // policies of the page whose facts are still being extracted
	Pager      pager
}

type matrixColumn struct{ Category, Name string }

type matrixRowView struct {
	matrixRow
	Cells           []matrixCell
	CrossBorderName string
	VersionLink     string // made once for the row's many links to its lines
}

type matrixCell struct {
	Terms string // the policy's words, for the tooltip
	Line  int
	Count int
}

// matrixPage serves GET /matrix[?platform=&page=]: a page of policies at a
// time.
func (s *Server) matrixPage(w http.ResponseWriter, r *http.Request, p *page) error {
	platform := r.URL.Query().Get("platform")
	number, err := pageNumber(r)
	if err != nil {
		return err
	}
	rows, pending, total, err := s.matrix(r.Context(), policywatch.MatrixFilter{Platform: platform,
		Offset: (number - 1) * matrixPerPage, Limit: matrixPerPage}, false)
	if err != nil {
		return err
	}
	platforms, err := s.platformNames(r.Context())
	if err != nil {
		return err
	}
	data := matrixData{Platform: platform, Platforms: platforms, Pending: pending,
		Pager: countedPager(r, number, total, matrixPerPage)}
	for _, c := range profile.SensitiveCategories {
		for _, row := range rows {
			if len(row.Sensitive[c]) > 0 {
				data.Categories = append(data.Categories, matrixColumn{Category: c, Name: profile.CategoryName(c, p.Lang)})
				break
			}
		}
	}
	for _, row := range rows {
		v := matrixRowView{matrixRow: row, CrossBorderName: profile.StatedName(row.CrossBorder, p.Lang),
			VersionLink: p.Link(fmt.Sprintf("/versions/%d", row.VersionID))}
		for _, c := range data.Categories {
			fs := row.Sensitive[c.Category]
			cell := matrixCell{Count: len(fs)}
			if len(fs) > 0 {
				cell.Line = fs[0].Line
				for i, f := range fs {
					if i > 0 {
						cell.Terms += "、"
					}
					cell.Terms += f.Value
				}
			}
			v.Cells = append(v.Cells, cell)
		}
		data.Rows = append(data.Rows, v)
	}
	return s.renderOK(w, r, p, "matrix", p.T("matrix.title"), data)
}

// platformNames are the platforms tracked, in order, each once: the
// choices of a list's platform picker.
func (s *Server) platformNames(ctx context.Context) ([]string, error) {
	keys, err := s.store.ListPolicyKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys { // ordered by platform
		if len(out) == 0 || out[len(out)-1] != k.Platform {
			out = append(out, k.Platform)
		}
	}
	return out, nil
}
