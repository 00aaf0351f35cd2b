// Command train-classifier trains the clause classifier from the CAPP-130
// train splits, chooses thresholds on the dev splits, reports dev F1, and
// writes internal/classify/model/capp130.bin. Training is deterministic:
// the same data and options give the same file.
//
//	go run ./cmd/train-classifier                  # train, report, write the model
//	go run ./cmd/train-classifier -eval            # report the committed model on dev
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/policywatch/policywatch/internal/classify"
)

func main() {
	data := flag.String("data", "../shared/capp130", "CAPP-130 folder (topic/, risk/)")
	out := flag.String("out", "internal/classify/model/capp130.bin", "model file to write")
	evalOnly := flag.Bool("eval", false, "only evaluate the committed model on dev")
	opt := classify.DefaultTrainOptions
	dim := flag.Int("dim", int(opt.Dim), "hashed feature space (power of two)")
	flag.IntVar(&opt.Epochs, "epochs", opt.Epochs, "passes over the training data")
	flag.Float64Var(&opt.LR, "lr", opt.LR, "Adagrad learning rate")
	flag.Float64Var(&opt.L2, "l2", opt.L2, "L2 weight decay")
	flag.BoolVar(&opt.Features.Context, "context", opt.Features.Context, "use neighbouring sentences and sections")
	flag.Float64Var(&opt.ContextDrop, "context-drop", opt.ContextDrop, "share of training sentences without context")
	flag.Float64Var(&opt.RiskWeight, "risk-weight", opt.RiskWeight, "weight of positive risk examples")
	flag.IntVar(&opt.Seeds, "seeds", opt.Seeds, "models averaged (different shuffles)")
	tune := flag.Bool("tune", true, "choose thresholds on dev (else 0.5)")
	flag.Parse()
	opt.Dim = uint32(*dim)

	load := func(task, split string) []classify.Example {
		path := filepath.Join(*data, task, split+".txt")
		var ex []classify.Example
		var err error
		if task == "topic" {
			ex, err = classify.ReadTopics(path)
		} else {
			ex, err = classify.ReadRisk(path)
		}
		if err != nil {
			log.Fatal(err)
		}
		return ex
	}
	policies := loadPolicies(filepath.Join(*data, "policies"))
	locate := func(name string, ex []classify.Example) []classify.Example {
		n := classify.Locate(ex, policies)
		fmt.Printf("%s: %d sentences, %d found in the policies (context from there)\n", name, len(ex), n)
		return ex
	}
	topicDev, riskDev := locate("topic dev", load("topic", "dev")), locate("risk dev", load("risk", "dev"))

	if *evalOnly {
		m, err := classify.Default()
		if err != nil {
			log.Fatal(err)
		}
		report(m, topicDev, riskDev)
		return
	}
	topicTrain, riskTrain := locate("topic train", load("topic", "train")), locate("risk train", load("risk", "train"))
	start := time.Now()
	m := classify.Train(topicTrain, riskTrain, opt, nil)
	took := time.Since(start)
	thresholds := "0.5"
	if *tune {
		t := m.TuneThresholds(topicDev, riskDev)
		alone := m.TuneThresholds(classify.StripContext(topicDev), classify.StripContext(riskDev))
		m.SetThresholds(t, alone)
		thresholds = fmt.Sprintf("%v, for sentences alone %v", t, alone)
	}
	m.SetInfo(fmt.Sprintf("CAPP-130 train splits (topic %d, risk %d sentences); options %+v; thresholds chosen on dev: %s",
		len(topicTrain), len(riskTrain), opt, thresholds))
	fmt.Printf("trained in %v\n", took.Round(time.Millisecond))
	report(m, topicDev, riskDev)

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		log.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(*out)
	fmt.Printf("wrote %s (%.1f MB)\n", *out, float64(st.Size())/(1<<20))
}

// loadPolicies reads the 130 policies whose sentences the task files hold:
// the sentences' neighbours and sections come from there.
func loadPolicies(dir string) []*classify.Policy {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		log.Fatalf("no policies in %s", dir)
	}
	var out []*classify.Policy
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		out = append(out, classify.NewPolicy(filepath.Base(f), string(b)))
	}
	return out
}

func report(m *classify.Model, topics, risk []classify.Example) {
	show := func(name string, mt classify.Metrics) {
		var per []string
		for i, f := range mt.PerTopic {
			per = append(per, fmt.Sprintf("%s %.3f", classify.Topics[i], f))
		}
		fmt.Printf("%s: topic micro-F1 %.4f macro-F1 %.4f | risk macro-F1 %.4f (risk F1 %.4f)\n  %s\n",
			name, mt.MicroF1, mt.MacroF1, mt.RiskMacroF1, mt.RiskF1, strings.Join(per, ", "))
	}
	show("dev", m.Evaluate(topics, risk))
	show("dev, sentences alone (no neighbours, no section)", m.Evaluate(classify.StripContext(topics), classify.StripContext(risk)))
}
