package store

import (
	"context"
	"fmt"
	"math"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

// What each version states (version_facts), stored when the version is
// recorded, and the cross-platform matrix read from it.

func (s *Store) SaveVersionFacts(ctx context.Context, f *policywatch.VersionFacts) error {
	_, err := s.exec(ctx, `INSERT INTO version_facts (version_id, rules, facts, matrix, profiles, extracted_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (version_id) DO UPDATE SET rules = excluded.rules, facts = excluded.facts,
			matrix = excluded.matrix, profiles = excluded.profiles, extracted_at = excluded.extracted_at`,
		f.VersionID, f.Rules, compress.Compress(f.Facts), compress.Compress(f.Matrix), compress.Compress(f.Profiles),
		s.d.time(f.ExtractedAt))
	if s.d.classOf(err) == policywatch.ErrNotFound {
		return notFound("version", f.VersionID)
	}
	return err
}

func (s *Store) FindVersionFacts(ctx context.Context, versionID int64) (*policywatch.VersionFacts, error) {
	f := policywatch.VersionFacts{VersionID: versionID}
	var fs, matrix, profiles []byte
	err := s.read().row(ctx, `SELECT rules, facts, matrix, profiles, extracted_at FROM version_facts WHERE version_id = $1`,
		versionID).Scan(&f.Rules, &fs, &matrix, &profiles, at(&f.ExtractedAt))
	if noRows(err) {
		return nil, policywatch.Errorf(policywatch.ErrNotFound, "no facts of version %d stored", versionID)
	}
	if err != nil {
		return nil, err
	}
	for _, b := range []struct {
		dst *[]byte
		src []byte
	}{{&f.Facts, fs}, {&f.Matrix, matrix}, {&f.Profiles, profiles}} {
		if *b.dst, err = compress.Decompress(b.src); err != nil {
			return nil, fmt.Errorf("facts of version %d: %w", versionID, err)
		}
	}
	return &f, nil
}

func (s *Store) VersionsWithoutFacts(ctx context.Context, rules int, before int64, limit int) ([]int64, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := s.read().query(ctx, `SELECT v.id FROM versions v LEFT JOIN version_facts f ON f.version_id = v.id
		WHERE v.id < $1 AND (f.version_id IS NULL OR f.rules < $2) ORDER BY v.id DESC LIMIT $3`, before, rules, limit)
	return collect(rows, err, func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
}

// matrixPolicies are the policies the matrix has a row for: those with a
// version, of platform $1 unless it is empty.
const matrixPolicies = ` FROM policies p JOIN platforms pl ON pl.id = p.platform_id
	WHERE (CAST($1 AS TEXT) = '' OR pl.name = $1) AND EXISTS (SELECT 1 FROM versions v WHERE v.policy_id = p.id) `

func (s *Store) ListMatrix(ctx context.Context, f policywatch.MatrixFilter) ([]policywatch.MatrixEntry, int, error) {
	var total int
	if err := s.read().row(ctx, `SELECT count(*)`+matrixPolicies, f.Platform).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = math.MaxInt32
	}
	// The page is cut before the facts are joined, so that only its rows'
	// are read.
	rows, err := s.read().query(ctx, `SELECT m.id, m.platform, m.name, m.version_id, COALESCE(f.rules, 0), f.matrix
		FROM (SELECT p.id, pl.name AS platform, p.name,
				(SELECT v.id FROM versions v WHERE v.policy_id = p.id ORDER BY v.captured_at DESC, v.id DESC LIMIT 1) AS version_id
			`+matrixPolicies+` ORDER BY pl.name, p.name, p.id LIMIT $2 OFFSET $3) m
		LEFT JOIN version_facts f ON f.version_id = m.version_id
		ORDER BY m.platform, m.name, m.id`, f.Platform, limit, max(f.Offset, 0))
	entries, err := collect(rows, err, func(row scanner) (policywatch.MatrixEntry, error) {
		var e policywatch.MatrixEntry
		var matrix []byte
		if err := row.Scan(&e.PolicyID, &e.Platform, &e.Name, &e.VersionID, &e.Rules, &matrix); err != nil {
			return e, err
		}
		if matrix == nil {
			return e, nil
		}
		var err error
		if e.Matrix, err = compress.Decompress(matrix); err != nil {
			return e, fmt.Errorf("matrix row of version %d: %w", e.VersionID, err)
		}
		return e, nil
	})
	return entries, total, err
}
