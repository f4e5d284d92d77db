package serve

import (
	"crypto/sha256"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// TestIntegrityCheck damages a segment file in each way and checks the
// verdict, the change notifications and the metrics; a restored file is
// served again.
func TestIntegrityCheck(t *testing.T) {
	good := []byte(strings.Repeat("attested bytes ", 1000))
	other := []byte(strings.Repeat("attested BYTES ", 1000))
	for _, tc := range []struct {
		name   string
		damage func(path string) error
		want   string
	}{
		{"other bytes of the same size", func(p string) error { return os.WriteFile(p, other, 0o644) }, "its bytes are not the attested ones"},
		{"truncated", func(p string) error { return os.Truncate(p, 10) }, "has 10 bytes, its attested manifest says 15000"},
		{"missing", os.Remove, "is missing or unreadable"},
		{"replaced by rename", func(p string) error {
			tmp := p + ".tmp"
			if err := os.WriteFile(tmp, other, 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, p)
		}, "its bytes are not the attested ones"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "seg.arrow")
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			seg := datasets.SegmentRef{Path: "seg.arrow", SHA256: datasets.Hash(sha256.Sum256(good)), Bytes: uint64(len(good))}
			reg := prometheus.NewRegistry()
			m, err := NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			var changes []error
			c := &integrity{root: dir, files: newFiles(dir), log: slog.New(slog.DiscardHandler), metrics: m, now: time.Now,
				statEvery: time.Hour, changed: func(_ datasets.Hash, err error) { changes = append(changes, err) }}
			defer c.files.close()
			if err := c.check(seg); err != nil {
				t.Fatalf("the attested file: %v", err)
			}
			time.Sleep(20 * time.Millisecond) // past the file system's timestamp granularity
			if err := tc.damage(path); err != nil {
				t.Fatal(err)
			}
			if err := c.check(seg); err != nil {
				t.Fatalf("within statEvery the cached verdict stands, got %v", err)
			}
			c.sweep(map[datasets.Hash]datasets.SegmentRef{seg.SHA256: seg})
			err = c.check(seg)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("after the damage: %v, want %q", err, tc.want)
			}
			if len(changes) != 1 || changes[0] == nil || gauge(t, reg, "groundtruth_serve_corrupt_segments_total") != 1 || gauge(t, reg, "groundtruth_serve_corrupt_segments") != 1 {
				t.Fatalf("changes %v, corrupt %v, now %v", changes, gauge(t, reg, "groundtruth_serve_corrupt_segments_total"), gauge(t, reg, "groundtruth_serve_corrupt_segments"))
			}
			time.Sleep(20 * time.Millisecond)
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			c.sweep(map[datasets.Hash]datasets.SegmentRef{seg.SHA256: seg})
			if err := c.check(seg); err != nil || len(changes) != 2 || changes[1] != nil || gauge(t, reg, "groundtruth_serve_corrupt_segments") != 0 {
				t.Fatalf("after the restore: %v, changes %v, now %v", err, changes, gauge(t, reg, "groundtruth_serve_corrupt_segments"))
			}
		})
	}
}

// gauge returns the value of an unlabelled counter or gauge.
func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			m := mf.GetMetric()[0]
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestIntegrityRehash rewrites a segment in place keeping its size and
// modification time, and makes the recorded identity the new one (as on a
// system whose stat shows no change time): stat cannot see it, the
// scheduled re-hash does. (The change time catches it on Linux:
// TestHostileSameSizeRewrite.)
func TestIntegrityRehash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seg.arrow")
	good := []byte(strings.Repeat("attested bytes ", 1000))
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	seg := datasets.SegmentRef{Path: "seg.arrow", SHA256: datasets.Hash(sha256.Sum256(good)), Bytes: uint64(len(good))}
	for _, tc := range []struct {
		name  string
		every time.Duration
		found bool
	}{{"no schedule", 0, false}, {"due", time.Nanosecond, true}, {"not due", time.Hour, false}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			c := &integrity{root: dir, files: newFiles(dir), log: slog.New(slog.DiscardHandler), now: time.Now,
				statEvery: time.Hour, rehashEvery: tc.every, changed: func(datasets.Hash, error) {}}
			defer c.files.close()
			if err := c.check(seg); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte("ATTESTED"), 0)
			f.Close()
			if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
				t.Fatal(err)
			}
			sc := c.entry(seg.SHA256)
			sc.mu.Lock()
			sc.id, err = statID(path)
			sc.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			c.sweep(map[datasets.Hash]datasets.SegmentRef{seg.SHA256: seg})
			if err := c.check(seg); (err != nil) != tc.found || (err != nil && !errors.Is(err, ErrCorrupt)) {
				t.Fatalf("found %v, want %v", err, tc.found)
			}
		})
	}
}
