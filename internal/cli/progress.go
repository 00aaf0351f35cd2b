package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/track"
)

// progress draws a bar for `check --all` on a terminal: done/total, rate
// and failures so far. It draws nothing when stdout is not a terminal, so
// pipes and files get only the results.
type progress struct {
	bar      *progressbar.ProgressBar
	failures int
}

func newProgress(stdout, stderr io.Writer, total int, wanted bool) *progress {
	if !wanted || total == 0 || !isTerminal(stdout) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("checking"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) add(o track.Outcome) {
	if p.bar == nil {
		return
	}
	if o.Result == policywatch.ResultFailed {
		p.failures++
		p.bar.Describe(fmt.Sprintf("checking (%d failed)", p.failures))
	}
	p.bar.Add(1)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
