package fakeapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// GenOptions shape a generated Snapshot space.
type GenOptions struct {
	// Space is the space id (default "groundtruth.eth").
	Space string
	// Proposals is the number of proposals (default 6); they cycle through
	// the voting types single-choice, approval, ranked-choice, weighted,
	// quadratic and basic, so votes carry every shape of choice.
	Proposals int
	// Votes is the number of votes, spread over the proposals.
	Votes int
	// Start is the created time of the first proposal (Unix seconds;
	// default 1672531200, 2023-01-01); proposal p is created p seconds
	// later, the votes from an hour after Start, a burst every 2 seconds.
	Start int64
	// Burst is how many consecutive votes share one created second
	// (default 3); a burst larger than 1000 makes a client page with skip.
	Burst int
	// Pending is how many of the last votes (and the last proposal, when
	// non-zero) are not final yet (vp_state and scores_state "pending").
	Pending int
	// Spaces is the number of spaces (default 3): Space first, then
	// GenSpaceID(1), GenSpaceID(2)... Space i is created (i/Burst)*2
	// seconds after a day before Start, so bursts of spaces share a second;
	// their settings vary (null voting values, empty and long lists,
	// plugins, missing counts, null flags).
	Spaces int
}

// voteTypes cycles through the voting types of snapshot.js.
var voteTypes = []string{"single-choice", "approval", "ranked-choice", "weighted", "quadratic", "basic"}

// GenID returns the deterministic 0x-prefixed 32-byte id of item i of kind.
func GenID(kind string, i int) string {
	h := sha256.Sum256([]byte(kind + ":" + strconv.Itoa(i)))
	return "0x" + hex.EncodeToString(h[:])
}

// genAddress returns a deterministic checksum-free 20-byte address.
func genAddress(i int) string {
	h := sha256.Sum256([]byte("voter:" + strconv.Itoa(i)))
	return "0x" + hex.EncodeToString(h[:20])
}

// GenSpaceID returns the id of generated space i (i ≥ 1; space 0 is
// GenOptions.Space).
func GenSpaceID(i int) string { return fmt.Sprintf("gt-space-%04d.eth", i) }

// Generate builds spaces, and proposals and votes of the first space, in
// the hub's answer shapes (votes of several proposals interleave, bursts of
// votes share a created second, Proposal.snapshot alternates between string
// and number).
func Generate(o GenOptions) HubData {
	if o.Space == "" {
		o.Space = "groundtruth.eth"
	}
	if o.Proposals <= 0 {
		o.Proposals = 6
	}
	if o.Start == 0 {
		o.Start = 1672531200
	}
	if o.Burst <= 0 {
		o.Burst = 3
	}
	if o.Spaces <= 0 {
		o.Spaces = 3
	}
	var d HubData
	for i := range o.Spaces {
		d.Spaces = append(d.Spaces, genSpace(o, i, o.Start-86400+int64(i/o.Burst)*2))
	}
	// Every proposal is open while the votes come in (for 30 days), so the
	// votes of several proposals interleave. Items depend only on their own
	// index (and a vote on Proposals), so a larger Votes count only adds.
	firstVote := o.Start + 3600
	end := o.Start + 30*86400
	for p := range o.Proposals {
		typ := voteTypes[p%len(voteTypes)]
		pending := o.Pending > 0 && p == o.Proposals-1
		d.Proposals = append(d.Proposals, genProposal(o, p, typ, o.Start+int64(p), end, pending))
	}
	for v := range o.Votes {
		p := v % o.Proposals
		created := firstVote + int64(v/o.Burst)*2 // a burst shares one second
		typ := voteTypes[p%len(voteTypes)]
		pending := v >= o.Votes-o.Pending
		d.Votes = append(d.Votes, genVote(o, v, p, typ, created, pending))
	}
	return d
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func genProposal(o GenOptions, p int, typ string, created, end int64, pending bool) Item {
	choices := []string{"For", "Against", "Abstain"}
	state, scoresState := "closed", "final"
	if pending {
		state, scoresState = "active", "pending"
	}
	var snapshot json.RawMessage = raw(strconv.Itoa(16_000_000 + p*1000)) // usually a string...
	if p%2 == 1 {
		snapshot = raw(16_000_000 + p*1000) // ...sometimes a number
	}
	return Item{
		"id": raw(GenID("proposal", p)), "ipfs": raw("bafkreig" + GenID("ipfs-p", p)[2:40]),
		"author": raw(genAddress(1_000_000 + p)), "created": raw(created), "updated": raw(created),
		"space":   json.RawMessage(fmt.Sprintf(`{"id":%q,"name":"Groundtruth test space"}`, o.Space)),
		"network": raw("1"), "symbol": raw("GT"), "type": raw(typ),
		"strategies": json.RawMessage(`[{"name":"erc20-votes","network":"1","params":{"symbol":"GT","address":"0xc00e94Cb662C3520282E6f5717214004A7f26888","decimals":18}}]`),
		"title":      raw(fmt.Sprintf("[GT-%d] %s proposal", p+1, typ)),
		"body":       raw(fmt.Sprintf("## Summary\n\nProposal %d asks the DAO to decide by %s voting.\n\n- item one\n- item \"two\"\n", p+1, typ)),
		"discussion": raw(""), "choices": raw(choices), "labels": raw([]string{}),
		"start": raw(created), "end": raw(end), "quorum": raw(0), "privacy": raw(""),
		"snapshot": snapshot, "state": raw(state), "app": raw("snapshot"),
		"link":               raw("https://snapshot.org/#/" + o.Space + "/proposal/" + GenID("proposal", p)),
		"scores":             raw([]float64{1234.5, 321.25, 0.125}),
		"scores_by_strategy": raw([][]float64{{1234.5}, {321.25}, {0.125}}),
		"scores_state":       raw(scoresState), "scores_total": raw(1555.875), "scores_updated": raw(end + 60),
		"votes": raw(0), "flagged": raw(false),
	}
}

func genVote(o GenOptions, v, p int, typ string, created int64, pending bool) Item {
	var choice json.RawMessage
	switch typ {
	case "single-choice", "basic":
		choice = raw(1 + v%3)
	case "approval":
		choice = raw([]int{1 + v%3, 1 + (v+1)%3}[:1+v%2])
	case "ranked-choice":
		choice = raw([]int{1 + v%3, 1 + (v+1)%3, 1 + (v+2)%3})
	default: // weighted, quadratic: a map of choice index to weight, keys in JS order
		choice = json.RawMessage(fmt.Sprintf(`{"1":%d,"3":%d}`, 1+v%5, 2+v%7))
	}
	vp := math.Round(math.Pow(10, float64(v%9))*(1+float64(v%97)/97)*1e6) / 1e6
	state := "final"
	if pending {
		state = "pending"
	}
	reason := ""
	if v%10 == 0 {
		reason = fmt.Sprintf("vote %d: I agree with \"the plan\" ✓", v)
	}
	return Item{
		"id": raw(GenID("vote", v)), "ipfs": raw("bafkreiv" + GenID("ipfs-v", v)[2:40]),
		"voter": raw(genAddress(v)), "created": raw(created),
		"space":    json.RawMessage(fmt.Sprintf(`{"id":%q}`, o.Space)),
		"proposal": json.RawMessage(fmt.Sprintf(`{"id":%q}`, GenID("proposal", p))),
		"choice":   choice, "metadata": json.RawMessage(`{}`), "reason": raw(reason), "app": raw("snapshot"),
		"vp": raw(vp), "vp_by_strategy": raw([]float64{vp}), "vp_state": raw(state),
	}
}
