package testchain

import (
	"context"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// MissingTool ends a test that needs a tool that is not installed: under CI=true it
// fails (CI must run every test), elsewhere it skips. msg should say how to install it.
func MissingTool(t testing.TB, msg string) {
	t.Helper()
	missingTool(t, os.Getenv("CI") == "true", msg)
}

func missingTool(t testing.TB, ci bool, msg string) {
	t.Helper()
	if ci {
		t.Fatalf("CI=true and a required tool is missing: %s", msg)
		return
	}
	t.Skipf("skipping: %s", msg)
}

// StartAnvil starts anvil for a test with the default configuration; see StartAnvilWith.
func StartAnvil(t testing.TB) *Anvil {
	t.Helper()
	return StartAnvilWith(t, AnvilConfig{})
}

// StartAnvilWith starts anvil for a test and stops it when the test ends, printing
// anvil's output with t.Log if the test failed. When cfg.Path is empty it uses
// FindAnvil; a missing anvil fails the test under CI=true and skips it elsewhere.
func StartAnvilWith(t testing.TB, cfg AnvilConfig) *Anvil {
	t.Helper()
	if cfg.Path == "" {
		path, err := FindAnvil()
		if err != nil {
			MissingTool(t, err.Error())
		}
		cfg.Path = path
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := NewAnvil(ctx, cfg)
	if err != nil {
		t.Fatalf("start anvil: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("anvil output (%s):\n%s", a.RPCURL(), a.Logs())
		}
		_ = a.Close()
	})
	return a
}

// StartSimulated starts a simulated chain for a test and closes it when the test ends.
func StartSimulated(t testing.TB) *Simulated {
	t.Helper()
	s := NewSimulated(SimConfig{})
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close simulated chain: %v", err)
		}
	})
	return s
}

// RequireNodeModules returns <repository root>/node_modules, failing the test under
// CI=true and skipping it elsewhere when it is missing.
func RequireNodeModules(t testing.TB) string {
	t.Helper()
	dir, err := NodeModules()
	if err != nil {
		MissingTool(t, err.Error())
	}
	return dir
}

// LeakOptions returns the goleak options for packages that use this one: they ignore
// go-ethereum's package-level transaction sender cache workers, which live for the
// whole process, and goleveldb's memory-pool drainer of the simulated node's in-memory
// node database, which exits about a second after the backend is closed.
func LeakOptions() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreTopFunction("github.com/ethereum/go-ethereum/core.(*txSenderCacher).cache"),
		goleak.IgnoreTopFunction("github.com/syndtr/goleveldb/leveldb.(*DB).mpoolDrain"),
	}
}
