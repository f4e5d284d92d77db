package childtest

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const envMode = "GT_CHILDTEST_MODE"

// TestHelperChild is the child process of this package's tests; what it
// does depends on GT_CHILDTEST_MODE.
func TestHelperChild(t *testing.T) {
	switch os.Getenv(envMode) {
	case "":
		t.Skip("child process of the childtest tests")
	case "ok":
		fmt.Println("to stdout")
		fmt.Fprintln(os.Stderr, "to stderr")
	case "fail":
		t.Fatal("boom")
	case "exit3":
		os.Exit(3)
	case "ticks":
		for {
			fmt.Println("TICK")
			time.Sleep(10 * time.Millisecond)
		}
	case "sleep":
		time.Sleep(time.Hour)
	case "term":
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		fmt.Println("READY")
		<-ch
		os.Exit(7)
	}
}

func child(mode string) Child {
	return Child{Test: "TestHelperChild", Env: []string{envMode + "=" + mode}}
}

// recorder is a testing.TB whose Fatal ends only the goroutine that calls
// it and records the message, so that a test can check that a helper fails.
type recorder struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.msg = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// failure runs f with a recorder and returns the message f failed with, or
// "" when it did not fail.
func failure(t *testing.T, f func(tb testing.TB)) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.msg
}

func TestOutputAndRun(t *testing.T) {
	out := child("ok").Output(t)
	if !strings.Contains(out, "to stdout\n") || !strings.Contains(out, "to stderr\n") {
		t.Fatalf("output lacks the child's stdout or stderr:\n%s", out)
	}
	if d := child("ok").Run(t); d <= 0 {
		t.Fatalf("Run took %v", d)
	}
}

func TestKillAfter(t *testing.T) {
	for _, tc := range []struct {
		mode   string
		delay  time.Duration
		killed bool
	}{
		{"sleep", 200 * time.Millisecond, true},
		{"ticks", 0, true},
		{"ok", time.Minute, false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			if got := child(tc.mode).KillAfter(t, tc.delay); got != tc.killed {
				t.Fatalf("KillAfter(%v) = %v, want %v", tc.delay, got, tc.killed)
			}
		})
	}
}

func TestWaitOutputThenKill(t *testing.T) {
	p := child("ticks").Start(t)
	if !p.WaitOutput(t, time.Minute, "three ticks", func(out string) bool { return strings.Count(out, "TICK\n") >= 3 }) {
		t.Fatalf("the child ended before three ticks:\n%s", p.Output())
	}
	if p.Exited() {
		t.Fatal("Exited before the kill")
	}
	if !p.Kill(t) {
		t.Fatal("Kill did not report the kill")
	}
	if !p.Exited() {
		t.Fatal("not Exited after the kill")
	}
}

func TestWaitOutputChildEnded(t *testing.T) {
	p := child("ok").Start(t)
	if p.WaitOutput(t, time.Minute, "a line never written", func(out string) bool { return strings.Contains(out, "never") }) {
		t.Fatal("WaitOutput held of output never written")
	}
	if !p.WaitOutput(t, time.Minute, "the last line", func(out string) bool { return strings.Contains(out, "to stderr") }) {
		t.Fatal("WaitOutput did not see the output of a child that ended")
	}
}

func TestWait(t *testing.T) {
	for _, tc := range []struct {
		mode   string
		signal syscall.Signal // sent once the child printed READY, or at once
		code   int
	}{
		{"ok", 0, 0},
		{"exit3", 0, 3},
		{"term", syscall.SIGTERM, 7},
		{"sleep", syscall.SIGKILL, -1},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			p := child(tc.mode).Start(t)
			if tc.mode == "term" {
				p.WaitOutput(t, time.Minute, "READY", func(out string) bool { return strings.Contains(out, "READY") })
			}
			if tc.signal != 0 {
				if err := p.Signal(tc.signal); err != nil {
					t.Fatal(err)
				}
			}
			if code := p.Wait(t, time.Minute); code != tc.code {
				t.Fatalf("exit code %d, want %d\n%s", code, tc.code, p.Output())
			}
		})
	}
}

// TestFailures checks that each helper fails its test, with a message
// that says what happened, when the child does not do what it expects.
func TestFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(tb testing.TB)
		says []string
	}{
		{"Output of a failing child", func(tb testing.TB) { child("fail").Output(tb) }, []string{"child TestHelperChild failed", "boom"}},
		{"Run of a failing child", func(tb testing.TB) { child("exit3").Run(tb) }, []string{"exit status 3"}},
		{"KillAfter of a child that failed first", func(tb testing.TB) { child("exit3").KillAfter(tb, time.Minute) }, []string{"failed before the kill", "exit status 3"}},
		{"WaitOutput past its time", func(tb testing.TB) {
			child("ticks").Start(tb).WaitOutput(tb, 100*time.Millisecond, "a marker", func(string) bool { return false })
		}, []string{"no a marker within 100ms", "TICK"}},
		{"Wait past its time", func(tb testing.TB) { child("sleep").Start(tb).Wait(tb, 100*time.Millisecond) }, []string{"did not end within 100ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := failure(t, tc.f)
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Fatalf("failure message %q lacks %q", msg, s)
				}
			}
		})
	}
}

func TestTail(t *testing.T) {
	long := strings.Repeat("x", tailBytes) + "END"
	for _, tc := range []struct {
		in, want string
	}{
		{"short", "short"},
		{long, "[earlier output cut]\n" + long[3:]},
	} {
		if got := tail(tc.in); got != tc.want {
			t.Errorf("tail of %d bytes: %d bytes %q..., want %d bytes", len(tc.in), len(got), got[:min(len(got), 30)], len(tc.want))
		}
	}
}
