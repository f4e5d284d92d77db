package validators

import (
	"fmt"
	"sort"
	"strings"
)

// Action is what a policy does with a failing finding.
type Action string

// The actions.
const (
	// Keep seals the rows; the finding is reported and stored.
	Keep Action = "keep"
	// Quarantine leaves the finding's rows out of the version and keeps
	// them in the catalog's quarantine for a steward's decision. On a
	// finding without rows it acts as Keep.
	Quarantine Action = "quarantine"
	// Block seals nothing: the version is refused and the job's checkpoint
	// stays where it was.
	Block Action = "block"
)

// Valid reports whether a is one of the three actions.
func (a Action) Valid() bool { return a == Keep || a == Quarantine || a == Block }

// Policy maps codes to actions. Rules are matched most specific first: an
// exact code ("poisoning.mad_outlier"), then a family wildcard
// ("poisoning.*"), then "*"; a code no rule matches gets its default action
// (CodeInfo.Action), and a code without one is kept.
type Policy struct {
	Rules    map[string]Action
	defaults map[Code]Action
}

// NewPolicy checks rules against the known codes: every rule must name a
// known code, a known family wildcard or "*", with a valid action.
func NewPolicy(rules map[string]Action, known []CodeInfo) (*Policy, error) {
	p := &Policy{Rules: map[string]Action{}, defaults: map[Code]Action{}}
	families := map[string]bool{}
	for _, ci := range known {
		p.defaults[ci.Code] = ci.Action
		families[ci.Code.Family()] = true
	}
	var errs []string
	for _, pat := range sortedKeys(rules) {
		a := rules[pat]
		if !a.Valid() {
			errs = append(errs, fmt.Sprintf("rule %q: unknown action %q (want keep, quarantine or block)", pat, a))
			continue
		}
		switch fam, isWild := strings.CutSuffix(pat, ".*"); {
		case pat == "*":
		case isWild && families[fam]:
		case !isWild && p.hasDefault(Code(pat)):
		default:
			errs = append(errs, fmt.Sprintf("rule %q names no code of the configured validators", pat))
			continue
		}
		p.Rules[pat] = a
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: policy: %s", ErrConfig, strings.Join(errs, "; "))
	}
	return p, nil
}

func (p *Policy) hasDefault(c Code) bool {
	_, ok := p.defaults[c]
	return ok
}

// Action returns the action for a failing finding of code c. A bad value
// is never kept (its row holds a placeholder): keep acts as quarantine.
func (p *Policy) Action(c Code) Action {
	a := p.action(c)
	if c == CodeBadValue && a == Keep {
		return Quarantine
	}
	return a
}

func (p *Policy) action(c Code) Action {
	if a, ok := p.Rules[string(c)]; ok {
		return a
	}
	if a, ok := p.Rules[c.Family()+".*"]; ok {
		return a
	}
	if a, ok := p.Rules["*"]; ok {
		return a
	}
	if a, ok := p.defaults[c]; ok && a.Valid() {
		return a
	}
	return Keep
}

// Effective returns every known code's action under p, for reports.
func (p *Policy) Effective() map[string]Action {
	out := map[string]Action{}
	for c := range p.defaults {
		out[string(c)] = p.Action(c)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
