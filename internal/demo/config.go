package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"
)

// configTemplate is the demo's groundtruth.yaml: seven jobs (the token's
// events, the governor's proposals, states and votes, three price feeds)
// validated and attested 2-of-3 on the registry by the pipeline's key and
// one co-signing steward. Jobs run in this order under `run --once` (one
// at a time): the checks of the votes read the token's events and the
// proposals, and the poisoned feed is compared with the other two.
const configTemplate = `# groundtruth demo configuration, written by ` + "`groundtruth demo`" + `.
# The chain (go-ethereum's simulated backend) and the price feeds live in the
# demo's process: this file works while the demo runs.
#
# The gaming checks' block windows are scaled to the demo chain, which packs a
# DAO's weeks into a few hundred blocks (docs/validators.md lists the mainnet
# defaults: 7,200 blocks for just-in-time power, 50,400 for fresh wallets).
version: 1
data_dir: .

daemon:
  job_defaults: {timeout: 60s, retries: 0}

attestation:
  backend: registry
  rpc_url: {{.RPC}}
  chain_id: {{.ChainID}}
  registry: "{{.Registry}}"
  keystore: keys
  auto_sign: {keystore: keys/pipeline.json, password_file: keys/password}
  submitter: {keystore: keys/pipeline.json, password_file: keys/password}
  cosign:
    - {keystore: keys/steward-1.json, password_file: keys/password}

# The data API: every attested version, without a token, on 127.0.0.1 only;
# the steward console at /console for the demo's steward token.
serve:
  listen: {{.APIListen}}
  anonymous: {datasets: ["*"]}
  console: true
  tokens:
    - {name: demo-steward, sha256: "{{.ConsoleTokenSHA256}}", datasets: ["*"], scopes: [steward]}

jobs:
  - name: token-events
    dataset: erc20_events
    schedule: "@every 1m"
    source:
      kind: erc20
      rpc: {url: {{.RPC}}, retries: 1, timeout: 10s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Token}}"]
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates

  - name: governor-proposals
    dataset: governor_proposals
    schedule: "@every 1m"
    source:
      kind: governor
      rpc: {url: {{.RPC}}, retries: 1, timeout: 10s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: proposals
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates
        - kind: gaming.calldata
        - kind: gaming.text
          columns: [description]
          known_columns: [targets, proposer]

  - name: governor-states
    dataset: governor_states
    schedule: "@every 1m"
    source:
      kind: governor
      rpc: {url: {{.RPC}}, retries: 1, timeout: 10s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: states
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates

  - name: governor-votes
    dataset: governor_votes
    schedule: "@every 1m"
    source:
      kind: governor
      rpc: {url: {{.RPC}}, retries: 1, timeout: 10s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: votes
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates
          keys: [[proposal_id, voter]]
        - kind: gaming.jit_power
          before: 40
          after: 40
        - kind: gaming.delegation_spike
          window: 10
          lookback: 60
          baseline: 400
          min_delegators: 15
        - kind: gaming.sybil_cluster
          fresh: 80
          funding_burst: 10
          vote_window: 2m
          min_cluster: 10
        - kind: gaming.text
          columns: [reason]
{{range $i, $f := .Feeds}}
  - name: comp-usd-{{$f.Name}}
    dataset: {{$f.Dataset}}
    schedule: "@every 1h"
    source:
      kind: http_prices
      preset: {{$f.Preset}}
      url: {{$f.URL}}
      start: {{$.Start}}
      window: 720h
      http: {rate_limit: 0, attempts: 2, backoff_min: 50ms, backoff_max: 200ms}
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates
        - kind: poisoning.series
          value: price
          time: ts
          peers: [{{peers $.Feeds $i}}]
        - kind: poisoning.cross_source
          value: price
          time: ts
          peers: [{{peers $.Feeds $i}}]
          band: 0.02
          bias: 0.0075
        - kind: gaps.freshness
          time: ts
          heartbeat: 90m
          value: price
          max_flat: 3h
        - kind: gaps.time_buckets
          time: ts
          interval: 1h
          min_missing: 2
{{end}}`

// configData fills configTemplate.
type configData struct {
	RPC                       string
	ChainID                   uint64
	Registry, Token, Governor string
	Feeds                     []*Feed
	Start                     string
	APIListen                 string
	// ConsoleTokenSHA256 is the SHA-256 of the steward console's token.
	ConsoleTokenSHA256 string
}

// peers lists the datasets of the other feeds as YAML flow mappings.
func peers(feeds []*Feed, self int) string {
	var out []string
	for i, f := range feeds {
		if i != self {
			out = append(out, fmt.Sprintf("{dataset: %s}", f.Dataset))
		}
	}
	return strings.Join(out, ", ")
}

// writeConfig renders the configuration into dir/groundtruth.yaml.
func writeConfig(dir string, d configData) (string, error) {
	t, err := template.New("groundtruth.yaml").Funcs(template.FuncMap{"peers": peers}).Parse(configTemplate)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "groundtruth.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return "", fmt.Errorf("write the demo configuration: %w", err)
	}
	return path, nil
}

// rfc3339 renders a time for the configuration.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
