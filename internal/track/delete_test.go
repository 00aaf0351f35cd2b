package track

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/testpages"
)

// A policy deleted while its page is being fetched: the check records
// nothing and says the policy is gone (not_found), not that storing
// failed (internal, which the job queue would retry).
func TestPolicyDeletedDuringCheck(t *testing.T) {
	h := newHarness(t)
	body := testpages.HTML(capp(t, "QQ"), testpages.Options{Charset: "utf-8"})
	var p *policywatch.Policy
	url := h.site.handle("/deleted", func(w http.ResponseWriter, r *http.Request) {
		if err := h.store.DeletePolicy(r.Context(), p.ID); err != nil {
			t.Errorf("DeletePolicy: %v", err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
	p = h.add(url, func(p *policywatch.Policy) { p.Render = policywatch.RenderHTTP })
	o := h.checker.Check(context.Background(), p.ID)
	if o.Result != policywatch.ResultFailed || o.ErrorClass != policywatch.ErrNotFound {
		t.Errorf("outcome %s %s (%s), want failed not_found", o.Result, o.ErrorClass, o.Error)
	}
	if list, _ := h.store.ListPolicies(context.Background()); len(list) != 0 {
		t.Errorf("policies left: %+v", list)
	}
}
