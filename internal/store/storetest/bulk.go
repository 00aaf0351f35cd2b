package storetest

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

func policy(platform, name, url string) *policywatch.Policy {
	return &policywatch.Policy{Platform: platform, Name: name, URL: url, Kind: policywatch.KindPrivacy,
		Render: policywatch.RenderAuto, Interval: policywatch.DefaultInterval}
}

func testCreatePolicies(t *testing.T, s policywatch.Store) {
	stored := newPolicy(t, s, "A", "隐私政策", "https://a.example/privacy")
	ps := []*policywatch.Policy{
		policy("A", "用户协议", "https://a.example/terms"),
		policy("B", "隐私政策", "https://a.example/privacy"),      // URL stored already
		policy("A", "隐私政策", "https://a.example/other"),        // platform and name stored already
		policy("C", "隐私政策", "https://c.example/privacy"),      // new platform
		policy("C", "隐私政策", "https://c.example/privacy-new"),  // same as the row before
		policy("D", "隐私政策", "https://c.example/privacy"),      // URL of a row before
		policy("C", "儿童政策", "https://c.example/privacy#kids"), // a fragment makes another URL
	}
	skipped, err := s.CreatePolicies(ctx, ps)
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := []bool{false, true, true, false, true, true, false}
	for i, want := range wantSkipped {
		if got := skipped[i] != nil; got != want {
			t.Errorf("policy %d: skipped %v (%v), want %v", i, got, skipped[i], want)
		}
		if want && !policywatch.IsClass(skipped[i], policywatch.ErrAlreadyExists) {
			t.Errorf("policy %d: %v, want already_exists", i, skipped[i])
		}
		if want != (ps[i].ID == 0) {
			t.Errorf("policy %d: id %d", i, ps[i].ID)
		}
	}
	list, _ := s.ListPolicies(ctx)
	if len(list) != 4 {
		t.Fatalf("%d policies stored, want 4: %+v", len(list), list)
	}
	got, err := s.FindPolicy(ctx, ps[3].ID)
	if err != nil || got.Platform != "C" || got.URL != "https://c.example/privacy" || got.Status != policywatch.StatusActive ||
		got.NextCheckAt.IsZero() || ps[3].PlatformID != ps[6].PlatformID || ps[0].PlatformID != stored.PlatformID {
		t.Errorf("stored: %+v, %v", got, err)
	}
	if skipped, err := s.CreatePolicies(ctx, nil); err != nil || len(skipped) != 0 {
		t.Errorf("no policies: %v, %v", skipped, err)
	}
}

// A policy the transaction cannot store (no platform: not a duplicate) fails
// the whole transaction: none of the policies before it stays.
func testCreatePoliciesAllOrNothing(t *testing.T, s policywatch.Store) {
	ps := []*policywatch.Policy{
		policy("A", "一", "https://a.example/1"),
		policy("B", "二", "https://b.example/2"),
		policy("", "三", "https://c.example/3"),
	}
	if _, err := s.CreatePolicies(ctx, ps); err == nil {
		t.Fatal("a policy without platform was stored")
	}
	if list, _ := s.ListPolicies(ctx); len(list) != 0 {
		t.Errorf("half added: %+v", list)
	}
	for i, p := range ps {
		if p.ID != 0 {
			t.Errorf("policy %d keeps the id %d of a rolled back row", i, p.ID)
		}
	}
	// The first two alone go in: nothing of the failed attempt is in the way.
	if skipped, err := s.CreatePolicies(ctx, ps[:2]); err != nil || skipped[0] != nil || skipped[1] != nil {
		t.Errorf("second attempt: %v, %v", skipped, err)
	}
}

// Two writers adding the same URL at once: one of them stores it.
func testConcurrentCreateSameURL(t *testing.T, s policywatch.Store) {
	const writers = 4
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			p := policy(fmt.Sprint("P", i), "隐私政策", "https://same.example/")
			p.Select = fmt.Sprintf("#part%d", i) // the old rule let these all in
			errs <- s.CreatePolicy(ctx, p)
		}()
	}
	stored := 0
	for range writers {
		err := <-errs
		switch {
		case err == nil:
			stored++
		case !policywatch.IsClass(err, policywatch.ErrAlreadyExists):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if stored != 1 {
		t.Errorf("%d writers stored the same URL", stored)
	}
}

func testDeletePolicy(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	other := newPolicy(t, s, "A", "用户协议", "https://a.example/terms")
	v1, v2 := version("第一版", t0), version("第二版", t0.Add(time.Hour))
	recordAll(t, s, p.ID, "p", v1, v2) // v2 is a change waiting in the outbox
	record(t, s, failure(p.ID, t0.Add(2*time.Hour)))
	ov := version("另一份政策", t0)
	record(t, s, check(other.ID, t0, ov, "o"))
	if err := s.SaveAnalysis(ctx, &policywatch.Analysis{FromVersion: v1.ID, ToVersion: v2.ID, Engine: "builtin",
		Lang: "zh", Level: policywatch.LevelMinor, Summary: "x", Report: []byte(`{}`), AnalyzedAt: t0}); err != nil {
		t.Fatal(err)
	}
	toPolicy := &policywatch.Subscription{Kind: "webhook", Target: "http://127.0.0.1:9/p", PolicyID: p.ID}
	toAll := &policywatch.Subscription{Kind: "webhook", Target: "http://127.0.0.1:9/all"}
	for _, sub := range []*policywatch.Subscription{toPolicy, toAll} {
		if err := s.CreateSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	delivery := func(sub *policywatch.Subscription, policyID, version int64) *policywatch.Delivery {
		return &policywatch.Delivery{SubscriptionID: sub.ID, Event: policywatch.EventChange,
			EventKey: fmt.Sprint("change:", version), PolicyID: policyID, ToVersion: version, Payload: []byte(`{}`)}
	}
	gone := []*policywatch.Delivery{delivery(toPolicy, p.ID, v2.ID), delivery(toAll, p.ID, v2.ID)}
	kept := delivery(toAll, other.ID, ov.ID)
	if err := s.AddDeliveries(ctx, append(gone, kept)); err != nil {
		t.Fatal(err)
	}
	snapshot := v1.SnapshotID

	if err := s.DeletePolicy(ctx, p.ID); err != nil {
		t.Fatal(err)
	}

	if _, err := s.FindPolicy(ctx, p.ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("policy: %v", err)
	}
	for _, v := range []*policywatch.Version{v1, v2} {
		if _, err := s.FindVersion(ctx, v.ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
			t.Errorf("version %d: %v", v.ID, err)
		}
	}
	if _, err := s.FindSnapshot(ctx, snapshot); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("snapshot: %v", err)
	}
	if runs, _ := s.ListCheckRuns(ctx, p.ID, 10); len(runs) != 0 {
		t.Errorf("check runs left: %+v", runs)
	}
	if as, _ := s.FindAnalyses(ctx, v1.ID, v2.ID); len(as) != 0 {
		t.Errorf("analyses left: %+v", as)
	}
	if pending, _ := s.PendingChanges(ctx, 10); len(pending) != 0 {
		t.Errorf("outbox left: %+v", pending)
	}
	subs, _ := s.ListSubscriptions(ctx)
	if len(subs) != 1 || subs[0].ID != toAll.ID {
		t.Errorf("subscriptions: %+v", subs)
	}
	for _, d := range gone {
		if _, err := s.FindDelivery(ctx, d.ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
			t.Errorf("delivery %d: %v", d.ID, err)
		}
	}
	// The other policy of the platform keeps everything.
	if _, err := s.FindDelivery(ctx, kept.ID); err != nil {
		t.Errorf("other policy's delivery: %v", err)
	}
	if vs, _ := s.ListVersions(ctx, other.ID); len(vs) != 1 {
		t.Errorf("other policy's versions: %+v", vs)
	}
	if got, err := s.FindPolicy(ctx, other.ID); err != nil || got.Platform != "A" {
		t.Errorf("other policy: %+v, %v", got, err)
	}
	if err := s.DeletePolicy(ctx, p.ID); !policywatch.IsClass(err, policywatch.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	// Its URL and name are free again.
	newPolicy(t, s, "A", "隐私政策", "https://a.example/")
}

// RefusePolicyNamed makes the database itself refuse to store a policy
// named name (a trigger raising an error), so that a test can make a write
// transaction fail part way, after rows before it were written.
func RefusePolicyNamed(t testing.TB, db *sql.DB, postgres bool, name string) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_policy BEFORE INSERT ON policies
		WHEN NEW.name = '` + name + `' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`}
	if postgres {
		stmts = []string{`CREATE FUNCTION refuse_policy() RETURNS trigger AS $$
			BEGIN IF NEW.name = '` + name + `' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END
			$$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_policy BEFORE INSERT ON policies FOR EACH ROW EXECUTE FUNCTION refuse_policy()`}
	}
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("cannot install the refusing trigger: %v", err)
		}
	}
}

// testIDsNeverGivenTwice: the ids of the newest policy, versions,
// subscription and delivery, once deleted, are not given to the next ones:
// links and notifications that named them must not come to show something
// else.
func testIDsNeverGivenTwice(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	v1, v2 := version("第一版", t0), version("第二版", t0.Add(time.Hour))
	recordAll(t, s, p.ID, "p", v1, v2)
	sub, d := subscribeWithDelivery(t, s, p.ID, v2.ID)
	if err := s.DeletePolicy(ctx, p.ID); err != nil {
		t.Fatal(err)
	}

	again := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	w1 := version("第一版", t0)
	recordAll(t, s, again.ID, "q", w1)
	sub2, d2 := subscribeWithDelivery(t, s, again.ID, w1.ID)
	for _, tt := range []struct {
		what     string
		old, new int64
	}{
		{"policy", p.ID, again.ID}, {"version", v2.ID, w1.ID}, {"subscription", sub.ID, sub2.ID}, {"delivery", d.ID, d2.ID},
	} {
		if tt.new <= tt.old {
			t.Errorf("new %s %d, want past the deleted %d", tt.what, tt.new, tt.old)
		}
	}

	// Deleting a subscription (its deliveries go with it) keeps their ids
	// too.
	if err := s.DeleteSubscription(ctx, sub2.ID); err != nil {
		t.Fatal(err)
	}
	sub3, d3 := subscribeWithDelivery(t, s, again.ID, w1.ID)
	if sub3.ID <= sub2.ID || d3.ID <= d2.ID {
		t.Errorf("after deleting subscription %d (delivery %d): subscription %d, delivery %d", sub2.ID, d2.ID, sub3.ID, d3.ID)
	}
}

// subscribeWithDelivery subscribes a webhook to a policy and makes it one
// delivery of a change to the version.
func subscribeWithDelivery(t *testing.T, s policywatch.Store, policyID, versionID int64) (*policywatch.Subscription, *policywatch.Delivery) {
	t.Helper()
	sub := &policywatch.Subscription{Kind: "webhook", Target: "http://127.0.0.1:9/hook", PolicyID: policyID}
	if err := s.CreateSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	d := &policywatch.Delivery{SubscriptionID: sub.ID, Event: policywatch.EventChange, EventKey: fmt.Sprint("change:", versionID),
		PolicyID: policyID, ToVersion: versionID, Payload: []byte(`{}`)}
	if err := s.AddDeliveries(ctx, []*policywatch.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	return sub, d
}
