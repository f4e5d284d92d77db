package snapshot

import (
	"encoding/json"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// SpacesSchema is the schema of the spaces table: one row per space, as
// the hub described it when the source first read it. strategies, admins,
// moderators, members, plugins, validation (who may propose) and
// vote_validation (who may vote) are canonical JSON; the filters and
// voting settings are split into typed columns, null where the space
// leaves them unset (the hub answers null; voting_type null means the
// author of each proposal chooses). The counts are the hub's at that time,
// null when it has none; verified, flagged and hibernated are null when the
// hub does not know.
func SpacesSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: provenance(
			col("id", datasets.TypeString), col("name", datasets.TypeString), col("about", datasets.TypeString),
			col("network", datasets.TypeString), col("symbol", datasets.TypeString), col("created", datasets.TypeTimestamp),
			col("strategies", datasets.TypeString), col("admins", datasets.TypeString), col("moderators", datasets.TypeString),
			col("members", datasets.TypeString), nullable("min_score", datasets.TypeFloat64), nullable("only_members", datasets.TypeBool),
			col("plugins", datasets.TypeString), col("validation", datasets.TypeString), col("vote_validation", datasets.TypeString),
			nullable("voting_delay", datasets.TypeUint64), nullable("voting_period", datasets.TypeUint64),
			nullable("voting_type", datasets.TypeString), nullable("voting_quorum", datasets.TypeFloat64),
			col("voting_quorum_type", datasets.TypeString), col("voting_privacy", datasets.TypeString),
			nullable("followers_count", datasets.TypeUint64), nullable("proposals_count", datasets.TypeUint64),
			nullable("votes_count", datasets.TypeUint64), nullable("verified", datasets.TypeBool),
			nullable("flagged", datasets.TypeBool), nullable("hibernated", datasets.TypeBool),
		),
		Key: []string{"id"},
	}
}

// spaceSelection is the selection set of the spaces query (fields of the
// hub's Space type, src/graphql/schema.gql).
const spaceSelection = "id name about network symbol created strategies { name network params } admins moderators members " +
	"filters { minScore onlyMembers } plugins validation { name params } voteValidation { name params } " +
	"voting { delay period type quorum quorumType privacy } followersCount proposalsCount votesCount verified flagged hibernated"

type spaceFilters struct {
	MinScore    json.RawMessage `json:"minScore"`
	OnlyMembers *bool           `json:"onlyMembers"`
}

type spaceVoting struct {
	Delay      json.RawMessage `json:"delay"`
	Period     json.RawMessage `json:"period"`
	Type       *string         `json:"type"`
	Quorum     json.RawMessage `json:"quorum"`
	QuorumType *string         `json:"quorumType"`
	Privacy    *string         `json:"privacy"`
}

type space struct {
	ID             string          `json:"id"`
	Name           *string         `json:"name"`
	About          *string         `json:"about"`
	Network        *string         `json:"network"`
	Symbol         *string         `json:"symbol"`
	Created        json.RawMessage `json:"created"`
	Strategies     json.RawMessage `json:"strategies"`
	Admins         json.RawMessage `json:"admins"`
	Moderators     json.RawMessage `json:"moderators"`
	Members        json.RawMessage `json:"members"`
	Filters        *spaceFilters   `json:"filters"`
	Plugins        json.RawMessage `json:"plugins"`
	Validation     json.RawMessage `json:"validation"`
	VoteValidation json.RawMessage `json:"voteValidation"`
	Voting         *spaceVoting    `json:"voting"`
	FollowersCount json.RawMessage `json:"followersCount"`
	ProposalsCount json.RawMessage `json:"proposalsCount"`
	VotesCount     json.RawMessage `json:"votesCount"`
	Verified       *bool           `json:"verified"`
	Flagged        *bool           `json:"flagged"`
	Hibernated     *bool           `json:"hibernated"`
}

// optBool returns *p, or nil (null) for a nil pointer.
func optBool(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// optString returns *p, or nil (null) for a nil pointer.
func optString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// optUint reads a nullable non-negative integer field.
func optUint(name string, raw json.RawMessage) (any, error) {
	n, ok, err := flexUint(raw)
	if err != nil {
		return nil, &fieldError{name, err}
	}
	if !ok {
		return nil, nil
	}
	return n, nil
}

// optNumber reads a nullable number field.
func optNumber(name string, raw json.RawMessage) (any, error) {
	f, ok, err := flexNumber(raw)
	if err != nil {
		return nil, &fieldError{name, err}
	}
	if !ok {
		return nil, nil
	}
	return f, nil
}

// decodeSpace converts one Space. Spaces have no pending state: every
// space is final.
func decodeSpace(raw json.RawMessage) (item, error) {
	var sp space
	if err := json.Unmarshal(raw, &sp); err != nil {
		return item{}, err
	}
	it := item{id: sp.ID, state: "final"}
	if sp.ID == "" {
		return it, &fieldError{"id", fmt.Errorf("missing")}
	}
	created, ok, err := seconds(sp.Created)
	if err != nil || !ok {
		return it, &fieldError{"created", orMissing(err)}
	}
	it.created = created / 1_000_000
	jsons := []struct {
		name string
		raw  json.RawMessage
	}{{"strategies", sp.Strategies}, {"admins", sp.Admins}, {"moderators", sp.Moderators}, {"members", sp.Members},
		{"plugins", sp.Plugins}, {"validation", sp.Validation}, {"voteValidation", sp.VoteValidation}}
	jv := map[string]string{}
	for _, j := range jsons {
		if jv[j.name], err = canonicalJSON(j.raw); err != nil {
			return it, &fieldError{j.name, err}
		}
	}
	var minScore, onlyMembers any
	if f := sp.Filters; f != nil {
		if minScore, err = optNumber("filters.minScore", f.MinScore); err != nil {
			return it, err
		}
		onlyMembers = optBool(f.OnlyMembers)
	}
	var delay, period, quorum, votingType any
	var quorumType, privacy string
	if v := sp.Voting; v != nil {
		if delay, err = optUint("voting.delay", v.Delay); err != nil {
			return it, err
		}
		if period, err = optUint("voting.period", v.Period); err != nil {
			return it, err
		}
		if quorum, err = optNumber("voting.quorum", v.Quorum); err != nil {
			return it, err
		}
		votingType, quorumType, privacy = optString(v.Type), str(v.QuorumType), str(v.Privacy)
	}
	counts := []struct {
		name string
		raw  json.RawMessage
	}{{"followersCount", sp.FollowersCount}, {"proposalsCount", sp.ProposalsCount}, {"votesCount", sp.VotesCount}}
	cv := make([]any, len(counts))
	for i, c := range counts {
		if cv[i], err = optUint(c.name, c.raw); err != nil {
			return it, err
		}
	}
	it.values = []any{sp.ID, str(sp.Name), str(sp.About), str(sp.Network), str(sp.Symbol), created,
		jv["strategies"], jv["admins"], jv["moderators"], jv["members"], minScore, onlyMembers,
		jv["plugins"], jv["validation"], jv["voteValidation"], delay, period, votingType, quorum, quorumType, privacy,
		cv[0], cv[1], cv[2], optBool(sp.Verified), optBool(sp.Flagged), optBool(sp.Hibernated)}
	return it, nil
}
