package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"syscall"
)

// logRequestError logs a handler's failure at ERROR, or at DEBUG when the
// client has gone: its request's context is done (it disconnected, or the
// server is shutting down) or the error says so. Nothing is wrong with the
// server then, and a log full of such lines hides what is.
func (s *Server) logRequestError(r *http.Request, msg string, args ...any) {
	level := slog.LevelError
	if r.Context().Err() != nil {
		level = slog.LevelDebug
	}
	s.log.Log(r.Context(), level, msg, args...)
}

// quietDisconnects is the server's log handler: a record above DEBUG
// whose attributes carry an error that only says the client went away
// (clientGone) is logged at DEBUG, wherever in the server it is logged.
type quietDisconnects struct{ slog.Handler }

func (h quietDisconnects) Handle(ctx context.Context, r slog.Record) error {
	if r.Level > slog.LevelDebug && recordsClientGone(r) {
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietDisconnects) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietDisconnects{h.Handler.WithAttrs(attrs)}
}

func (h quietDisconnects) WithGroup(name string) slog.Handler {
	return quietDisconnects{h.Handler.WithGroup(name)}
}

func recordsClientGone(r slog.Record) bool {
	gone := false
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok && clientGone(err) {
			gone = true
		}
		return !gone
	})
	return gone
}

// clientGone reports an error that only says the client went away: the
// request's context is cancelled when its connection closes, and writing
// to a closed connection fails with a broken pipe or a reset.
func clientGone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
