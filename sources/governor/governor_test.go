package governor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/governor"
)

// TestLifecycle runs a proposal life cycle on anvil's test DAO and ingests
// the governor's proposals, votes and states through pipeline.Ingest into
// a store: the rows must equal what the scenario sent, field by field.
func TestLifecycle(t *testing.T) {
	a := chaintest.Anvil(t)
	sc := chaintest.RunDAOScenario(t, a)
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows := map[string][]chaintest.Row{}
	for _, table := range []string{governor.TableProposals, governor.TableVotes, governor.TableStates} {
		cfg := governor.DefaultConfig()
		cfg.RPC.URL, cfg.Addresses, cfg.Family, cfg.Table = a.RPCURL(), []string{sc.DAO.Governor.Hex()}, governor.FamilyOZ, table
		src, err := governor.New("gov-"+table, cfg, chaintest.Deps(t, st.Raw()))
		if err != nil {
			t.Fatal(err)
		}
		job := pipeline.Job{Name: "gov-" + table, Dataset: "gov_" + table, Source: src}
		if _, err := pipeline.Ingest(context.Background(), st, job, time.Now()); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		_, rows[table] = chaintest.StoreRows(t, st, "gov_"+table)
	}
	gov := chaintest.Hex(sc.DAO.Governor[:])
	checkProposals(t, gov, sc, rows[governor.TableProposals])
	checkVotes(t, gov, sc, rows[governor.TableVotes])
	checkStates(t, gov, sc, rows[governor.TableStates])
	checkWrongFamily(t, a.RPCURL(), sc)
}

// expect compares a row with wanted values and the log it must come from.
func expect(t *testing.T, what string, r chaintest.Row, gov string, rc *types.Receipt, want map[string]any) {
	t.Helper()
	var lg *types.Log
	for _, l := range rc.Logs {
		if chaintest.Hex(l.Address[:]) == gov && r["log_index"] == uint64(l.Index) {
			lg = l
		}
	}
	if lg == nil {
		t.Errorf("%s: no log %v of the governor in tx %s", what, r["log_index"], rc.TxHash.Hex())
		return
	}
	want["tx_hash"], want["block_number"], want["block_hash"], want["address"] = rc.TxHash.Hex(), rc.BlockNumber.Uint64(), rc.BlockHash.Hex(), gov
	for k, v := range want {
		if fmt.Sprint(r[k]) != fmt.Sprint(v) {
			t.Errorf("%s: %s = %v, want %v", what, k, r[k], v)
		}
	}
}

func jsonText(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkProposals(t *testing.T, gov string, sc *chaintest.Scenario, rows []chaintest.Row) {
	if len(rows) != len(sc.Proposals) {
		t.Fatalf("%d proposal rows, want %d", len(rows), len(sc.Proposals))
	}
	for i, p := range sc.Proposals {
		targets := []string{}
		for _, a := range p.Targets {
			targets = append(targets, a.Hex())
		}
		values, sigs, calls := []string{}, []string{}, []string{}
		for j := range p.Values {
			values, sigs, calls = append(values, p.Values[j].String()), append(sigs, ""), append(calls, chaintest.Hex(p.Calldatas[j]))
		}
		expect(t, fmt.Sprintf("proposal %d", i), rows[i], gov, p.Receipt, map[string]any{
			"proposal_id": p.ID.String(), "proposer": chaintest.Hex(p.Proposer[:]), "targets": jsonText(t, targets),
			"values": jsonText(t, values), "signatures": jsonText(t, sigs), "calldatas": jsonText(t, calls),
			"vote_start": p.VoteStart, "vote_end": p.VoteEnd, "description": p.Description, "_source": "gov-proposals",
		})
	}
}

func checkVotes(t *testing.T, gov string, sc *chaintest.Scenario, rows []chaintest.Row) {
	if len(rows) != len(sc.Votes) {
		t.Fatalf("%d vote rows, want %d", len(rows), len(sc.Votes))
	}
	for i, v := range sc.Votes {
		var params any
		event := "VoteCast"
		if v.Params != nil {
			params, event = chaintest.Hex(v.Params), "VoteCastWithParams"
		}
		expect(t, fmt.Sprintf("vote %d", i), rows[i], gov, v.Receipt, map[string]any{
			"proposal_id": v.Proposal.String(), "voter": chaintest.Hex(v.Voter[:]), "support": uint64(v.Support),
			"weight": v.Weight.String(), "reason": v.Reason, "params": params, "event": event,
		})
	}
}

func checkStates(t *testing.T, gov string, sc *chaintest.Scenario, rows []chaintest.Row) {
	p1, p2 := sc.Proposals[0], sc.Proposals[1]
	want := []struct {
		rc     *types.Receipt
		fields map[string]any
	}{
		{p1.Receipt, map[string]any{"proposal_id": p1.ID.String(), "state": "created", "vote_start": p1.VoteStart, "vote_end": p1.VoteEnd, "eta": nil}},
		{p2.Receipt, map[string]any{"proposal_id": p2.ID.String(), "state": "created", "vote_start": p2.VoteStart, "vote_end": p2.VoteEnd, "eta": nil}},
		{sc.Canceled, map[string]any{"proposal_id": p2.ID.String(), "state": "canceled", "vote_start": nil, "vote_end": nil, "eta": nil}},
		{sc.Queued, map[string]any{"proposal_id": p1.ID.String(), "state": "queued", "vote_start": nil, "eta": int64(sc.Eta)}},
		{sc.Executed, map[string]any{"proposal_id": p1.ID.String(), "state": "executed", "eta": nil}},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d state rows, want %d: %v", len(rows), len(want), rows)
	}
	for i, w := range want {
		expect(t, fmt.Sprintf("state %d", i), rows[i], gov, w.rc, w.fields)
	}
}

// checkWrongFamily reads the OpenZeppelin governor's votes as a
// GovernorBravo: its VoteCastWithParams is not a bravo event, which must
// be an error naming the family instead of a silently missing vote.
func checkWrongFamily(t *testing.T, url string, sc *chaintest.Scenario) {
	cfg := governor.DefaultConfig()
	cfg.RPC.URL, cfg.Addresses, cfg.Family, cfg.Table = url, []string{sc.DAO.Governor.Hex()}, governor.FamilyBravo, governor.TableVotes
	src, err := governor.New("gov", cfg, chaintest.Deps(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Fetch(context.Background(), nil, func(arrow.RecordBatch) error { return nil })
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "check the configured family") || !strings.Contains(err.Error(), "VoteCastWithParams") {
		t.Fatalf("Fetch as bravo: %v, want a bad-input error about the family", err)
	}
}
