package storetest

import (
	"maps"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

func testStatusTransitionsAndNextCheck(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	var statuses [][2]policywatch.Status
	for i := 1; i <= 3; i++ {
		rec := failure(p.ID, t0.Add(time.Duration(i)*time.Minute))
		rec.NextCheckAt = t0.Add(time.Duration(i) * time.Hour)
		record(t, s, rec)
		statuses = append(statuses, [2]policywatch.Status{rec.StatusBefore, rec.StatusAfter})
		got, _ := s.FindPolicy(ctx, p.ID)
		if !got.NextCheckAt.Equal(rec.NextCheckAt) {
			t.Errorf("failure %d: next check %v, want %v", i, got.NextCheckAt, rec.NextCheckAt)
		}
	}
	rec := check(p.ID, t0.Add(5*time.Hour), version("恢复了", t0.Add(5*time.Hour)), "ok")
	record(t, s, rec)
	statuses = append(statuses, [2]policywatch.Status{rec.StatusBefore, rec.StatusAfter})
	want := [][2]policywatch.Status{{"active", "active"}, {"active", "active"}, {"active", "failing"}, {"failing", "active"}}
	for i := range want {
		if statuses[i] != want[i] {
			t.Errorf("check %d: status %v, want %v", i+1, statuses[i], want[i])
		}
	}
	// Without NextCheckAt the policy is due one interval later.
	got, _ := s.FindPolicy(ctx, p.ID)
	if wantNext := t0.Add(5*time.Hour + policywatch.DefaultInterval); !got.NextCheckAt.Equal(wantNext) {
		t.Errorf("next check %v, want %v", got.NextCheckAt, wantNext)
	}
	// UpdatePolicy keeps the next check unless given one.
	got.NextCheckAt = time.Time{}
	got.Name = "改名"
	if err := s.UpdatePolicy(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.FindPolicy(ctx, p.ID); !again.NextCheckAt.Equal(t0.Add(5*time.Hour + policywatch.DefaultInterval)) {
		t.Errorf("UpdatePolicy moved the next check to %v", again.NextCheckAt)
	}
	got.NextCheckAt = t0
	if err := s.UpdatePolicy(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.FindPolicy(ctx, p.ID); !again.NextCheckAt.Equal(t0) {
		t.Errorf("UpdatePolicy did not set the next check: %v", again.NextCheckAt)
	}
}

func testReextraction(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	v1 := version("第一版 旧提取", t0)
	record(t, s, check(p.ID, t0, v1, "one"))
	v2 := version("第二版", t0.Add(time.Hour))
	record(t, s, check(p.ID, t0.Add(time.Hour), v2, "two"))

	re := version("第一版 新提取", t0)
	re.PolicyID, re.SnapshotID, re.Extractor = p.ID, v1.SnapshotID, "newer"
	stored, err := s.RecordReextraction(ctx, re)
	if err != nil || !stored || re.ID == 0 {
		t.Fatalf("RecordReextraction: stored %v, id %d, %v", stored, re.ID, err)
	}
	again := version("第一版 新提取", t0)
	again.PolicyID, again.SnapshotID = p.ID, v1.SnapshotID
	if stored, err := s.RecordReextraction(ctx, again); err != nil || stored {
		t.Errorf("same re-extraction twice: stored %v, %v", stored, err)
	}
	vs, _ := s.ListVersions(ctx, p.ID)
	if len(vs) != 3 || vs[0].ID != v1.ID || vs[1].ID != re.ID || vs[2].ID != v2.ID {
		t.Fatalf("versions: %+v", vs)
	}
	if !vs[1].Technical || vs[1].Source != "reextract" || vs[0].Technical || vs[2].Technical {
		t.Errorf("technical flags: %+v", vs)
	}
	got, _ := s.FindVersion(ctx, re.ID)
	if got.Text != "第一版 新提取" || !got.Technical || got.SnapshotID != v1.SnapshotID {
		t.Errorf("re-extracted version: %+v", got)
	}
	// Not a change: the feed shows only v1→…→v2, from the re-extraction.
	changes, _ := s.ListChanges(ctx, policywatch.ChangeFilter{PolicyID: p.ID})
	if len(changes) != 1 || changes[0].ToVersion != v2.ID || changes[0].FromVersion != re.ID {
		t.Errorf("changes: %+v", changes)
	}
	pending, _ := s.PendingChanges(ctx, 10)
	for _, c := range pending {
		if c.ToVersion == re.ID {
			t.Errorf("a re-extraction waits to be announced: %+v", c)
		}
	}
	pol, _ := s.FindPolicy(ctx, p.ID)
	if !pol.LastChangedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("last changed %v moved by a re-extraction", pol.LastChangedAt)
	}
}

func testPendingChanges(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	v1, v2 := version("第一版", t0), version("第二版", t0.Add(time.Hour))
	record(t, s, check(p.ID, t0, v1, "one"))
	record(t, s, check(p.ID, t0.Add(time.Hour), v2, "two"))
	record(t, s, check(p.ID, t0.Add(2*time.Hour), version("第二版", t0.Add(2*time.Hour)), "two-again"))
	imported := version("导入的旧版", t0.Add(-time.Hour))
	imported.PolicyID, imported.Source = p.ID, "import"
	if _, err := s.ImportVersion(ctx, nil, imported); err != nil {
		t.Fatal(err)
	}
	pending, err := s.PendingChanges(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Only the change a check found: not the first version, not the
	// unchanged check, not the back-fill.
	if len(pending) != 1 || pending[0].ToVersion != v2.ID || pending[0].FromVersion != v1.ID || pending[0].Platform != "A" {
		t.Fatalf("pending: %+v", pending)
	}
	if err := s.MarkChangeNotified(ctx, v2.ID); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.PendingChanges(ctx, 10); len(pending) != 0 {
		t.Errorf("after marking: %+v", pending)
	}
}

func testHostSlots(t *testing.T, s policywatch.Store) {
	const host = "a.example"
	var held atomic.Int32
	var wg sync.WaitGroup
	slots := make(chan int, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slot, ok, err := s.AcquireHostSlot(ctx, host, 2, "w"+string(rune('a'+i)), time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				held.Add(1)
				slots <- slot
			}
		}()
	}
	wg.Wait()
	close(slots)
	if held.Load() != 2 {
		t.Fatalf("%d holders of a host limited to 2", held.Load())
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "b.example", 2, "x", time.Minute); !ok {
		t.Error("another host is limited by the first one's slots")
	}
	// Releasing by someone else does nothing; by the holder frees the slot.
	if err := s.ReleaseHostSlot(ctx, host, 0, "stranger"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, host, 2, "late", time.Minute); ok {
		t.Error("slot taken while both are held")
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "c.example", 1, "dead", time.Millisecond); !ok {
		t.Fatal("c.example")
	}
	time.Sleep(5 * time.Millisecond)
	if _, ok, _ := s.AcquireHostSlot(ctx, "c.example", 1, "alive", time.Minute); !ok {
		t.Error("an expired slot is not freed")
	}
	if a, b := <-slots, <-slots; a == b {
		t.Errorf("two holders of slot %d", a)
	}
	slot, ok, _ := s.AcquireHostSlot(ctx, "d.example", 1, "me", time.Minute)
	if !ok {
		t.Fatal("d.example")
	}
	if err := s.ReleaseHostSlot(ctx, "d.example", slot, "me"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireHostSlot(ctx, "d.example", 1, "next", time.Minute); !ok {
		t.Error("a released slot is still taken")
	}
}

func testSubscriptions(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	subs := []*policywatch.Subscription{
		{Kind: "webhook", Target: "http://127.0.0.1:9/hook", Format: "json", PolicyID: p.ID, MinLevel: "minor"},
		{Kind: "email", Target: "dpo@example.com", Platform: "A", Admin: true, Lang: "en"},
	}
	for _, sub := range subs {
		if err := s.CreateSubscription(ctx, sub); err != nil || sub.ID == 0 {
			t.Fatalf("CreateSubscription: %v", err)
		}
	}
	if err := s.CreateSubscription(ctx, &policywatch.Subscription{Kind: "webhook", Target: "http://x/", PolicyID: 99999}); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("subscription to a missing policy: %v", err)
	}
	got, err := s.ListSubscriptions(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("ListSubscriptions: %+v, %v", got, err)
	}
	if g := got[0]; g.Target != subs[0].Target || g.Format != "json" || g.PolicyID != p.ID || g.MinLevel != "minor" || g.Lang != "zh" || g.Admin {
		t.Errorf("first: %+v", g)
	}
	if g := got[1]; !g.Admin || g.Platform != "A" || g.Lang != "en" || g.PolicyID != 0 || g.CreatedAt.IsZero() {
		t.Errorf("second: %+v", g)
	}
	if err := s.DeleteSubscription(ctx, subs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSubscription(ctx, subs[0].ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if got, _ := s.ListSubscriptions(ctx); len(got) != 1 {
		t.Errorf("after delete: %+v", got)
	}
}

func testDeliveries(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	sub := &policywatch.Subscription{Kind: "webhook", Target: "http://127.0.0.1:9/hook"}
	if err := s.CreateSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	mk := func(key string) *policywatch.Delivery {
		return &policywatch.Delivery{SubscriptionID: sub.ID, Event: "change", EventKey: key, PolicyID: p.ID,
			ToVersion: 7, Payload: []byte(`{"level":"minor"}`)}
	}
	first := []*policywatch.Delivery{mk("change:7"), mk("change:8")}
	if err := s.AddDeliveries(ctx, first); err != nil {
		t.Fatal(err)
	}
	if first[0].ID == 0 || first[1].ID == 0 || first[0].Status != policywatch.DeliveryPending {
		t.Fatalf("added: %+v", first)
	}
	// Made again (a second worker, a sweep): nothing new.
	again := []*policywatch.Delivery{mk("change:7")}
	if err := s.AddDeliveries(ctx, again); err != nil || again[0].ID != 0 {
		t.Errorf("same delivery twice: id %d, %v", again[0].ID, err)
	}
	d, err := s.FindDelivery(ctx, first[0].ID)
	if err != nil || string(d.Payload) != `{"level": "minor"}` && string(d.Payload) != `{"level":"minor"}` || d.EventKey != "change:7" || d.ToVersion != 7 {
		t.Fatalf("FindDelivery: %+v, %v", d, err)
	}
	d.Status, d.Attempts, d.LastError, d.SentAt = policywatch.DeliverySent, 2, "", t0
	if err := s.UpdateDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	sent, _ := s.ListDeliveries(ctx, policywatch.DeliveryFilter{Status: policywatch.DeliverySent})
	if len(sent) != 1 || sent[0].Attempts != 2 || !sent[0].SentAt.Equal(t0) {
		t.Errorf("sent: %+v", sent)
	}
	if all, _ := s.ListDeliveries(ctx, policywatch.DeliveryFilter{SubscriptionID: sub.ID}); len(all) != 2 || all[0].ID != first[1].ID {
		t.Errorf("all, newest first: %+v", all)
	}
	if _, err := s.FindDelivery(ctx, 99999); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("missing delivery: %v", err)
	}
	// The next page: the deliveries older than the last one shown.
	if older, _ := s.ListDeliveries(ctx, policywatch.DeliveryFilter{Before: first[1].ID}); len(older) != 1 || older[0].ID != first[0].ID {
		t.Errorf("before %d: %+v", first[1].ID, older)
	}
	if none, _ := s.ListDeliveries(ctx, policywatch.DeliveryFilter{Before: first[0].ID}); len(none) != 0 {
		t.Errorf("before the oldest: %+v", none)
	}
	other := &policywatch.Subscription{Kind: "email", Target: "dpo@example.com"}
	if err := s.CreateSubscription(ctx, other); err != nil {
		t.Fatal(err)
	}
	failed := &policywatch.Delivery{SubscriptionID: other.ID, Event: "change", EventKey: "change:7", PolicyID: p.ID, Payload: []byte(`{}`)}
	if err := s.AddDeliveries(ctx, []*policywatch.Delivery{failed}); err != nil {
		t.Fatal(err)
	}
	failed.Status, failed.Attempts, failed.LastError = policywatch.DeliveryFailed, 1, "550 no such mailbox"
	if err := s.UpdateDelivery(ctx, failed); err != nil {
		t.Fatal(err)
	}
	counts, err := s.DeliveryCounts(ctx)
	want := map[int64]policywatch.DeliveryCounts{sub.ID: {Sent: 1, Pending: 1}, other.ID: {Failed: 1}}
	if err != nil || !maps.Equal(counts, want) {
		t.Errorf("DeliveryCounts: %v %v, want %v", counts, err, want)
	}
}
