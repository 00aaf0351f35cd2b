package track

import (
	"context"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/testpages"
)

func TestDue(t *testing.T) {
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

	// What the job queue's check does for a due policy.
	if o := h.checker.Check(ctx, due.ID); o.Result != policywatch.ResultFirst {
		t.Fatalf("check: %s %s", o.Result, o.Error)
	}
	got, _ := h.store.FindPolicy(ctx, due.ID)
	if !got.NextCheckAt.After(time.Now().Add(22 * time.Hour)) {
		t.Errorf("next check %v: the interval was not applied", got.NextCheckAt)
	}
	if ids, _ := h.checker.Due(ctx, time.Now()); len(ids) != 0 {
		t.Errorf("still due after its check: %v", ids)
	}
	if n := h.site.hitCount("/due"); n != 1 {
		t.Errorf("the page was fetched %d times", n)
	}
}

func TestNextCheck(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	mid := func() float64 { return 0.5 } // no jitter
	tests := []struct {
		name     string
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{"success: one interval", day, 0, day},
		{"first failure: retried soon", day, 1, 5 * time.Minute},
		{"second failure: backoff doubles", day, 2, 10 * time.Minute},
		{"failing: one interval", day, 3, day},
		{"failing longer: slower", day, 4, 2 * day},
		{"failing for long: at most a week", day, 30, 7 * day},
		{"short interval caps the retry", time.Minute, 2, time.Minute},
		{"weekly policy failing stays weekly", 14 * day, 5, 14 * day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextCheck(now, tt.interval, tt.failures, 3, DefaultRetryBase, mid).Sub(now)
			if got != tt.want {
				t.Errorf("delay %v, want %v", got, tt.want)
			}
		})
	}
	// Jitter spreads checks by up to a tenth of the delay, at most an hour.
	lo := NextCheck(now, day, 0, 3, DefaultRetryBase, func() float64 { return 0 }).Sub(now)
	hi := NextCheck(now, day, 0, 3, DefaultRetryBase, func() float64 { return 0.999999 }).Sub(now)
	if lo != day-time.Hour || hi < day+59*time.Minute || hi > day+time.Hour {
		t.Errorf("jitter range [%v, %v], want about 23h..25h", lo, hi)
	}
	if lo := NextCheck(now, time.Hour, 0, 3, DefaultRetryBase, func() float64 { return 0 }).Sub(now); lo != 54*time.Minute {
		t.Errorf("hourly policy's earliest next check %v, want 54m", lo)
	}
}
