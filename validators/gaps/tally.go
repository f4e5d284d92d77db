package gaps

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeTallyShortfall is the code of the tally validator.
const CodeTallyShortfall validators.Code = "gaps.tally_shortfall"

// TallyKind is the configuration kind of the tally validator.
const TallyKind = "gaps.tally"

// TallyConfig configures the missing-votes check: a proposal that was
// queued or executed must have had at least Quorum votes for, and more for
// than against, among the vote rows the dataset holds. When it has not,
// votes are missing from the dataset.
type TallyConfig struct {
	// VotesDataset holds the votes when they are not in the validated
	// dataset (the governor source's separate votes dataset): they are then
	// read from its latest version only.
	VotesDataset string `yaml:"votes_dataset" json:"votes_dataset"`
	// Votes selects the vote rows; Proposal, Support and Weight name their
	// columns. For and Against list the support values (as rendered:
	// "1", "true") counted for and against.
	Votes    validators.Where `yaml:"votes" json:"votes"`
	Proposal string           `yaml:"proposal" json:"proposal"`
	Support  string           `yaml:"support" json:"support"`
	Weight   string           `yaml:"weight" json:"weight" config:"required"`
	For      []string         `yaml:"for" json:"for"`
	Against  []string         `yaml:"against" json:"against"`
	// Passed selects the rows saying a proposal passed (ProposalQueued,
	// ProposalExecuted); PassedProposal names their proposal id column.
	Passed         validators.Where `yaml:"passed" json:"passed" config:"required"`
	PassedProposal string           `yaml:"passed_proposal" json:"passed_proposal"`
	// Quorum is the smallest total of votes for that passes, in the
	// weight column's raw units (400000e18 for Compound GovernorBravo).
	Quorum float64 `yaml:"quorum" json:"quorum" config:"required"`
	// HistoryRows bounds the history read (0: all of it).
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
	// GroupBy names a column (of both the passed rows and the votes) that
	// separates governors: proposal ids are per group (contract_address).
	GroupBy string `yaml:"group_by" json:"group_by"`
}

// tallyKey names a proposal of one group.
type tallyKey struct {
	group string
	id    [32]byte
}

func (k tallyKey) subject() string {
	if k.group == "" {
		return "proposal:" + validators.WordString(k.id)
	}
	return k.group + "/proposal:" + validators.WordString(k.id)
}

func (t *Tally) groupOf(tb *validators.Table) func(int) string {
	if t.cfg.GroupBy == "" {
		return func(int) string { return "" }
	}
	return func(r int) string { return tb.Value(r, t.cfg.GroupBy) }
}

// DefaultTallyConfig returns the defaults.
func DefaultTallyConfig() TallyConfig {
	return TallyConfig{Proposal: "proposal_id", Support: "support", For: []string{"1"}, Against: []string{"0"}, PassedProposal: "id"}
}

// Tally finds passed proposals whose recorded tally cannot have passed.
type Tally struct {
	name string
	cfg  TallyConfig
}

// NewTally returns a tally validator.
func NewTally(name string, cfg TallyConfig) (*Tally, error) {
	if cfg.Quorum <= 0 || cfg.Passed.IsZero() || len(cfg.For) == 0 {
		return nil, fmt.Errorf("%w: %s: quorum, passed and for are required", validators.ErrConfig, name)
	}
	return &Tally{name: cmp.Or(name, TallyKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (t *Tally) Name() string { return t.name }

// Codes implements validators.Validator.
func (t *Tally) Codes() []validators.CodeInfo { return tallyCodes }

var tallyCodes = []validators.CodeInfo{{Code: CodeTallyShortfall, Severity: validators.Error, Action: validators.Keep,
	Summary: "A proposal was queued or executed, but the votes the dataset holds for it are below the quorum or not more for than against: votes are missing."}}

type tally struct{ forV, against float64 }

// Validate implements validators.Validator.
func (t *Tally) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	passed, err := t.passed(in.Table)
	if err != nil || len(passed) == 0 {
		return nil, err
	}
	sums := map[tallyKey]*tally{}
	for id := range passed {
		sums[id] = &tally{}
	}
	ds := t.cfg.VotesDataset
	if ds == "" {
		ds = in.Dataset
		if err := t.add(in.Table, sums); err != nil {
			return nil, err
		}
	}
	// The history streams one batch at a time: only the sums of the run's
	// passed proposals are kept, and a batch none of whose rows names one
	// of them is skipped after its proposal column (the first batch is
	// read whole, so a column the schema lacks is still an error).
	passedIDs := make(map[[32]byte]bool, len(passed))
	for id := range passed {
		passedIDs[id.id] = true
	}
	first := true
	err = validators.ScanHistory(ctx, in.History, ds, uint64(max(t.cfg.HistoryRows, 0)), func(hist *validators.Table) error {
		if !first {
			if hit, err := validators.AnyWord(hist, t.cfg.Proposal, passedIDs); err != nil || !hit {
				return err
			}
		}
		first = false
		return t.add(hist, sums)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]tallyKey, 0, len(passed))
	for id := range passed {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if ids[i].group != ids[j].group {
			return ids[i].group < ids[j].group
		}
		return string(ids[i].id[:]) < string(ids[j].id[:])
	})
	var out []validators.Finding
	for _, id := range ids {
		s := sums[id]
		msg := fmt.Sprintf("%s passed with %.6g for and %.6g against among the recorded votes (quorum %.6g)", strings.Replace(id.subject(), "proposal:", "proposal ", 1), s.forV, s.against, t.cfg.Quorum)
		if s.forV >= t.cfg.Quorum && s.forV > s.against {
			f := validators.Pass(t.name, CodeTallyShortfall, s.forV, t.cfg.Quorum, msg)
			f.Subject = id.subject()
			out = append(out, f)
			continue
		}
		out = append(out, validators.Finding{Code: CodeTallyShortfall, Severity: validators.Error, Validator: t.name, Rows: passed[id],
			Subject: id.subject(), Value: s.forV, Threshold: t.cfg.Quorum, Message: msg + ": votes are missing"})
	}
	return out, nil
}

// passed maps the proposals that passed in this run to their rows.
func (t *Tally) passed(tb *validators.Table) (map[tallyKey][]int, error) {
	rows, err := selected(tb, t.cfg.Passed)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids, err := tb.Words(t.cfg.PassedProposal)
	if err != nil {
		return nil, err
	}
	out := map[tallyKey][]int{}
	group := t.groupOf(tb)
	for _, r := range rows {
		if ids.Valid(r) {
			k := tallyKey{group(r), ids.Values[r]}
			out[k] = append(out[k], r)
		}
	}
	return out, nil
}

// add sums the votes of tb for the proposals in sums.
func (t *Tally) add(tb *validators.Table, sums map[tallyKey]*tally) error {
	rows, err := selected(tb, t.cfg.Votes)
	if err != nil {
		return err
	}
	ids, err := tb.Words(t.cfg.Proposal)
	if err != nil {
		return err
	}
	sup, err := tb.Strings(t.cfg.Support)
	if err != nil {
		return err
	}
	w, err := tb.Floats(t.cfg.Weight)
	if err != nil {
		return err
	}
	isFor, isAgainst := set(t.cfg.For), set(t.cfg.Against)
	group := t.groupOf(tb)
	for _, r := range rows {
		if !ids.Valid(r) || !sup.Valid(r) || !w.Valid(r) {
			continue
		}
		s := sums[tallyKey{group(r), ids.Values[r]}]
		switch {
		case s == nil:
		case isFor[sup.Values[r]]:
			s.forV += w.Values[r]
		case isAgainst[sup.Values[r]]:
			s.against += w.Values[r]
		}
	}
	return nil
}

func set(vs []string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}
