package serve

import (
	"strconv"
	"strings"
	"sync"
)

// changes remembers what the server served at its last poll and who wants
// to hear when that changes.
type changes struct {
	mu        sync.Mutex
	last      string
	listeners []func()
}

// OnChange registers f to be called after a poll (Poll, every interval of
// Run) that changed the servable versions: a new attested version, a
// revocation, a version that stopped or resumed being served (corrupt
// segment, chain check). f runs on the polling goroutine and must return
// quickly; the MCP server uses it to send notifications/resources/list_changed
// and notifications/tools/list_changed.
func (s *Server) OnChange(f func()) {
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	s.changes.listeners = append(s.changes.listeners, f)
}

// noteChanges compares the servable versions with the last poll's and
// calls the OnChange listeners when they differ.
func (s *Server) noteChanges() {
	var b strings.Builder
	for _, d := range s.Datasets(LocalPrincipal()) {
		for _, v := range d.Versions {
			b.WriteString(d.Name + "@" + strconv.FormatUint(v.Version, 10) + " " + v.MerkleRoot.String() + " " + v.Attestation.ID + "\n")
		}
	}
	now := b.String()
	s.changes.mu.Lock()
	changed := now != s.changes.last
	s.changes.last = now
	listeners := append([]func(){}, s.changes.listeners...)
	s.changes.mu.Unlock()
	if !changed {
		return
	}
	for _, f := range listeners {
		f()
	}
}
