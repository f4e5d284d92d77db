// Package childtest runs a test of the current test binary as a child
// process, to completion or killed with SIGKILL at a chosen moment: the
// building block of the crash tests (kill a process mid-write, then check
// that what it left behind is consistent).
package childtest

import (
	"bytes"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Child is one test of this binary run in a child process. The child sees
// the parent's environment plus Env; the test it runs usually skips unless
// one of those variables is set.
type Child struct {
	// Test is the name of the test function the child runs.
	Test string
	// Env holds extra KEY=VALUE pairs for the child.
	Env []string
}

func (c Child) cmd() (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+c.Test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), c.Env...)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	return cmd, out
}

// Run runs the child to its end and returns how long it took; a failing
// child fails t with its output.
func (c Child) Run(t testing.TB) time.Duration {
	t.Helper()
	cmd, out := c.cmd()
	began := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("child %s failed: %v\n%s", c.Test, err, out)
	}
	return time.Since(began)
}

// KillAfter starts the child and kills it with SIGKILL after delay. It
// reports whether the child was still running when killed; a child that
// ended with an error before the kill fails t.
func (c Child) KillAfter(t testing.TB, delay time.Duration) bool {
	t.Helper()
	cmd, out := c.cmd()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child %s failed before the kill: %v\n%s", c.Test, err, out)
		}
		return false
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}
