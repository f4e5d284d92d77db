package pipeline

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestHostileInboxFiles drops what a hostile or careless writer of the
// attestation inbox could: a 64 MiB file, a symlink to /etc/passwd, a FIFO
// and a file that is not a signature file (with a newline and an escape in
// its name). The inbox reads none of them whole (the allocation stays far
// below the big file's size), never blocks on the FIFO, logs each one once
// with its name quoted, and moves them to rejected/ so that the next run
// does not read them again.
func TestHostileInboxFiles(t *testing.T) {
	inbox := t.TempDir()
	big := filepath.Join(inbox, "huge.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil { // sparse: no disk
		t.Fatal(err)
	}
	f.Close()
	if err := os.Symlink("/etc/passwd", filepath.Join(inbox, "passwd.json")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(inbox, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	odd := "bad\n\x1b[31mname.json"
	if err := os.WriteFile(filepath.Join(inbox, odd), []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := []string{"huge.json", "passwd.json", "fifo.json", odd}

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	p := &AttestPolicy{Inbox: inbox}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := p.readInbox("votes", log)
	runtime.ReadMemStats(&after)
	if err != nil || len(got) != 0 {
		t.Fatalf("readInbox: %v %v", got, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("reading the inbox allocated %d bytes: a large file was read", alloc)
	}
	for _, name := range refused {
		if _, err := os.Lstat(filepath.Join(inbox, name)); !os.IsNotExist(err) {
			t.Errorf("%q is still in the inbox: %v", name, err)
		}
		if _, err := os.Lstat(filepath.Join(inbox, InboxRejected, name)); err != nil {
			t.Errorf("%q is not in rejected/: %v", name, err)
		}
	}
	text := logs.String()
	if n := strings.Count(text, "file refused"); n != len(refused) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(refused), text)
	}
	if strings.Contains(text, "\x1b") || strings.Count(text, "\n") != len(refused) {
		t.Errorf("a file name reached the log unescaped:\n%q", text)
	}
	logs.Reset()
	if _, err := p.readInbox("votes", log); err != nil || logs.Len() != 0 {
		t.Errorf("the next run read or reported the refused files again: %v\n%s", err, logs.String())
	}
}
