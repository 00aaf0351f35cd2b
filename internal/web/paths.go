package web

import (
	"context"
	"net/http"

	"github.com/policywatch/policywatch"
)

// pathID reads the path's {id}. An {id} that is not an id names nothing:
// not found, as an id that names nothing is.
func pathID(r *http.Request) (int64, error) {
	id, err := policywatch.ParseID(r.PathValue("id"))
	if err != nil {
		return 0, &policywatch.Error{Class: policywatch.ErrNotFound, Message: err.Error()}
	}
	return id, nil
}

// byPathID is what find reads by the path's {id}.
func byPathID[T any](r *http.Request, find func(context.Context, int64) (T, error)) (T, error) {
	id, err := pathID(r)
	if err != nil {
		var none T
		return none, err
	}
	return find(r.Context(), id)
}

// pathPolicy is the policy the path's {id} names.
func (s *Server) pathPolicy(r *http.Request) (*policywatch.Policy, error) {
	return byPathID(r, s.store.FindPolicy)
}

// pathPolicyVersions is the policy the path's {id} names and its
// versions (policyVersions).
func (s *Server) pathPolicyVersions(r *http.Request) (*policywatch.Policy, []policywatch.Version, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	return s.policyVersions(r.Context(), id)
}

// policyVersions reads policy id and its versions, oldest first.
func (s *Server) policyVersions(ctx context.Context, id int64) (*policywatch.Policy, []policywatch.Version, error) {
	pol, err := s.store.FindPolicy(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.store.ListVersions(ctx, id)
	return pol, versions, err
}
