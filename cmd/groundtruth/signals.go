package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// stopSignals start the graceful stop of every command (the daemon's and
// serve's shutdown_grace path; a second one exits at once).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// signalContext returns the commands' context: SIGINT and SIGTERM end it
// (the graceful stop). SIGHUP goes to the commands that subscribed to it
// (onHangup: serve and run reload their tokens and keep running); when
// none did, it ends the context like SIGTERM (Go's default, dying on the
// spot, would abandon work in flight). stop releases the signals.
func signalContext() (ctx context.Context, stop func()) {
	ctx, stopNotify := signal.NotifyContext(context.Background(), stopSignals...)
	ctx, cancel := context.WithCancel(ctx)
	h := &hangups{subs: map[chan struct{}]struct{}{}}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				if !h.deliver() {
					cancel()
				}
			}
		}
	}()
	return context.WithValue(ctx, hangupKey{}, h), func() { signal.Stop(sig); cancel(); stopNotify() }
}

type hangupKey struct{}

// hangups are the subscribers to SIGHUP.
type hangups struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// deliver wakes every subscriber (without blocking: a pending wake-up is
// enough); it reports whether there was one.
func (h *hangups) deliver() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	return len(h.subs) > 0
}

// onHangup subscribes to SIGHUP for as long as the returned function is
// not called. Without signalContext's context (tests that execute a
// command in-process) the channel never fires.
func onHangup(ctx context.Context) (<-chan struct{}, func()) {
	h, _ := ctx.Value(hangupKey{}).(*hangups)
	c := make(chan struct{}, 1)
	if h == nil {
		return c, func() {}
	}
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}
