package main

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileSIGHUP is the black-box attack F6: SIGHUP (an operator's
// "reload" after editing the token list) must take the graceful stop path
// (the runs in flight finish, "daemon stopped" is logged, exit 0), not
// Go's default of dying at once.
func TestHostileSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	prices := startPrices(t, 240, -1)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, signalConfig, map[string]any{"Prices": prices.RangeURL("comp"),
		"Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(239 * time.Hour).Format(time.RFC3339)})
	p := startChild(t, "run", "-c", cfg, "--listen", "")
	time.Sleep(300 * time.Millisecond)
	_ = p.Signal(syscall.SIGHUP)
	if code := p.Wait(t, 20*time.Second); code != 0 || !strings.Contains(p.Output(), `msg="daemon stopped"`) {
		t.Fatalf("a SIGHUP: exit %d (want 0 after the graceful stop)\n%s", code, p.Output())
	}
}
