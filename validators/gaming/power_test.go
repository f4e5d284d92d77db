package gaming

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestWeightAbovePower: voter A votes with exactly its power at the
// snapshot, voter B with ten times its power; with check_power only B's
// vote is reported, without it neither.
func TestWeightAbovePower(t *testing.T) {
	a, b := vt.Addr(1), vt.Addr(2)
	var tok []vt.TokenEvent
	for i, d := range []struct {
		who   [20]byte
		power float64
	}{{a, 1000}, {b, 50}} {
		tok = append(tok, vt.TokenEvent{Event: ev(10, uint32(2*i)), Kind: "Transfer", From: p20([20]byte{}), To: p20(d.who), Value: vt.Tokens(d.power)},
			vt.TokenEvent{Event: ev(10, uint32(2*i+1)), Kind: "DelegateVotesChanged", Delegate: p20(d.who), NewVotes: vt.Tokens(d.power)})
	}
	// B's power rises after the snapshot: the vote still may not exceed the snapshot's
	tok = append(tok, vt.TokenEvent{Event: ev(120, 0), Kind: "DelegateVotesChanged", Delegate: p20(b), NewVotes: vt.Tokens(5000)})
	h := validators.NewMemHistory()
	t.Cleanup(h.Release)
	tr := vt.TokenEventsRecord(tok)
	h.Add("erc20_events", vt.TokenEventsSchema(), tr)
	tr.Release()
	pr := vt.ProposalsRecord([]vt.Proposal{{Event: ev(50, 0), ID: 1, Proposer: a, Targets: []string{"0x01"}, Values: []string{"0"},
		Signatures: []string{""}, Calldatas: []string{"0x"}, VoteStart: 100, VoteEnd: 1000, Description: "d"}})
	h.Add("governor_proposals", vt.ProposalsSchema(), pr)
	pr.Release()
	vr := vt.VotesRecord([]vt.Vote{
		{Event: ev(150, 0), Proposal: 1, Voter: a, Support: 1, Weight: vt.Tokens(1000)},
		{Event: ev(151, 0), Proposal: 1, Voter: b, Support: 1, Weight: vt.Tokens(500)},
	})
	t.Cleanup(vr.Release)
	c := vt.Case{Name: "votes", Dataset: "governor_votes", Schema: vt.VotesSchema(), Records: []arrow.RecordBatch{vr}, History: h}
	for _, check := range []bool{false, true} {
		cfg := DefaultJITConfig()
		cfg.CheckPower = check
		v, err := NewJIT("", cfg)
		if err != nil {
			t.Fatal(err)
		}
		vt.Conformance(t, v, c)
		var rows []int
		for _, f := range vt.Run(t, v, c) {
			if f.Code == CodeWeightAbovePower {
				rows = append(rows, f.Rows...)
			}
		}
		if want := check; (len(rows) == 1 && rows[0] == 1) != want || (!want && len(rows) > 0) {
			t.Errorf("check_power %v: weight_above_power on rows %v", check, rows)
		}
	}
}
