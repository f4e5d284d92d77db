package governor

import (
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
)

// Governor families.
const (
	// FamilyOZ is OpenZeppelin Governor (v4 and v5).
	FamilyOZ = "oz"
	// FamilyBravo is Compound GovernorBravo.
	FamilyBravo = "bravo"
	// FamilyAlpha is Compound GovernorAlpha.
	FamilyAlpha = "alpha"
)

// Tables a governor source can produce.
const (
	TableProposals = "proposals"
	TableVotes     = "votes"
	TableStates    = "states"
)

// Event declarations. OpenZeppelin Governor and GovernorBravo declare the
// same events with the same types (so the same topics); GovernorAlpha's
// VoteCast differs (bool support, no reason, voter not indexed). Parameter
// names here are the columns' sources, not the contracts' names.
const (
	sigProposalCreated    = "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)"
	sigVoteCast           = "event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)"
	sigVoteCastWithParams = "event VoteCastWithParams(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params)"
	sigVoteCastAlpha      = "event VoteCast(address voter, uint256 proposalId, bool support, uint256 weight)"
	sigProposalQueued     = "event ProposalQueued(uint256 proposalId, uint256 eta)"
	sigProposalExecuted   = "event ProposalExecuted(uint256 proposalId)"
	sigProposalCanceled   = "event ProposalCanceled(uint256 proposalId)"
	sigProposalExtended   = "event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline)"
)

// eventDef is one event a family emits, with the table it feeds.
type eventDef struct {
	sig      string
	families []string
	tables   []string
}

var allFamilies = []string{FamilyOZ, FamilyBravo, FamilyAlpha}

var eventDefs = []eventDef{
	{sigProposalCreated, allFamilies, []string{TableProposals, TableStates}},
	{sigVoteCast, []string{FamilyOZ, FamilyBravo}, []string{TableVotes}},
	{sigVoteCastWithParams, []string{FamilyOZ}, []string{TableVotes}},
	{sigVoteCastAlpha, []string{FamilyAlpha}, []string{TableVotes}},
	{sigProposalQueued, allFamilies, []string{TableStates}},
	{sigProposalExecuted, allFamilies, []string{TableStates}},
	{sigProposalCanceled, allFamilies, []string{TableStates}},
	{sigProposalExtended, []string{FamilyOZ}, []string{TableStates}},
}

// event is a parsed declaration with the families that emit it.
type event struct {
	abi      abi.Event
	families []string
}

func (e *event) emittedBy(family string) bool {
	for _, f := range e.families {
		if f == family {
			return true
		}
	}
	return false
}

// tableEvents returns the events a table reads, of every family: the
// configured family's are decoded, another family's are an error that
// names the family (a misconfigured source would otherwise miss rows).
func tableEvents(table string) ([]*event, error) {
	var out []*event
	for _, d := range eventDefs {
		for _, t := range d.tables {
			if t != table {
				continue
			}
			ev, err := evmlogs.ParseEvent(d.sig)
			if err != nil {
				return nil, fmt.Errorf("governor event %q: %v", d.sig, err)
			}
			out = append(out, &event{abi: ev, families: d.families})
		}
	}
	return out, nil
}
