package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/policywatch/policywatch"
)

func (s *Store) FetchState(ctx context.Context, policyID int64) (policywatch.FetchState, error) {
	var st policywatch.FetchState
	err := s.read().row(ctx, `SELECT etag, last_modified, raw_sha256, held_hash FROM policies WHERE id = $1`, policyID).
		Scan(&st.ETag, &st.LastModified, &st.RawSHA256, &st.HeldHash)
	if noRows(err) {
		return st, notFound("policy", policyID)
	}
	return st, err
}

func (s *Store) RecordCheck(ctx context.Context, rec *policywatch.CheckRecord) error {
	run := &rec.Run
	return s.write(ctx, func(tx handle) error {
		if err := lockPolicy(ctx, tx, run.PolicyID); err != nil {
			return err
		}
		var changedAt time.Time
		if rec.Version != nil {
			rec.Version.PolicyID = run.PolicyID
			result, err := insertVersion(ctx, tx, rec.Snapshot, rec.Version, false)
			if err != nil {
				return err
			}
			run.Result, run.VersionID = result, rec.Version.ID
			if result != policywatch.ResultUnchanged {
				changedAt = rec.Version.CapturedAt
			}
		}
		if err := insertRun(ctx, tx, run); err != nil {
			return err
		}
		if err := updateAfterCheck(ctx, tx, rec); err != nil {
			return err
		}
		if !changedAt.IsZero() {
			if err := raiseLastChanged(ctx, tx, run.PolicyID, changedAt); err != nil {
				return err
			}
		}
		// Counted last: the count's row stays locked until the commit.
		return countCheck(ctx, tx, run)
	})
}

func insertRun(ctx context.Context, tx handle, run *policywatch.CheckRun) error {
	return tx.row(ctx, `INSERT INTO check_runs
		(policy_id, started_at, duration_ms, result, error_class, error, http_status, version_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		run.PolicyID, tx.d.time(run.StartedAt), run.Duration.Milliseconds(), string(run.Result),
		string(run.ErrorClass), run.Error, run.HTTPStatus, nullID(run.VersionID)).Scan(&run.ID)
}

// updateAfterCheck records the check on the policy: failure counting and
// status, times, and the fetch state.
func updateAfterCheck(ctx context.Context, tx handle, rec *policywatch.CheckRecord) error {
	run := rec.Run
	failingAfter := rec.FailingAfter
	if failingAfter <= 0 {
		failingAfter = policywatch.DefaultFailingAfter
	}
	var before, after string
	var interval int64
	if err := tx.row(ctx, `SELECT status, interval_seconds FROM policies WHERE id = $1`, run.PolicyID).
		Scan(&before, &interval); err != nil {
		if noRows(err) {
			return notFound("policy", run.PolicyID)
		}
		return err
	}
	next := rec.NextCheckAt
	if next.IsZero() {
		next = run.StartedAt.Add(time.Duration(interval) * time.Second)
	}
	var err error
	if run.Result == policywatch.ResultFailed {
		err = tx.row(ctx, `UPDATE policies SET
			consecutive_failures = consecutive_failures + 1,
			last_error = $1, last_error_class = $2,
			status = CASE WHEN status = 'paused' THEN status WHEN consecutive_failures + 1 >= $3 THEN 'failing' ELSE status END,
			last_checked_at = $4, next_check_at = $5
			WHERE id = $6 RETURNING status`,
			run.Error, string(run.ErrorClass), failingAfter, tx.d.time(run.StartedAt), tx.d.time(next), run.PolicyID).Scan(&after)
	} else {
		err = tx.row(ctx, `UPDATE policies SET
			consecutive_failures = 0, last_error = '', last_error_class = '',
			status = CASE WHEN status = 'paused' THEN status ELSE 'active' END,
			last_checked_at = $1, next_check_at = $2
			WHERE id = $3 RETURNING status`,
			tx.d.time(run.StartedAt), tx.d.time(next), run.PolicyID).Scan(&after)
	}
	if err != nil {
		return err
	}
	rec.StatusBefore, rec.StatusAfter = policywatch.Status(before), policywatch.Status(after)
	if st := rec.State; st != nil {
		_, err = tx.exec(ctx, `UPDATE policies SET etag = $1, last_modified = $2, raw_sha256 = $3, held_hash = $4 WHERE id = $5`,
			st.ETag, st.LastModified, st.RawSHA256, st.HeldHash, run.PolicyID)
	}
	return err
}

// raiseLastChanged moves the policy's last change forward to t, never back.
func raiseLastChanged(ctx context.Context, tx handle, policyID int64, t time.Time) error {
	_, err := tx.exec(ctx, `UPDATE policies SET last_changed_at = $2
		WHERE id = $1 AND (last_changed_at IS NULL OR last_changed_at < $2)`, policyID, tx.d.time(t))
	return err
}

func (s *Store) ListCheckRuns(ctx context.Context, policyID int64, limit int) ([]policywatch.CheckRun, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read().query(ctx, `SELECT id, policy_id, started_at, duration_ms, result, error_class, error,
		http_status, version_id FROM check_runs WHERE policy_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, policyID, limit)
	return collect(rows, err, func(row scanner) (policywatch.CheckRun, error) {
		var r policywatch.CheckRun
		var dur int64
		var result, class string
		var version sql.NullInt64
		err := row.Scan(&r.ID, &r.PolicyID, at(&r.StartedAt), &dur, &result, &class, &r.Error, &r.HTTPStatus, &version)
		r.Duration = time.Duration(dur) * time.Millisecond
		r.Result, r.ErrorClass, r.VersionID = policywatch.Result(result), policywatch.ErrorClass(class), version.Int64
		return r, err
	})
}
