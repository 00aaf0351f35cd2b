package track

import (
	"context"

	"github.com/policywatch/policywatch/internal/extract"
)

// ReextractResult counts what Reextract did to one policy.
type ReextractResult struct {
	PolicyID  int64
	Versions  int // versions whose snapshot was extracted again
	Recorded  int // technical versions recorded (the text came out different)
	Unusable  int // re-extractions rejected (empty, error page …): nothing recorded
	Unchanged int
}

// Reextract runs the current extractor over the snapshot of every version of
// the policy. Where the text comes out different, it records a technical
// version beside the original: the history keeps what was seen then, and
// the next check compares like with like. Technical versions are never
// shown or announced as changes of the policy.
func (c *Checker) Reextract(ctx context.Context, policyID int64) (ReextractResult, error) {
	res := ReextractResult{PolicyID: policyID}
	p, err := c.store.FindPolicy(ctx, policyID)
	if err != nil {
		return res, err
	}
	versions, err := c.store.ListVersions(ctx, policyID)
	if err != nil {
		return res, err
	}
	for _, v := range versions {
		if v.Technical || v.SnapshotID == 0 {
			continue
		}
		snap, err := c.store.FindSnapshot(ctx, v.SnapshotID)
		if err != nil {
			return res, err
		}
		res.Versions++
		out, err := extract.Extract(ctx, extract.Input{Body: snap.Body, ContentType: snap.ContentType,
			Name: snap.URL, URL: snap.URL, Select: p.Select, Remove: p.Remove})
		if err != nil {
			res.Unusable++
			c.opt.Logger.Warn("re-extraction failed", "policy", policyID, "version", v.ID, "err", err)
			continue
		}
		nv, norm, key := newVersion(out.Text, v.CapturedAt)
		if err := judge(page{norm: norm, key: key, title: out.Title, challenge: out.Shell.Challenge}, c.opt.MinChars); err != nil {
			res.Unusable++
			c.opt.Logger.Warn("re-extraction rejected", "policy", policyID, "version", v.ID, "err", err)
			continue
		}
		if nv.SHA256 == v.SHA256 {
			res.Unchanged++
			continue
		}
		nv.PolicyID, nv.SnapshotID = policyID, v.SnapshotID
		stored, err := c.store.RecordReextraction(ctx, nv)
		if err != nil {
			return res, err
		}
		if stored {
			c.recordFacts(ctx, nv)
			res.Recorded++
		} else {
			res.Unchanged++
		}
	}
	return res, nil
}
