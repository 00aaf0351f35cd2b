package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jsonview"
)

// apiPolicies serves GET /api/v1/policies.
func (s *Server) apiPolicies(w http.ResponseWriter, r *http.Request) (any, error) {
	policies, err := s.store.ListPolicies(r.Context())
	if err != nil {
		return nil, err
	}
	return listJSON(policies, jsonview.NewListItem), nil
}

// policyDetail is a policy with its settings and state.
type policyDetail struct {
	jsonview.ListItem
	Render          string   `json:"render"`
	Select          string   `json:"select"`
	Remove          []string `json:"remove"`
	IntervalSeconds int64    `json:"interval_seconds"`
	LatestVersionID *string  `json:"latest_version_id"`
}

func (s *Server) policyDetail(ctx context.Context, id int64) (*policyDetail, error) {
	p, versions, err := s.policyVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	sum := policywatch.PolicySummary{Policy: *p, Versions: len(versions)}
	pj := jsonview.NewPolicy(p)
	d := &policyDetail{ListItem: jsonview.NewListItem(sum), Render: pj.Render, Select: pj.Select, Remove: pj.Remove,
		IntervalSeconds: pj.IntervalSeconds}
	if len(versions) > 0 {
		d.LatestVersionID = jsonview.ID(versions[len(versions)-1].ID)
	}
	return d, nil
}

// apiPolicy serves GET /api/v1/policies/{id}.
func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	return byPathID(r, s.policyDetail)
}

// policyInput is the body of POST and PATCH /api/v1/policies.
type policyInput struct {
	URL      *string   `json:"url"`
	Name     *string   `json:"name"`
	Platform *string   `json:"platform"`
	Kind     *string   `json:"kind"`
	Select   *string   `json:"select"`
	Remove   *[]string `json:"remove"`
	Render   *string   `json:"render"`
	Every    *string   `json:"every"`  // 24h, 7d
	Status   *string   `json:"status"` // active or paused
}

func decodeInput(r *http.Request) (policyInput, error) {
	var in policyInput
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, policywatch.Errorf(policywatch.ErrInvalid, "bad JSON body: %v", err)
	}
	return in, nil
}

// apply sets the given fields on p.
func (in policyInput) apply(p *policywatch.Policy) error {
	var err error
	if in.URL != nil {
		p.URL = strings.TrimSpace(*in.URL)
	}
	if in.Name != nil {
		p.Name = strings.TrimSpace(*in.Name)
	}
	if in.Platform != nil {
		p.Platform = strings.TrimSpace(*in.Platform)
	}
	if in.Kind != nil {
		if p.Kind, err = policywatch.ParseKind(*in.Kind); err != nil {
			return &policywatch.Error{Class: policywatch.ErrInvalid, Message: err.Error()}
		}
	}
	if in.Select != nil {
		p.Select = *in.Select
	}
	if in.Remove != nil {
		p.Remove = *in.Remove
	}
	if in.Render != nil {
		if p.Render, err = policywatch.ParseRenderMode(*in.Render); err != nil {
			return &policywatch.Error{Class: policywatch.ErrInvalid, Message: err.Error()}
		}
	}
	if in.Every != nil {
		if p.Interval, err = parseInterval(*in.Every); err != nil {
			return err
		}
	}
	if in.Status != nil {
		switch policywatch.Status(*in.Status) {
		case policywatch.StatusActive, policywatch.StatusPaused:
			p.Status = policywatch.Status(*in.Status)
		default:
			return policywatch.Errorf(policywatch.ErrInvalid, "status %q: want active or paused", *in.Status)
		}
	}
	if p.URL == "" && p.ID == 0 {
		return policywatch.Errorl(policywatch.ErrBadURL, "invalid.policy.url")
	}
	return p.Validate()
}

// apiCreatePolicy serves POST /api/v1/policies.
func (s *Server) apiCreatePolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := decodeInput(r)
	if err != nil {
		return nil, err
	}
	p := &policywatch.Policy{Kind: policywatch.KindPrivacy, Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
	if err := in.apply(p); err != nil {
		return nil, err
	}
	if err := s.store.CreatePolicy(r.Context(), p); err != nil {
		return nil, err
	}
	return createdResponse{jsonview.NewPolicy(p)}, nil
}

// apiUpdatePolicy serves PATCH /api/v1/policies/{id}.
func (s *Server) apiUpdatePolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.pathPolicy(r)
	if err != nil {
		return nil, err
	}
	in, err := decodeInput(r)
	if err != nil {
		return nil, err
	}
	if err := in.apply(p); err != nil {
		return nil, err
	}
	if err := s.store.UpdatePolicy(r.Context(), p); err != nil {
		return nil, err
	}
	return jsonview.NewPolicy(p), nil
}

// apiCheckPolicy serves POST /api/v1/policies/{id}/check.
func (s *Server) apiCheckPolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.pathPolicy(r)
	if err != nil {
		return nil, err
	}
	if s.opt.Checker == nil {
		return nil, errNoChecker()
	}
	o := s.opt.Checker.Check(r.Context(), p.ID)
	return o.JSON(), nil
}

// apiDeletePolicy serves DELETE /api/v1/policies/{id}: the policy goes with
// everything recorded about it; the answer is the policy as it was.
func (s *Server) apiDeletePolicy(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.pathPolicy(r)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeletePolicy(r.Context(), p.ID); err != nil {
		return nil, err
	}
	return jsonview.NewPolicy(p), nil
}
