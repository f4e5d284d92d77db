package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
)

// TestLimitsRefuseHostileFilesQuickly feeds the shapes that took 736 MB and
// 15 GB before the limits: each must be refused in well under a second with
// a few MB allocated, naming the file and the limit.
func TestLimitsRefuseHostileFilesQuickly(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"flow 100000 deep", "version: 1\njobs: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n", "over the limit of 64 levels"},
		{"flow maps 20000 deep", "version: 1\njobs: " + strings.Repeat("{a: ", 20000) + "1" + strings.Repeat("}", 20000) + "\n", "over the limit of 64 levels"},
		{"dashes 20000 deep", "version: 1\njobs:\n" + strings.Repeat("- ", 20000) + "x\n", "over the limit of 64 levels"},
		{"2 MB", "version: 1\n# " + strings.Repeat("x", 2<<20) + "\n", "over the limit of 1048576 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hostile.yaml")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			began := time.Now()
			_, err := config.Load(path, getenv)
			took := time.Since(began)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, config.ErrLimit) || !errors.Is(err, config.ErrInvalid) {
				t.Fatalf("want ErrLimit and ErrInvalid, got %v", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, path+":") || !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q does not name the file and %q", msg, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("refusing it allocated %d MB", alloc>>20)
			}
			if took > 2*time.Second {
				t.Errorf("refusing it took %v", took)
			}
		})
	}
}

// TestLimitsAcceptOrdinaryShapes: block scalars and quoted brackets do not
// count as nesting.
func TestLimitsAcceptOrdinaryShapes(t *testing.T) {
	data := "version: 1\ndata_dir: \"" + strings.Repeat("[", 100) + "\"\njobs: []\nx: |\n  " + strings.Repeat("[", 100) + "\n"
	_, err := config.Parse("ok.yaml", []byte(data), getenv)
	if errors.Is(err, config.ErrLimit) {
		t.Fatalf("an ordinary file hit a limit: %v", err)
	}
}
