package gaming

import (
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/sha3"
)

// Category is what a privileged call does.
type Category int

// The categories of privileged calls.
const (
	NotPrivileged Category = iota
	// Ownership hands over control: ownership, admin, roles, governance.
	Ownership
	// Upgrade replaces a contract's code (proxy upgrades).
	Upgrade
	// Mint creates tokens.
	Mint
)

// privileged lists the function signatures of each category.
var privileged = map[Category][]string{
	Ownership: {
		"transferOwnership(address)", "setOwner(address)", "changeOwner(address)", "renounceOwnership()",
		"_setPendingAdmin(address)", "setPendingAdmin(address)", "changeAdmin(address)", "setAdmin(address)",
		"transferAdmin(address)", "grantRole(bytes32,address)", "setGovernance(address)", "setGovernor(address)",
		"setPendingGovernance(address)", "_setGuardian(address)", "setGuardian(address)", "addOwner(address)",
		"addOwnerWithThreshold(address,uint256)", "swapOwner(address,address,address)", "setMinter(address)",
		"_setAdmin(address)", "setPendingOwner(address)", "transferGovernance(address)",
	},
	Upgrade: {
		"upgradeTo(address)", "upgradeToAndCall(address,bytes)", "_setImplementation(address)",
		"_setPendingImplementation(address)", "setImplementation(address)", "upgrade(address,address)",
		"upgradeAndCall(address,address,bytes)", "_become(address)", "setCode(bytes)",
	},
	Mint: {
		"mint(address,uint256)", "mint(uint256)", "mintTo(address,uint256)", "_mint(address,uint256)",
		"mint(address)", "issue(uint256)", "increaseSupply(uint256)",
	},
}

// knownCall is a privileged function.
type knownCall struct {
	signature string
	category  Category
}

var selectorTable = buildSelectorTable()

func buildSelectorTable() map[[4]byte]knownCall {
	out := map[[4]byte]knownCall{}
	for cat, sigs := range privileged {
		for _, s := range sigs {
			out[Selector(s)] = knownCall{signature: s, category: cat}
		}
	}
	return out
}

// Selector returns the 4-byte function selector of a Solidity signature
// (the first four bytes of its Keccak-256).
func Selector(signature string) [4]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(strings.ReplaceAll(signature, " ", "")))
	var s [4]byte
	copy(s[:], h.Sum(nil))
	return s
}

// Call is one decoded action of a proposal.
type Call struct {
	Target    string
	Signature string
	Selector  [4]byte
	// Args are the ABI-encoded arguments (after the selector).
	Args     []byte
	Category Category
	// Known is the privileged signature the selector matches, if any.
	Known string
}

// DecodeCalls decodes a proposal's actions from its list columns: when a
// signature is given (GovernorBravo) the calldata holds only the arguments
// and the selector is that of the signature; otherwise the calldata starts
// with the selector (OpenZeppelin Governor).
func DecodeCalls(targets, signatures, calldatas string) ([]Call, error) {
	ts, err := ParseList(targets)
	if err != nil {
		return nil, err
	}
	ss, err := ParseList(signatures)
	if err != nil {
		return nil, err
	}
	cs, err := ParseList(calldatas)
	if err != nil {
		return nil, err
	}
	n := max(len(ts), len(ss), len(cs))
	out := make([]Call, 0, n)
	for i := 0; i < n; i++ {
		c := Call{}
		if i < len(ts) {
			c.Target = strings.ToLower(ts[i].Text)
		}
		if i < len(ss) {
			c.Signature = strings.TrimSpace(ss[i].Text)
		}
		var data []byte
		if i < len(cs) {
			if data, err = cs[i].HexOrBytes(); err != nil {
				return nil, err
			}
		}
		switch {
		case c.Signature != "":
			c.Selector, c.Args = Selector(c.Signature), data
		case len(data) >= 4:
			copy(c.Selector[:], data[:4])
			c.Args = data[4:]
		}
		if k, ok := selectorTable[c.Selector]; ok {
			c.Category, c.Known = k.category, k.signature
		}
		out = append(out, c)
	}
	return out, nil
}

// AddressArg returns the n-th argument as an address when it is a
// right-aligned 20-byte value ("" otherwise).
func (c Call) AddressArg(n int) string {
	if len(c.Args) < 32*(n+1) {
		return ""
	}
	w := c.Args[32*n : 32*(n+1)]
	for _, b := range w[:12] {
		if b != 0 {
			return ""
		}
	}
	return "0x" + hex.EncodeToString(w[12:])
}
