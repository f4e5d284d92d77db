package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostileInbox is the black-box attack F15: the signature inbox is a
// drop folder others write to. A 3 GB file (sparse) and a symbolic link to
// a file outside it must not be read: they are moved to inbox/rejected and
// reported once; a small file that is not a signature file stays.
func TestHostileInbox(t *testing.T) {
	dir := t.TempDir()
	big, err := os.Create(filepath.Join(dir, "huge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(3 << 30); err != nil {
		t.Fatal(err)
	}
	big.Close()
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &AttestPolicy{Inbox: dir}
	began := time.Now()
	got, rejected, err := p.readInbox("votes")
	if err != nil || len(got) != 0 {
		t.Fatalf("readInbox: %v %v", got, err)
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Fatalf("readInbox took %s: it read the large file", took)
	}
	if len(rejected) != 2 || !strings.Contains(strings.Join(rejected, "\n"), "huge.json: 3221225472 bytes") || !strings.Contains(strings.Join(rejected, "\n"), "passwd.json: not a regular file") {
		t.Fatalf("rejected: %q", rejected)
	}
	for _, name := range []string{"huge.json", "passwd.json"} {
		if _, err := os.Lstat(filepath.Join(dir, "rejected", name)); err != nil {
			t.Errorf("%s not moved to rejected/: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "other.json")); err != nil {
		t.Errorf("a small file that is not a signature file was moved: %v", err)
	}
	if _, rejected, _ := p.readInbox("votes"); len(rejected) != 0 {
		t.Fatalf("the next run reports them again: %q", rejected)
	}
}
