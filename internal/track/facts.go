package track

import (
	"context"
	"log/slog"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/profile"
)

// StoreFacts extracts what a version states (its facts, matrix row and
// profiles: internal/profile) and stores it, so that pages read it instead
// of extracting it on request. It returns what it stored.
func StoreFacts(ctx context.Context, st policywatch.Store, versionID int64, text string, now time.Time) (*policywatch.VersionFacts, error) {
	vf, err := profile.Stored(versionID, text, now)
	if err != nil {
		return nil, err
	}
	return vf, st.SaveVersionFacts(ctx, vf)
}

// recordFacts stores the facts of a version just recorded. A failure is
// logged and the version stands: BackfillFacts makes up for it.
func (c *Checker) recordFacts(ctx context.Context, v *policywatch.Version) {
	if _, err := StoreFacts(ctx, c.store, v.ID, v.Text, c.opt.Now()); err != nil {
		c.opt.Logger.Warn("cannot store the facts of a new version", "version", v.ID, "err", err)
	}
}

// backfillBatch is how many versions BackfillFacts asks for at a time.
const backfillBatch = 50

// BackfillFacts stores the facts of every version that has none, or has
// them from older rules (profile.RulesVersion), newest first, and returns
// how many it stored. serve runs it in the background at start-up: it
// brings databases made before facts were stored up to date, and stored
// facts after the rules change. A version it cannot read is logged and
// skipped.
func BackfillFacts(ctx context.Context, st policywatch.Store, log *slog.Logger) (int, error) {
	done := 0
	var before int64
	for {
		ids, err := st.VersionsWithoutFacts(ctx, profile.RulesVersion, before, backfillBatch)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		for _, id := range ids {
			before = id
			v, err := st.FindVersion(ctx, id)
			if err == nil {
				_, err = StoreFacts(ctx, st, id, v.Text, time.Now())
			}
			if ctx.Err() != nil {
				return done, ctx.Err()
			}
			if err != nil {
				log.Warn("back-fill: cannot store the facts of a version", "version", id, "err", err)
				continue
			}
			done++
		}
	}
}
