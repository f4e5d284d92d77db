package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Provenance column names.
const (
	ColSource = "_source"
	ColRaw    = "_raw_sha256"
)

// item is one decoded space, proposal or vote: its id, created time (Unix
// seconds), its state (vp_state or scores_state; "final" for spaces, which
// have none) and its row values in schema order, provenance excluded (nil
// is null).
type item struct {
	id      string
	created int64
	state   string
	values  []any
	// bad lists the cells that did not convert; values holds a
	// placeholder for each (the row is quarantined as poisoning.bad_value)
	bad []badCell
	// badCreated says the item has no readable created time: it takes
	// the position of the item before it (placeholder).
	badCreated bool
}

// badCell is a field of an item that did not convert.
type badCell struct {
	column, raw, problem string
}

// flag records a field that did not convert.
func (it *item) flag(column string, raw json.RawMessage, err error) {
	it.bad = append(it.bad, badCell{column: column, raw: string(bytes.TrimSpace(raw)), problem: err.Error()})
}

// table describes one readable collection.
type table struct {
	field   string // the GraphQL list field
	op      string // the operation name
	sel     string // the selection set
	bySpace string // the where field that selects the configured space
	schema  *datasets.Schema
	decode  func(raw json.RawMessage) (item, error)
}

func col(name string, t datasets.Type) datasets.Column {
	return datasets.Column{Name: name, Type: t}
}

func nullable(name string, t datasets.Type) datasets.Column {
	return datasets.Column{Name: name, Type: t, Nullable: true}
}

func provenance(cols ...datasets.Column) []datasets.Column {
	return append(cols, col(ColSource, datasets.TypeString), col(ColRaw, datasets.TypeBytes32))
}

// VotesSchema is the schema of the votes table. choice is the vote's
// choice as canonical JSON (a number for single-choice and basic votes, an
// array for approval and ranked-choice, an object of weights for weighted
// and quadratic, a string for shielded votes); choice_num holds it when it
// is a single number. vp_by_strategy is canonical JSON.
func VotesSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: provenance(
			col("id", datasets.TypeString), col("space", datasets.TypeString), col("proposal", datasets.TypeString),
			col("voter", datasets.TypeString), col("created", datasets.TypeTimestamp),
			col("choice", datasets.TypeString), nullable("choice_num", datasets.TypeFloat64),
			col("vp", datasets.TypeFloat64), col("vp_by_strategy", datasets.TypeString), col("vp_state", datasets.TypeString),
			col("reason", datasets.TypeString), col("app", datasets.TypeString), col("ipfs", datasets.TypeString),
		),
		Key: []string{"id"},
	}
}

// ProposalsSchema is the schema of the proposals table. choices, scores,
// scores_by_strategy and strategies are canonical JSON; snapshot is the
// block number (the hub sends it as a string or a number).
func ProposalsSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: provenance(
			col("id", datasets.TypeString), col("space", datasets.TypeString), col("author", datasets.TypeString),
			col("created", datasets.TypeTimestamp), col("type", datasets.TypeString), col("title", datasets.TypeString),
			col("body", datasets.TypeString), col("discussion", datasets.TypeString), col("choices", datasets.TypeString),
			col("start", datasets.TypeTimestamp), col("end", datasets.TypeTimestamp), nullable("snapshot", datasets.TypeUint64),
			col("network", datasets.TypeString), col("state", datasets.TypeString), col("scores", datasets.TypeString),
			col("scores_by_strategy", datasets.TypeString), col("scores_total", datasets.TypeFloat64),
			col("scores_state", datasets.TypeString), nullable("scores_updated", datasets.TypeTimestamp),
			col("quorum", datasets.TypeFloat64), col("privacy", datasets.TypeString), col("votes", datasets.TypeUint64),
			col("strategies", datasets.TypeString), col("app", datasets.TypeString), col("ipfs", datasets.TypeString),
		),
		Key: []string{"id"},
	}
}

var tables = map[string]*table{
	TableVotes: {
		field: "votes", op: "Votes", bySpace: "space", schema: VotesSchema(), decode: decodeVote,
		sel: "id ipfs voter created space { id } proposal { id } choice reason app vp vp_by_strategy vp_state",
	},
	TableProposals: {
		field: "proposals", op: "Proposals", bySpace: "space", schema: ProposalsSchema(), decode: decodeProposal,
		sel: "id ipfs author created space { id } network type strategies { name network params } title body discussion " +
			"choices start end quorum privacy snapshot state app scores scores_by_strategy scores_state scores_total scores_updated votes",
	},
	TableSpaces: {
		field: "spaces", op: "Spaces", bySpace: "id", schema: SpacesSchema(), decode: decodeSpace, sel: spaceSelection,
	},
}

// query returns the GraphQL document of t: with bySpace, it reads only the
// space given as $space; without, every item (a variable may be declared
// only when it is used).
func (t *table) query(bySpace bool) string {
	vars, where := "$created_gte: Int, $first: Int!, $skip: Int!", "created_gte: $created_gte"
	if bySpace {
		vars, where = "$space: String!, "+vars, t.bySpace+": $space, "+where
	}
	return fmt.Sprintf(`query %s(%s) {
  %s(first: $first, skip: $skip, where: {%s}, orderBy: "created", orderDirection: asc) {
    %s
  }
}`, t.op, vars, t.field, where, t.sel)
}

// ref is a nested object of which only the id is read.
type ref struct {
	ID string `json:"id"`
}

func (r *ref) id() string {
	if r == nil {
		return ""
	}
	return r.ID
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// fieldError names the field of an item that does not convert.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return fmt.Sprintf("field %s: %v", e.field, e.err) }
func (e *fieldError) Unwrap() error { return e.err }

type vote struct {
	ID           string          `json:"id"`
	IPFS         *string         `json:"ipfs"`
	Voter        string          `json:"voter"`
	Created      json.RawMessage `json:"created"`
	Space        *ref            `json:"space"`
	Proposal     *ref            `json:"proposal"`
	Choice       json.RawMessage `json:"choice"`
	Reason       *string         `json:"reason"`
	App          *string         `json:"app"`
	VP           json.RawMessage `json:"vp"`
	VPByStrategy json.RawMessage `json:"vp_by_strategy"`
	VPState      *string         `json:"vp_state"`
}

func decodeVote(raw json.RawMessage) (item, error) {
	var v vote
	if err := json.Unmarshal(raw, &v); err != nil {
		return item{}, err
	}
	it := item{id: v.ID, state: str(v.VPState)}
	if v.ID == "" {
		return it, &fieldError{"id", fmt.Errorf("missing")}
	}
	created, ok, err := seconds(v.Created)
	if err != nil || !ok {
		return it, &fieldError{"created", orMissing(err)}
	}
	it.created = created / 1_000_000
	// id and created place the item (cursor, key); the other fields
	// that do not convert are flagged with a placeholder instead
	choice, err := "", error(nil)
	if len(bytes.TrimSpace(v.Choice)) == 0 {
		it.flag("choice", v.Choice, fmt.Errorf("missing"))
	} else if choice, err = canonicalJSON(v.Choice); err != nil {
		it.flag("choice", v.Choice, err)
	}
	var choiceNum any
	if n, ok, err := flexNumber(v.Choice); err == nil && ok && !bytes.HasPrefix(bytes.TrimSpace(v.Choice), []byte(`"`)) {
		choiceNum = n
	}
	vp, ok, err := flexNumber(v.VP)
	if err != nil || (!ok && it.state == "final") {
		vp = 0
		it.flag("vp", v.VP, orMissing(err))
	}
	byStrategy := "[]"
	if len(v.VPByStrategy) > 0 {
		if byStrategy, err = canonicalJSON(v.VPByStrategy); err != nil {
			byStrategy = ""
			it.flag("vp_by_strategy", v.VPByStrategy, err)
		}
	}
	it.values = []any{v.ID, v.Space.id(), v.Proposal.id(), v.Voter, created, choice, choiceNum,
		vp, byStrategy, it.state, str(v.Reason), str(v.App), str(v.IPFS)}
	return it, nil
}

func orMissing(err error) error {
	if err == nil {
		return fmt.Errorf("missing or null")
	}
	return err
}

type proposal struct {
	ID               string          `json:"id"`
	IPFS             *string         `json:"ipfs"`
	Author           string          `json:"author"`
	Created          json.RawMessage `json:"created"`
	Space            *ref            `json:"space"`
	Network          *string         `json:"network"`
	Type             *string         `json:"type"`
	Strategies       json.RawMessage `json:"strategies"`
	Title            *string         `json:"title"`
	Body             *string         `json:"body"`
	Discussion       *string         `json:"discussion"`
	Choices          json.RawMessage `json:"choices"`
	Start            json.RawMessage `json:"start"`
	End              json.RawMessage `json:"end"`
	Quorum           json.RawMessage `json:"quorum"`
	Privacy          *string         `json:"privacy"`
	Snapshot         json.RawMessage `json:"snapshot"`
	State            *string         `json:"state"`
	App              *string         `json:"app"`
	Scores           json.RawMessage `json:"scores"`
	ScoresByStrategy json.RawMessage `json:"scores_by_strategy"`
	ScoresState      *string         `json:"scores_state"`
	ScoresTotal      json.RawMessage `json:"scores_total"`
	ScoresUpdated    json.RawMessage `json:"scores_updated"`
	Votes            json.RawMessage `json:"votes"`
}

func decodeProposal(raw json.RawMessage) (item, error) {
	var p proposal
	if err := json.Unmarshal(raw, &p); err != nil {
		return item{}, err
	}
	it := item{id: p.ID, state: str(p.ScoresState)}
	if p.ID == "" {
		return it, &fieldError{"id", fmt.Errorf("missing")}
	}
	created, ok, err := seconds(p.Created)
	if err != nil || !ok {
		return it, &fieldError{"created", orMissing(err)}
	}
	it.created = created / 1_000_000
	times := map[string]json.RawMessage{"start": p.Start, "end": p.End}
	tv := map[string]int64{}
	for name, raw := range times {
		v, ok, err := seconds(raw)
		if err != nil || !ok {
			return it, &fieldError{name, orMissing(err)}
		}
		tv[name] = v
	}
	var snapshot, updated any
	if n, ok, err := flexUint(p.Snapshot); err != nil {
		return it, &fieldError{"snapshot", err}
	} else if ok {
		snapshot = n
	}
	if v, ok, err := seconds(p.ScoresUpdated); err != nil {
		return it, &fieldError{"scores_updated", err}
	} else if ok {
		updated = v
	}
	nums := map[string]json.RawMessage{"scores_total": p.ScoresTotal, "quorum": p.Quorum}
	nv := map[string]float64{}
	for name, raw := range nums {
		v, _, err := flexNumber(raw)
		if err != nil {
			return it, &fieldError{name, err}
		}
		nv[name] = v
	}
	votes, _, err := flexUint(p.Votes)
	if err != nil {
		return it, &fieldError{"votes", err}
	}
	jsons := []struct {
		name string
		raw  json.RawMessage
	}{{"choices", p.Choices}, {"scores", p.Scores}, {"scores_by_strategy", p.ScoresByStrategy}, {"strategies", p.Strategies}}
	jv := map[string]string{}
	for _, j := range jsons {
		if jv[j.name], err = canonicalJSON(j.raw); err != nil {
			return it, &fieldError{j.name, err}
		}
	}
	it.values = []any{p.ID, p.Space.id(), p.Author, created, str(p.Type), str(p.Title), str(p.Body), str(p.Discussion),
		jv["choices"], tv["start"], tv["end"], snapshot, str(p.Network), str(p.State), jv["scores"],
		jv["scores_by_strategy"], nv["scores_total"], it.state, updated, nv["quorum"], str(p.Privacy), votes,
		jv["strategies"], str(p.App), str(p.IPFS)}
	return it, nil
}
