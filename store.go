package policywatch

import (
	"context"
	"time"
)

// Store keeps platforms, policies, snapshots, versions and check runs.
// The implementation, internal/store, runs on SQLite (embedded, the
// default) and PostgreSQL, and passes internal/store/storetest on both.
//
// Lookups of a missing row return an *Error of class ErrNotFound.
type Store interface {
	// CreatePolicy stores p, creating its platform (by name) if needed, and
	// sets p.ID, p.PlatformID and p.CreatedAt. A second policy with the same
	// platform and name, or the same URL, is ErrAlreadyExists.
	CreatePolicy(ctx context.Context, p *Policy) error
	// CreatePolicies stores many policies in one transaction, each as
	// CreatePolicy stores one. A policy that is a duplicate of a stored one
	// or of one before it in ps is left out, its ErrAlreadyExists at its
	// index in skipped (nil for those stored). An error means the
	// transaction failed and nothing was stored.
	CreatePolicies(ctx context.Context, ps []*Policy) (skipped []error, err error)
	// DeletePolicy removes a policy with everything recorded about it: its
	// snapshots, versions, analyses, check runs, pending notifications,
	// subscriptions to it and deliveries about it, in one transaction.
	DeletePolicy(ctx context.Context, id int64) error
	// UpdatePolicy saves p's settings (name, kind, URL, selectors, render
	// mode, interval, status) and, when set, its next check time. Check
	// outcomes are saved by RecordCheck.
	UpdatePolicy(ctx context.Context, p *Policy) error
	FindPolicy(ctx context.Context, id int64) (*Policy, error)
	FindPolicyByName(ctx context.Context, platform, name string) (*Policy, error)
	// ListPolicies returns every policy with its version count, ordered by
	// platform then name.
	ListPolicies(ctx context.Context) ([]PolicySummary, error)

	// FetchState returns what the last accepted fetch left for the next one.
	FetchState(ctx context.Context, policyID int64) (FetchState, error)
	// RecordCheck saves the outcome of one check in one transaction.
	RecordCheck(ctx context.Context, rec *CheckRecord) error
	// ImportVersion records a back-filled version (and the file it came
	// from) unless the version captured just before it has the same words.
	ImportVersion(ctx context.Context, snap *Snapshot, v *Version) (Result, error)

	// ListVersions returns a policy's versions, oldest first, without text.
	ListVersions(ctx context.Context, policyID int64) ([]Version, error)
	// FindVersion returns a version with its text.
	FindVersion(ctx context.Context, id int64) (*Version, error)
	// LatestVersion returns a policy's newest version, without text, or nil
	// when it has none.
	LatestVersion(ctx context.Context, policyID int64) (*Version, error)
	FindSnapshot(ctx context.Context, id int64) (*Snapshot, error)
	// ListCheckRuns returns a policy's most recent check runs, newest first.
	ListCheckRuns(ctx context.Context, policyID int64, limit int) ([]CheckRun, error)
	// CheckStats counts every check recorded (RecordCheck adds each to its
	// count), by result, error class, renderer and duration bucket.
	CheckStats(ctx context.Context) ([]CheckStat, error)

	// SaveAnalysis stores a change report, replacing the one of the same
	// pair, engine and language.
	SaveAnalysis(ctx context.Context, a *Analysis) error
	// FindAnalyses returns the reports on one pair of versions, newest first.
	FindAnalyses(ctx context.Context, from, to int64) ([]Analysis, error)
	// ListAnalyses returns the reports (without Report) on pairs of a
	// policy's versions, newest first.
	ListAnalyses(ctx context.Context, policyID int64) ([]Analysis, error)

	// ListChanges returns versions recorded after another of their policy,
	// newest capture first, as feeds list them; technical re-extractions
	// are not changes.
	ListChanges(ctx context.Context, f ChangeFilter) ([]Change, error)

	// ListPolicyKeys returns every policy's id, platform, name and URL,
	// ordered by platform then name: little enough to filter and cut to a
	// page in memory. ListOverviews returns the overviews of the policies
	// with the ids, in the same order.
	ListPolicyKeys(ctx context.Context) ([]PolicyKey, error)
	ListOverviews(ctx context.Context, ids []int64) ([]PolicyOverview, error)

	// SaveVersionFacts stores what a version states, replacing what was
	// stored of it before; FindVersionFacts returns it, ErrNotFound when
	// nothing is stored yet.
	SaveVersionFacts(ctx context.Context, f *VersionFacts) error
	FindVersionFacts(ctx context.Context, versionID int64) (*VersionFacts, error)
	// VersionsWithoutFacts returns up to limit ids of versions below
	// before (0: any), highest first, whose facts are not stored or were
	// extracted by rules older than rules: the back-fill's work.
	VersionsWithoutFacts(ctx context.Context, rules int, before int64, limit int) ([]int64, error)
	// ListMatrix returns each policy that has a version (of one platform,
	// when given) with its newest version's matrix row, ordered by
	// platform then name, and how many such policies there are in all.
	ListMatrix(ctx context.Context, f MatrixFilter) ([]MatrixEntry, int, error)

	// RecordReextraction stores v, the text a newer extractor made of the
	// snapshot of an existing version (v.PolicyID, v.SnapshotID and
	// v.CapturedAt copied from it), as a technical version. It returns
	// false, storing nothing, when a version of that snapshot already has
	// the same text.
	RecordReextraction(ctx context.Context, v *Version) (bool, error)

	// Search returns the lines of policies' current versions (every
	// version with AllVersions) that contain a phrase, each hit with the
	// version of its policy where the phrase first appeared. An empty or
	// overlong phrase is ErrInvalid.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)

	// PendingChanges returns changes recorded by checks whose notifications
	// have not been made yet, oldest first; MarkChangeNotified clears one.
	PendingChanges(ctx context.Context, limit int) ([]Change, error)
	MarkChangeNotified(ctx context.Context, versionID int64) error

	// AcquireHostSlot takes one of a host's limit slots for holder until
	// ttl passes (a dead holder's slot frees itself), so that every worker
	// on every machine together keeps to the limit. ok is false when all
	// are taken.
	AcquireHostSlot(ctx context.Context, host string, limit int, holder string, ttl time.Duration) (slot int, ok bool, err error)
	ReleaseHostSlot(ctx context.Context, host string, slot int, holder string) error
	// Heartbeat records that worker is alive for the next ttl (a ttl of 0:
	// it is stopping) and returns the other workers whose heartbeat has
	// lapsed, forgetting those silent for a day. A host slot whose holder
	// is worker, or worker followed by "/" and anything, is free as soon
	// as worker's heartbeat lapses, whatever the ttl it was taken for.
	Heartbeat(ctx context.Context, worker string, ttl time.Duration) (dead []string, err error)

	CreateSubscription(ctx context.Context, s *Subscription) error
	ListSubscriptions(ctx context.Context) ([]Subscription, error)
	DeleteSubscription(ctx context.Context, id int64) error

	// AddDeliveries stores the deliveries not stored yet (by subscription
	// and event key), setting their ID; those already stored keep ID 0.
	AddDeliveries(ctx context.Context, ds []*Delivery) error
	FindDelivery(ctx context.Context, id int64) (*Delivery, error)
	// UpdateDelivery saves a delivery's status, attempts, error and times.
	UpdateDelivery(ctx context.Context, d *Delivery) error
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
	// DeliveryCounts counts every subscription's deliveries by status.
	DeliveryCounts(ctx context.Context) (map[int64]DeliveryCounts, error)

	Close() error
}

// ChangeFilter narrows ListChanges to one policy or one platform (zero
// values: all), to changes of at least MinLevel (as Level.AtLeast: a
// change not analysed passes), and to at most Limit changes (default 50)
// after the first Offset. Lang is the language of the summaries wanted.
type ChangeFilter struct {
	PolicyID int64
	Platform string
	MinLevel Level
	Lang     string
	Offset   int
	Limit    int
}

// Change is a version of a policy and the version captured before it.
type Change struct {
	PolicyID    int64
	Policy      string
	Platform    string
	URL         string
	FromVersion int64
	ToVersion   int64
	CapturedAt  time.Time
	// Level and Summary are the stored analysis's, set by ListChanges
	// ("" when there is none; Summary only in ChangeFilter.Lang).
	Level   Level
	Summary string
}

// CheckRecord is everything one check writes.
type CheckRecord struct {
	// Run is the check itself. When Version is set, RecordCheck sets
	// Run.Result to first, changed or, if the newest stored version already
	// has the same words (a concurrent check got there first), unchanged.
	Run CheckRun
	// Snapshot and Version are stored only when the check found new words.
	Snapshot *Snapshot
	Version  *Version
	// State replaces the policy's fetch state when set. A failed fetch must
	// leave the validators alone so that the next check is not skipped as
	// unchanged.
	State *FetchState
	// FailingAfter is the number of consecutive failures after which the
	// policy's status becomes failing.
	FailingAfter int
	// NextCheckAt is when the policy is due again; zero means one interval
	// after the check started.
	NextCheckAt time.Time

	// Set by RecordCheck: the policy's status before and after the check,
	// so that becoming failing and recovering can be announced once.
	StatusBefore, StatusAfter Status
}

// DefaultFailingAfter is how many failed checks in a row make a policy
// failing.
const DefaultFailingAfter = 3

// Clock returns the current time; tests replace it.
type Clock func() time.Time
