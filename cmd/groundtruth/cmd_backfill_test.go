package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

const backfillConfig = `version: 1
data_dir: data
jobs:
  - name: pings
    dataset: pings
    schedule: "@every 1m"
    source:
      kind: evm_logs
      rpc: {url: {{.RPC}}}
      addresses: ["{{.Emitter}}"]
      event: "{{.Event}}"
`

// TestBackfill backfills a chain job over a block range in steps, with a
// plain progress line per version (stderr is not a terminal), then refuses
// a range that would leave a gap and skips one already read.
func TestBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs anvil")
	}
	a := chaintest.Anvil(t)
	emitter := chaintest.DeployEmitter(t, a)
	rcs := chaintest.EmitMany(t, a, emitter, 200, 10) // 20 blocks
	first, last := rcs[0].BlockNumber.Uint64(), rcs[len(rcs)-1].BlockNumber.Uint64()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, backfillConfig, map[string]any{"RPC": a.RPCURL(), "Emitter": emitter.Hex(), "Event": chaintest.PingEvent})
	mid := first + 9
	out, errOut, code := runCLI(t, nil, "backfill", "pings", "-c", cfg, "--from-block", strconv.FormatUint(first, 10), "--to-block", strconv.FormatUint(mid, 10), "--step", "4")
	if code != 0 || !strings.Contains(out, "backfilled up to block "+strconv.FormatUint(mid, 10)+" in 3 versions") {
		t.Fatalf("backfill: exit %d\n%s%s", code, out, errOut)
	}
	if !regexp.MustCompile(`backfill pings: 4/10 blocks \(40\.0%\), pings@1, 40 rows`).MatchString(errOut) ||
		!strings.Contains(errOut, "backfill pings: 10/10 blocks (100.0%), pings@3, 20 rows") {
		t.Fatalf("progress lines:\n%s", errOut)
	}
	if _, errOut, code := runCLI(t, nil, "backfill", "pings", "-c", cfg, "--from-block", strconv.FormatUint(mid+5, 10), "--to-block", strconv.FormatUint(last, 10)); code != exitUsage || !strings.Contains(errOut, "would leave blocks") {
		t.Fatalf("a gap: exit %d\n%s", code, errOut)
	}
	if out := mustRun(t, "backfill", "pings", "-c", cfg, "--from-block", strconv.FormatUint(first, 10), "--to-block", strconv.FormatUint(mid-2, 10)); !strings.Contains(out, "already ingested") {
		t.Fatalf("an ingested range: %s", out)
	}
	out = mustRun(t, "backfill", "pings", "-c", cfg, "--from-block", strconv.FormatUint(first, 10), "--to-block", strconv.FormatUint(last, 10), "--step", "100")
	if !strings.Contains(out, "in 1 versions") {
		t.Fatalf("the rest: %s", out)
	}
	out = mustRun(t, "--data-dir", filepath.Join(dir, "data"), "query", "--format", "csv", `SELECT count(*), count(DISTINCT (tx_hash, log_index)) FROM "pings@4"`)
	if !strings.Contains(out, "200,200") {
		t.Fatalf("rows: %s", out)
	}
	if out := mustRun(t, "--data-dir", filepath.Join(dir, "data"), "runs", "--job", "pings"); strings.Count(out, "backfill#1") != 4 {
		t.Fatalf("run history:\n%s", out)
	}
}
