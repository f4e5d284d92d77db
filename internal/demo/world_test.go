package demo

import (
	"testing"
	"time"
)

func TestStartWorld(t *testing.T) {
	start := time.Now()
	w, err := Start(t.Context(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	t.Logf("world in %s: %d proposals, %d votes, head %d, %d attacks", time.Since(start), w.Proposals, w.Votes, w.Head, len(w.Attacks))
	for _, a := range w.Attacks {
		t.Logf("%s %s %v", a.Name, a.Dataset, a.Keys)
	}
}
