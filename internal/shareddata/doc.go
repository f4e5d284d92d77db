// Package shareddata locates the test inputs that live outside the repository:
// the real governance and price data in ../shared/data beside the checkout.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/repo"
)

// RepoRoot returns the folder holding go.mod, walking up from the working
// directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := repo.Root()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// SharedData returns the path of ../shared/data/<rel> beside the checkout.
// When it is missing the test is skipped with a clear message, except under
// CI=true, where the data is always present and its absence is a failure.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real test data %s is missing under CI=true: %v", p, err)
		}
		t.Skipf("real test data %s is not here (a plain clone has no ../shared/data): %v", p, err)
	}
	return p
}
