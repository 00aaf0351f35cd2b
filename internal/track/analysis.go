package track

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
)

// AnalyzePair analyses the change from one version to another (of the same
// policy) with the analyzer, in the language, and stores the report.
func AnalyzePair(ctx context.Context, st policywatch.Store, an analyze.Analyzer, from, to int64, lang string) (*policywatch.Analysis, *analyze.Report, error) {
	oldV, err := st.FindVersion(ctx, from)
	if err != nil {
		return nil, nil, err
	}
	newV, err := st.FindVersion(ctx, to)
	if err != nil {
		return nil, nil, err
	}
	if oldV.PolicyID != newV.PolicyID {
		return nil, nil, policywatch.Errorf(policywatch.ErrInvalid, "versions %d and %d belong to different policies", from, to)
	}
	report, err := an.Analyze(ctx, oldV.Text, newV.Text, analyze.Options{Lang: lang})
	if err != nil {
		return nil, nil, fmt.Errorf("analysis of %d→%d: %w", from, to, err)
	}
	body, err := json.Marshal(report)
	if err != nil {
		return nil, nil, err
	}
	a := &policywatch.Analysis{FromVersion: from, ToVersion: to, Engine: report.Engine, Lang: report.Lang,
		Level: report.Level, Summary: report.Summary, Report: body, AnalyzedAt: report.AnalyzedAt}
	if err := st.SaveAnalysis(ctx, a); err != nil {
		return nil, nil, err
	}
	return a, report, nil
}

// analyzeNew analyses a newly recorded version against the one captured
// before it and, when it was back-filled between two versions, the one
// after it against it. A failed analysis is logged; the version stands.
func (c *Checker) analyzeNew(ctx context.Context, policyID, versionID int64) {
	versions, err := c.store.ListVersions(ctx, policyID)
	if err != nil {
		c.opt.Logger.Warn("cannot analyse new version", "version", versionID, "err", err)
		return
	}
	for i, v := range versions {
		if v.ID != versionID {
			continue
		}
		if i > 0 {
			c.analyzePair(ctx, versions[i-1].ID, v.ID)
		}
		if i+1 < len(versions) {
			c.analyzePair(ctx, v.ID, versions[i+1].ID)
		}
	}
}

func (c *Checker) analyzePair(ctx context.Context, from, to int64) {
	for _, lang := range c.opt.AnalysisLangs {
		if _, _, err := AnalyzePair(ctx, c.store, c.opt.Analyzer, from, to, lang); err != nil {
			c.opt.Logger.Warn("analysis failed", "from", from, "to", to, "lang", lang, "err", err)
		}
	}
}

// Reanalyze analyses every pair of consecutive versions of a policy again
// with the built-in rules, in each language analyses are kept in, and
// stores the reports in place of the old ones: after the rules change,
// levels and reports on record follow. It returns how many pairs it
// analysed.
func (c *Checker) Reanalyze(ctx context.Context, policyID int64) (int, error) {
	versions, err := c.store.ListVersions(ctx, policyID)
	if err != nil {
		return 0, err
	}
	pairs := 0
	for i := 1; i < len(versions); i++ {
		for _, lang := range c.opt.AnalysisLangs {
			if _, _, err := AnalyzePair(ctx, c.store, analyze.Builtin{}, versions[i-1].ID, versions[i].ID, lang); err != nil {
				return pairs, err
			}
		}
		pairs++
	}
	return pairs, nil
}
