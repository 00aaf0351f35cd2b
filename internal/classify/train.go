package classify

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
)

// Example is a labelled sentence of a CAPP-130 task file, with the lines
// around it in the file as its context (the files keep document order).
type Example struct {
	Sentence
	Topics []bool // the 11 topics (topic task)
	Risk   bool   // risk task
}

// ReadTopics reads a topic file: sentence, tab, an 11-slot one-hot list.
func ReadTopics(path string) ([]Example, error) {
	return readTSV(path, func(ex *Example, label string) error {
		var v []int
		if err := json.Unmarshal([]byte(label), &v); err != nil || len(v) != len(Topics) {
			return fmt.Errorf("bad topic label %q", label)
		}
		ex.Topics = make([]bool, len(Topics))
		for i, x := range v {
			ex.Topics[i] = x == 1
		}
		return nil
	})
}

// ReadRisk reads a risk file: sentence, tab, 0 or 1.
func ReadRisk(path string) ([]Example, error) {
	return readTSV(path, func(ex *Example, label string) error {
		switch strings.TrimSpace(label) {
		case "1":
			ex.Risk = true
		case "0":
		default:
			return fmt.Errorf("bad risk label %q", label)
		}
		return nil
	})
}

func readTSV(path string, parse func(*Example, string) error) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimPrefix(sc.Text(), "\uFEFF")
		if strings.TrimSpace(line) == "" {
			continue
		}
		i := strings.LastIndexByte(line, '\t')
		if i < 0 {
			return nil, fmt.Errorf("%s:%d: no tab", path, n)
		}
		ex := Example{Sentence: Sentence{Text: line[:i]}}
		if err := parse(&ex, line[i+1:]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, ex)
	}
	for i := range out {
		if i > 0 {
			out[i].Prev = out[i-1].Text
		}
		if i+1 < len(out) {
			out[i].Next = out[i+1].Text
		}
	}
	return out, sc.Err()
}

// TrainOptions are the knobs of training.
type TrainOptions struct {
	Dim         uint32  // hashed feature space, a power of two
	Epochs      int     // passes over the training data
	LR          float64 // Adagrad learning rate
	L2          float64 // weight decay per update
	Features    FeatureSet
	ContextDrop float64 // share of training sentences seen without context
	TopicWeight float64 // weight of positive topic examples
	Seed        uint64  // shuffling and context dropout
	RiskWeight  float64 // weight of positive risk examples (they are rare)
	RiskEpochs  int     // the risk head wants less fitting than the topics
	RiskLR      float64
	Seeds       int // models trained with different shuffles, their weights averaged
}

// DefaultTrainOptions were chosen on the dev split (see cmd/train-classifier).
var DefaultTrainOptions = TrainOptions{Dim: 1 << 19, Epochs: 8, LR: 0.05, L2: 1e-6,
	Features:    FeatureSet{MaxN: 4, Context: true, ContextMin: 2, ContextMax: 3},
	ContextDrop: 0.3, Seed: 20231210, TopicWeight: 1, RiskWeight: 1, RiskEpochs: 4, RiskLR: 0.02, Seeds: 3}

// head is one set of outputs trained on one task.
type head struct {
	outputs int
	w, g2   []float32
}

// trainHead fits logistic outputs by Adagrad, deterministically for a seed.
func trainHead(examples []Example, outputs int, label func(*Example, int) bool, posWeight []float64, opt TrainOptions) *head {
	h := &head{outputs: outputs, w: make([]float32, int(opt.Dim)*outputs), g2: make([]float32, int(opt.Dim)*outputs)}
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(outputs)))
	feats := make([]uint32, 0, 1024)
	z := make([]float64, outputs)
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		for _, i := range rng.Perm(len(examples)) {
			ex := &examples[i]
			s := ex.Sentence
			if opt.Features.Context && rng.Float64() < opt.ContextDrop {
				s.Prev, s.Next = "", ""
			}
			if opt.Features.Context && rng.Float64() < opt.ContextDrop {
				s.Section = ""
			}
			feats = features(feats[:0], s, opt.Dim, opt.Features)
			for k := range z {
				z[k] = 0
			}
			for _, f := range feats {
				row := h.w[int(f)*outputs : int(f)*outputs+outputs]
				for k, w := range row {
					z[k] += float64(w)
				}
			}
			for k := 0; k < outputs; k++ {
				p := sigmoid(z[k])
				g := p
				if label(ex, k) {
					g = (p - 1) * posWeight[k]
				}
				for _, f := range feats {
					idx := int(f)*outputs + k
					gi := g + opt.L2*float64(h.w[idx])
					h.g2[idx] += float32(gi * gi)
					h.w[idx] -= float32(opt.LR * gi / math.Sqrt(float64(h.g2[idx])+1e-8))
				}
			}
		}
	}
	return h
}

// averageHeads trains opt.Seeds heads with different shuffles and
// averages their weights: for these convex models that is nearly as good as
// averaging their predictions, at the size of one model.
func averageHeads(opt TrainOptions, train func(TrainOptions) *head) *head {
	n := max(opt.Seeds, 1)
	var avg *head
	for i := 0; i < n; i++ {
		o := opt
		o.Seed += uint64(i) * 7919
		h := train(o)
		h.g2 = nil
		if avg == nil {
			avg = h
			continue
		}
		for j, w := range h.w {
			avg.w[j] += w
		}
	}
	for j := range avg.w {
		avg.w[j] /= float32(n)
	}
	return avg
}

// Train fits the topic and risk heads and builds a model with the given
// thresholds (nil: 0.5). The result is quantized exactly as it is saved.
func Train(topics, risk []Example, opt TrainOptions, thresholds []float32) *Model {
	topicWeights := make([]float64, len(Topics))
	for i := range topicWeights {
		topicWeights[i] = opt.TopicWeight
	}
	th := averageHeads(opt, func(o TrainOptions) *head {
		return trainHead(topics, len(Topics), func(ex *Example, k int) bool { return ex.Topics[k] }, topicWeights, o)
	})
	riskOpt := opt
	riskOpt.Epochs, riskOpt.LR = opt.RiskEpochs, opt.RiskLR
	rh := averageHeads(riskOpt, func(o TrainOptions) *head {
		return trainHead(risk, 1, func(ex *Example, _ int) bool { return ex.Risk }, []float64{opt.RiskWeight}, o)
	})

	k := len(Topics) + 1
	m := &Model{h: header{Dim: opt.Dim, Outputs: append(append([]string{}, Topics...), "risk"), Features: opt.Features}}
	m.h.Scales = make([]float32, k)
	m.h.Thresholds = make([]float32, k)
	for j := range m.h.Thresholds {
		m.h.Thresholds[j] = 0.5
		if thresholds != nil {
			m.h.Thresholds[j] = thresholds[j]
		}
	}
	m.h.AloneThresholds = append([]float32(nil), m.h.Thresholds...)
	// Quantize each output's weights to int8 with its own scale.
	weight := func(f, j int) float32 {
		if j < len(Topics) {
			return th.w[f*len(Topics)+j]
		}
		return rh.w[f]
	}
	for j := 0; j < k; j++ {
		var maxAbs float32
		for f := 0; f < int(opt.Dim); f++ {
			if a := float32(math.Abs(float64(weight(f, j)))); a > maxAbs {
				maxAbs = a
			}
		}
		if maxAbs == 0 {
			maxAbs = 1
		}
		m.h.Scales[j] = maxAbs / 127
	}
	m.weights = make([]int8, int(opt.Dim)*k)
	for f := 0; f < int(opt.Dim); f++ {
		for j := 0; j < k; j++ {
			m.weights[f*k+j] = int8(math.Round(float64(weight(f, j) / m.h.Scales[j])))
		}
	}
	m.pool.New = func() any { s := make([]uint32, 0, 512); return &s }
	return m
}

// Save writes the model file; its bytes depend only on the model.
func (m *Model) Save(w io.Writer) error {
	head, err := json.Marshal(m.h)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(magic)
	binary.Write(bw, binary.LittleEndian, uint32(len(head)))
	bw.Write(head)
	raw := make([]byte, len(m.weights))
	for i, x := range m.weights {
		raw[i] = byte(x)
	}
	bw.Write(raw)
	return bw.Flush()
}

// SetInfo records how the model was made.
func (m *Model) SetInfo(s string) { m.h.Trained = s }

// SetThresholds replaces the outputs' thresholds for sentences with
// context, and alone for sentences without any.
func (m *Model) SetThresholds(t, alone []float32) {
	copy(m.h.Thresholds, t)
	copy(m.h.AloneThresholds, alone)
}

// StripContext returns copies of the examples without neighbours or section.
func StripContext(examples []Example) []Example {
	out := make([]Example, len(examples))
	for i, ex := range examples {
		out[i] = ex
		out[i].Prev, out[i].Next, out[i].Section = "", "", ""
	}
	return out
}

// Probabilities exposes each output's probability (topics, then risk).
func (m *Model) Probabilities(s Sentence) []float64 { return m.probabilities(s) }
