package store

import (
	"context"
	"fmt"
	"sync"
)

// writerLocks serialises the version writers of each dataset in this
// process: one writer per dataset at a time, writers of different datasets
// at once. Each dataset's lock is a one-slot channel, so a writer waiting
// for it gives up when its context ends.
type writerLocks struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

// slot returns dataset's lock, creating it on first use.
func (l *writerLocks) slot(dataset string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.slots == nil {
		l.slots = map[string]chan struct{}{}
	}
	ch, ok := l.slots[dataset]
	if !ok {
		ch = make(chan struct{}, 1)
		l.slots[dataset] = ch
	}
	return ch
}

// lock takes dataset's writer lock, waiting for the writer that holds it
// until ctx ends.
func (l *writerLocks) lock(ctx context.Context, dataset string) error {
	ch := l.slot(dataset)
	select {
	case ch <- struct{}{}:
		return nil
	default:
	}
	select {
	case ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the writer of %s to finish: %w", dataset, context.Cause(ctx))
	}
}

// unlock releases dataset's writer lock.
func (l *writerLocks) unlock(dataset string) { <-l.slot(dataset) }

// cachedKeys returns the cached key set of dataset's latest version, if any.
func (s *Store) cachedKeys(dataset string) *keySet {
	s.keysM.Lock()
	defer s.keysM.Unlock()
	return s.keys[dataset]
}

// cacheKeys caches dataset's key set; nil drops it.
func (s *Store) cacheKeys(dataset string, ks *keySet) {
	s.keysM.Lock()
	defer s.keysM.Unlock()
	if ks == nil {
		delete(s.keys, dataset)
		return
	}
	s.keys[dataset] = ks
}

// clearKeys drops every cached key set.
func (s *Store) clearKeys() {
	s.keysM.Lock()
	defer s.keysM.Unlock()
	clear(s.keys)
}
