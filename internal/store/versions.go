package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

func (s *Store) ImportVersion(ctx context.Context, snap *policywatch.Snapshot, v *policywatch.Version) (policywatch.Result, error) {
	var result policywatch.Result
	err := s.write(ctx, func(tx handle) error {
		if err := lockPolicy(ctx, tx, v.PolicyID); err != nil {
			return err
		}
		var err error
		if result, err = insertVersion(ctx, tx, snap, v, true); err != nil {
			return err
		}
		if result == policywatch.ResultUnchanged {
			return nil
		}
		return raiseLastChanged(ctx, tx, v.PolicyID, v.CapturedAt)
	})
	return result, err
}

// insertVersion stores v (and its snapshot) unless the version it is
// compared with has the same comparison hash; then v takes that version's
// id and the result is unchanged. A check compares with the newest version
// (a concurrent check may have recorded the same words a moment earlier), a
// back-fill (preceding) with the one captured just before it.
func insertVersion(ctx context.Context, tx handle, snap *policywatch.Snapshot, v *policywatch.Version, preceding bool) (policywatch.Result, error) {
	var prevID int64
	var prevHash string
	var row *sql.Row
	if preceding {
		row = tx.row(ctx, `SELECT id, compare_hash FROM versions WHERE policy_id = $1 AND captured_at <= $2
			ORDER BY captured_at DESC, id DESC LIMIT 1`, v.PolicyID, tx.d.time(v.CapturedAt))
	} else {
		row = tx.row(ctx, `SELECT id, compare_hash FROM versions WHERE policy_id = $1
			ORDER BY captured_at DESC, id DESC LIMIT 1`, v.PolicyID)
	}
	err := row.Scan(&prevID, &prevHash)
	switch {
	case err == nil && prevHash == v.CompareHash:
		v.ID = prevID
		return policywatch.ResultUnchanged, nil
	case err != nil && !noRows(err):
		return "", err
	}
	var existing int
	if err := tx.row(ctx, `SELECT count(*) FROM versions WHERE policy_id = $1`, v.PolicyID).Scan(&existing); err != nil {
		return "", err
	}
	if snap != nil {
		snap.PolicyID = v.PolicyID
		if err := insertSnapshot(ctx, tx, snap); err != nil {
			return "", err
		}
		v.SnapshotID = snap.ID
	}
	// Only a change a check found is news; a back-fill is history.
	announce := existing > 0 && v.Source == policywatch.SourceCheck
	if err := storeVersion(ctx, tx, v, announce); err != nil {
		return "", err
	}
	if existing == 0 {
		return policywatch.ResultFirst, nil
	}
	return policywatch.ResultChanged, nil
}

// storeVersion inserts v and indexes its text for search; announce puts
// it in the outbox of changes to notify (changes.go).
func storeVersion(ctx context.Context, tx handle, v *policywatch.Version, announce bool) error {
	err := tx.row(ctx, `INSERT INTO versions
		(id, policy_id, snapshot_id, captured_at, text, sha256, compare_hash, chars, extractor, source, technical, notify_pending)
		VALUES (`+tx.d.nextID("versions")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		v.PolicyID, nullID(v.SnapshotID), tx.d.time(v.CapturedAt), compress.Compress([]byte(v.Text)),
		v.SHA256, v.CompareHash, v.Chars, v.Extractor, v.Source, v.Technical, announce).Scan(&v.ID)
	if err != nil {
		return err
	}
	return indexText(ctx, tx, v.ID, v.Text)
}

func (s *Store) RecordReextraction(ctx context.Context, v *policywatch.Version) (bool, error) {
	v.Technical, v.Source = true, policywatch.SourceReextract
	stored := false
	err := s.write(ctx, func(tx handle) error {
		if err := lockPolicy(ctx, tx, v.PolicyID); err != nil {
			return err
		}
		var same int
		if err := tx.row(ctx, `SELECT count(*) FROM versions WHERE policy_id = $1 AND snapshot_id = $2 AND sha256 = $3`,
			v.PolicyID, v.SnapshotID, v.SHA256).Scan(&same); err != nil {
			return err
		}
		if same > 0 {
			return nil
		}
		stored = true
		return storeVersion(ctx, tx, v, false)
	})
	return stored, err
}

const versionColumns = `id, policy_id, snapshot_id, captured_at, sha256, compare_hash, chars, extractor, source, technical`

func scanVersion(row scanner, extra ...any) (policywatch.Version, error) {
	var v policywatch.Version
	var snap sql.NullInt64
	err := row.Scan(append([]any{&v.ID, &v.PolicyID, &snap, at(&v.CapturedAt), &v.SHA256, &v.CompareHash,
		&v.Chars, &v.Extractor, &v.Source, &v.Technical}, extra...)...)
	v.SnapshotID = snap.Int64
	return v, err
}

func (s *Store) ListVersions(ctx context.Context, policyID int64) ([]policywatch.Version, error) {
	if _, err := s.FindPolicy(ctx, policyID); err != nil {
		return nil, err
	}
	rows, err := s.read().query(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = $1 ORDER BY captured_at, id`, policyID)
	return collect(rows, err, func(row scanner) (policywatch.Version, error) { return scanVersion(row) })
}

func (s *Store) FindVersion(ctx context.Context, id int64) (*policywatch.Version, error) {
	var text []byte
	v, err := scanVersion(s.read().row(ctx, `SELECT `+versionColumns+`, text FROM versions WHERE id = $1`, id), &text)
	if noRows(err) {
		return nil, notFound("version", id)
	}
	if err != nil {
		return nil, err
	}
	plain, err := compress.Decompress(text)
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", id, err)
	}
	v.Text = string(plain)
	return &v, nil
}

func (s *Store) LatestVersion(ctx context.Context, policyID int64) (*policywatch.Version, error) {
	v, err := scanVersion(s.read().row(ctx, `SELECT `+versionColumns+` FROM versions WHERE policy_id = $1
		ORDER BY captured_at DESC, id DESC LIMIT 1`, policyID))
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}
