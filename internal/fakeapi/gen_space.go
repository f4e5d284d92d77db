package fakeapi

import (
	"encoding/json"
	"fmt"
)

// genSpace builds space i of a generated hub in the shape of the hub's
// formatSpace: settings with their defaults filled in, strategies whose
// network defaults to the space's, voting values that are null when the
// space leaves them unset, counts that are absent for some spaces (the hub
// then answers null) and flags that are null when unknown. Values depend
// only on i, so a larger Spaces count only adds spaces.
func genSpace(o GenOptions, i int, created int64) Item {
	id, name, symbol, network := o.Space, "Groundtruth test space", "GT", "1"
	if i > 0 {
		id, name, symbol = GenSpaceID(i), fmt.Sprintf("Test space %d", i), fmt.Sprintf("T%d", i)
		network = []string{"1", "137", "10", "42161"}[i%4]
	}
	// Keys in the order the hub's JSON settings keep them (not sorted).
	strategies := fmt.Sprintf(`[{"name":"erc20-votes","network":%q,"params":{"symbol":%q,"address":"0xc00e94Cb662C3520282E6f5717214004A7f26888","decimals":18}}`, network, symbol)
	if i%3 == 1 {
		strategies += fmt.Sprintf(`,{"name":"delegation","network":"1","params":{"symbol":"%s (delegated)","strategies":[{"name":"erc20-balance-of","params":{"decimals":18,"address":"0x9c8fF314C9Bc7F6e59A9d9225Fb22946427eDC03"}}]}}`, symbol)
	}
	strategies += "]"
	addrs := func(base, n int) []string {
		out := make([]string, n)
		for k := range out {
			out[k] = genAddress(base + i*100 + k)
		}
		return out
	}
	members := addrs(3_000_000, i%3)
	if i%10 == 9 {
		members = addrs(3_000_000, 60) // a council-sized list
	}
	plugins := json.RawMessage(`{}`)
	switch i % 4 {
	case 2:
		plugins = json.RawMessage(`{"safeSnap":{"safes":[{"network":"1","realityAddress":"0x4e1D4DD6E7bA7E9a3A6b2b1EdF3cE5f6A7b8C9d0"}]}}`)
	case 3:
		plugins = json.RawMessage(`{"quorum":{"total":1000,"strategy":"static"}}`)
	}
	null := json.RawMessage("null")
	or := func(cond bool, v any) json.RawMessage {
		if cond {
			return null
		}
		return raw(v)
	}
	privacy, quorumType := "", "default"
	if i%7 == 3 {
		privacy = "shutter"
	}
	if i%6 == 5 {
		quorumType = "rejection"
	}
	voting := fmt.Sprintf(`{"delay":%s,"period":%s,"type":%s,"quorum":%s,"quorumType":%q,"blind":false,"privacy":%q,"aliased":%t,"hideAbstain":false}`,
		or(i%3 == 0, 3600*(i%3)), or(i%4 == 0, 86400*(3+i%5)), or(i%2 == 0, voteTypes[i%len(voteTypes)]),
		or(i%5 == 0, 1000.5*float64(i%5)), quorumType, privacy, i%2 == 1)
	about := ""
	if i%2 == 1 {
		about = fmt.Sprintf("Space <b>%d</b> & friends — «about» ✓\n\nA second paragraph.", i)
	}
	validation := `{"name":"any","params":{}}`
	if i%3 == 2 {
		validation = `{"name":"basic","params":{"minScore":100.5,"strategies":[]}}`
	}
	it := Item{
		"id": raw(id), "name": raw(name), "private": raw(false), "about": raw(about),
		"avatar": raw("ipfs://bafkreia" + GenID("avatar", i)[2:40]), "terms": raw(""), "location": raw(""),
		"website": raw(""), "twitter": raw(""), "github": raw(""), "email": raw(""), "coingecko": raw(""),
		"network": raw(network), "symbol": raw(symbol), "skin": raw(""), "domain": raw(""),
		"strategies": json.RawMessage(strategies), "admins": raw(addrs(1_000_000, 1+i%3)),
		"moderators": raw(addrs(2_000_000, i%3)), "members": raw(members),
		"filters": json.RawMessage(fmt.Sprintf(`{"minScore":%s,"onlyMembers":%t}`, raw(float64(i%4)*0.5), i%5 == 4)),
		"plugins": plugins, "voting": json.RawMessage(voting), "categories": raw([]string{"protocol"}),
		"validation": json.RawMessage(validation), "voteValidation": json.RawMessage(`{"name":"any","params":{}}`),
		"treasuries": raw([]string{}), "parent": null, "children": raw([]string{}), "created": raw(created),
		"verified": raw(i%5 == 0), "flagged": raw(i%13 == 12), "hibernated": raw(i%6 == 4), "turbo": raw(false),
	}
	if i%11 == 10 {
		it["verified"], it["flagged"], it["hibernated"], it["turbo"] = null, null, null, null
	}
	if i%9 != 8 { // the hub has no counts for some spaces
		it["followersCount"], it["proposalsCount"], it["votesCount"] = raw(7*i+1), raw(3*i), raw(40*i)
	}
	return it
}
