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
