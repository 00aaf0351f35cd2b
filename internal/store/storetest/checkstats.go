package storetest

import (
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// testCheckStats: every recorded check is counted by result, error class,
// renderer and duration bucket, whichever policy (and so shard) it is of;
// a check whose version another check recorded first counts as unchanged.
func testCheckStats(t *testing.T, s policywatch.Store) {
	a := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	b := newPolicy(t, s, "B", "隐私政策", "https://b.example/")
	timed := func(rec *policywatch.CheckRecord, d time.Duration, r policywatch.Renderer) *policywatch.CheckRecord {
		rec.Run.Duration, rec.Run.Renderer = d, r
		return rec
	}
	record(t, s, timed(check(a.ID, t0, version("第一版", t0), "a1"), 120*time.Millisecond, policywatch.RendererHTTP))
	record(t, s, timed(check(a.ID, t0.Add(time.Hour), nil, "a1"), 3*time.Millisecond, policywatch.RendererHTTP))
	record(t, s, timed(failure(a.ID, t0.Add(2*time.Hour)), 0, ""))
	record(t, s, timed(check(b.ID, t0, version("第一版", t0), "b1"), 2*time.Second, policywatch.RendererBrowser))
	record(t, s, timed(check(b.ID, t0.Add(time.Hour), version("第二版", t0.Add(time.Hour)), "b2"), 2*time.Minute, policywatch.RendererBrowser))
	// The same words again, as a concurrent check would bring them: unchanged.
	record(t, s, timed(check(b.ID, t0.Add(2*time.Hour), version("第二版", t0.Add(2*time.Hour)), "b2"), 90*time.Millisecond, policywatch.RendererHTTP))
	record(t, s, timed(check(b.ID, t0.Add(3*time.Hour), nil, "b2"), 4*time.Millisecond, policywatch.RendererHTTP))

	type key struct {
		result   policywatch.Result
		class    policywatch.ErrorClass
		renderer policywatch.Renderer
		upTo     time.Duration
	}
	type count struct {
		checks int64
		total  time.Duration
	}
	want := map[key]count{
		{policywatch.ResultFirst, "", policywatch.RendererHTTP, 250 * time.Millisecond}:     {1, 120 * time.Millisecond},
		{policywatch.ResultFirst, "", policywatch.RendererBrowser, 2500 * time.Millisecond}: {1, 2 * time.Second},
		{policywatch.ResultChanged, "", policywatch.RendererBrowser, 0}:                     {1, 2 * time.Minute},
		{policywatch.ResultUnchanged, "", policywatch.RendererHTTP, 5 * time.Millisecond}:   {2, 7 * time.Millisecond},
		{policywatch.ResultUnchanged, "", policywatch.RendererHTTP, 100 * time.Millisecond}: {1, 90 * time.Millisecond},
		{policywatch.ResultFailed, policywatch.ErrHTTPStatus, "", 5 * time.Millisecond}:     {1, 0},
	}
	stats, err := s.CheckStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[key]count{}
	for _, st := range stats {
		got[key{st.Result, st.ErrorClass, st.Renderer, st.UpTo}] = count{st.Checks, st.Total}
	}
	if len(got) != len(want) {
		t.Errorf("%d counts, want %d: %+v", len(got), len(want), stats)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%+v: %+v, want %+v", k, got[k], w)
		}
	}
}
