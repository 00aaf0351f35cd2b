package policywatch

import "time"

// CheckStat counts the checks recorded with one result, error class,
// renderer and duration bucket, over the database's whole life: the store
// adds each check to its count in the check's own transaction, so that
// /metrics reports every check, whichever process ran it (`check` from
// cron, a worker on another machine), and deleting a policy lowers no count.
type CheckStat struct {
	Result     Result
	ErrorClass ErrorClass
	Renderer   Renderer // "" when no page was fetched; "unknown" for checks older than the counts
	// UpTo is the upper bound of the duration bucket (CheckDurationBuckets);
	// 0 for checks longer than the last bound.
	UpTo   time.Duration
	Checks int64
	Total  time.Duration // the checks' durations added up
}

// CheckDurationBuckets are the upper bounds of the buckets check durations
// are counted in (Prometheus's le).
var CheckDurationBuckets = []time.Duration{
	5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, time.Second,
	2500 * time.Millisecond, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute,
}

// DurationBucket is the upper bound of the first bucket d fits in, or 0 when
// it is longer than the last.
func DurationBucket(d time.Duration) time.Duration {
	for _, b := range CheckDurationBuckets {
		if d <= b {
			return b
		}
	}
	return 0
}
