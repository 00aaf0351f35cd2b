// Package jsonview holds the JSON shapes of ../shared/docs/contract.md,
// shared by the command line and the HTTP API so that both say the same
// thing the same way: ids as strings, absent values as null, times in
// RFC 3339 UTC.
package jsonview

import (
	"time"

	"github.com/policywatch/policywatch"
)

// Policy is a policy's settings (add, edit, API writes).
type Policy struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Platform        string   `json:"platform"`
	URL             string   `json:"url"`
	Kind            string   `json:"kind"`
	Render          string   `json:"render"`
	Select          string   `json:"select"`
	Remove          []string `json:"remove"`
	IntervalSeconds int64    `json:"interval_seconds"`
	Status          string   `json:"status"`
}

func NewPolicy(p *policywatch.Policy) Policy {
	remove := p.Remove
	if remove == nil {
		remove = []string{}
	}
	return Policy{ID: policywatch.FormatID(p.ID), Name: p.Name, Platform: p.Platform, URL: p.URL,
		Kind: string(p.Kind), Render: string(p.Render), Select: p.Select, Remove: remove,
		IntervalSeconds: int64(p.Interval / time.Second), Status: string(p.Status)}
}

// ListItem is a policy in `list` and GET /api/v1/policies.
type ListItem struct {
	ID                  string  `json:"id"`
	Name                string  `json:"name"`
	Platform            string  `json:"platform"`
	URL                 string  `json:"url"`
	Kind                string  `json:"kind"`
	Versions            int     `json:"versions"`
	LastChecked         *string `json:"last_checked"`
	LastChanged         *string `json:"last_changed"`
	NextCheck           *string `json:"next_check"`
	Status              string  `json:"status"`
	LastError           *string `json:"last_error"`
	ErrorClass          *string `json:"error_class"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
}

func NewListItem(p policywatch.PolicySummary) ListItem {
	return ListItem{
		ID: policywatch.FormatID(p.ID), Name: p.Name, Platform: p.Platform, URL: p.URL, Kind: string(p.Kind),
		Versions: p.Versions, LastChecked: Time(p.LastCheckedAt), LastChanged: Time(p.LastChangedAt),
		NextCheck: Time(p.NextCheckAt), Status: string(p.Status), LastError: String(p.LastError),
		ErrorClass: String(string(p.LastErrorClass)), ConsecutiveFailures: p.ConsecutiveFailures,
	}
}

// Version is a version without its text (`versions`).
type Version struct {
	ID          string             `json:"id"`
	PolicyID    string             `json:"policy_id"`
	CapturedAt  string             `json:"captured_at"`
	SHA256      string             `json:"sha256"`
	Chars       int                `json:"chars"`
	CompareHash string             `json:"compare_hash"`
	Source      policywatch.Source `json:"source"`
	Extractor   string             `json:"extractor"`
	// Technical marks a re-extraction of a stored snapshot: not a change.
	Technical bool `json:"technical"`
}

func NewVersion(v policywatch.Version) Version {
	return Version{ID: policywatch.FormatID(v.ID), PolicyID: policywatch.FormatID(v.PolicyID),
		CapturedAt: v.CapturedAt.UTC().Format(time.RFC3339), SHA256: v.SHA256, Chars: v.Chars,
		CompareHash: v.CompareHash, Source: v.Source, Extractor: v.Extractor, Technical: v.Technical}
}

// Check is the outcome of one check (`check`).
type Check struct {
	PolicyID   string               `json:"policy_id"`
	Policy     string               `json:"policy"`
	Result     string               `json:"result"`
	VersionID  *string              `json:"version_id"`
	Error      *string              `json:"error"`
	ErrorClass *string              `json:"error_class"`
	Renderer   policywatch.Renderer `json:"renderer,omitempty"`
	DurationMS int64                `json:"duration_ms"`
}

// Time renders a time as RFC 3339 in UTC, or null when zero.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// ID renders an id as a string, or null when zero.
func ID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := policywatch.FormatID(id)
	return &s
}

// String is s, or null when empty.
func String(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// SearchHit is a line containing a searched phrase (`search`, GET
// /api/v1/search), with when the phrase first appeared in its policy: the
// first version containing it and whether every later version has too.
type SearchHit struct {
	PolicyID        string `json:"policy_id"`
	Policy          string `json:"policy"`
	Platform        string `json:"platform"`
	VersionID       string `json:"version_id"`
	Line            int    `json:"line"`
	Text            string `json:"text"`
	CapturedAt      string `json:"captured_at"`
	FirstVersionID  string `json:"first_version_id"`
	FirstCapturedAt string `json:"first_captured_at"`
	Continuous      bool   `json:"continuous"`
}

func NewSearchHits(hits []policywatch.SearchHit) []SearchHit {
	out := make([]SearchHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, SearchHit{PolicyID: policywatch.FormatID(h.PolicyID), Policy: h.Policy, Platform: h.Platform,
			VersionID: policywatch.FormatID(h.VersionID), Line: h.Line, Text: h.Text,
			CapturedAt: h.CapturedAt.UTC().Format(time.RFC3339), FirstVersionID: policywatch.FormatID(h.Origin.VersionID),
			FirstCapturedAt: h.Origin.CapturedAt.UTC().Format(time.RFC3339), Continuous: h.Origin.Continuous})
	}
	return out
}
