package classify

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func model(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	return m
}

// TestEmbeddedModelLoads: the model's load time is measured by
// BenchmarkLoad, not here (a timed test fails on a busy machine).
func TestEmbeddedModelLoads(t *testing.T) {
	m, err := Load(bytes.NewReader(embedded))
	if err != nil {
		t.Fatal(err)
	}
	if len(embedded) > 8<<20 {
		t.Errorf("model is %d bytes, over 8 MB", len(embedded))
	}
	if m.Info() == "" {
		t.Error("model does not say how it was trained")
	}
}

func TestClearSentences(t *testing.T) {
	m := model(t)
	tests := []struct {
		s    Sentence
		want string
	}{
		{Sentence{Text: "当您注册账号时，我们会收集您的手机号码和短信验证码。", Section: "一、我们如何收集和使用您的个人信息"}, "collection"},
		{Sentence{Text: "我们会向您申请相机权限，用于扫描二维码。"}, "permission"},
		{Sentence{Text: "我们不会与任何公司、组织和个人共享您的个人信息，但以下情况除外。", Section: "三、我们如何共享、转让、公开披露您的个人信息"}, "sharing"},
		{Sentence{Text: "我们在中华人民共和国境内收集和产生的个人信息，将存储在中华人民共和国境内。", Section: "四、我们如何存储您的个人信息"}, "retention"},
		{Sentence{Text: "我们采用SSL加密技术保护您的个人信息在传输过程中的安全。"}, "security"},
		{Sentence{Text: "若您是未满14周岁的儿童，请在监护人的陪同下阅读本政策。"}, "special_audience"},
		{Sentence{Text: "您可以在“设置-账号与安全”中注销您的账号。"}, "rights"},
		{Sentence{Text: "如您对本政策有任何疑问，请拨打客服电话400-123-4567与我们联系。", Section: "九、如何联系我们"}, "contact"},
		{Sentence{Text: "我们可能会适时对本政策进行修订，修订后的政策将在本页面公布。", Section: "八、本政策如何更新"}, "policy_change"},
		{Sentence{Text: "如我们停止运营产品或服务，我们将及时停止继续收集您的个人信息，并以推送通知的方式通知您。"}, "cessation"},
	}
	for _, tt := range tests {
		res := m.Classify(tt.s)
		if !slices.Contains(res.Labels, tt.want) {
			t.Errorf("%q: labels %v, want %s (scores %v)", tt.s.Text, res.Labels, tt.want, res.Scores)
		}
		if len(res.Scores) != len(Topics) {
			t.Errorf("scores for %d topics", len(res.Scores))
		}
	}
}

func sharedCAPP(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "capp130")
	if _, err := os.Stat(filepath.Join(dir, "topic", "dev.txt")); err != nil {
		t.Skip("CAPP-130 data not found beside the project")
	}
	return dir
}

func loadPolicies(t testing.TB, dir string) []*Policy {
	files, _ := filepath.Glob(filepath.Join(dir, "policies", "*.txt"))
	var out []*Policy
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, NewPolicy(filepath.Base(f), string(b)))
	}
	return out
}

// TestCommittedModelOnDev checks the figures the README states for the
// committed model, on the dev split (never trained on).
func TestCommittedModelOnDev(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates the dev split")
	}
	dir := sharedCAPP(t)
	topics, err := ReadTopics(filepath.Join(dir, "topic", "dev.txt"))
	if err != nil {
		t.Fatal(err)
	}
	risk, err := ReadRisk(filepath.Join(dir, "risk", "dev.txt"))
	if err != nil {
		t.Fatal(err)
	}
	pols := loadPolicies(t, dir)
	Locate(topics, pols)
	Locate(risk, pols)
	mt := model(t).Evaluate(topics, risk)
	t.Logf("dev: topic micro-F1 %.4f macro-F1 %.4f, risk macro-F1 %.4f", mt.MicroF1, mt.MacroF1, mt.RiskMacroF1)
	if mt.MicroF1 < 0.85 || mt.MacroF1 < 0.86 || mt.RiskMacroF1 < 0.72 {
		t.Errorf("below the targets: micro %.4f (0.85), macro %.4f (0.86), risk %.4f (0.72)", mt.MicroF1, mt.MacroF1, mt.RiskMacroF1)
	}
}

// TestTrainingIsDeterministic trains twice on a slice of the data.
func TestTrainingIsDeterministic(t *testing.T) {
	dir := sharedCAPP(t)
	topics, _ := ReadTopics(filepath.Join(dir, "topic", "train.txt"))
	risk, _ := ReadRisk(filepath.Join(dir, "risk", "train.txt"))
	opt := DefaultTrainOptions
	opt.Dim, opt.Epochs, opt.RiskEpochs, opt.Seeds = 1<<14, 2, 2, 2
	var files [2]bytes.Buffer
	for i := range files {
		m := Train(topics[:1500], risk[:1500], opt, nil)
		if err := m.Save(&files[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(files[0].Bytes(), files[1].Bytes()) {
		t.Fatal("two trainings with the same data and options gave different models")
	}
	// And the file reads back to the same classifier.
	m, err := Load(bytes.NewReader(files[0].Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	again := Train(topics[:1500], risk[:1500], opt, nil)
	s := Sentence{Text: "我们会收集您的位置信息。"}
	if !slices.Equal(m.Probabilities(s), again.Probabilities(s)) {
		t.Error("a saved and loaded model scores differently")
	}
}

func TestLoadRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a model"), []byte(magic + "\xff\xff\xff\x7f")} {
		if _, err := Load(bytes.NewReader(b)); err == nil {
			t.Errorf("loaded %q", b)
		}
	}
}

func TestSectionsAndHeadings(t *testing.T) {
	lines := []string{"隐私政策", "一、我们如何收集和使用您的个人信息", "(一)注册登录", "我们会收集您的手机号码。",
		"二、我们如何共享您的个人信息", "我们不会共享。", "# Contact us", "Email us."}
	got := Sections(lines)
	want := []string{"隐私政策", "一、我们如何收集和使用您的个人信息", "一、我们如何收集和使用您的个人信息",
		"一、我们如何收集和使用您的个人信息 ▸ (一)注册登录", "二、我们如何共享您的个人信息", "二、我们如何共享您的个人信息",
		"Contact us", "Contact us"}
	if !slices.Equal(got, want) {
		t.Errorf("Sections:\n got %q\nwant %q", got, want)
	}
	for _, l := range []string{"我们会收集您的手机号码。", "当您使用本服务时，我们可能会收集以下信息：", ""} {
		if IsHeading(l) {
			t.Errorf("IsHeading(%q)", l)
		}
	}
}

// BenchmarkClassify is sentences per second on one core, with context.
func BenchmarkClassify(b *testing.B) {
	dir := sharedCAPP(b)
	topics, err := ReadTopics(filepath.Join(dir, "topic", "dev.txt"))
	if err != nil {
		b.Fatal(err)
	}
	m := model(b)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		m.Classify(topics[n%len(topics)].Sentence)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(bytes.NewReader(embedded)); err != nil {
			b.Fatal(err)
		}
	}
}
