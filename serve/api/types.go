package api

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Response headers of data responses. Each response that carries data of a
// version (rows, proofs, streams, files) names the version it came from, so
// that a caller can record which attested data it read (a decision receipt).
const (
	// HeaderDataset is the dataset name.
	HeaderDataset = "Groundtruth-Dataset"
	// HeaderVersion is the version number.
	HeaderVersion = "Groundtruth-Version"
	// HeaderRoot is the version's Merkle root.
	HeaderRoot = "Groundtruth-Root"
	// HeaderManifestHash is the SHA-256 of the version's canonical manifest.
	HeaderManifestHash = "Groundtruth-Manifest-Hash"
	// HeaderRows is the version's row count (the tree size).
	HeaderRows = "Groundtruth-Rows"
	// HeaderAttestation is the attestation id (Attestation.ID).
	HeaderAttestation = "Groundtruth-Attestation"
)

// Trailers of selection streams (data with columns=, rows=, format=jsonl or
// csv): sent after the last byte of a complete body only, so a body without
// them (or with a connection error before them) is not complete.
const (
	// TrailerRows is the number of rows in the body.
	TrailerRows = "Groundtruth-Body-Rows"
	// TrailerSHA256 is the SHA-256 of the body's bytes, 0x and 64 hex digits.
	TrailerSHA256 = "Groundtruth-Body-Sha256"
)

// Media types the data endpoint produces.
const (
	// MediaArrow is the Arrow IPC stream format.
	MediaArrow = "application/vnd.apache.arrow.stream"
	// MediaJSONL is one JSON object per line.
	MediaJSONL = "application/jsonl"
	// MediaCSV is RFC 4180 CSV with a header line.
	MediaCSV = "text/csv"
)

// Error is the one error envelope of the API.
type Error struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// ErrorType is a stable machine-readable class, e.g. "not_attested".
	ErrorType string `json:"errorType"`
	// Error is a human-readable sentence.
	Error string `json:"error"`
}

// Attestation summarises how a version was attested.
type Attestation struct {
	// ID identifies the attestation: backend:chainId:contract:ref, where ref
	// is the anchoring transaction (registry, eas) or the first UID (offchain).
	ID string `json:"id"`
	// Backend is registry, eas or offchain.
	Backend string `json:"backend"`
	// ChainID is the chain.
	ChainID uint64 `json:"chainId"`
	// Contract is the registry or EAS contract.
	Contract string `json:"contract"`
	// TxHashes are the anchoring transactions.
	TxHashes []string `json:"txHashes"`
	// UIDs are the EAS attestation UIDs (eas, offchain).
	UIDs []string `json:"uids"`
	// Signers are the stewards whose signatures were submitted.
	Signers []string `json:"signers"`
}

// Version describes one attested version.
type Version struct {
	Dataset      string        `json:"dataset"`
	Version      uint64        `json:"version"`
	Rows         uint64        `json:"rows"`
	MerkleRoot   datasets.Hash `json:"merkleRoot"`
	ManifestHash datasets.Hash `json:"manifestHash"`
	AppendOnly   bool          `json:"appendOnly"`
	CreatedAt    string        `json:"createdAt"`
	// Status is attested for every version the API lists.
	Status      string      `json:"status"`
	Attestation Attestation `json:"attestation"`
	// Manifest is the canonical manifest, only in the version document.
	Manifest json.RawMessage `json:"manifest,omitempty"`
}

// Dataset describes a dataset and its attested versions.
type Dataset struct {
	Name string `json:"name"`
	// Latest is the latest attested, non-revoked version.
	Latest uint64 `json:"latest"`
	// Schema is the latest version's schema (in the dataset document).
	Schema *datasets.Schema `json:"schema,omitempty"`
	// Versions are the attested versions, oldest first.
	Versions []Version `json:"versions"`
}

// DatasetList is the answer of GET /v1/datasets.
type DatasetList struct {
	Datasets []Dataset `json:"datasets"`
}

// InclusionProof is an RFC 6962 inclusion proof (docs/SPEC.md §5).
type InclusionProof struct {
	Index uint64          `json:"index"`
	Size  uint64          `json:"size"`
	Leaf  datasets.Hash   `json:"leaf"`
	Path  []datasets.Hash `json:"path"`
	Root  datasets.Hash   `json:"root"`
}

// ConsistencyProof is an RFC 6962 consistency proof (docs/SPEC.md §5)
// between two versions of a dataset.
type ConsistencyProof struct {
	Dataset string          `json:"dataset"`
	From    uint64          `json:"from"`
	To      uint64          `json:"to"`
	Size1   uint64          `json:"size1"`
	Size2   uint64          `json:"size2"`
	Root1   datasets.Hash   `json:"root1"`
	Root2   datasets.Hash   `json:"root2"`
	Path    []datasets.Hash `json:"path"`
}

// Row is one row of a version with its inclusion proof.
type Row struct {
	Dataset      string         `json:"dataset"`
	Version      uint64         `json:"version"`
	Index        uint64         `json:"index"`
	Values       Values         `json:"values"`
	Proof        InclusionProof `json:"proof"`
	ManifestHash datasets.Hash  `json:"manifestHash"`
	Attestation  Attestation    `json:"attestation"`
}

// Field is one named value of a row.
type Field struct {
	Name  string
	Value any
}

// Values are a row's values in schema order; they marshal as one JSON
// object whose keys keep that order.
type Values []Field

// MarshalJSON implements json.Marshaler: the same bytes as encoding/json
// gives for an object of these keys and values, in order (appendValuesJSON).
func (v Values) MarshalJSON() ([]byte, error) { return appendValuesJSON(make([]byte, 0, 64*len(v)), v) }

// UnmarshalJSON implements json.Unmarshaler; keys keep the document's order
// and duplicate keys are refused.
func (v *Values) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("row values: want a JSON object")
	}
	out := Values{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if seen[name] {
			return fmt.Errorf("row values: duplicate column %q", name)
		}
		seen[name] = true
		var val any
		if err := dec.Decode(&val); err != nil {
			return err
		}
		out = append(out, Field{Name: name, Value: val})
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*v = out
	return nil
}

// Get returns the value of the named column.
func (v Values) Get(name string) (any, bool) {
	for _, f := range v {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// QueryResult is the answer of a read-only SQL query (MCP query tool).
type QueryResult struct {
	// Versions are the versions the query could read, as dataset@N with
	// their roots.
	Versions []VersionRef `json:"versions"`
	Columns  []string     `json:"columns"`
	// ColumnTypes are the result columns' DuckDB types (BIGINT, DOUBLE,
	// TIMESTAMP WITH TIME ZONE, VARCHAR, …), in the order of Columns.
	ColumnTypes []string `json:"columnTypes,omitempty"`
	Rows        [][]any  `json:"rows"`
	Truncated   bool     `json:"truncated"`
}

// VersionRef names a version and its root.
type VersionRef struct {
	Dataset    string        `json:"dataset"`
	Version    uint64        `json:"version"`
	MerkleRoot datasets.Hash `json:"merkleRoot"`
}
