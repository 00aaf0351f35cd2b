package classify

import "sort"

// Metrics are F1 figures on a labelled set.
type Metrics struct {
	MicroF1, MacroF1 float64   // topics
	PerTopic         []float64 // F1 of each topic
	RiskMacroF1      float64   // mean of the F1 of risk and of no-risk
	RiskF1           float64   // F1 of the risk class
}

type counts struct{ tp, fp, fn int }

func (c counts) f1() float64 {
	if c.tp == 0 {
		return 0
	}
	p := float64(c.tp) / float64(c.tp+c.fp)
	r := float64(c.tp) / float64(c.tp+c.fn)
	return 2 * p * r / (p + r)
}

// Evaluate classifies the examples as Classify would and scores it.
// Sentences keep their neighbours only when the model uses context.
func (m *Model) Evaluate(topics, risk []Example) Metrics {
	var mt Metrics
	per := make([]counts, len(Topics))
	var all counts
	for _, ex := range topics {
		res := m.Classify(ex.Sentence)
		got := map[string]bool{}
		for _, l := range res.Labels {
			got[l] = true
		}
		for i, t := range Topics {
			switch {
			case got[t] && ex.Topics[i]:
				per[i].tp++
				all.tp++
			case got[t]:
				per[i].fp++
				all.fp++
			case ex.Topics[i]:
				per[i].fn++
				all.fn++
			}
		}
	}
	mt.MicroF1 = all.f1()
	for _, c := range per {
		f := c.f1()
		mt.PerTopic = append(mt.PerTopic, f)
		mt.MacroF1 += f / float64(len(per))
	}
	var pos, neg counts
	for _, ex := range risk {
		got := m.Classify(ex.Sentence).Risk
		switch {
		case got && ex.Risk:
			pos.tp++
		case got:
			pos.fp++
			neg.fn++
		case ex.Risk:
			pos.fn++
			neg.fp++
		default:
			neg.tp++
		}
	}
	mt.RiskF1 = pos.f1()
	mt.RiskMacroF1 = (pos.f1() + neg.f1()) / 2
	return mt
}

// TuneThresholds picks each output's threshold to maximize its F1 on the
// examples (for risk: the macro-F1 of the two classes), from the model's
// probabilities without the memory of training sentences.
func (m *Model) TuneThresholds(topics, risk []Example) []float32 {
	k := len(Topics) + 1
	out := make([]float32, k)
	type scored struct {
		p   float64
		pos bool
	}
	best := func(xs []scored, macro bool) float32 {
		sort.Slice(xs, func(i, j int) bool { return xs[i].p > xs[j].p })
		totalPos := 0
		for _, x := range xs {
			if x.pos {
				totalPos++
			}
		}
		bestF, bestT := -1.0, 0.5
		tp, fp := 0, 0
		for i, x := range xs {
			if x.pos {
				tp++
			} else {
				fp++
			}
			if i+1 < len(xs) && xs[i+1].p == x.p {
				continue // thresholds fall between distinct scores
			}
			c := counts{tp: tp, fp: fp, fn: totalPos - tp}
			f := c.f1()
			if macro {
				neg := counts{tp: len(xs) - i - 1 - (totalPos - tp), fp: totalPos - tp, fn: fp}
				f = (f + neg.f1()) / 2
			}
			if f > bestF {
				bestF = f
				next := 0.0
				if i+1 < len(xs) {
					next = xs[i+1].p
				}
				bestT = (x.p + next) / 2
			}
		}
		return float32(bestT)
	}
	probs := make([][]float64, len(topics))
	for i, ex := range topics {
		probs[i] = m.probabilities(ex.Sentence)
	}
	for j := 0; j < len(Topics); j++ {
		xs := make([]scored, len(topics))
		for i, ex := range topics {
			xs[i] = scored{probs[i][j], ex.Topics[j]}
		}
		out[j] = best(xs, false)
	}
	xs := make([]scored, len(risk))
	for i, ex := range risk {
		xs[i] = scored{m.probabilities(ex.Sentence)[riskOutput], ex.Risk}
	}
	out[riskOutput] = best(xs, true)
	return out
}
