package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/policywatch/policywatch"
)

// TestCheckCollector: the database's counts become the check counters,
// the versions recorded and a cumulative duration histogram per renderer.
func TestCheckCollector(t *testing.T) {
	stats := []policywatch.CheckStat{
		{Result: "first", Renderer: "http", UpTo: 250 * time.Millisecond, Checks: 2, Total: 300 * time.Millisecond},
		{Result: "changed", Renderer: "http", UpTo: 0, Checks: 1, Total: 2 * time.Minute},
		{Result: "unchanged", Renderer: "http", UpTo: 5 * time.Millisecond, Checks: 10, Total: 20 * time.Millisecond},
		{Result: "failed", ErrorClass: "http_status", UpTo: 5 * time.Millisecond, Checks: 3},
	}
	c := NewCheckCollector(func(context.Context) ([]policywatch.CheckStat, error) { return stats, nil })
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counters := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			if m.GetCounter() == nil {
				continue
			}
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			counters[f.GetName()+"{"+strings.Join(labels, ",")+"}"] = m.GetCounter().GetValue()
		}
	}
	wantCounters := map[string]float64{
		"policywatch_checks_total{error_class=,result=changed}":           1,
		"policywatch_checks_total{error_class=,result=first}":             2,
		"policywatch_checks_total{error_class=,result=unchanged}":         10,
		"policywatch_checks_total{error_class=http_status,result=failed}": 3,
		"policywatch_versions_recorded_total{result=changed}":             1,
		"policywatch_versions_recorded_total{result=first}":               2,
	}
	if len(counters) != len(wantCounters) {
		t.Errorf("counters %v, want %v", counters, wantCounters)
	}
	for k, v := range wantCounters {
		if counters[k] != v {
			t.Errorf("%s = %g, want %g", k, counters[k], v)
		}
	}
	buckets := map[string]map[float64]uint64{}
	counts := map[string]uint64{}
	for _, f := range families {
		if f.GetName() != "policywatch_check_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			r := m.GetLabel()[0].GetValue()
			buckets[r] = map[float64]uint64{}
			for _, b := range m.GetHistogram().GetBucket() {
				buckets[r][b.GetUpperBound()] = b.GetCumulativeCount()
			}
			counts[r] = m.GetHistogram().GetSampleCount()
		}
	}
	for _, tt := range []struct {
		renderer string
		le       float64
		want     uint64
	}{
		{"http", 0.005, 10}, {"http", 0.1, 10}, {"http", 0.25, 12}, {"http", 60, 12},
		{"none", 0.005, 3}, {"none", 60, 3},
	} {
		if got := buckets[tt.renderer][tt.le]; got != tt.want {
			t.Errorf("%s le=%g: %d, want %d", tt.renderer, tt.le, got, tt.want)
		}
	}
	if counts["http"] != 13 || counts["none"] != 3 {
		t.Errorf("counts %v, want http 13 (one past the last bucket), none 3", counts)
	}
}

// TestCheckCollectorError: a database that does not answer is an error of
// these metrics alone.
func TestCheckCollectorError(t *testing.T) {
	c := NewCheckCollector(func(context.Context) ([]policywatch.CheckStat, error) { return nil, errors.New("database is closed") })
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	if _, err := reg.Gather(); err == nil || !strings.Contains(err.Error(), "database is closed") {
		t.Errorf("gather: %v", err)
	}
}
