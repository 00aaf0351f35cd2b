package web

import (
	"net/http"
	"sync"

	"github.com/policywatch/policywatch/internal/textdiff"
)

// memo keeps the most recent results of a computation whose input never
// changes under its key: stored versions are immutable, so a pair's diff
// stays right for as long as it is kept.
type memo[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order []K
	items map[K]V
}

func newMemo[K comparable, V any](n int) *memo[K, V] {
	return &memo[K, V]{max: n, items: map[K]V{}}
}

func (c *memo[K, V]) get(k K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.items[k]; ok {
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; !ok {
		if len(c.order) >= c.max {
			delete(c.items, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, k)
		c.items[k] = v
	}
	return v, nil
}

// pairKey names a comparison of two versions.
type pairKey struct{ from, to int64 }

// compare diffs two stored versions, through the cache.
func (s *Server) compare(r *http.Request, from, to int64) (textdiff.Result, error) {
	return s.diffs.get(pairKey{from, to}, func() (textdiff.Result, error) {
		a, err := s.store.FindVersion(r.Context(), from)
		if err != nil {
			return textdiff.Result{}, err
		}
		b, err := s.store.FindVersion(r.Context(), to)
		if err != nil {
			return textdiff.Result{}, err
		}
		return textdiff.Compare(a.Text, b.Text), nil
	})
}
