// Package classify assigns privacy-policy sentences to the 11 topics of
// CAPP-130 (Zhu et al., "CAPP-130: A Corpus of Chinese Application Privacy
// Policy Summarization and Interpretation", NeurIPS 2023 Datasets and
// Benchmarks; data CC BY 4.0) and flags sentences of potential risk. The
// model is linear over hashed character n-grams (and the neighbouring
// sentences' n-grams when the sentence comes with its context), trained in
// pure Go by cmd/train-classifier from the train split, with thresholds
// chosen on the dev split; it is committed as model/capp130.bin and
// embedded, so nothing is downloaded at run time.
package classify

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// Topics are the CAPP-130 topic labels, in id order (the contract's order).
var Topics = []string{"collection", "permission", "sharing", "usage", "retention", "security",
	"special_audience", "rights", "contact", "policy_change", "cessation"}

// TopicNamesZH are the topics' Chinese names, as CAPP-130 gives them.
var TopicNamesZH = []string{"数据收集", "权限获取", "共享、委托、转让、公开（披露）", "使用", "存储方式", "安全措施",
	"特殊人群", "数据、权限管理", "联系方式", "隐私政策的授权、修改与变更", "停止运营"}

// riskOutput is the index of the risk flag among the model's outputs.
var riskOutput = len(Topics)

const magic = "PWCLS1\n"

// header is the JSON head of a model file.
type header struct {
	Dim        uint32    `json:"dim"`
	Outputs    []string  `json:"outputs"`    // topics, then "risk"
	Scales     []float32 `json:"scales"`     // weight = int8 × scale, per output
	Thresholds []float32 `json:"thresholds"` // probability at which an output is on
	// AloneThresholds apply to a sentence given without any context, whose
	// probabilities are spread differently.
	AloneThresholds []float32  `json:"alone_thresholds"`
	Features        FeatureSet `json:"features"`
	Trained         string     `json:"trained"` // how it was made, for people
}

// Model is a trained classifier. It is safe for concurrent use.
type Model struct {
	h       header
	weights []int8 // Dim rows of len(Outputs) weights
	pool    sync.Pool
}

// Result is the classification of one sentence.
type Result struct {
	Labels []string           // topics over their thresholds, at least one
	Scores map[string]float64 // each topic's probability
	Risk   bool
	RiskP  float64
}

//go:embed model/capp130.bin
var embedded []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the embedded model, loading it on first use.
func Default() (*Model, error) {
	defaultOnce.Do(func() { defaultModel, defaultErr = Load(bytes.NewReader(embedded)) })
	return defaultModel, defaultErr
}

// Load reads a model file.
func Load(r io.Reader) (*Model, error) {
	m := make([]byte, len(magic))
	if _, err := io.ReadFull(r, m); err != nil || string(m) != magic {
		return nil, errors.New("not a policywatch classifier model")
	}
	var n uint32
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return nil, err
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, err
	}
	model := &Model{}
	if err := json.Unmarshal(raw, &model.h); err != nil {
		return nil, fmt.Errorf("model header: %w", err)
	}
	k := len(model.h.Outputs)
	if len(model.h.AloneThresholds) == 0 {
		model.h.AloneThresholds = model.h.Thresholds
	}
	if k != len(Topics)+1 || len(model.h.Scales) != k || len(model.h.Thresholds) != k || len(model.h.AloneThresholds) != k ||
		model.h.Dim&(model.h.Dim-1) != 0 {
		return nil, errors.New("model header does not fit this program")
	}
	w := make([]byte, int(model.h.Dim)*k)
	if _, err := io.ReadFull(r, w); err != nil {
		return nil, fmt.Errorf("model weights: %w", err)
	}
	model.weights = make([]int8, len(w))
	for i, b := range w {
		model.weights[i] = int8(b)
	}
	model.pool.New = func() any { s := make([]uint32, 0, 512); return &s }
	return model, nil
}

// Info describes the model for people.
func (m *Model) Info() string { return m.h.Trained }

// Classify classifies a sentence (with its neighbours, if known).
func (m *Model) Classify(s Sentence) Result {
	probs := m.probabilities(s)
	thresholds := m.h.Thresholds
	if s.Prev == "" && s.Next == "" && s.Section == "" {
		thresholds = m.h.AloneThresholds
	}
	res := Result{Scores: make(map[string]float64, len(Topics))}
	best := 0
	for i, t := range Topics {
		res.Scores[t] = probs[i]
		if probs[i] >= float64(thresholds[i]) {
			res.Labels = append(res.Labels, t)
		}
		if probs[i] > probs[best] {
			best = i
		}
	}
	res.RiskP = probs[riskOutput]
	res.Risk = res.RiskP >= float64(thresholds[riskOutput])
	if len(res.Labels) == 0 {
		// Every clause is about something: take the likeliest topic.
		res.Labels = append(res.Labels, Topics[best])
	}
	return res
}

// probabilities returns each output's probability.
func (m *Model) probabilities(s Sentence) []float64 {
	buf := m.pool.Get().(*[]uint32)
	feats := features((*buf)[:0], s, m.h.Dim, m.h.Features)
	k := len(m.h.Outputs)
	var sums [16]int32
	for _, f := range feats {
		row := m.weights[int(f)*k : int(f)*k+k]
		for j, w := range row {
			sums[j] += int32(w)
		}
	}
	*buf = feats
	m.pool.Put(buf)
	out := make([]float64, k)
	for j := range out {
		out[j] = sigmoid(float64(sums[j]) * float64(m.h.Scales[j]))
	}
	return out
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
