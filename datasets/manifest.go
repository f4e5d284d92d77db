package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"time"
	"unicode/utf8"
)

// FormatVersion is the manifest format this package writes.
const FormatVersion = 1

// SegmentRef names one segment file of a version.
type SegmentRef struct {
	// Path is relative to the store root: segments/ab/<sha256>.arrow.
	Path   string `json:"path"`
	SHA256 Hash   `json:"sha256"`
	Rows   uint64 `json:"rows"`
	Bytes  uint64 `json:"bytes"`
}

// ParentRef points at the version a version was derived from.
type ParentRef struct {
	Version    uint64 `json:"version"`
	MerkleRoot Hash   `json:"merkleRoot"`
	RowCount   uint64 `json:"rowCount"`
}

// BlockRange is the chain range a version's rows were read from.
type BlockRange struct {
	From     uint64 `json:"from"`
	To       uint64 `json:"to"`
	FromHash Hash   `json:"fromHash"`
	ToHash   Hash   `json:"toHash"`
}

// Provenance records where a version's new rows came from.
type Provenance struct {
	// Sources are the ids of the sources that produced rows.
	Sources []string `json:"sources"`
	// Inputs are the SHA-256 digests of the input files or raw responses.
	Inputs []Hash `json:"inputs"`
	// BlockRange is set for chain sources.
	BlockRange *BlockRange `json:"blockRange"`
}

// PipelineInfo identifies the software and configuration that sealed a version.
type PipelineInfo struct {
	Version    string `json:"version"`
	ConfigHash Hash   `json:"configHash"`
}

// Manifest describes one immutable version; its canonical JSON is hashed
// into the manifest hash that attestations sign.
type Manifest struct {
	FormatVersion int          `json:"formatVersion"`
	Dataset       string       `json:"dataset"`
	Version       uint64       `json:"version"`
	Schema        Schema       `json:"schema"`
	Segments      []SegmentRef `json:"segments"`
	RowCount      uint64       `json:"rowCount"`
	MerkleRoot    Hash         `json:"merkleRoot"`
	Parent        *ParentRef   `json:"parent"`
	AppendOnly    bool         `json:"appendOnly"`
	ReportHash    *Hash        `json:"reportHash"`
	Provenance    Provenance   `json:"provenance"`
	Pipeline      PipelineInfo `json:"pipeline"`
	CreatedAt     string       `json:"createdAt"`
}

var datasetNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidateDatasetName checks a dataset name: lowercase letters, digits and _,
// starting with a letter, at most 63 characters (it becomes a SQL view name).
func ValidateDatasetName(name string) error {
	if !datasetNameRE.MatchString(name) {
		return fmt.Errorf("%w: dataset name %q: want lowercase letters, digits and _, starting with a letter, at most 63", ErrSchema, name)
	}
	return nil
}

// FormatTime renders a creation time as the manifest stores it.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// CanonicalJSON encodes v as canonical JSON (docs/SPEC.md): object keys sorted
// bytewise, no insignificant whitespace, no HTML escaping, integers only.
func CanonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return bytes.TrimRight(out.Bytes(), "\n"), nil
}

// Canonical returns the manifest's canonical JSON bytes.
func (m *Manifest) Canonical() ([]byte, error) { return CanonicalJSON(m) }

// Hash returns the SHA-256 of the canonical JSON: the manifest hash.
func (m *Manifest) Hash() (Hash, error) {
	b, err := m.Canonical()
	if err != nil {
		return Hash{}, err
	}
	return Hash(sha256.Sum256(b)), nil
}

// ParseManifest decodes a manifest strictly and checks its internal consistency.
func ParseManifest(b []byte) (*Manifest, error) {
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: not valid UTF-8", ErrManifest)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Check verifies the fields that can be checked without the segment files.
func (m *Manifest) Check() error {
	if m.FormatVersion != FormatVersion {
		return fmt.Errorf("%w: formatVersion %d is not supported (want %d)", ErrManifest, m.FormatVersion, FormatVersion)
	}
	if err := ValidateDatasetName(m.Dataset); err != nil {
		return fmt.Errorf("%w: dataset: %v", ErrManifest, err)
	}
	if m.Version == 0 {
		return fmt.Errorf("%w: version must be at least 1", ErrManifest)
	}
	if err := m.Schema.Validate(); err != nil {
		return fmt.Errorf("%w: schema: %v", ErrManifest, err)
	}
	var rows uint64
	for i, s := range m.Segments {
		if s.Path != SegmentPath(s.SHA256) {
			return fmt.Errorf("%w: segments[%d].path %q does not match its sha256 (want %q)", ErrManifest, i, s.Path, SegmentPath(s.SHA256))
		}
		rows += s.Rows
	}
	if rows != m.RowCount {
		return fmt.Errorf("%w: rowCount %d but the segments hold %d rows", ErrManifest, m.RowCount, rows)
	}
	if m.Parent != nil && m.Parent.Version >= m.Version {
		return fmt.Errorf("%w: parent version %d is not older than version %d", ErrManifest, m.Parent.Version, m.Version)
	}
	if m.AppendOnly && m.Parent != nil && m.Parent.RowCount > m.RowCount {
		return fmt.Errorf("%w: appendOnly but rowCount %d is below the parent's %d", ErrManifest, m.RowCount, m.Parent.RowCount)
	}
	if _, err := time.Parse(time.RFC3339, m.CreatedAt); err != nil {
		return fmt.Errorf("%w: createdAt %q: %v", ErrManifest, m.CreatedAt, err)
	}
	return nil
}

// SegmentPath is the store-relative path of the segment with the given hash.
func SegmentPath(h Hash) string { return "segments/" + h.Hex()[:2] + "/" + h.Hex() + ".arrow" }

// LeavesPath is the store-relative path of a segment's leaf-hash index.
func LeavesPath(h Hash) string { return "segments/" + h.Hex()[:2] + "/" + h.Hex() + ".leaves" }

// ManifestPath is the store-relative path of a manifest with the given hash.
func ManifestPath(h Hash) string { return "manifests/" + h.Hex()[:2] + "/" + h.Hex() + ".json" }

// DiffManifestJSON names the top-level fields (and segments[i] entries) that
// differ between two manifest JSON documents; unparsable input is "document".
func DiffManifestJSON(a, b []byte) []string {
	var ma, mb map[string]json.RawMessage
	if json.Unmarshal(a, &ma) != nil || json.Unmarshal(b, &mb) != nil {
		return []string{"document"}
	}
	var out []string
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		ca, _ := CanonicalJSON(ma[k])
		cb, _ := CanonicalJSON(mb[k])
		if bytes.Equal(ca, cb) {
			continue
		}
		if k == "segments" {
			out = append(out, diffSegments(ma[k], mb[k])...)
			continue
		}
		out = append(out, k)
	}
	return out
}

func diffSegments(a, b json.RawMessage) []string {
	var sa, sb []json.RawMessage
	if json.Unmarshal(a, &sa) != nil || json.Unmarshal(b, &sb) != nil || len(sa) != len(sb) {
		return []string{"segments"}
	}
	var out []string
	for i := range sa {
		ca, _ := CanonicalJSON(sa[i])
		cb, _ := CanonicalJSON(sb[i])
		if !bytes.Equal(ca, cb) {
			out = append(out, fmt.Sprintf("segments[%d]", i))
		}
	}
	return out
}
