package web

import (
	"context"
	"net/http"
	"runtime"
	"sort"
	"sync"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/profile"
)

// versionFacts are the facts of a stored version, through the cache.
func (s *Server) versionFacts(ctx context.Context, v *policywatch.Version) ([]facts.Fact, error) {
	return s.facts.get(v.ID, func() ([]facts.Fact, error) {
		text := v.Text
		if text == "" {
			full, err := s.store.FindVersion(ctx, v.ID)
			if err != nil {
				return nil, err
			}
			text = full.Text
		}
		return facts.Extract(text), nil
	})
}

// profileVersion is the version a profile is of: ?version= if given (it
// must be the policy's), else the newest.
func (s *Server) profileVersion(r *http.Request, pol *policywatch.Policy) (*policywatch.Version, error) {
	if raw := r.URL.Query().Get("version"); raw != "" {
		id, err := policywatch.ParseID(raw)
		if err != nil {
			return nil, policywatch.Errorf(policywatch.ErrNotFound, "no version %q", raw)
		}
		v, err := s.store.FindVersion(r.Context(), id)
		if err != nil {
			return nil, err
		}
		if v.PolicyID != pol.ID {
			return nil, policywatch.Errorf(policywatch.ErrNotFound, "version %d is not a version of policy %d", id, pol.ID)
		}
		return v, nil
	}
	latest, err := s.store.LatestVersion(r.Context(), pol.ID)
	if err != nil {
		return nil, err
	}
	if latest == nil {
		return nil, policywatch.Errorf(policywatch.ErrNotFound, "policy %d has no version yet", pol.ID)
	}
	return s.store.FindVersion(r.Context(), latest.ID)
}

type profileData struct {
	Policy  *policywatch.Policy
	Version *policywatch.Version
	Profile *profile.Profile
	Groups  []profileGroup
}

type profileGroup struct {
	Type, Name string
	Facts      []profileFact
}

type profileFact struct {
	facts.Fact
	CategoryName string
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	v, err := s.profileVersion(r, pol)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	fs, err := s.versionFacts(r.Context(), v)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	prof := profile.Build(v.Text, fs, p.Lang)
	data := profileData{Policy: pol, Version: v, Profile: prof}
	for _, g := range prof.Groups {
		pg := profileGroup{Type: g.Type, Name: analyze.FactTypeName(g.Type, p.Lang)}
		for _, f := range g.Facts {
			pg.Facts = append(pg.Facts, profileFact{Fact: f, CategoryName: profile.CategoryName(f.Category, p.Lang)})
		}
		data.Groups = append(data.Groups, pg)
	}
	p.Title = pol.Name + " · " + p.T("profile.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "profile", p)
}

// profileJSON is GET /api/v1/policies/{id}/profile.
type profileJSON struct {
	PolicyID  string `json:"policy_id"`
	VersionID string `json:"version_id"`
	Lang      string `json:"lang"`
	*profile.Profile
}

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
	fs, err := s.versionFacts(r.Context(), v)
	if err != nil {
		return nil, err
	}
	return profileJSON{PolicyID: policywatch.FormatID(pol.ID), VersionID: policywatch.FormatID(v.ID), Lang: lang,
		Profile: profile.Build(v.Text, fs, lang)}, nil
}

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

// matrixJSON is one row of GET /api/v1/matrix.
type matrixJSON struct {
	PolicyID  string `json:"policy_id"`
	Platform  string `json:"platform"`
	Name      string `json:"name"`
	VersionID string `json:"version_id"`
	profile.Row
}

func (s *Server) apiMatrix(w http.ResponseWriter, r *http.Request) (any, error) {
	policies, err := s.store.ListPolicies(r.Context())
	if err != nil {
		return nil, err
	}
	rows, err := s.matrix(r.Context(), policies, r.URL.Query().Get("platform"))
	if err != nil {
		return nil, err
	}
	out := make([]matrixJSON, 0, len(rows))
	for _, row := range rows {
		out = append(out, matrixJSON{PolicyID: policywatch.FormatID(row.PolicyID), Platform: row.Platform, Name: row.Name,
			VersionID: policywatch.FormatID(row.VersionID), Row: row.Row})
	}
	return out, nil
}
