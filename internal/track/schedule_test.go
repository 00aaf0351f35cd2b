package track

import (
	"context"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/testpages"
)

func TestDueAndScheduler(t *testing.T) {
	h := newHarness(t)
	page := testpages.HTML(capp(t, "WPS"), testpages.Options{})
	due := h.add(h.site.html("/due", page))
	paused := h.add(h.site.html("/paused", page), func(p *policywatch.Policy) { p.Status = policywatch.StatusPaused })
	ctx := context.Background()
	if err := h.store.UpdatePolicy(ctx, paused); err != nil {
		t.Fatal(err)
	}
	ids, err := h.checker.Due(ctx, time.Now())
	if err != nil || len(ids) != 1 || ids[0] != due.ID {
		t.Fatalf("due = %v, %v; want only policy %d", ids, err, due.ID)
	}

	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { h.checker.RunScheduler(run, 20*time.Millisecond, 2); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(h.versions(due)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	if n := len(h.versions(due)); n != 1 {
		t.Fatalf("the scheduler recorded %d versions of the due policy", n)
	}
	if n := len(h.versions(paused)); n != 0 {
		t.Errorf("the scheduler checked a paused policy")
	}
	got, _ := h.store.FindPolicy(ctx, due.ID)
	if !got.NextCheckAt.After(time.Now().Add(23 * time.Hour)) {
		t.Errorf("next check %v: the interval was not applied", got.NextCheckAt)
	}
	if ids, _ := h.checker.Due(ctx, time.Now()); len(ids) != 0 {
		t.Errorf("still due after its check: %v", ids)
	}
	if n := h.site.hitCount("/due"); n != 1 {
		t.Errorf("the page was fetched %d times", n)
	}
}
