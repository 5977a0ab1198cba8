package main

import (
	"fmt"
	"io"
	"time"
)

// progress shows a live status line (section, epoch, loss, ETA) on a
// terminal. When live is false every method is a no-op, so redirected
// output stays clean.
type progress struct {
	w       io.Writer
	live    bool
	label   string
	total   int
	started time.Time
	shown   time.Time
	now     func() time.Time
}

func newProgress(w io.Writer, live bool) *progress {
	return &progress{w: w, live: live, now: time.Now}
}

// begin starts a task of total steps.
func (p *progress) begin(label string, total int) {
	p.label, p.total = label, total
	p.started = p.now()
	p.shown = time.Time{}
}

// update reports that done of total steps are finished with the given
// loss; it redraws at most ten times a second.
func (p *progress) update(done int, loss float64) {
	if !p.live {
		return
	}
	now := p.now()
	if now.Sub(p.shown) < 100*time.Millisecond && done < p.total {
		return
	}
	p.shown = now
	fmt.Fprint(p.w, "\r\x1b[K"+p.line(done, loss, now.Sub(p.started)))
}

// line formats the status for done of total steps after elapsed time.
func (p *progress) line(done int, loss float64, elapsed time.Duration) string {
	eta := "?"
	if done > 0 {
		// total is an upper bound (training stops early on held-out NLL)
		rem := time.Duration(float64(elapsed) * float64(max(p.total-done, 0)) / float64(done))
		eta = rem.Round(100 * time.Millisecond).String()
	}
	return fmt.Sprintf("bnn: %-9s epoch %d/%d  loss %.4g  ETA %s", p.label, done, p.total, loss, eta)
}

// end erases the status line.
func (p *progress) end() {
	if p.live {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
