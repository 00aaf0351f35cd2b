package store

import (
	"context"
	"fmt"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
)

func insertSnapshot(ctx context.Context, tx handle, snap *policywatch.Snapshot) error {
	return tx.row(ctx, `INSERT INTO snapshots
		(policy_id, url, fetched_at, http_status, content_type, sha256, renderer, size, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		snap.PolicyID, snap.URL, tx.d.time(snap.FetchedAt), snap.HTTPStatus, snap.ContentType, snap.SHA256,
		snap.Renderer, len(snap.Body), compress.Compress(snap.Body)).Scan(&snap.ID)
}

func (s *Store) FindSnapshot(ctx context.Context, id int64) (*policywatch.Snapshot, error) {
	var snap policywatch.Snapshot
	var body []byte
	err := s.read().row(ctx, `SELECT id, policy_id, url, fetched_at, http_status, content_type, sha256, renderer, body
		FROM snapshots WHERE id = $1`, id).Scan(&snap.ID, &snap.PolicyID, &snap.URL, at(&snap.FetchedAt), &snap.HTTPStatus,
		&snap.ContentType, &snap.SHA256, &snap.Renderer, &body)
	if noRows(err) {
		return nil, notFound("snapshot", id)
	}
	if err != nil {
		return nil, err
	}
	if snap.Body, err = compress.Decompress(body); err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return &snap, nil
}
