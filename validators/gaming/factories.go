package gaming

import "github.com/groundtruth-dao/groundtruth/validators"

// Factories returns the factories of the gaming validators, for a
// validators.Registry.
func Factories() []validators.Factory {
	return []validators.Factory{
		validators.NewFactory(JITKind, "voting power acquired shortly before a proposal's snapshot and moved out after", jitCodes, DefaultJITConfig, NewJIT),
		validators.NewFactory(DelegationKind, "delegation spikes to one delegate shortly before a snapshot", delegationCodes, DefaultDelegationConfig, NewDelegation),
		validators.NewFactory(SybilKind, "fresh wallets funded by one address in a burst voting alike within seconds", sybilCodes, DefaultSybilConfig, NewSybil),
		validators.NewFactory(QuorumKind, "quorum carried by two voters or fewer", quorumCodes, DefaultQuorumConfig, NewQuorum),
		validators.NewFactory(CalldataKind, "proposals whose calldata hands over ownership, upgrades or mints (selectors decoded)", calldataCodes, DefaultCalldataConfig, NewCalldata),
		validators.NewFactory(TargetCodeKind, "targets whose code changed between proposal and execution", targetCodes, DefaultTargetCodeConfig, NewTargetCode),
		validators.NewFactory(WashKind, "wash-traded price sources: volume surges without price impact, the same volume repeated", washCodes, DefaultWashConfig, NewWash),
		validators.NewFactory(TextKindName, "prompt-injection markers, invisible characters and homoglyph addresses in untrusted text", textCodes, DefaultTextConfig, NewText),
	}
}
