package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// A worker's liveness: each process beats (Store.Heartbeat) every
// HeartbeatEvery; one silent for DeadAfter is dead. Its host slots are free
// at once (the stores look at the heartbeat of a slot's holder), and the
// live workers, at each of their beats, put its running jobs back in the
// queue, as River's own rescuer would after RescueAfter. A long check of a
// live worker is left alone: its worker keeps beating, and RescueAfter stays
// the backstop for those.
//
// A heartbeat rather than PostgreSQL advisory locks held by a connection:
// a lock dies with its connection, which may outlive a machine that lost
// power or its network (until TCP keepalive, hours by default) and may die
// with a live worker's connection (a restarted pooler, a dropped socket);
// it does not pass through a transaction-mode pooler; and SQLite has
// nothing of the kind. A heartbeat is one row in the shared database, timed
// by the database's clock, the same for both stores.

func defaultWorkerID() string {
	host, _ := os.Hostname()
	if len(host) > 60 {
		host = host[:60]
	}
	// A restarted container often has the same host name and PID (1) as
	// the one that died: the random part keeps the dead one's jobs and
	// slots its own.
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// heartbeat beats until stop is called; stop waits for the last beat and
// then says this worker is stopping, so that anything it leaves running is
// taken over at once. The first beat is made before heartbeat returns: a
// worker is known to be alive before it takes a job.
func (q *Queue) heartbeat(ctx context.Context) (stop func(), err error) {
	if _, err := q.beat(ctx); err != nil {
		return nil, fmt.Errorf("job queue: heartbeat: %w", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(q.cfg.HeartbeatEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if _, err := q.beat(ctx); err != nil && ctx.Err() == nil {
				q.cfg.Logger.Warn("job queue: heartbeat failed", "worker", q.cfg.WorkerID, "err", err)
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := q.cfg.Store.Heartbeat(ctx, q.cfg.WorkerID, 0); err != nil {
			q.cfg.Logger.Warn("job queue: cannot record this worker's stop", "worker", q.cfg.WorkerID, "err", err)
		}
	}, nil
}

// beat records that this worker is alive and takes over the running jobs of
// workers that are not; it returns how many it put back in the queue.
func (q *Queue) beat(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, q.cfg.HeartbeatEvery)
	defer cancel()
	dead, err := q.cfg.Store.Heartbeat(ctx, q.cfg.WorkerID, q.cfg.DeadAfter)
	if err != nil || len(dead) == 0 {
		return 0, err
	}
	q.sweptMu.Lock()
	defer q.sweptMu.Unlock()
	// A dead worker takes no new job: once its running jobs have been put
	// back, there is nothing more to look for (a worker that beats again
	// leaves the list, and is looked at afresh if it dies again).
	var fresh []string
	for _, id := range dead {
		if !q.swept[id] {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	n, err := q.rescue(ctx, fresh)
	if n > 0 {
		q.cfg.Logger.Info("job queue: took over dead workers' jobs", "jobs", n, "dead", fresh)
	}
	if err != nil {
		return n, err
	}
	swept := map[string]bool{}
	for _, id := range dead {
		swept[id] = true
	}
	q.swept = swept
	return n, nil
}

// rescue puts the running jobs last attempted by the dead workers back in
// the queue, ready at once, as River's rescuer does with stuck jobs: the
// attempt is counted and an error recorded; a job out of attempts is
// discarded, one being cancelled is cancelled.
func (q *Queue) rescue(ctx context.Context, dead []string) (int, error) {
	var stuck []*rivertype.JobRow
	params := river.NewJobListParams().States(rivertype.JobStateRunning).First(1000)
	for {
		res, err := q.client.JobList(ctx, params)
		if err != nil {
			return 0, err
		}
		for _, j := range res.Jobs {
			if n := len(j.AttemptedBy); n > 0 && slices.Contains(dead, j.AttemptedBy[n-1]) && j.AttemptedAt != nil {
				stuck = append(stuck, j)
			}
		}
		if len(res.Jobs) < 1000 {
			break
		}
		params = params.After(res.LastCursor)
	}
	now := time.Now().UTC()
	for _, j := range stuck {
		msg, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(j.Attempt, 0),
			Error: fmt.Sprintf("worker %s died (no heartbeat for %s); taken over by %s",
				j.AttemptedBy[len(j.AttemptedBy)-1], q.cfg.DeadAfter, q.cfg.WorkerID)})
		var meta struct {
			CancelAttemptedAt time.Time `json:"cancel_attempted_at"`
		}
		json.Unmarshal(j.Metadata, &meta)
		state, finalized, scheduled := rivertype.JobStateAvailable, (*time.Time)(nil), j.ScheduledAt
		switch {
		case !meta.CancelAttemptedAt.IsZero():
			state, finalized = rivertype.JobStateCancelled, &now
		case j.Attempt >= j.MaxAttempts:
			state, finalized = rivertype.JobStateDiscarded, &now
		}
		// Only while the job is still running the attempt that died: the
		// horizon is just after it began (a later attempt begins at least
		// DeadAfter - HeartbeatEvery after it, once the job was put back).
		_, err := q.exec.JobRescueMany(ctx, &riverdriver.JobRescueManyParams{
			ID: []int64{j.ID}, Error: [][]byte{msg}, FinalizedAt: []*time.Time{finalized},
			ScheduledAt: []time.Time{scheduled}, State: []string{string(state)},
			StuckHorizon: j.AttemptedAt.Add(time.Second),
		})
		if err != nil {
			return 0, err
		}
	}
	return len(stuck), nil
}
