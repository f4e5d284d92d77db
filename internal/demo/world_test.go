package demo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

// TestStartWorld builds the world and checks what it set up: the stewards'
// keystores and password, the scripted attacks with their rows, and a
// configuration naming the chain, the contracts and the feeds.
func TestStartWorld(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	w, err := Start(t.Context(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	t.Logf("world in %s: %d proposals, %d votes, head %d", time.Since(start).Round(time.Millisecond), w.Proposals, w.Votes, w.Head)
	checkWorld(t, w, dir)
}

// TestStartWorldOnAnvil builds the same world on anvil (ten accounts of
// its own, automatic mining): the scenario's other actors are derived and
// funded, its transactions share blocks, and anvil mines again afterwards.
func TestStartWorldOnAnvil(t *testing.T) {
	a := testchain.StartAnvilWith(t, testchain.AnvilConfig{Args: []string{"--gas-limit", "60000000"}})
	dir := t.TempDir()
	start := time.Now()
	w, err := Start(t.Context(), Options{Dir: dir, Chain: a})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	t.Logf("world on anvil in %s: %d proposals, %d votes, head %d", time.Since(start).Round(time.Millisecond), w.Proposals, w.Votes, w.Head)
	checkWorld(t, w, dir)
	if cfg, _ := os.ReadFile(w.Config); !strings.Contains(string(cfg), "chain_id: 31337") {
		t.Errorf("the configuration does not name anvil's chain id:\n%s", cfg)
	}
	var automine bool
	if err := a.RPC().CallContext(t.Context(), &automine, "anvil_getAutomine"); err != nil || !automine {
		t.Errorf("anvil's automatic mining after the world: %v (%v)", automine, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Client().BlockNumber(t.Context()); err != nil {
		t.Errorf("closing the world closed the caller's chain: %v", err)
	}
}

// checkWorld checks what Start set up in dir.
func checkWorld(t *testing.T, w *World, dir string) {
	t.Helper()
	if w.Proposals != 4 || w.Votes < 50 || w.Head < historyBlocks {
		t.Errorf("governance: %d proposals, %d votes, head %d", w.Proposals, w.Votes, w.Head)
	}
	if len(w.Stewards) != 3 || !w.Stewards[0].Pipeline || !w.Stewards[1].Cosign {
		t.Errorf("stewards %+v", w.Stewards)
	}
	for _, s := range w.Stewards {
		if _, err := os.Stat(s.Keystore); err != nil {
			t.Errorf("keystore of %s: %v", s.Name, err)
		}
	}
	if st, err := os.Stat(w.PasswordFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("password file %s: %v %v", w.PasswordFile, st, err)
	}
	want := map[string]int{"governor_votes": 4, "governor_proposals": 1, "comp_usd_aggregator": 2}
	got := map[string]int{}
	for _, a := range w.Attacks {
		got[a.Dataset]++
		if len(a.Keys) == 0 || len(a.Codes) == 0 {
			t.Errorf("attack %q has no rows or codes", a.Name)
		}
	}
	for ds, n := range want {
		if got[ds] != n {
			t.Errorf("%d attacks in %s, want %d", got[ds], ds, n)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "groundtruth.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{w.Chain.RPCURL(), w.Registry.Hex(), w.DAO.Governor.Hex(), w.DAO.Token.Hex(), w.Feeds.List[2].URL} {
		if !strings.Contains(string(cfg), s) {
			t.Errorf("the configuration lacks %s", s)
		}
	}
}

// TestPrepareDir accepts an absent or empty folder and refuses a used one.
func TestPrepareDir(t *testing.T) {
	used := t.TempDir()
	if err := os.WriteFile(filepath.Join(used, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir string
		ok        bool
	}{
		{"absent", filepath.Join(t.TempDir(), "new", "demo"), true},
		{"empty", t.TempDir(), true},
		{"used", used, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := PrepareDir(tt.dir)
			if (err == nil) != tt.ok {
				t.Fatalf("PrepareDir(%s) = %v", tt.dir, err)
			}
		})
	}
}
