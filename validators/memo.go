package validators

import (
	"errors"
	"sync"
)

// errBuildPanicked is what the waiters of a build that panicked get (the
// panic itself goes up the building goroutine).
var errBuildPanicked = errors.New("validators: the build of a shared value panicked")

// lazyMap holds values built on first use, one per key, each built once
// even when goroutines ask for it concurrently (the Suite runs validators
// in parallel, and they share decoded columns and memoized indexes).
type lazyMap struct {
	mu      sync.Mutex
	entries map[string]*lazyEntry
	// slot, when set, is the Suite's worker slot: a caller that waits
	// for another's build gives its slot up while it waits, so another
	// validator runs on the CPU meanwhile.
	slot *workerSlots
}

// workerSlots bounds how many validators run at once: a buffered channel
// holding one value per running validator.
type workerSlots chan struct{}

func (w *workerSlots) acquire() { *w <- struct{}{} }
func (w *workerSlots) release() { <-*w }

// lazyEntry is one key's value; done is closed when its build ended.
type lazyEntry struct {
	done chan struct{}
	v    any
	err  error
}

// get returns key's value, building it (outside the lock) when no caller
// built it yet, or waiting for the caller that is building it. A build
// that fails is not kept: its waiters get its error, a later call builds
// again.
func (l *lazyMap) get(key string, build func() (any, error)) (any, error) {
	l.mu.Lock()
	if e, ok := l.entries[key]; ok {
		l.mu.Unlock()
		select {
		case <-e.done:
		default:
			if l.slot == nil {
				<-e.done
			} else {
				l.slot.release()
				<-e.done
				l.slot.acquire()
			}
		}
		return e.v, e.err
	}
	if l.entries == nil {
		l.entries = map[string]*lazyEntry{}
	}
	e := &lazyEntry{done: make(chan struct{})}
	l.entries[key] = e
	l.mu.Unlock()
	defer close(e.done)
	ok := false
	defer func() {
		if !ok { // build failed or panicked: forget the entry
			if e.err == nil {
				e.err = errBuildPanicked
			}
			l.mu.Lock()
			delete(l.entries, key)
			l.mu.Unlock()
		}
	}()
	e.v, e.err = build()
	ok = e.err == nil
	return e.v, e.err
}

// reset forgets every value.
func (l *lazyMap) reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

// memoTable holds the values built through Input.Memo and the cleanups
// that release them.
type memoTable struct {
	lazyMap
	cmu     sync.Mutex
	cleanup []func()
}

// get returns key's value, building it once (see lazyMap.get).
func (m *memoTable) get(key string, build func() (any, func(), error)) (any, error) {
	return m.lazyMap.get(key, func() (any, error) {
		v, cleanup, err := build()
		if err != nil {
			return nil, err
		}
		if cleanup != nil {
			m.cmu.Lock()
			m.cleanup = append(m.cleanup, cleanup)
			m.cmu.Unlock()
		}
		return v, nil
	})
}

// close runs the cleanups of the built values and forgets them.
func (m *memoTable) close() {
	m.reset()
	m.cmu.Lock()
	cs := m.cleanup
	m.cleanup = nil
	m.cmu.Unlock()
	for _, c := range cs {
		c()
	}
}
