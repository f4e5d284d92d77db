package serve

import (
	"runtime"
	"syscall"
)

// lowestPriority is the nice value of the threads that run SQL queries.
const lowestPriority = 19

// lowPriority runs fn on a fresh OS thread whose nice value is 19, so the
// CPU-bound work in fn (a DuckDB query, which computes on the calling
// thread) yields to the server's other threads. The thread is not returned
// to the Go scheduler afterwards: the goroutine ends while still locked to
// it, so the runtime discards the thread instead of reusing it at the
// lowered priority (raising it back needs a privilege the server may lack).
// When the priority cannot be changed, fn runs at normal priority.
// A panic in fn is re-raised in the caller's goroutine, where the HTTP
// server's recovery sees it, as it would without the extra goroutine.
func lowPriority(fn func()) {
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), lowestPriority)
		fn()
	}()
	if p := <-done; p != nil {
		panic(p)
	}
}
