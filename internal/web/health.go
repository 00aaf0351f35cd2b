package web

import (
	"context"
	"net/http"
	"time"
)

// health answers 200 "ok" when the database answers, 503 otherwise: a
// load balancer or supervisor can act on it.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.LatestVersion(ctx, 0); err != nil {
		s.log.Error("health: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
