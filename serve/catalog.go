package serve

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Catalog is what the server reads from the data directory; *store.Store
// implements it. PutRevocation is the only write: the watcher records the
// revocations it sees on-chain.
type Catalog interface {
	Root() string
	Datasets(ctx context.Context) ([]store.DatasetInfo, error)
	Versions(ctx context.Context, dataset string) ([]store.VersionInfo, error)
	Version(ctx context.Context, dataset string, version uint64) (*store.VersionRecord, error)
	Attestations(ctx context.Context, dataset string, version uint64, backend string) ([][]byte, error)
	Revocations(ctx context.Context, dataset string, version uint64) ([]store.RevocationRecord, error)
	PutRevocation(ctx context.Context, dataset string, version uint64, r store.RevocationRecord) error
}

// versionState is the server's view of one version: its manifest, its
// attestation, whether it may be served, and the lazily built indexes
// (proof tree, stream layout, row blocks).
type versionState struct {
	dataset      string
	version      uint64
	manifest     *datasets.Manifest
	starts       []uint64 // each segment's first row, then the row count (segmentStarts)
	manifestJSON []byte
	manifestHash datasets.Hash
	statement    attest.Statement
	evidence     []byte
	att          api.Attestation

	mu      sync.Mutex
	status  string // catalog status
	reason  string // revocation reason, when known
	chain   error  // set when the chain does not confirm the attestation
	checked bool   // the watcher compared it with the chain
	gated   bool   // not served before the watcher checked it
	refusal atomic.Pointer[error]
	corrupt atomic.Pointer[corruption]

	idx indexes
}

// corruption is why a version is not served although attested: one of its
// segment files is not the attested one.
type corruption struct {
	seg datasets.Hash
	err error
}

// setCorrupt marks v corrupt because of segment seg, or, with a nil err,
// lifts that mark when seg was its cause.
func (v *versionState) setCorrupt(seg datasets.Hash, err error) {
	if err != nil {
		v.corrupt.Store(&corruption{seg: seg, err: fmt.Errorf("%s is not served: %w", v.ref(), err)})
		return
	}
	if c := v.corrupt.Load(); c != nil && c.seg == seg {
		v.corrupt.CompareAndSwap(c, nil)
	}
}

// corruptErr returns the refusal of a corrupt version, else nil.
func (v *versionState) corruptErr() error {
	if c := v.corrupt.Load(); c != nil {
		return c.err
	}
	return nil
}

// holds reports whether segment seg is one of v's.
func (v *versionState) holds(seg datasets.Hash) bool {
	for _, s := range v.manifest.Segments {
		if s.SHA256 == seg {
			return true
		}
	}
	return false
}

// servable returns nil when the version may be served, else the refusal.
func (v *versionState) servable() error {
	if p := v.refusal.Load(); p != nil {
		return *p
	}
	return nil
}

// ref returns dataset@version.
func (v *versionState) ref() string { return fmt.Sprintf("%s@%d", v.dataset, v.version) }

// update recomputes the refusal from the status, revocation and chain check.
func (v *versionState) update() {
	var err error
	switch {
	case v.status == attest.StatusRevoked:
		err = fmt.Errorf("%w: %s was revoked%s; it is no longer served", ErrRevoked, v.ref(), v.reason)
	case v.status == attest.StatusPending:
		err = fmt.Errorf("%w: %s is pending: fewer than k stewards have signed it, so it is not served", ErrPending, v.ref())
	case v.status != attest.StatusAttested:
		err = fmt.Errorf("%w: %s is %s, not attested: only versions attested by k stewards are served", ErrNotAttested, v.ref(), v.status)
	case v.evidence == nil:
		err = fmt.Errorf("%w: %s is marked attested but the catalog holds no attestation evidence for it", ErrNotAttested, v.ref())
	case v.chain != nil:
		err = fmt.Errorf("%w: %s: %v", ErrUnconfirmed, v.ref(), v.chain)
	case v.gated && !v.checked:
		err = fmt.Errorf("%w: %s has not been checked against the chain yet; retry in a moment", ErrUnconfirmed, v.ref())
	}
	if err == nil {
		v.refusal.Store(nil)
		return
	}
	v.refusal.Store(&err)
}

// setRevoked marks the version revoked (by the watcher or the catalog).
func (v *versionState) setRevoked(reason string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.status = attest.StatusRevoked
	if reason != "" {
		v.reason = ": " + reason
	}
	v.update()
}

// setChain records the outcome of the watcher's chain check.
func (v *versionState) setChain(err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.chain, v.checked = err, true
	v.update()
}

// datasetState holds the versions of one dataset, oldest first.
type datasetState struct {
	name     string
	versions []*versionState
}

// latest returns the latest servable version.
func (d *datasetState) latest() *versionState {
	for i := len(d.versions) - 1; i >= 0; i-- {
		if d.versions[i].servable() == nil {
			return d.versions[i]
		}
	}
	return nil
}

// find returns version n.
func (d *datasetState) find(n uint64) *versionState {
	i := sort.Search(len(d.versions), func(i int) bool { return d.versions[i].version >= n })
	if i < len(d.versions) && d.versions[i].version == n {
		return d.versions[i]
	}
	return nil
}

// snapshot is the catalog as last read; it is replaced, never changed.
type snapshot struct {
	datasets map[string]*datasetState
	names    []string
}

func (s *snapshot) all() []*versionState {
	var out []*versionState
	for _, n := range s.names {
		out = append(out, s.datasets[n].versions...)
	}
	return out
}

// refresh reads the catalog and returns the new snapshot, reusing the
// states (and their indexes) of versions whose manifest did not change.
func refresh(ctx context.Context, cat Catalog, prev *snapshot, gated bool) (*snapshot, error) {
	infos, err := cat.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	next := &snapshot{datasets: map[string]*datasetState{}}
	for _, info := range infos {
		vis, err := cat.Versions(ctx, info.Name)
		if err != nil {
			return nil, err
		}
		ds := &datasetState{name: info.Name}
		var old *datasetState
		if prev != nil {
			old = prev.datasets[info.Name]
		}
		for _, vi := range vis {
			var st *versionState
			if old != nil {
				st = old.find(vi.Version)
			}
			if st == nil || st.manifestHash != vi.ManifestHash {
				if st, err = loadVersion(ctx, cat, vi, gated); err != nil {
					return nil, err
				}
			}
			if err := st.applyStatus(ctx, cat, vi.Status); err != nil {
				return nil, err
			}
			ds.versions = append(ds.versions, st)
		}
		next.datasets[info.Name] = ds
		next.names = append(next.names, info.Name)
	}
	sort.Strings(next.names)
	return next, nil
}

func loadVersion(ctx context.Context, cat Catalog, vi store.VersionInfo, gated bool) (*versionState, error) {
	rec, err := cat.Version(ctx, vi.Dataset, vi.Version)
	if err != nil {
		return nil, err
	}
	st := &versionState{dataset: vi.Dataset, version: vi.Version, manifest: rec.Manifest, starts: segmentStarts(rec.Manifest), manifestJSON: rec.ManifestJSON,
		manifestHash: rec.ManifestHash, statement: attest.StatementOf(rec.Manifest, rec.ManifestHash), status: "unknown", gated: gated}
	st.update()
	return st, nil
}

// applyStatus brings the state in line with the catalog's status, loading
// the evidence of an attested version and the reason of a revoked one.
func (v *versionState) applyStatus(ctx context.Context, cat Catalog, status string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	same := v.status == status && !(status == attest.StatusAttested && v.evidence == nil)
	if same || (v.status == attest.StatusRevoked && status != attest.StatusRevoked) {
		return nil // a revocation the watcher saw stays, whatever the catalog says
	}
	v.status = status
	if status == attest.StatusAttested && v.evidence == nil {
		docs, err := cat.Attestations(ctx, v.dataset, v.version, "")
		if err != nil {
			return err
		}
		for _, d := range docs {
			ev, err := attest.ParseEvidence(d)
			if err != nil || ev.Statement != v.statement || (len(ev.Receipts) == 0 && ev.Target.Backend != attest.KindOffchain) {
				continue
			}
			v.evidence, v.att = d, summarise(ev)
			break
		}
	}
	if status == attest.StatusRevoked {
		revs, err := cat.Revocations(ctx, v.dataset, v.version)
		if err != nil {
			return err
		}
		if len(revs) > 0 {
			r := revs[len(revs)-1]
			v.reason = fmt.Sprintf(" on %s at %s: %s", r.Backend, r.RevokedAt.UTC().Format("2006-01-02T15:04:05Z"), r.Reason)
		}
	}
	v.update()
	return nil
}

// summary returns the API description of the version.
func (v *versionState) summary() api.Version {
	m := v.manifest
	return api.Version{Dataset: v.dataset, Version: v.version, Rows: m.RowCount, MerkleRoot: m.MerkleRoot,
		ManifestHash: v.manifestHash, AppendOnly: m.AppendOnly, CreatedAt: m.CreatedAt, Status: attest.StatusAttested, Attestation: v.att}
}
