package jobs

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRiverLoggerQuietsStopNoise(t *testing.T) {
	var buf bytes.Buffer
	l := riverLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	l.Error("maintenance.PeriodicJobEnqueuer: Error starting transaction", "error", errors.New("context canceled"))
	l.Error("real trouble", "error", errors.New("connection refused"))
	out := buf.String()
	if strings.Contains(out, "PeriodicJobEnqueuer") || !strings.Contains(out, "real trouble") {
		t.Errorf("log:\n%s", out)
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://Privacy.Example.COM:8443/p?x=1": "privacy.example.com:8443",
		"http://127.0.0.3:9000/p/1":              "127.0.0.3:9000",
		"not a url":                              "not a url",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}
