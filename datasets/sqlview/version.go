package sqlview

import (
	"fmt"
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
	latest   map[string]int    // dataset → index of its "D" version
	missing  map[string]string // dataset → why it has no "D" view
}

// newPlan validates and sorts versions and picks each dataset's latest
// attested, non-revoked version (with anyStatus, its latest non-revoked
// version of any status).
func newPlan(in []Version, dir string, anyStatus bool) (*plan, error) {
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
		if v.Status == StatusAttested || (anyStatus && v.Status != StatusRevoked) {
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
