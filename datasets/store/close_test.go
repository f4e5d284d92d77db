package store_test

import (
	"context"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestReadAfterClose: a reader racing with Close (serve's catalog poll
// while serve shut down, seen once in CI as a nil pointer panic in
// Store.Versions) gets an error from the closed database, not a panic;
// Close twice is fine.
func TestReadAfterClose(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Versions(ctx, "votes"); err == nil {
		t.Fatal("Versions after Close: no error")
	}
	if _, err := s.Datasets(ctx); err == nil {
		t.Fatal("Datasets after Close: no error")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
}
