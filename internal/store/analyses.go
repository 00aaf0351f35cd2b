package store

import (
	"context"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

func (s *Store) SaveAnalysis(ctx context.Context, a *policywatch.Analysis) error {
	_, err := s.exec(ctx, `INSERT INTO analyses (from_version, to_version, engine, lang, level, summary, report, analyzed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (from_version, to_version, engine, lang) DO UPDATE SET
			level = excluded.level, summary = excluded.summary, report = excluded.report, analyzed_at = excluded.analyzed_at`,
		a.FromVersion, a.ToVersion, a.Engine, a.Lang, a.Level, a.Summary, compress.Compress(a.Report), s.d.time(a.AnalyzedAt))
	if s.d.classOf(err) == policywatch.ErrNotFound {
		return policywatch.Errorf(policywatch.ErrNotFound, "version %d or %d not found", a.FromVersion, a.ToVersion)
	}
	return err
}

const analysisColumns = `from_version, to_version, engine, lang, level, summary, analyzed_at`

func scanAnalysis(row scanner, extra ...any) (policywatch.Analysis, error) {
	var a policywatch.Analysis
	err := row.Scan(append([]any{&a.FromVersion, &a.ToVersion, &a.Engine, &a.Lang, &a.Level, &a.Summary, at(&a.AnalyzedAt)}, extra...)...)
	return a, err
}

func (s *Store) FindAnalyses(ctx context.Context, from, to int64) ([]policywatch.Analysis, error) {
	rows, err := s.read().query(ctx, `SELECT `+analysisColumns+`, report FROM analyses
		WHERE from_version = $1 AND to_version = $2 ORDER BY analyzed_at DESC, engine`, from, to)
	return collect(rows, err, func(row scanner) (policywatch.Analysis, error) {
		var report []byte
		a, err := scanAnalysis(row, &report)
		if err == nil {
			a.Report, err = compress.Decompress(report)
		}
		return a, err
	})
}

func (s *Store) ListAnalyses(ctx context.Context, policyID int64) ([]policywatch.Analysis, error) {
	rows, err := s.read().query(ctx, `SELECT `+analysisColumns+` FROM analyses
		WHERE to_version IN (SELECT id FROM versions WHERE policy_id = $1) ORDER BY analyzed_at DESC, engine`, policyID)
	return collect(rows, err, func(row scanner) (policywatch.Analysis, error) { return scanAnalysis(row) })
}
