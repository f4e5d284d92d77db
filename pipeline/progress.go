package pipeline

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Progress receives the advance of a long operation (a backfill).
type Progress interface {
	// Update reports done of total units and what the last step did.
	Update(done, total uint64, detail string)
	// Finish ends the report.
	Finish()
}

// NewProgress returns a progress report on w: a bar redrawn in place when
// w is a terminal, else one plain line per update (for logs and pipes).
func NewProgress(w io.Writer, terminal bool, label, unit string) Progress {
	return &progress{w: w, terminal: terminal, label: label, unit: unit, start: time.Now()}
}

type progress struct {
	w               io.Writer
	terminal        bool
	label, unit     string
	start           time.Time
	drawn, finished bool
}

const barWidth = 30

func (p *progress) Update(done, total uint64, detail string) {
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "%s: %d/%d %s (%.1f%%), %s, %s elapsed\n", p.label, done, total, p.unit, pct, detail, time.Since(p.start).Round(time.Second))
		return
	}
	fill := int(pct / 100 * barWidth)
	bar := strings.Repeat("=", fill) + strings.Repeat(" ", barWidth-fill)
	if fill > 0 && fill < barWidth {
		bar = bar[:fill-1] + ">" + bar[fill:]
	}
	fmt.Fprintf(p.w, "\r\033[K%s [%s] %5.1f%% %d/%d %s  %s", p.label, bar, pct, done, total, p.unit, detail)
	p.drawn = true
}

func (p *progress) Finish() {
	if p.terminal && p.drawn && !p.finished {
		fmt.Fprintln(p.w)
	}
	p.finished = true
}
