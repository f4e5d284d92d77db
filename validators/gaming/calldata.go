package gaming

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the calldata validator.
const (
	CodeOwnershipCall validators.Code = "gaming.ownership_call"
	CodeUpgradeCall   validators.Code = "gaming.upgrade_call"
	CodeMintCall      validators.Code = "gaming.mint_call"
	CodeCalldataParse validators.Code = "gaming.calldata_unparsed"
)

// CalldataKind is the configuration kind of the calldata validator.
const CalldataKind = "gaming.calldata"

// CalldataConfig configures the privileged-call check of proposals.
type CalldataConfig struct {
	Where      validators.Where `yaml:"where" json:"where"`
	ID         string           `yaml:"id" json:"id"`
	Targets    string           `yaml:"targets" json:"targets"`
	Signatures string           `yaml:"signatures" json:"signatures"`
	Calldatas  string           `yaml:"calldatas" json:"calldatas"`
	// Allow lists signatures or 0x selectors never reported.
	Allow []string `yaml:"allow" json:"allow"`
}

// DefaultCalldataConfig returns the governor source's column names.
func DefaultCalldataConfig() CalldataConfig {
	return CalldataConfig{ID: "proposal_id", Targets: "targets", Signatures: "signatures", Calldatas: "calldatas"}
}

// Calldata decodes proposals' actions and reports privileged calls.
type Calldata struct {
	name  string
	cfg   CalldataConfig
	allow map[[4]byte]bool
}

// NewCalldata returns a calldata validator.
func NewCalldata(name string, cfg CalldataConfig) (*Calldata, error) {
	c := &Calldata{name: cmp.Or(name, CalldataKind), cfg: cfg, allow: map[[4]byte]bool{}}
	for _, a := range cfg.Allow {
		if strings.HasPrefix(a, "0x") && len(a) == 10 {
			var s [4]byte
			if _, err := fmt.Sscanf(a[2:], "%x", &s); err != nil {
				return nil, fmt.Errorf("%w: %s: allow %q: %v", validators.ErrConfig, name, a, err)
			}
			c.allow[s] = true
			continue
		}
		c.allow[Selector(a)] = true
	}
	return c, nil
}

// Name implements validators.Validator.
func (c *Calldata) Name() string { return c.name }

// Codes implements validators.Validator.
func (c *Calldata) Codes() []validators.CodeInfo { return calldataCodes }

var calldataCodes = []validators.CodeInfo{
	{Code: CodeOwnershipCall, Severity: validators.Error, Action: validators.Keep, Summary: "A proposal calls a function that hands over control: transferOwnership, admin changes, grantRole, governance changes."},
	{Code: CodeUpgradeCall, Severity: validators.Warn, Action: validators.Keep, Summary: "A proposal upgrades a contract's implementation (upgradeTo, _setImplementation, ...)."},
	{Code: CodeMintCall, Severity: validators.Warn, Action: validators.Keep, Summary: "A proposal mints tokens."},
	{Code: CodeCalldataParse, Severity: validators.Warn, Action: validators.Keep, Summary: "A proposal's targets, signatures or calldatas cannot be decoded."},
}

var categoryCode = map[Category]validators.Code{Ownership: CodeOwnershipCall, Upgrade: CodeUpgradeCall, Mint: CodeMintCall}

// Validate implements validators.Validator.
func (c *Calldata) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := in.Table
	if err := c.cfg.Where.Check(t); err != nil {
		return nil, err
	}
	rows, err := c.cfg.Where.Rows(t)
	if err != nil {
		return nil, err
	}
	cols := make([]*validators.Col[string], 4)
	for i, name := range []string{c.cfg.ID, c.cfg.Targets, c.cfg.Signatures, c.cfg.Calldatas} {
		if cols[i], err = t.Strings(name); err != nil {
			return nil, err
		}
	}
	var out []validators.Finding
	for _, r := range rows {
		get := func(i int) string {
			if cols[i].Valid(r) {
				return cols[i].Values[r]
			}
			return ""
		}
		out = append(out, c.proposal(r, get(0), get(1), get(2), get(3))...)
	}
	if len(out) == 0 && len(rows) > 0 {
		out = append(out, validators.Pass(c.name, CodeOwnershipCall, 0, 0, fmt.Sprintf("%d proposals without privileged calls", len(rows))))
	}
	return out, nil
}

// proposal checks the actions of one proposal row.
func (c *Calldata) proposal(row int, id, targets, sigs, datas string) []validators.Finding {
	calls, err := DecodeCalls(targets, sigs, datas)
	if err != nil {
		return []validators.Finding{{Code: CodeCalldataParse, Severity: validators.Warn, Validator: c.name, Rows: []int{row},
			Subject: "proposal:" + id, Value: 1, Threshold: 0, Message: err.Error()}}
	}
	worst := map[validators.Code][]string{}
	var order []validators.Code
	for i, call := range calls {
		code, ok := categoryCode[call.Category]
		if !ok || c.allow[call.Selector] {
			continue
		}
		what := fmt.Sprintf("action %d: %s on %s", i, call.Known, call.Target)
		if a := call.AddressArg(firstAddressParam(call.Known)); a != "" && call.Category == Ownership {
			what += " to " + a
		}
		if worst[code] == nil {
			order = append(order, code)
		}
		worst[code] = append(worst[code], what)
	}
	var out []validators.Finding
	for _, code := range order {
		sev := validators.Warn
		if code == CodeOwnershipCall {
			sev = validators.Error
		}
		out = append(out, validators.Finding{Code: code, Severity: sev, Validator: c.name, Rows: []int{row},
			Subject: "proposal:" + id, Value: float64(len(worst[code])), Threshold: 0, Message: strings.Join(worst[code], "; ")})
	}
	return out
}

// firstAddressParam returns the position of the first address parameter
// of a signature (grantRole(bytes32,address): 1), or 0.
func firstAddressParam(sig string) int {
	open, end := strings.IndexByte(sig, '('), strings.LastIndexByte(sig, ')')
	if open < 0 || end < open {
		return 0
	}
	for i, p := range strings.Split(sig[open+1:end], ",") {
		if strings.TrimSpace(p) == "address" {
			return i
		}
	}
	return 0
}
