package bulk

import (
	"strings"
	"testing"

	"github.com/policywatch/policywatch"
)

func TestReadDeclarations(t *testing.T) {
	rows, err := ReadDeclarations("testdata/collection")
	if err != nil {
		t.Fatal(err)
	}
	type expect struct {
		source, name, url, sel, remove string
		kind                           policywatch.Kind
		render                         policywatch.RenderMode
		err                            string
		notes                          int
	}
	wants := []expect{
		{source: "Broken.json", err: "cannot read the declaration"},
		{source: "Ranged.json: Imprint", err: "no fetch URL"},
		{source: "Ranged.json: Privacy Policy", err: "range selectors"},
		{source: "WeChat.json: Community Guidelines (1/2)", name: "WeChat Community Guidelines (1/2)",
			url: "https://www.wechat.com/en/community/part-1.html", sel: ".article", kind: policywatch.KindTerms, render: policywatch.RenderAuto},
		{source: "WeChat.json: Community Guidelines (2/2)", name: "WeChat Community Guidelines (2/2)",
			url: "https://www.wechat.com/en/community/part-2.html", sel: ".article", kind: policywatch.KindTerms, render: policywatch.RenderBrowser},
		{source: "WeChat.json: Terms of Service", name: "WeChat Terms of Service", url: "https://www.wechat.com/en/service_terms.html",
			sel: "#agreement", remove: ".print-button", kind: policywatch.KindTerms, render: policywatch.RenderAuto, notes: 2},
		{source: "豆包.json: Privacy Policy", name: "豆包 Privacy Policy", url: "https://www.doubao.com/legal/privacy",
			sel: "#legal-content", remove: ".legal-nav,.back-to-top", kind: policywatch.KindPrivacy, render: policywatch.RenderAuto},
		{source: "豆包.json: Terms of Service", name: "豆包 Terms of Service", url: "https://www.doubao.com/legal/terms",
			sel: "#terms-title, #terms-body", kind: policywatch.KindTerms, render: policywatch.RenderBrowser},
	}
	if len(rows) != len(wants) {
		for _, r := range rows {
			t.Logf("%s: %+v %v", r.Where(), r.Policy, r.Err)
		}
		t.Fatalf("%d rows, want %d", len(rows), len(wants))
	}
	for i, w := range wants {
		r := rows[i]
		if r.Where() != w.source {
			t.Errorf("row %d from %q, want %q", i, r.Where(), w.source)
			continue
		}
		if w.err != "" {
			if r.Err == nil || !strings.Contains(r.Err.Error(), w.err) {
				t.Errorf("%s: error %v, want %q", w.source, r.Err, w.err)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("%s: %v", w.source, r.Err)
			continue
		}
		p := r.Policy
		if p.Name != w.name || p.URL != w.url || p.Select != w.sel || strings.Join(p.Remove, ",") != w.remove ||
			p.Kind != w.kind || p.Render != w.render || p.Platform != strings.SplitN(w.name, " ", 2)[0] {
			t.Errorf("%s: %+v", w.source, p)
		}
		if len(r.Notes) != w.notes {
			t.Errorf("%s: notes %q, want %d", w.source, r.Notes, w.notes)
		}
	}
}

func TestReadDeclarationsNotAFolder(t *testing.T) {
	if _, err := ReadDeclarations("testdata/nothing-here"); !policywatch.IsClass(err, policywatch.ErrInvalid) {
		t.Errorf("missing folder: %v", err)
	}
}

func TestKindOfTermsType(t *testing.T) {
	for termsType, want := range map[string]policywatch.Kind{
		"Privacy Policy":          policywatch.KindPrivacy,
		"Business Privacy Policy": policywatch.KindPrivacy,
		"Trackers Policy":         policywatch.KindPrivacy,
		"Children's Privacy":      policywatch.KindChildren,
		"Terms of Service":        policywatch.KindTerms,
		"Community Guidelines":    policywatch.KindTerms,
		"Imprint":                 policywatch.KindTerms,
	} {
		if got := KindOfTermsType(termsType); got != want {
			t.Errorf("%s: %s, want %s", termsType, got, want)
		}
	}
}
