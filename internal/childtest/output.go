package childtest

import (
	"bytes"
	"sync"
)

// tailBytes is how much of a child's output a failure message quotes.
const tailBytes = 8 << 10

// output collects a child's standard output and error. It is safe for the
// copying goroutine and readers at once; changed is closed and replaced at
// every write, to wake whoever waits for new output.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

// Write implements io.Writer.
func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := o.buf.Write(b)
	close(o.changed)
	o.changed = make(chan struct{})
	return n, err
}

// String returns everything written so far.
func (o *output) String() string {
	s, _ := o.snapshot()
	return s
}

// snapshot returns everything written so far and a channel closed at the
// next write.
func (o *output) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.changed
}

// tail returns the last tailBytes of out, marked as cut when it is longer.
func tail(out string) string {
	if len(out) <= tailBytes {
		return out
	}
	return "[earlier output cut]\n" + out[len(out)-tailBytes:]
}
