// Package jobs runs policywatch's background work on River
// (github.com/riverqueue/river): checks of due policies, the making and
// sending of notifications, and the schedule that finds what is due. The
// same job functions run on River's SQLite driver (the embedded default) and
// its pgx driver (PostgreSQL, where workers on many machines share one
// queue).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/track"
)

// Queue names: checks and notifications have their own workers, so that a
// slow webhook never holds up a check.
const (
	QueueChecks = "checks"
	QueueNotify = "notify"
)

// Config configures a Queue. Zero values take the defaults noted.
type Config struct {
	Store   *store.Store // the database: River's tables live beside the store's, on its connections
	Checker *track.Checker
	Logger  *slog.Logger

	Concurrency   int           // checks at a time in this process; default 4
	HostLimit     int           // checks at a time per host across all workers; default 1
	SlotTTL       time.Duration // the longest a host slot stays taken (its worker's heartbeat lapsing frees it sooner); default 10m
	ScheduleEvery time.Duration // how often the leader looks for due policies; default 30s
	RescueAfter   time.Duration // a check running this long is run again, whatever its worker (the backstop); default 15m
	// HeartbeatEvery is how often this worker says it is alive, and looks
	// for dead workers whose jobs to take over; default 10s.
	HeartbeatEvery time.Duration
	// DeadAfter is how long a worker may stay silent before its host slots
	// are free and its running jobs are run again; default 30s (at least
	// twice HeartbeatEvery).
	DeadAfter time.Duration
	// Notify makes and sends notifications; nil sends none.
	Notify *Notifier
	// WorkerID names this process in host slots, heartbeats, River's
	// attempted_by and logs; default host-pid-random. It must differ
	// between processes sharing a database.
	WorkerID string
	// NotifyOnly makes a queue that works notifications and nothing else
	// (no checks, no schedule): `check` sending what it found (Deliver).
	NotifyOnly bool
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.HostLimit <= 0 {
		c.HostLimit = 1
	}
	if c.SlotTTL <= 0 {
		c.SlotTTL = 10 * time.Minute
	}
	if c.ScheduleEvery <= 0 {
		c.ScheduleEvery = 30 * time.Second
	}
	if c.RescueAfter <= 0 {
		c.RescueAfter = 15 * time.Minute
	}
	if c.HeartbeatEvery <= 0 {
		c.HeartbeatEvery = 10 * time.Second
	}
	if c.DeadAfter <= 0 {
		c.DeadAfter = 30 * time.Second
	}
	c.DeadAfter = max(c.DeadAfter, 2*c.HeartbeatEvery)
	if c.WorkerID == "" {
		c.WorkerID = defaultWorkerID()
	}
}

// riverClient is what Queue uses of a river.Client, whichever its driver.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

// Queue is the job system of one process.
type Queue struct {
	cfg    Config
	client riverClient
	exec   riverdriver.Executor // for putting dead workers' jobs back

	sweptMu sync.Mutex
	swept   map[string]bool // dead workers with no running job left
}

// Open connects River to the store's database, brings River's tables up
// to date and prepares a client with this process's workers. Nothing runs
// until Run.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	cfg.defaults()
	q := &Queue{cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &checkWorker{q: q})
	river.AddWorker(workers, &deliverWorker{q: q})
	river.AddWorker(workers, &scheduleWorker{q: q})
	rc := &river.Config{
		// River records the client ID in each job's attempted_by: the
		// worker whose heartbeat says whether a running job is alive.
		ID:     cfg.WorkerID,
		Logger: riverLogger(cfg.Logger),
		Queues: map[string]river.QueueConfig{
			QueueChecks: {MaxWorkers: cfg.Concurrency},
			QueueNotify: {MaxWorkers: notifyWorkers},
		},
		Workers: workers,
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.ScheduleEvery),
			func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "schedule"})},
		// A check is fetched as soon as a worker is free rather than on
		// River's default 100 ms cadence: unchanged checks take under a
		// millisecond, and the queue must not be what limits them.
		FetchCooldown:     5 * time.Millisecond,
		FetchPollInterval: 250 * time.Millisecond,
		// A check outliving RescueAfter would be run again beside itself.
		// A dead worker's checks are run again sooner, once its heartbeat
		// lapses (liveness.go); RescueAfter is the backstop.
		JobTimeout:           min(5*time.Minute, cfg.RescueAfter),
		RescueStuckJobsAfter: cfg.RescueAfter,
		// Finished jobs are only history; policywatch's own tables keep
		// the record of every check and delivery.
		CompletedJobRetentionPeriod: time.Hour,
		MaxAttempts:                 5,
	}
	if cfg.NotifyOnly {
		rc.Queues = map[string]river.QueueConfig{QueueNotify: {MaxWorkers: notifyWorkers}}
		rc.PeriodicJobs = nil
	}
	var err error
	if pool := cfg.Store.Pool(); pool != nil {
		err = openRiver(ctx, q, riverpgxv5.New(pool), rc)
	} else {
		err = openRiver(ctx, q, riversqlite.New(cfg.Store.DB()), rc)
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

// notifyWorkers is how many notifications a process sends at a time.
const notifyWorkers = 4

// riverMigrationLock is the key under which workers started together on a
// new database migrate River's tables once.
const riverMigrationLock = 7106820113

// openRiver brings River's tables up to date and prepares the client, on
// the store's connections: River's pgx driver on its pgx pool (PostgreSQL),
// its database/sql driver on its database (SQLite). (One transaction for
// all of River's migrations is not possible: one adds an enum value that a
// later one uses.)
func openRiver[TTx any](ctx context.Context, q *Queue, driver riverdriver.Driver[TTx], rc *river.Config) error {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return err
	}
	err = q.cfg.Store.Exclusive(ctx, riverMigrationLock, func(ctx context.Context) error {
		_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	q.client, q.exec = client, driver.GetExecutor()
	return nil
}

// quietLogger drops the migrator's per-step info lines.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// Close is called after Run returns. The queue holds nothing of its own to
// release: its connections are the store's, closed with the store.
func (q *Queue) Close() {}

// Run works jobs until ctx ends, then stops, letting running jobs finish
// (up to a minute).
func (q *Queue) Run(ctx context.Context) error {
	stop, err := q.start(ctx)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return stop()
}

// start makes the first heartbeat and starts working jobs; stop stops
// working them, letting running jobs finish (up to a minute), and then
// beating.
func (q *Queue) start(ctx context.Context) (stop func() error, err error) {
	stopBeating, err := q.heartbeat(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		stopBeating()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return func() error {
		defer stopBeating()
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := q.client.Stop(stopCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}, nil
}

// RunOnce queues the checks due now, works until no check is left to run
// (nor a notification ready to send), and stops: `worker --once`.
func (q *Queue) RunOnce(ctx context.Context) error {
	if _, err := q.EnqueueDue(ctx); err != nil {
		return err
	}
	stop, err := q.start(ctx)
	if err != nil {
		return err
	}
	defer stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	idle := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		busy, err := q.busy(ctx)
		if err != nil {
			return err
		}
		// Two quiet looks in a row: a job just finished may be about to
		// queue another (a change queues its notifications).
		if busy {
			idle = 0
		} else if idle++; idle >= 2 {
			return nil
		}
	}
}

// busy reports whether a check is waiting or running, or a notification is
// ready to send or being sent. Checks snoozed for a host slot count as
// waiting; notifications waiting for a later retry do not.
func (q *Queue) busy(ctx context.Context) (bool, error) {
	for _, p := range []*river.JobListParams{
		river.NewJobListParams().Queues(QueueChecks).First(1).States(rivertype.JobStateAvailable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending),
		river.NewJobListParams().Queues(QueueNotify).First(1).States(rivertype.JobStateAvailable, rivertype.JobStateRunning),
	} {
		res, err := q.client.JobList(ctx, p)
		if err != nil {
			return false, fmt.Errorf("job queue: %w", err)
		}
		if len(res.Jobs) > 0 {
			return true, nil
		}
	}
	return false, nil
}

// EnqueueDue queues a check of every policy due now and makes the
// notifications a dead worker left unmade; a policy whose check is already
// queued or running is not queued again.
func (q *Queue) EnqueueDue(ctx context.Context) (int, error) {
	ids, err := q.cfg.Checker.Due(ctx, time.Now())
	if err != nil {
		return 0, err
	}
	n, err := q.EnqueueChecks(ctx, ids, false)
	if err != nil {
		return n, err
	}
	if q.cfg.Notify != nil {
		if err := q.cfg.Notify.sweep(ctx, q); err != nil {
			q.cfg.Logger.Warn("notifications: sweep failed", "err", err)
		}
	}
	return n, nil
}

// EnqueueChecks queues checks of the policies; force checks a policy even if
// it is not due (the "check now" button). It returns how many were queued.
func (q *Queue) EnqueueChecks(ctx context.Context, ids []int64, force bool) (int, error) {
	const batch = 500
	queued := 0
	for start := 0; start < len(ids); start += batch {
		var params []river.InsertManyParams
		for _, id := range ids[start:min(start+batch, len(ids))] {
			params = append(params, river.InsertManyParams{Args: CheckArgs{PolicyID: id, Force: force}})
		}
		res, err := q.client.InsertMany(ctx, params)
		if err != nil {
			return queued, fmt.Errorf("cannot queue checks: %w", err)
		}
		for _, r := range res {
			if !r.UniqueSkippedAsDuplicate {
				queued++
			}
		}
	}
	return queued, nil
}

// enqueueDeliveries queues the sending of deliveries.
func (q *Queue) enqueueDeliveries(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: DeliverArgs{DeliveryID: id}}
	}
	_, err := q.client.InsertMany(ctx, params)
	return err
}

// activeStates are the states in which a job blocks another of the same
// args: a policy has at most one check queued or running.
var activeStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}
