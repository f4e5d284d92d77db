package sqlview

import (
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Status is a version's attestation state, as the catalog records it.
type Status string

// The statuses a version can have.
const (
	StatusSealed   Status = "sealed"
	StatusPending  Status = "pending"
	StatusAttested Status = "attested"
	StatusRevoked  Status = "revoked"
)

// VersionsView is the name of the view listing every version.
const VersionsView = "versions"

// Segment is one segment of a version, in the version's order.
type Segment struct {
	// SHA256 is the segment file's hash (its Parquet copy is named by it).
	SHA256 datasets.Hash
	// FirstRow is the version's row index of the segment's first row.
	FirstRow uint64
	// Rows is the number of rows in the segment.
	Rows uint64
	// Parquet is the absolute path of the segment's Parquet copy.
	Parquet string
}

// Version is one version of a dataset as the engine serves it.
type Version struct {
	Dataset      string
	Version      uint64
	Status       Status
	Schema       datasets.Schema
	Rows         uint64
	Root         datasets.Hash
	ManifestHash datasets.Hash
	Segments     []Segment
}

// Name is the version's view name, "D@N".
func (v *Version) Name() string { return fmt.Sprintf("%s@%d", v.Dataset, v.Version) }

// check validates a version: names, status, schema, the segments' order
// and counts, and (when dir is not empty) that every copy lies in dir.
func (v *Version) check(dir string) error {
	if err := datasets.ValidateDatasetName(v.Dataset); err != nil {
		return fmt.Errorf("%w: %v", ErrInput, err)
	}
	switch v.Status {
	case StatusSealed, StatusPending, StatusAttested, StatusRevoked:
	default:
		return fmt.Errorf("%w: %s: status %q (want sealed, pending, attested or revoked)", ErrInput, v.Name(), v.Status)
	}
	if err := v.Schema.Validate(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInput, v.Name(), err)
	}
	var next uint64
	for i, s := range v.Segments {
		if s.FirstRow != next {
			return fmt.Errorf("%w: %s: segment %d starts at row %d, want %d", ErrInput, v.Name(), i, s.FirstRow, next)
		}
		next += s.Rows
		if !filepath.IsAbs(s.Parquet) {
			return fmt.Errorf("%w: %s: segment %d: Parquet path %q is not absolute", ErrInput, v.Name(), i, s.Parquet)
		}
		if dir != "" && !strings.HasPrefix(filepath.Clean(s.Parquet), dir+string(filepath.Separator)) {
			return fmt.Errorf("%w: %s: segment %d: Parquet path %q is outside %s", ErrInput, v.Name(), i, s.Parquet, dir)
		}
	}
	if next != v.Rows {
		return fmt.Errorf("%w: %s: segments hold %d rows, the version %d", ErrInput, v.Name(), next, v.Rows)
	}
	return nil
}

// plan is what an engine serves for a list of versions.
type plan struct {
	versions []Version         // sorted by dataset, version
	layouts  []*layout         // of versions[i]
	latest   map[string]int    // dataset → index of its "D" version
	missing  map[string]string // dataset → why it has no "D" view
}

// newPlan validates and sorts versions and picks each dataset's latest
// attested, non-revoked version.
func newPlan(in []Version, dir string, info func(string) (CopyInfo, error)) (*plan, error) {
	p := &plan{versions: append([]Version(nil), in...), latest: map[string]int{}, missing: map[string]string{}}
	sort.Slice(p.versions, func(i, j int) bool {
		a, b := p.versions[i], p.versions[j]
		return a.Dataset < b.Dataset || (a.Dataset == b.Dataset && a.Version < b.Version)
	})
	for i := range p.versions {
		v := &p.versions[i]
		if err := v.check(dir); err != nil {
			return nil, err
		}
		if i > 0 && p.versions[i-1].Dataset == v.Dataset && p.versions[i-1].Version == v.Version {
			return nil, fmt.Errorf("%w: %s is listed twice", ErrInput, v.Name())
		}
		l, err := loadLayout(v, info)
		if err != nil {
			return nil, err
		}
		p.layouts = append(p.layouts, l)
		if v.Status == StatusAttested {
			p.latest[v.Dataset] = i
		}
	}
	for i := range p.versions {
		v := &p.versions[i]
		if _, ok := p.latest[v.Dataset]; !ok {
			p.missing[v.Dataset] = whyMissing(p.versions, v.Dataset)
		}
	}
	return p, nil
}

// whyMissing says why a dataset has no attested, non-revoked version.
func whyMissing(vs []Version, dataset string) string {
	var revoked, other []string
	for _, v := range vs {
		if v.Dataset != dataset {
			continue
		}
		if v.Status == StatusRevoked {
			revoked = append(revoked, v.Name())
		} else {
			other = append(other, fmt.Sprintf("%s (%s)", v.Name(), v.Status))
		}
	}
	var parts []string
	if len(other) > 0 {
		parts = append(parts, "not attested yet: "+strings.Join(other, ", "))
	}
	if len(revoked) > 0 {
		parts = append(parts, "revoked: "+strings.Join(revoked, ", "))
	}
	return fmt.Sprintf("dataset %s has no attested, non-revoked version (%s); query a version by name, e.g. \"%s\"",
		dataset, strings.Join(parts, "; "), vs[lastOf(vs, dataset)].Name())
}

func lastOf(vs []Version, dataset string) int {
	last := -1
	for i, v := range vs {
		if v.Dataset == dataset {
			last = i
		}
	}
	return last
}

// layout is how a version's view reads its segments' Parquet copies.
type layout struct {
	// segText[i] are the uint256/int256 columns of segment i with values
	// beyond DECIMAL(38,0) (in its "#text" column).
	segText []map[string]bool
	// bignum are the uint256/int256 columns whose view type is BIGNUM:
	// some segment of the version holds a value beyond DECIMAL(38,0), or
	// the version's rows × its largest |value| could exceed a signed
	// 128-bit sum (DuckDB 1.5 wraps a HUGEINT sum silently when it
	// combines partial sums, so DECIMAL(38,0) is used only where no sum can
	// overflow). The others are DECIMAL(38,0). A version's segments never
	// change, nor its types.
	bignum map[string]bool
}

// maxSum128 is the largest signed 128-bit integer, 2^127−1.
var maxSum128 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))

// loadLayout reads what the footers of v's copies say (info, ReadCopyInfo
// or a cache of it) and checks each copy holds its segment's rows.
func loadLayout(v *Version, info func(string) (CopyInfo, error)) (*layout, error) {
	l := &layout{bignum: map[string]bool{}}
	maxAbs := map[string]*big.Int{}
	for i, s := range v.Segments {
		ci, err := info(s.Parquet)
		if err != nil {
			return nil, fmt.Errorf("%s: segment %d (%s): %w; `groundtruth catalog check --repair` recreates the copies from the segments", v.Name(), i, s.SHA256.Hex(), err)
		}
		if ci.Rows != s.Rows {
			return nil, fmt.Errorf("%w: %w: %s: segment %d: the copy %s holds %d rows, the segment %d (tampered or damaged); `groundtruth catalog check --repair` recreates it", ErrCopyMismatch, datasets.ErrIntegrity, v.Name(), i, s.Parquet, ci.Rows, s.Rows)
		}
		text := map[string]bool{}
		for _, c := range ci.TextColumns {
			text[c] = true
			l.bignum[c] = true
		}
		for c, m := range ci.MaxAbs {
			if cur, ok := maxAbs[c]; !ok || m.Cmp(cur) > 0 {
				maxAbs[c] = m
			}
		}
		l.segText = append(l.segText, text)
	}
	rows := new(big.Int).SetUint64(v.Rows)
	for c, m := range maxAbs {
		if new(big.Int).Mul(m, rows).Cmp(maxSum128) > 0 {
			l.bignum[c] = true
		}
	}
	return l, nil
}
