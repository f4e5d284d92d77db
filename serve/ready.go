package serve

import (
	"context"
	"fmt"
	"time"
)

// StartWait is how long a request that arrives before the server has
// started waits for it before it is answered with ErrStarting.
const StartWait = 10 * time.Second

// markStarted records that the first check of the catalog and the chain is
// done.
func (s *Server) markStarted() { s.startOnce.Do(func() { close(s.started) }) }

// Started is closed once the server knows what it may serve: at New when
// it watches no chain, else after the first Poll (Run polls first). Before
// that every version would look unattested, so callers wait or answer
// ErrStarting instead of an empty success.
func (s *Server) Started() <-chan struct{} { return s.started }

// WaitStarted waits up to max for Started; after that (or when ctx ends)
// it returns an error wrapping ErrStarting.
func (s *Server) WaitStarted(ctx context.Context, max time.Duration) error {
	select {
	case <-s.started:
		return nil
	default:
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-s.started:
		return nil
	case <-ctx.Done():
	case <-t.C:
	}
	return fmt.Errorf("%w: the server is still checking the catalog and the chain; ask again in a few seconds", ErrStarting)
}
