package gaming

import "github.com/groundtruth-dao/groundtruth/validators"

// Factories returns the factories of the gaming validators, for a
// validators.Registry.
func Factories() []validators.Factory {
	return []validators.Factory{
		factory(JITKind, "voting power acquired shortly before a proposal's snapshot and moved out after", jitCodes, DefaultJITConfig, NewJIT),
		factory(DelegationKind, "delegation spikes to one delegate shortly before a snapshot", delegationCodes, DefaultDelegationConfig, NewDelegation),
		factory(SybilKind, "fresh wallets funded by one address in a burst voting alike within seconds", sybilCodes, DefaultSybilConfig, NewSybil),
		factory(QuorumKind, "quorum carried by two voters or fewer", quorumCodes, DefaultQuorumConfig, NewQuorum),
		factory(CalldataKind, "proposals whose calldata hands over ownership, upgrades or mints (selectors decoded)", calldataCodes, DefaultCalldataConfig, NewCalldata),
		factory(TargetCodeKind, "targets whose code changed between proposal and execution", targetCodes, DefaultTargetCodeConfig, NewTargetCode),
		factory(WashKind, "wash-traded price sources: volume surges without price impact, the same volume repeated", washCodes, DefaultWashConfig, NewWash),
		factory(TextKindName, "prompt-injection markers, invisible characters and homoglyph addresses in untrusted text", textCodes, DefaultTextConfig, NewText),
	}
}
