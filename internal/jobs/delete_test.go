package jobs

import (
	"context"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/policywatch/policywatch/internal/store/pgtest"
)

func TestCheckOfDeletedPolicySQLite(t *testing.T) { testCheckOfDeletedPolicy(t, sqliteDSN(t)) }
func TestCheckOfDeletedPolicyPostgres(t *testing.T) {
	testCheckOfDeletedPolicy(t, pgtest.NewDatabase(t))
}

// A check queued for a policy deleted before it runs completes without an
// error or a retry, and fetches nothing.
func testCheckOfDeletedPolicy(t *testing.T, dsn string) {
	e := newEnv(t, dsn, 1, 3)
	ctx := context.Background()
	list, _ := e.store.ListPolicies(ctx)
	id := list[0].ID
	if n, err := e.q.EnqueueChecks(ctx, []int64{id}, true); err != nil || n != 1 {
		t.Fatalf("EnqueueChecks: %d, %v", n, err)
	}
	if err := e.store.DeletePolicy(ctx, id); err != nil {
		t.Fatal(err)
	}
	e.runOnce()
	res, err := e.q.client.JobList(ctx, river.NewJobListParams().Kinds(CheckArgs{}.Kind()).
		States(rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted, rivertype.JobStateDiscarded,
			rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 1 || res.Jobs[0].State != rivertype.JobStateCompleted || len(res.Jobs[0].Errors) != 0 {
		for _, j := range res.Jobs {
			t.Errorf("job %d: %s, errors %v", j.ID, j.State, j.Errors)
		}
		t.Fatalf("%d check jobs, want one completed without errors", len(res.Jobs))
	}
	if n := e.site.count("/p/0"); n != 0 {
		t.Errorf("the deleted policy's page was fetched %d times", n)
	}
}
