package scenarios

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/erc20"
	"github.com/groundtruth-dao/groundtruth/sources/governor"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
)

// onchainConfig is the jobs of the on-chain scenarios: the token's events
// (unvalidated: the gaming checks read them from the catalog), then the
// governor's proposals and votes, validated. The block windows are those
// of this chain's timeline, where a block is 12 seconds and a vote lasts
// 40 blocks (8 minutes): 30 blocks stand for the day (7,200 blocks) of the
// mainnet defaults. Codes keep their default actions.
const onchainConfig = `version: 1
data_dir: data
jobs:
  - name: dao-token
    dataset: erc20_events
    source:
      kind: erc20
      rpc: {url: {{.RPC}}}
      addresses: ["{{.Token}}"]
  - name: dao-proposals
    dataset: governor_proposals
    source:
      kind: governor
      rpc: {url: {{.RPC}}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: proposals
    validation:
      checks:
        - kind: gaming.calldata
        - kind: gaming.text
          columns: [description]
          known_columns: [targets, proposer]
  - name: dao-votes
    dataset: governor_votes
    source:
      kind: governor
      rpc: {url: {{.RPC}}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: votes
    validation:
      checks:
        - kind: gaming.jit_power
          before: 30
          after: 30
          check_power: true                       # honest votes weigh exactly their power at the snapshot
        - kind: gaming.delegation_spike
          window: 5
          lookback: 30
          baseline: 300
        - kind: gaming.sybil_cluster
          fresh: 60
          funding_burst: 5
          vote_window: 1m
        - kind: gaming.few_voter_quorum
          quorum: {{.Quorum}}
        - kind: gaming.text
          columns: [reason]
`

// TestOnchainScenarios reenacts the governance attacks with the real
// OpenZeppelin Governor and ERC20Votes token on anvil, ingests the token's
// events and the governor's proposals and votes with the erc20 and
// governor sources through pipeline.Ingest (the validated ingest path, the
// suites built from a configuration file) into a store, and scores every
// attack: a row counts as found when a gaming finding at warn or above
// references it; a flagged row of honest activity is a false alarm.
func TestOnchainScenarios(t *testing.T) {
	a := chaintest.Anvil(t)
	ctx := chaintest.Ctx(t)
	start := time.Now()
	o := newOnchainDAO(newChainDriver(t, ctx, a))
	o.script()
	t.Logf("anvil: %d blocks scripted in %s (%d honest votes)", o.head(), time.Since(start).Round(time.Millisecond), o.honestVotes)

	st, err := store.Open(ctx, t.TempDir(), store.Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg, srcs := loadOnchainConfig(t, a.RPCURL(), o, chaintest.Deps(t, st.Raw()))
	results := map[string]*pipeline.IngestResult{}
	for i := range cfg.Jobs {
		job := &cfg.Jobs[i]
		pj := pipeline.Job{Name: job.Name, Dataset: job.Dataset, Source: srcs[job.Name]}
		if job.Validation != nil {
			pj.Validation = buildSuite(t, job)
		}
		res, err := pipeline.Ingest(ctx, st, pj, time.Now())
		if err != nil {
			t.Fatalf("ingest %s: %v", job.Name, err)
		}
		if res.Manifest == nil {
			t.Fatalf("ingest %s sealed nothing", job.Name)
		}
		t.Logf("%s: %d rows read, version %d with %d rows", job.Dataset, res.Rows, res.Manifest.Version, res.Manifest.RowCount)
		results[job.Dataset] = res
	}
	votes, props := results["governor_votes"].Validation, results["governor_proposals"].Validation
	if want := o.honestVotes + countLabels(o.labels, votesOnly); int(votes.Report.Rows.Input) != want {
		t.Errorf("%d vote rows, the script cast %d votes", votes.Report.Rows.Input, want)
	}
	for _, vr := range []*pipeline.ValidationResult{props, votes} {
		for _, f := range vr.Outcome.Findings {
			if f.Passed {
				t.Logf("passed: %s: %s", f.Code, f.Message)
			}
		}
	}
	scoreOnchain(t, o.labels, props.Report, votes.Report)
	checkOnchainQuarantine(t, ctx, st, o.labels)
}

// loadOnchainConfig writes the configuration for the deployed DAO and loads
// it with the chain sources.
func loadOnchainConfig(t *testing.T, rpc string, o *onchainDAO, deps sources.Deps) (*config.Config, map[string]sources.Source) {
	t.Helper()
	var buf bytes.Buffer
	q, _ := new(big.Float).SetInt(o.quorum()).Float64()
	err := template.Must(template.New("cfg").Parse(onchainConfig)).Execute(&buf, map[string]any{
		"RPC": rpc, "Token": o.dao.Token.Hex(), "Governor": o.dao.Governor.Hex(), "Quorum": q})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "groundtruth.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := sources.NewRegistry(erc20.Factory(), governor.Factory())
	if err != nil {
		t.Fatal(err)
	}
	cfg, srcs, err := config.LoadWithSources(path, func(string) string { return "" }, reg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, srcs
}

// votesOnly selects the labels of vote rows (the others are proposals).
func votesOnly(label string) bool { return label != ocOwnership && label != ocInjection }

func countLabels(labels map[common.Hash]string, keep func(string) bool) int {
	n := 0
	for _, l := range labels {
		if keep(l) {
			n++
		}
	}
	return n
}

// scoreOnchain records each attack's rows found and missed and the false
// alarms among the honest rows, from the reports the ingests sealed (row
// keys are tx_hash/log_index, and every scripted transaction logs one
// vote or one proposal).
func scoreOnchain(t *testing.T, labels map[common.Hash]string, reps ...*validators.Report) {
	byAttack := map[string]*score{}
	for _, l := range labels {
		byAttack[l] = &score{}
	}
	fp, rows, labelled := 0, 0, 0
	for _, rep := range reps {
		rows += rep.Rows.Input
		flagged := map[common.Hash][]string{}
		for _, f := range rep.Findings {
			if f.Code == gaming.CodeWeightAbovePower && !f.Passed {
				t.Errorf("honest vote above its recorded power: %v %s", f.Rows, f.Message) // no scripted attack inflates a weight
			}
			if f.Passed || f.Severity.Rank() < validators.Warn.Rank() || f.Code.Family() != "gaming" {
				continue
			}
			for _, k := range f.Rows {
				h := common.HexToHash(strings.SplitN(k, "/", 2)[0])
				flagged[h] = append(flagged[h], string(f.Code)+": "+f.Message)
			}
		}
		for h, label := range labels {
			if (label == ocOwnership || label == ocInjection) != (rep.Dataset == "governor_proposals") {
				continue
			}
			labelled++
			if flagged[h] != nil {
				byAttack[label].tp++
				t.Logf("found: %s: %v", label, flagged[h])
			} else {
				byAttack[label].fn++
				t.Logf("missed: %s: tx %s", label, h.Hex())
			}
		}
		for h, why := range flagged {
			if labels[h] == "" {
				fp++
				t.Logf("false alarm: %s tx %s: %v", rep.Dataset, h.Hex(), why)
			}
		}
	}
	for _, atk := range sortedKeys(byAttack) {
		s := byAttack[atk]
		record(t, "gaming-anvil", atk, s.tp, 0, s.fn)
	}
	record(t, "gaming-anvil", "anvil: honest proposals and votes (false alarms)", 0, fp, 0)
	t.Logf("%d rows, %d of attacks, %d honest rows flagged", rows, labelled, fp)
}

// checkOnchainQuarantine checks that the rows the policy quarantines (prompt
// injections) are in the catalog's quarantine, not in the versions.
func checkOnchainQuarantine(t *testing.T, ctx context.Context, st *store.Store, labels map[common.Hash]string) {
	list, err := st.QuarantineList(ctx, store.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := countLabels(labels, func(l string) bool { return l == ocInjection || l == ocReason })
	if len(list) != want {
		t.Errorf("%d quarantined rows, want the %d injected texts", len(list), want)
	}
	for _, e := range list {
		t.Logf("quarantined: %s %s %v", e.Dataset, e.RowKey, e.Codes)
	}
}
