package fakeapi

// hubTypes lists the fields of the hub's GraphQL types this stand-in
// serves: "" for a scalar (String, Int, Float, Boolean, Any, lists of them),
// otherwise the object type of the field. It follows the schema of
// snapshot-labs/snapshot-hub (src/graphql/schema.gql).
var hubTypes = map[string]map[string]string{
	"Query": {
		"space": "Space", "spaces": "Space",
		"proposal": "Proposal", "proposals": "Proposal",
		"vote": "Vote", "votes": "Vote",
	},
	"Vote": {
		"id": "", "ipfs": "", "voter": "", "created": "", "space": "Space", "proposal": "Proposal",
		"choice": "", "metadata": "", "reason": "", "app": "", "vp": "", "vp_by_strategy": "", "vp_state": "",
	},
	"Proposal": {
		"id": "", "ipfs": "", "author": "", "created": "", "updated": "", "space": "Space", "network": "",
		"symbol": "", "type": "", "strategies": "Strategy", "validation": "Validation", "plugins": "",
		"title": "", "body": "", "discussion": "", "choices": "", "labels": "", "start": "", "end": "",
		"quorum": "", "quorumType": "", "privacy": "", "snapshot": "", "state": "", "link": "", "app": "",
		"scores": "", "scores_by_strategy": "", "scores_state": "", "scores_total": "", "scores_updated": "",
		"scores_total_value": "", "vp_value_by_strategy": "", "votes": "", "flagged": "",
	},
	// Space as the hub's formatSpace returns it: the space's settings with
	// defaults filled in (empty lists, voting values null when unset), the
	// created second, the counts (null when the hub has none) and the
	// verified, flagged, hibernated and turbo flags (null when unknown).
	"Space": {
		"id": "", "name": "", "private": "", "about": "", "avatar": "", "cover": "", "terms": "",
		"location": "", "website": "", "twitter": "", "github": "", "farcaster": "", "coingecko": "",
		"email": "", "network": "", "symbol": "", "skin": "", "domain": "", "strategies": "Strategy",
		"admins": "", "members": "", "moderators": "", "filters": "SpaceFilters", "plugins": "",
		"voting": "SpaceVoting", "categories": "", "validation": "Validation", "voteValidation": "Validation",
		"followersCount": "", "followersCount7d": "", "proposalsCount": "", "proposalsCount1d": "",
		"proposalsCount7d": "", "proposalsCount30d": "", "votesCount": "", "votesCount7d": "",
		"activeProposals": "", "rank": "", "created": "", "verified": "", "flagged": "", "hibernated": "",
		"turbo": "", "guidelines": "", "template": "", "discussions": "", "discourseCategory": "",
		"labels": "Label", "boost": "BoostSettings", "delegationPortal": "DelegationPortal",
		"skinSettings": "SkinSettings", "parent": "Space", "children": "Space", "treasuries": "Treasury",
	},
	"Strategy":     {"name": "", "network": "", "params": ""},
	"Validation":   {"name": "", "params": ""},
	"SpaceFilters": {"minScore": "", "onlyMembers": ""},
	"SpaceVoting": {
		"delay": "", "period": "", "type": "", "quorum": "", "quorumType": "", "blind": "", "hideAbstain": "",
		"privacy": "", "aliased": "",
	},
	"Treasury":         {"name": "", "address": "", "network": ""},
	"Label":            {"id": "", "name": "", "description": "", "color": ""},
	"BoostSettings":    {"enabled": "", "bribeEnabled": ""},
	"DelegationPortal": {"delegationType": "", "delegationContract": "", "delegationNetwork": "", "delegationApi": ""},
	"SkinSettings": {
		"bg_color": "", "link_color": "", "text_color": "", "content_color": "", "border_color": "",
		"heading_color": "", "primary_color": "", "header_color": "", "theme": "",
	},
}

// hubWhere lists, per list field, the where filters the hub's resolvers
// apply (src/graphql/operations/*.ts: buildWhereQuery): field name to
// "string" (equality and _in) or "number" (also _gt, _gte, _lt, _lte).
var hubWhere = map[string]map[string]string{
	"votes": {
		"id": "string", "ipfs": "string", "space": "string", "voter": "string", "proposal": "string",
		"reason": "string", "app": "string", "created": "number", "vp": "number", "vp_state": "string",
	},
	"proposals": {
		"id": "string", "ipfs": "string", "space": "string", "author": "string", "network": "string",
		"created": "number", "updated": "number", "app": "string", "start": "number", "end": "number",
		"type": "string", "scores_state": "string",
	},
	// fetchSpaces (src/graphql/helpers.ts) filters id and created; its other
	// SpaceWhere fields are in spaceExtraWhere.
	"spaces": {"id": "string", "created": "number"},
}

// hubOrderBy lists the accepted orderBy values per list field; the first is
// the default (anything else falls back to it, as in the hub). Ties are
// broken by id ascending; for spaces the hub orders by the field alone, and
// its GROUP BY s.id gives ties in id order in practice.
var hubOrderBy = map[string][]string{
	"votes":     {"created", "vp"},
	"proposals": {"created", "start", "end"},
	"spaces":    {"created", "updated", "id"},
}

// hubLimits are the hub's argument caps (src/graphql/helpers.ts: ARG_LIMITS).
var hubLimits = map[string]map[string]int64{
	"votes":     {"first": 1000, "skip": 5000},
	"proposals": {"first": 1000, "skip": 5000},
	"spaces":    {"first": 1000, "skip": 100000}, // the versions that filter spaces by created
}

// listOf maps the list fields to the collections they read.
var listOf = map[string]string{"votes": "votes", "proposals": "proposals", "spaces": "spaces"}

// oneOf maps the single-object fields to their collections.
var oneOf = map[string]string{"vote": "votes", "proposal": "proposals", "space": "spaces"}
