package track

import (
	"context"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/extract"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// ImportRequest is a file to record as a version captured in the past.
type ImportRequest struct {
	Platform, Name string
	URL            string // optional: set on a policy created by the import
	CapturedAt     time.Time
	FileName       string
	Body           []byte
}

// ImportOutcome is what an import did.
type ImportOutcome struct {
	PolicyID  int64
	VersionID int64
	Result    policywatch.Result // first, changed or unchanged
	Created   bool               // the policy was created by this import
}

// Import records a file (text, Markdown, HTML or PDF) as a version of the
// policy named by platform and name, creating the policy if needed.
func (c *Checker) Import(ctx context.Context, req ImportRequest) (ImportOutcome, error) {
	if req.URL != "" {
		if err := fetch.CheckURL(req.URL); err != nil {
			return ImportOutcome{}, err
		}
	}
	if err := policywatch.CheckCapturedAt(req.CapturedAt, c.opt.Now()); err != nil {
		return ImportOutcome{}, err
	}
	res, err := extract.Extract(ctx, extract.Input{Body: req.Body, Name: req.FileName})
	if err != nil {
		return ImportOutcome{}, err
	}
	v, _, key := newVersion(res.Text, req.CapturedAt)
	v.Source = policywatch.SourceImport
	if n := utf8.RuneCountInString(key); n < c.opt.MinChars {
		return ImportOutcome{}, policywatch.Errorf(policywatch.ErrEmpty,
			"%s has only %d characters of text, fewer than the %d a policy needs", req.FileName, n, c.opt.MinChars)
	}

	out := ImportOutcome{}
	p, err := c.store.FindPolicyByName(ctx, req.Platform, req.Name)
	if policywatch.IsClass(err, policywatch.ErrNotFound) {
		p = &policywatch.Policy{Platform: req.Platform, Name: req.Name, URL: req.URL, Kind: policywatch.KindPrivacy,
			Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
		if err = p.Validate(); err != nil {
			return out, err
		}
		if err = c.store.CreatePolicy(ctx, p); err != nil {
			return out, err
		}
		out.Created = true
	} else if err != nil {
		return out, err
	}
	out.PolicyID = p.ID
	v.PolicyID = p.ID
	snap := &policywatch.Snapshot{
		PolicyID: p.ID, URL: filepath.Base(req.FileName), FetchedAt: req.CapturedAt,
		ContentType: contentTypeOf(res.Format), SHA256: normalize.Hash(string(req.Body)),
		Renderer: policywatch.RendererImport, Body: req.Body,
	}
	if out.Result, err = c.store.ImportVersion(ctx, snap, v); err != nil {
		return out, err
	}
	out.VersionID = v.ID
	if out.Result != policywatch.ResultUnchanged { // a first version back-filled may have later ones
		c.recordFacts(ctx, v)
		c.analyzeNew(ctx, p.ID, v.ID)
	}
	return out, nil
}

func contentTypeOf(f extract.Format) string {
	switch f {
	case extract.FormatHTML:
		return "text/html"
	case extract.FormatPDF:
		return "application/pdf"
	}
	return "text/plain"
}
