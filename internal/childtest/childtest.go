// Package childtest runs a test of the current test binary as a child
// process, to completion or killed with SIGKILL at a chosen moment: the
// building block of the crash tests (kill a process mid-write, then check
// that what it left behind is consistent) and of the benchmarks that
// measure a process of their own.
package childtest

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// waitDelay bounds how long a child's reaping waits for its output pipe
// after it exited (a grandchild that inherited the pipe could hold it open).
const waitDelay = 10 * time.Second

// Child is one test of this binary run in a child process. The child sees
// the parent's environment plus Env; the test it runs usually skips unless
// one of those variables is set.
type Child struct {
	// Test is the name of the test function the child runs.
	Test string
	// Env holds extra KEY=VALUE pairs for the child.
	Env []string
	// Args holds extra arguments for the test binary, such as -test.v.
	Args []string
}

func (c Child) command(out *output) *exec.Cmd {
	args := append([]string{"-test.run=^" + c.Test + "$", "-test.count=1"}, c.Args...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = waitDelay
	return cmd
}

// Run runs the child to its end and returns how long it took; a failing
// child fails t with its output.
func (c Child) Run(t testing.TB) time.Duration {
	t.Helper()
	began := time.Now()
	c.Output(t)
	return time.Since(began)
}

// Output runs the child to its end and returns its standard output and
// error, interleaved as written; a failing child fails t with its output.
func (c Child) Output(t testing.TB) string {
	t.Helper()
	p := c.Start(t)
	<-p.done
	if p.err != nil {
		t.Fatalf("child %s failed: %v\n%s", c.Test, p.err, tail(p.Output()))
	}
	return p.Output()
}

// KillAfter starts the child and kills it with SIGKILL after delay. It
// reports whether the child was still running when killed; a child that
// ended with an error before the kill fails t.
func (c Child) KillAfter(t testing.TB, delay time.Duration) bool {
	t.Helper()
	p := c.Start(t)
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
	}
	return p.Kill(t)
}

// Process is a child started by Start. Its standard output and error are
// collected as it runs; when the test ends, a child still running is
// killed and reaped.
type Process struct {
	name string
	cmd  *exec.Cmd
	out  *output
	done chan struct{} // closed once the child has exited and been reaped
	err  error         // cmd.Wait's result; read only after done is closed
}

// Start starts the child and returns at once; a child that cannot be
// started fails t.
func (c Child) Start(t testing.TB) *Process {
	t.Helper()
	p := &Process{name: c.Test, out: newOutput(), done: make(chan struct{})}
	p.cmd = c.command(p.out)
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("child %s: %v", c.Test, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// Output returns what the child has written so far to its standard output
// and error, interleaved as written.
func (p *Process) Output() string { return p.out.String() }

// Exited reports whether the child has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Signal sends sig to the child; it fails only when the child has ended.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// WaitOutput waits until cond holds of the child's output so far, and
// reports true then; it reports false when the child ended first (and cond
// does not hold of its whole output). When neither happens within d, it
// fails t with the output, naming what it waited for.
func (p *Process) WaitOutput(t testing.TB, d time.Duration, what string, cond func(out string) bool) bool {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		out, changed := p.out.snapshot()
		if cond(out) {
			return true
		}
		select {
		case <-changed:
		case <-p.done:
			return cond(p.Output())
		case <-timer.C:
			t.Fatalf("child %s: no %s within %v; its output:\n%s", p.name, what, d, tail(p.Output()))
		}
	}
}

// Wait waits for the child to end and returns its exit code, or -1 when a
// signal ended it. A child still running after d fails t.
func (p *Process) Wait(t testing.TB, d time.Duration) int {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		t.Fatalf("child %s did not end within %v; its output:\n%s", p.name, d, tail(p.Output()))
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		t.Fatalf("child %s: %v", p.name, p.err)
	}
	return 0
}

// Kill sends the child SIGKILL and waits for it to end. It reports whether
// the kill ended it; a child that had already ended reports false, and one
// that had ended with an error fails t with its output.
func (p *Process) Kill(t testing.TB) bool {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if p.err != nil {
		t.Fatalf("child %s failed before the kill: %v\n%s", p.name, p.err, tail(p.Output()))
	}
	return false
}
