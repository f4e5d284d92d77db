package store

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPublishStagedRace: the writer of a journal entry and a writing open
// restoring it may rename the same staged file at once; the one that finds
// the staged file gone and the entry in place succeeds (a clean-clone CI run
// of TestStoreKill failed on "rename …: no such file or directory"), while a
// staged file gone with no entry in place is still an error.
func TestPublishStagedRace(t *testing.T) {
	for _, tc := range []struct {
		name         string
		otherRenamed bool // another process published the entry first
		wantErr      bool
	}{
		{"another process renamed it first", true, false},
		{"staged file gone, no entry", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			staged := filepath.Join(root, "tmp", "journal-1")
			rel := filepath.Join("journal", "ab", "ab.json")
			final := filepath.Join(root, rel)
			for _, d := range []string{filepath.Dir(staged), filepath.Dir(final)} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(staged, []byte("{}"), 0o600); err != nil {
				t.Fatal(err)
			}
			// The race: this process saw no entry and a staged file, then
			// the other process renamed or removed the staged file.
			if tc.otherRenamed {
				if err := os.Rename(staged, final); err != nil {
					t.Fatal(err)
				}
			} else if err := os.Remove(staged); err != nil {
				t.Fatal(err)
			}
			err := publishRenamed(root, staged, rel)
			if (err != nil) != tc.wantErr {
				t.Fatalf("publish = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}
