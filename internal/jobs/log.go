package jobs

import (
	"context"
	"log/slog"
	"strings"
)

// riverLogger passes River's log on, except that what River reports as an
// error because it is being stopped (its work context cancelled) is only
// debug: every `worker --once` would otherwise end with an error line.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(&stopNoise{l.Handler()})
}

type stopNoise struct{ slog.Handler }

func (h *stopNoise) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn && mentionsCancel(r) {
		r = slog.NewRecord(r.Time, slog.LevelDebug, r.Message, r.PC)
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h *stopNoise) WithAttrs(as []slog.Attr) slog.Handler {
	return &stopNoise{h.Handler.WithAttrs(as)}
}
func (h *stopNoise) WithGroup(name string) slog.Handler { return &stopNoise{h.Handler.WithGroup(name)} }

func mentionsCancel(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if strings.Contains(a.Value.String(), "context canceled") {
			found = true
		}
		return !found
	})
	return found
}
