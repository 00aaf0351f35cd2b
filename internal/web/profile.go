package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/profile"
)

// profileVersion is the version a profile is of: ?version= if given (it
// must be the policy's), else the newest (without its text).
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
	if err == nil && latest == nil {
		err = policywatch.Errorf(policywatch.ErrNotFound, "policy %d has no version yet", pol.ID)
	}
	return latest, err
}

// profileOf reads policy id, the version its profile is of
// (profileVersion) and that profile in lang.
func (s *Server) profileOf(r *http.Request, id int64, lang string) (*policywatch.Policy, *policywatch.Version, *profile.Profile, error) {
	pol, err := s.store.FindPolicy(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	v, err := s.profileVersion(r, pol)
	if err != nil {
		return nil, nil, nil, err
	}
	prof, err := s.storedProfile(r.Context(), v, lang)
	return pol, v, prof, err
}

type profileData struct {
	Policy  *policywatch.Policy
	Version *policywatch.Version
	Label   string // the version's number in its policy: v1, v2, …
	Profile *profile.Profile
	Groups  []profileGroup
}

type profileGroup struct {
	Type  facts.Type
	Name  string
	Facts []profileFact
}

type profileFact struct {
	facts.Fact
	CategoryName string
	StatedName   string // a cross-border statement in words (present, absent, …)
}

// profilePage serves GET /policies/{id}/profile[?version=].
func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pol, v, prof, err := s.profileOf(r, id, p.Lang)
	if err != nil {
		return err
	}
	data := profileData{Policy: pol, Version: v, Profile: prof}
	if versions, err := s.store.ListVersions(r.Context(), pol.ID); err == nil {
		data.Label = policywatch.VersionLabel(policywatch.VersionNumbers(versions)[v.ID])
	}
	for _, g := range prof.Groups {
		pg := profileGroup{Type: g.Type, Name: analyze.FactTypeName(g.Type, p.Lang)}
		for _, f := range g.Facts {
			pf := profileFact{Fact: f, CategoryName: profile.CategoryName(f.Category, p.Lang)}
			if f.Stated != "" {
				pf.StatedName = profile.StatedName(f.Stated, p.Lang)
			}
			pg.Facts = append(pg.Facts, pf)
		}
		data.Groups = append(data.Groups, pg)
	}
	return s.renderOK(w, r, p, "profile", pol.Name+" · "+p.T("profile.title"), data)
}
