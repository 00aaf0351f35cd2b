package storetest

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// testHeartbeats: a worker whose heartbeat lapses is reported dead to the
// others, and its host slots are free at once, whatever their TTL; a live
// worker's slots stay taken; a holder of no known worker keeps the TTL.
func testHeartbeats(t *testing.T, s policywatch.Store) {
	if _, err := s.Heartbeat(ctx, "", time.Minute); err == nil {
		t.Error("a heartbeat of no worker was accepted")
	}
	for _, w := range []string{"live", "mortal", "host-1/x"} {
		dead, err := s.Heartbeat(ctx, w, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(dead) != 0 {
			t.Errorf("dead workers among the live: %v", dead)
		}
	}
	// Slots held for ten minutes by the three workers' checks, and by a
	// holder that never beat.
	for i, holder := range []string{"live/1", "mortal/2", "host-1/x/3", "stranger/4"} {
		host := string(rune('a'+i)) + ".example"
		if _, ok, err := s.AcquireHostSlot(ctx, host, 1, holder, 10*time.Minute); err != nil || !ok {
			t.Fatalf("%s: %v %v", holder, ok, err)
		}
	}
	// "mortal" dies: its last heartbeat lasts 2 s (long enough to be seen
	// alive first even on a busy machine).
	if _, err := s.Heartbeat(ctx, "mortal", 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "b.example", 1, "live/5", 10*time.Minute); ok {
		t.Error("a slot of a worker still beating was taken")
	}
	time.Sleep(2500 * time.Millisecond)
	dead, err := s.Heartbeat(ctx, "live", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dead, []string{"mortal"}) {
		t.Errorf("dead workers: %v, want [mortal]", dead)
	}
	if dead, _ := s.Heartbeat(ctx, "host-1/x", time.Minute); !slices.Equal(dead, []string{"mortal"}) {
		t.Errorf("dead workers seen by another: %v, want [mortal]", dead)
	}
	for _, c := range []struct {
		host, holder string
		free         bool
	}{
		{"a.example", "host-1/x/6", false},  // live's slot
		{"b.example", "live/7", true},       // mortal's slot
		{"c.example", "live/8", false},      // "host-1/x" is alive
		{"d.example", "live/9", false},      // a stranger keeps the TTL
		{"b.example", "host-1/x/10", false}, // taken by live/7 just now
	} {
		if _, ok, err := s.AcquireHostSlot(ctx, c.host, 1, c.holder, 10*time.Minute); err != nil || ok != c.free {
			t.Errorf("%s for %s: taken %v (%v), want %v", c.host, c.holder, ok, err, c.free)
		}
	}
	// Many take over a dead worker's slot at once: one gets it.
	if _, ok, _ := s.AcquireHostSlot(ctx, "f.example", 1, "doomed/14", 10*time.Minute); !ok {
		t.Fatal("f.example")
	}
	if _, err := s.Heartbeat(ctx, "doomed", 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var got atomic.Int32
	for i := range 8 {
		wg.Go(func() {
			_, ok, err := s.AcquireHostSlot(ctx, "f.example", 1, fmt.Sprintf("live/%d", 20+i), 10*time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				got.Add(1)
			}
		})
	}
	wg.Wait()
	if got.Load() != 1 {
		t.Errorf("%d takers of a dead worker's slot, want 1", got.Load())
	}
	// Releasing by the dead holder does nothing to its successor's slot.
	if err := s.ReleaseHostSlot(ctx, "b.example", 0, "mortal/2"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "b.example", 1, "other/11", 10*time.Minute); ok {
		t.Error("the dead holder's release freed its successor's slot")
	}
	// A dead worker that beats again is alive, and no longer reported.
	if _, err := s.Heartbeat(ctx, "mortal", time.Minute); err != nil {
		t.Fatal(err)
	}
	if dead, _ := s.Heartbeat(ctx, "live", time.Minute); !slices.Equal(dead, []string{"doomed"}) {
		t.Errorf("dead workers after the revival: %v, want [doomed]", dead)
	}
	// A worker stopping says so with a ttl of 0: its slots are free at once.
	if _, ok, _ := s.AcquireHostSlot(ctx, "e.example", 1, "mortal/12", 10*time.Minute); !ok {
		t.Fatal("e.example")
	}
	if _, err := s.Heartbeat(ctx, "mortal", 0); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "e.example", 1, "live/13", 10*time.Minute); !ok {
		t.Error("a stopped worker's slot is still taken")
	}
	if dead, _ := s.Heartbeat(ctx, "live", time.Minute); !slices.Equal(dead, []string{"doomed", "mortal"}) {
		t.Errorf("dead workers after a stop: %v, want [doomed mortal]", dead)
	}
}
