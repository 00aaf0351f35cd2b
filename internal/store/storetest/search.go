package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/policywatch/policywatch"
)

// hit is what a search hit is tested by.
type hit struct {
	policy  string
	version int64
	line    int
	text    string
}

func hitsOf(res *policywatch.SearchResult) []hit {
	var out []hit
	for _, h := range res.Hits {
		out = append(out, hit{h.Platform + "/" + h.Policy, h.VersionID, h.Line, h.Text})
	}
	return out
}

func searchFor(t *testing.T, s policywatch.Store, q policywatch.SearchQuery) *policywatch.SearchResult {
	t.Helper()
	res, err := s.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// testSearch finds Chinese and English phrases in the current versions and
// in history: substrings without word segmentation, letters in any case,
// phrases shorter than a trigram, lines numbered over the normalized text
// (blank lines counted), in the order of platform, policy and line.
func testSearch(t *testing.T, s policywatch.Store) {
	// 乙's policy: the phrase arrives in its second version and stays.
	b := newPolicy(t, s, "乙", "隐私政策", "https://b.example/")
	b1 := version("# 隐私政策\n\n我们收集您的设备信息。", t0)
	b2 := version("# 隐私政策\n\n我们收集您的设备信息。\n\n我们使用人脸识别技术验证身份，并接入友盟+SDK。\n\nWe use Face ID to sign you in.", t0.Add(time.Hour))
	b3 := version("# 隐私政策\n\n我们使用人脸识别技术验证身份，并接入友盟+SDK。\n\nWe use Face ID to sign you in.\n第三方ＳＤＫ：友盟", t0.Add(2*time.Hour))
	recordAll(t, s, b.ID, "b", b1, b2, b3)
	// 甲's policy: present first, dropped, back again.
	a := newPolicy(t, s, "甲", "用户协议", "https://a.example/")
	a1 := version("第一条 人脸识别信息属于敏感个人信息。", t0)
	a2 := version("第一条 本协议适用于全部服务。", t0.Add(time.Hour))
	a3 := version("第一条 本协议适用于全部服务。\n第二条 人脸识别信息属于敏感个人信息。", t0.Add(2*time.Hour))
	recordAll(t, s, a.ID, "a", a1, a2, a3)
	// A policy without the phrase, and one with no version at all.
	c := newPolicy(t, s, "丙", "隐私政策", "https://c.example/")
	recordAll(t, s, c.ID, "c", version("我们不收集任何信息。FACE masks are not sold here.", t0))
	newPolicy(t, s, "丁", "隐私政策", "https://d.example/")

	// Platforms in code point order (丙 U+4E19, 乙 U+4E59, 甲 U+7532), each
	// policy's lines in order.
	tests := []struct {
		q    policywatch.SearchQuery
		want []hit
	}{
		{policywatch.SearchQuery{Phrase: "人脸识别"}, []hit{
			{"乙/隐私政策", b3.ID, 3, "我们使用人脸识别技术验证身份,并接入友盟+SDK。"},
			{"甲/用户协议", a3.ID, 2, "第二条 人脸识别信息属于敏感个人信息。"},
		}},
		// Two characters: below the trigram index, found all the same;
		// full-width ＳＤＫ is normalized to SDK.
		{policywatch.SearchQuery{Phrase: "友盟"}, []hit{
			{"乙/隐私政策", b3.ID, 3, "我们使用人脸识别技术验证身份,并接入友盟+SDK。"},
			{"乙/隐私政策", b3.ID, 6, "第三方SDK:友盟"},
		}},
		{policywatch.SearchQuery{Phrase: "face id"}, []hit{{"乙/隐私政策", b3.ID, 5, "We use Face ID to sign you in."}}},
		{policywatch.SearchQuery{Phrase: "FACE"}, []hit{
			{"丙/隐私政策", 0, 1, "我们不收集任何信息。FACE masks are not sold here."},
			{"乙/隐私政策", b3.ID, 5, "We use Face ID to sign you in."},
		}},
		{policywatch.SearchQuery{Phrase: "Id"}, []hit{{"乙/隐私政策", b3.ID, 5, "We use Face ID to sign you in."}}},
		{policywatch.SearchQuery{Phrase: "ＳＤＫ：友"}, []hit{{"乙/隐私政策", b3.ID, 6, "第三方SDK:友盟"}}},
		{policywatch.SearchQuery{Phrase: "设备信息"}, nil},
		{policywatch.SearchQuery{Phrase: "人脸识别", AllVersions: true}, []hit{
			{"乙/隐私政策", b2.ID, 5, "我们使用人脸识别技术验证身份,并接入友盟+SDK。"},
			{"乙/隐私政策", b3.ID, 3, "我们使用人脸识别技术验证身份,并接入友盟+SDK。"},
			{"甲/用户协议", a1.ID, 1, "第一条 人脸识别信息属于敏感个人信息。"},
			{"甲/用户协议", a3.ID, 2, "第二条 人脸识别信息属于敏感个人信息。"},
		}},
		{policywatch.SearchQuery{Phrase: "设备信息", AllVersions: true}, []hit{
			{"乙/隐私政策", b1.ID, 3, "我们收集您的设备信息。"},
			{"乙/隐私政策", b2.ID, 3, "我们收集您的设备信息。"},
		}},
		// Wildcards of LIKE are characters like any other.
		{policywatch.SearchQuery{Phrase: "100%"}, nil},
		{policywatch.SearchQuery{Phrase: "_"}, nil},
	}
	for _, tt := range tests {
		got := hitsOf(searchFor(t, s, tt.q))
		for i := range tt.want {
			if tt.want[i].version == 0 && i < len(got) {
				tt.want[i].version = got[i].version
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Search(%q, all %v):\n got %v\nwant %v", tt.q.Phrase, tt.q.AllVersions, got, tt.want)
		}
	}

	// Where the phrase first appeared, and whether it stayed.
	res := searchFor(t, s, policywatch.SearchQuery{Phrase: "人脸识别"})
	want := map[int64]policywatch.PhraseOrigin{
		b.ID: {VersionID: b2.ID, CapturedAt: t0.Add(time.Hour), Continuous: true},
		a.ID: {VersionID: a1.ID, CapturedAt: t0, Continuous: false},
	}
	for _, h := range res.Hits {
		if got := h.Origin; got.VersionID != want[h.PolicyID].VersionID || !got.CapturedAt.Equal(want[h.PolicyID].CapturedAt) ||
			got.Continuous != want[h.PolicyID].Continuous {
			t.Errorf("%s: origin %+v, want %+v", h.Policy, got, want[h.PolicyID])
		}
		if !h.CapturedAt.Equal(t0.Add(2 * time.Hour)) {
			t.Errorf("%s: captured %v", h.Policy, h.CapturedAt)
		}
	}
	short := searchFor(t, s, policywatch.SearchQuery{Phrase: "友盟"})
	if o := short.Hits[0].Origin; o.VersionID != b2.ID || !o.Continuous {
		t.Errorf("友盟 first appeared %+v, want version %d, continuous", o, b2.ID)
	}

	// Pages: a limit, More, and the next page by offset.
	all := searchFor(t, s, policywatch.SearchQuery{Phrase: "人脸识别", AllVersions: true}).Hits
	var paged []policywatch.SearchHit
	for off := 0; ; off += 3 {
		page := searchFor(t, s, policywatch.SearchQuery{Phrase: "人脸识别", AllVersions: true, Limit: 3, Offset: off})
		paged = append(paged, page.Hits...)
		if wantMore := off+3 < len(all); page.More != wantMore {
			t.Errorf("offset %d: more %v, want %v", off, page.More, wantMore)
		}
		if !page.More {
			break
		}
	}
	if fmt.Sprint(paged) != fmt.Sprint(all) {
		t.Errorf("pages:\n%v\nwant\n%v", paged, all)
	}

	// A deleted policy's texts are found no more, long phrase or short.
	if err := s.DeletePolicy(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"人脸识别", "人脸"} {
		for _, h := range searchFor(t, s, policywatch.SearchQuery{Phrase: q, AllVersions: true}).Hits {
			if h.PolicyID == a.ID {
				t.Errorf("%s found in deleted policy: %+v", q, h)
			}
		}
	}

	for _, q := range []string{"", "  \n ", string(make([]rune, 201))} {
		if _, err := s.Search(ctx, policywatch.SearchQuery{Phrase: q}); !policywatch.IsClass(err, policywatch.ErrInvalid) {
			t.Errorf("Search(%q): %v, want invalid", q, err)
		}
	}
}

// testSearchReextraction: a re-extracted version, its policy's current
// version, is what search reads.
func testSearchReextraction(t *testing.T, s policywatch.Store) {
	p := newPolicy(t, s, "A", "隐私政策", "https://a.example/")
	v1 := version("第一版 旧提取 菜单", t0)
	record(t, s, check(p.ID, t0, v1, "one"))
	re := version("第一版 新提取 导航", t0)
	re.PolicyID, re.SnapshotID, re.Extractor = p.ID, v1.SnapshotID, "newer"
	if _, err := s.RecordReextraction(ctx, re); err != nil {
		t.Fatal(err)
	}
	if got := hitsOf(searchFor(t, s, policywatch.SearchQuery{Phrase: "新提取"})); len(got) != 1 || got[0].version != re.ID {
		t.Errorf("re-extracted text: %v", got)
	}
	if got := hitsOf(searchFor(t, s, policywatch.SearchQuery{Phrase: "旧提取"})); len(got) != 0 {
		t.Errorf("text before the re-extraction found in the current version: %v", got)
	}
	if got := hitsOf(searchFor(t, s, policywatch.SearchQuery{Phrase: "旧提取", AllVersions: true})); len(got) != 1 || got[0].version != v1.ID {
		t.Errorf("history: %v", got)
	}
}
