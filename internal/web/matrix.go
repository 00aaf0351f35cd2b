package web

import (
	"context"
	"net/http"
	"runtime"
	"sort"
	"sync"

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

// matrix builds the rows for every policy with a version (optionally of
// one platform), computing facts in parallel where they are not cached.
func (s *Server) matrix(ctx context.Context, policies []policywatch.PolicySummary, platform string) ([]matrixRow, error) {
	var todo []policywatch.PolicySummary
	for _, p := range policies {
		if p.Versions > 0 && (platform == "" || p.Platform == platform) {
			todo = append(todo, p)
		}
	}
	rows := make([]matrixRow, len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rows[i], errs[i] = s.matrixRow(ctx, todo[i].Policy)
			}
		}()
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []matrixRow
	for i, r := range rows {
		if errs[i] != nil {
			if policywatch.IsClass(errs[i], policywatch.ErrNotFound) {
				continue // deleted meanwhile
			}
			return nil, errs[i]
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Platform != out[j].Platform {
			return out[i].Platform < out[j].Platform
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func (s *Server) matrixRow(ctx context.Context, pol policywatch.Policy) (matrixRow, error) {
	latest, err := s.store.LatestVersion(ctx, pol.ID)
	if err != nil {
		return matrixRow{}, err
	}
	if latest == nil {
		return matrixRow{}, policywatch.Errorf(policywatch.ErrNotFound, "no version")
	}
	fs, err := s.versionFacts(ctx, latest)
	if err != nil {
		return matrixRow{}, err
	}
	return matrixRow{PolicyID: pol.ID, Platform: pol.Platform, Name: pol.Name, VersionID: latest.ID, Row: profile.MatrixRow(fs)}, nil
}

type matrixData struct {
	Platform   string
	Platforms  []string
	Categories []matrixColumn // the sensitive categories some row has
	Rows       []matrixRowView
}

type matrixColumn struct{ Category, Name string }

type matrixRowView struct {
	matrixRow
	Cells           []matrixCell
	CrossBorderName string
}

type matrixCell struct {
	Terms string // the policy's words, for the tooltip
	Line  int
	Count int
}

// matrixPage serves GET /matrix[?platform=].
func (s *Server) matrixPage(w http.ResponseWriter, r *http.Request, p *page) {
	platform := r.URL.Query().Get("platform")
	policies, err := s.store.ListPolicies(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	rows, err := s.matrix(r.Context(), policies, platform)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	data := matrixData{Platform: platform}
	seen := map[string]bool{}
	for _, pol := range policies {
		if !seen[pol.Platform] {
			seen[pol.Platform] = true
			data.Platforms = append(data.Platforms, pol.Platform)
		}
	}
	sort.Strings(data.Platforms)
	for _, c := range profile.SensitiveCategories {
		for _, row := range rows {
			if len(row.Sensitive[c]) > 0 {
				data.Categories = append(data.Categories, matrixColumn{Category: c, Name: profile.CategoryName(c, p.Lang)})
				break
			}
		}
	}
	for _, row := range rows {
		v := matrixRowView{matrixRow: row, CrossBorderName: profile.StatedName(row.CrossBorder, p.Lang)}
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
	p.Title = p.T("matrix.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "matrix", p)
}
