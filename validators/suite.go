package validators

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// Suite is the configured validation stage of one job: its validators in
// call order and the policy applied to their findings.
type Suite struct {
	validators []Validator
	policy     *Policy
	log        *slog.Logger
	workers    int
}

// SuiteOptions are the shared services of a Suite, passed in.
type SuiteOptions struct {
	Logger *slog.Logger
	// Workers is how many validators run at once (0: GOMAXPROCS; 1: one
	// after the other). The findings are in the validators' call order
	// whatever it is.
	Workers int
}

// NewSuite returns a suite of vals (names must be unique) with a policy
// built from rules (see NewPolicy).
func NewSuite(vals []Validator, rules map[string]Action, opts SuiteOptions) (*Suite, error) {
	seen := map[string]bool{}
	vals = append([]Validator{badValues{}}, vals...)
	var codes []CodeInfo
	for _, v := range vals {
		if seen[v.Name()] {
			return nil, fmt.Errorf("%w: two validators are named %q; give one a name", ErrConfig, v.Name())
		}
		seen[v.Name()] = true
		codes = append(codes, v.Codes()...)
	}
	p, err := NewPolicy(rules, codes)
	if err != nil {
		return nil, err
	}
	if rules[string(CodeBadValue)] == Keep {
		return nil, fmt.Errorf("%w: policy: %s cannot be kept: the row holds a placeholder for the value that did not parse (quarantine or block it)", ErrConfig, CodeBadValue)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Workers < 0 {
		return nil, fmt.Errorf("%w: %d validator workers; want 0 (one per CPU) or more", ErrConfig, opts.Workers)
	}
	return &Suite{validators: vals, policy: p, log: opts.Logger, workers: opts.Workers}, nil
}

// Validators returns the suite's validators in call order.
func (s *Suite) Validators() []Validator { return s.validators }

// Policy returns the suite's policy.
func (s *Suite) Policy() *Policy { return s.policy }

// Logger returns the suite's logger (never nil).
func (s *Suite) Logger() *slog.Logger { return s.log }

// Peered is implemented by validators that compare a dataset with other
// datasets observing the same quantity (cross-source peers).
type Peered interface {
	// PeerDatasets names the peer datasets, in configuration order.
	PeerDatasets() []string
}

// PeerDatasets returns the peer datasets of the suite's validators,
// without repeats, in configuration order.
func (s *Suite) PeerDatasets() []string {
	var out []string
	for _, v := range s.validators {
		if p, ok := v.(Peered); ok {
			for _, d := range p.PeerDatasets() {
				if !slices.Contains(out, d) {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// Outcome is the result of a Suite run.
type Outcome struct {
	Input    *Input
	Findings []Finding
	// Actions holds the effective action of each finding ("" when passed).
	Actions []Action
	// Quarantined marks the rows left out of the version.
	Quarantined []bool
	// Flagged marks kept rows that a failing finding at warn or above
	// concerns.
	Flagged []bool
	Blocked bool
	// Metrics measure the accepted, unflagged rows.
	Metrics *Metrics
}

// Run calls every validator on in, checks their findings against the
// contract and applies the policy. An error means the stage could not run.
func (s *Suite) Run(ctx context.Context, in *Input) (*Outcome, error) {
	if in.Table == nil {
		in.Table = NewTable(in.Schema, in.Records)
	}
	if len(in.Origins) > 0 {
		in.Table.origins = in.Origins
	}
	if in.History == nil {
		in.History = NoHistory{}
	}
	if in.Logger == nil {
		in.Logger = s.log
	}
	o := &Outcome{Input: in}
	defer in.Close()
	fss, err := s.runAll(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, fs := range fss {
		o.Findings = append(o.Findings, fs...)
	}
	s.apply(o)
	m, err := ComputeMetrics(ctx, in.Dataset, in.Table, o.skipMask())
	if err != nil {
		return nil, err
	}
	o.Metrics = m
	return o, nil
}

// apply decides the action of every failing finding.
func (s *Suite) apply(o *Outcome) {
	n := o.Input.Rows()
	o.Quarantined, o.Flagged = make([]bool, n), make([]bool, n)
	o.Actions = make([]Action, len(o.Findings))
	for i, f := range o.Findings {
		if f.Passed {
			continue
		}
		a := s.policy.Action(f.Code)
		if a == Quarantine && len(f.Rows) == 0 {
			a = Keep
		}
		o.Actions[i] = a
		switch a {
		case Block:
			o.Blocked = true
		case Quarantine:
			for _, r := range f.Rows {
				o.Quarantined[r] = true
			}
		}
	}
	for _, f := range o.Findings {
		if f.Passed || f.Severity.Rank() < Warn.Rank() {
			continue
		}
		for _, r := range f.Rows {
			o.Flagged[r] = !o.Quarantined[r]
		}
	}
}

func (o *Outcome) skipMask() []bool {
	skip := make([]bool, len(o.Quarantined))
	for i := range skip {
		skip[i] = o.Quarantined[i] || o.Flagged[i]
	}
	return skip
}

// QuarantinedRows returns the positions of the quarantined rows.
func (o *Outcome) QuarantinedRows() []int { return marked(o.Quarantined) }

// FlaggedRows returns the positions of the kept rows flagged at warn or above.
func (o *Outcome) FlaggedRows() []int { return marked(o.Flagged) }

func marked(m []bool) []int {
	var out []int
	for i, b := range m {
		if b {
			out = append(out, i)
		}
	}
	return out
}

// Reasons returns the codes of the failing findings that quarantined row.
func (o *Outcome) Reasons(row int) ([]Code, []string) {
	var codes []Code
	var msgs []string
	for i, f := range o.Findings {
		if o.Actions[i] == Quarantine && slices.Contains(f.Rows, row) {
			if !slices.Contains(codes, f.Code) {
				codes = append(codes, f.Code)
			}
			msgs = append(msgs, string(f.Code)+": "+f.Message)
		}
	}
	return codes, msgs
}

// Report builds the run's report.
func (o *Outcome) Report(s *Suite, info RunInfo) *Report {
	t := o.Input.Table
	r := &Report{
		FormatVersion: ReportFormat, Dataset: info.Dataset, Job: info.Job, Run: info.Run,
		CreatedAt: info.Now.UTC().Format(time.RFC3339), DryRun: info.DryRun, Blocked: o.Blocked,
		Findings: []ReportFinding{}, Quarantined: t.Keys(o.QuarantinedRows()),
		Decisions: info.Decisions, Policy: s.policy.Effective(),
	}
	if r.Decisions == nil {
		r.Decisions = []Decision{}
	}
	for _, v := range s.validators {
		r.Validators = append(r.Validators, v.Name())
	}
	for i, f := range o.Findings {
		r.Findings = append(r.Findings, ReportFinding{
			Code: f.Code, Severity: f.Severity, Validator: f.Validator, Rows: t.Keys(f.Rows), Locators: t.Locators(f.Rows), Subject: f.Subject,
			Value: Number(f.Value), Threshold: Number(f.Threshold), Passed: f.Passed, Action: o.Actions[i], Message: f.Message,
		})
	}
	q := len(r.Quarantined)
	r.Rows = RowCounts{Input: t.Len(), Accepted: t.Len() - q, Quarantined: q, Approved: info.Approved}
	return r
}
