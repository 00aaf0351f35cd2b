package web

import (
	"net/http"
	"strconv"

	"github.com/policywatch/policywatch"
)

// Lists of many policies or changes are cut into pages of these sizes.
const (
	policiesPerPage = 100
	changesPerPage  = 50
	matrixPerPage   = 50 // a matrix row holds a policy's every recipient
)

// maxPage bounds ?page= so that an offset never overflows.
const maxPage = 1_000_000

// pager is one page of a list: its number, the number of pages (0 when
// not counted) and the links to the pages before and after it ("" when
// there is none), keeping the list's other parameters.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

// pageNumber reads ?page=: 1 when absent, invalid input unless a number
// from 1 up.
func pageNumber(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("page")
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPage {
		return 0, policywatch.Errorl(policywatch.ErrInvalid, "invalid.page", raw)
	}
	return n, nil
}

// newPager is the pager of page number of a list whose pages after it
// exist when more is true; pages is their count, 0 when not counted.
func newPager(r *http.Request, number, pages int, more bool) pager {
	pg := pager{Page: number, Pages: pages}
	if number > 1 {
		pg.Prev = pageLink(r, number-1)
	}
	if more {
		pg.Next = pageLink(r, number+1)
	}
	return pg
}

// countedPager is the pager of page number of a list of total items.
func countedPager(r *http.Request, number, total, size int) pager {
	pages := max((total+size-1)/size, 1)
	return newPager(r, number, pages, number < pages)
}

// pageLink is the request's URL on another page of its list.
func pageLink(r *http.Request, number int) string {
	q := r.URL.Query()
	if number <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(number))
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// linkNext tells an API client where the next page of its list is, in a
// Link header (RFC 8288), when there is one.
func (s *Server) linkNext(w http.ResponseWriter, r *http.Request, pg pager) {
	if pg.Next != "" {
		w.Header().Set("Link", "<"+s.baseURL(r)+pg.Next+`>; rel="next"`)
	}
}
