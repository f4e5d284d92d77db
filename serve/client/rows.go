package client

import (
	"context"
	"fmt"
	"net/url"
	"reflect"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Row is a row whose values and inclusion proof were verified against its
// version's attested root.
type Row struct {
	api.Row
	// Leaf is the leaf recomputed from the values.
	Leaf datasets.Hash
	// Of is the verified version.
	Of *Version
}

// Row returns row index of version (0: latest) of dataset, verified.
func (c *Client) Row(ctx context.Context, dataset string, version, index uint64) (*Row, error) {
	v, err := c.Version(ctx, dataset, version)
	if err != nil {
		return nil, err
	}
	var r api.Row
	if _, err := c.getJSON(ctx, fmt.Sprintf("%s/rows/%d", versionPath(v.Dataset, v.Version), index), &r); err != nil {
		return nil, err
	}
	if r.Index != index {
		return nil, fmt.Errorf("%w: asked for row %d of %s, got row %d", ErrMismatch, index, v.ref(), r.Index)
	}
	return checkRow(v, r)
}

// RowByKey returns the row of version (0: latest) of dataset whose key
// columns have the given value forms, verified; the row's key values are
// checked too.
func (c *Client) RowByKey(ctx context.Context, dataset string, version uint64, key map[string]string) (*Row, error) {
	v, err := c.Version(ctx, dataset, version)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	for k, val := range key {
		q.Set(k, val)
	}
	var r api.Row
	if _, err := c.getJSON(ctx, versionPath(v.Dataset, v.Version)+"/rows?"+q.Encode(), &r); err != nil {
		return nil, err
	}
	row, err := checkRow(v, r)
	if err != nil {
		return nil, err
	}
	sch := &v.Manifest.Schema
	for k, want := range key {
		i := sch.Index(k)
		if i < 0 {
			return nil, fmt.Errorf("%w: %q is not a column of %s", ErrMismatch, k, v.ref())
		}
		got, _ := row.Values.Get(k)
		a, err1 := api.Parse(sch.Columns[i].Type, got)
		b, err2 := api.ParseText(sch.Columns[i].Type, want)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			return nil, fmt.Errorf("%w: asked for %s = %s in %s, got row %d with %v", ErrMismatch, k, want, v.ref(), r.Index, got)
		}
	}
	return row, nil
}

// checkRow recomputes the row's leaf and checks its proof against the
// version's attested root.
func checkRow(v *Version, r api.Row) (*Row, error) {
	m := v.Manifest
	if r.Dataset != v.Dataset || r.Version != v.Version {
		return nil, fmt.Errorf("%w: asked for a row of %s, got one of %s@%d", ErrMismatch, v.ref(), r.Dataset, r.Version)
	}
	leaves, err := api.Leaves(&m.Schema, []api.Values{r.Values})
	if err != nil {
		return nil, fmt.Errorf("%w: %w: row %d of %s: %v", ErrProof, datasets.ErrIntegrity, r.Index, v.ref(), err)
	}
	p := r.Proof
	switch {
	case leaves[0] != p.Leaf:
		return nil, fmt.Errorf("%w: %w: row %d of %s: its values hash to leaf %s, the proof is for leaf %s", ErrProof, datasets.ErrIntegrity, r.Index, v.ref(), leaves[0], p.Leaf)
	case p.Root != m.MerkleRoot || p.Size != m.RowCount || p.Index != r.Index:
		return nil, fmt.Errorf("%w: %w: row %d of %s: the proof is for leaf %d of %d under root %s, the attested tree has %d leaves under %s",
			ErrProof, datasets.ErrIntegrity, r.Index, v.ref(), p.Index, p.Size, p.Root, m.RowCount, m.MerkleRoot)
	}
	if err := datasets.VerifyInclusion(leaves[0], r.Index, m.RowCount, p.Path, m.MerkleRoot); err != nil {
		return nil, fmt.Errorf("%w: row %d of %s: %w", ErrProof, r.Index, v.ref(), err)
	}
	return &Row{Row: r, Leaf: leaves[0], Of: v}, nil
}

// Consistency verifies both versions and the server's proof that version
// from of dataset is a prefix of version to.
func (c *Client) Consistency(ctx context.Context, dataset string, from, to uint64) (*api.ConsistencyProof, error) {
	a, err := c.Version(ctx, dataset, from)
	if err != nil {
		return nil, err
	}
	b, err := c.Version(ctx, dataset, to)
	if err != nil {
		return nil, err
	}
	var p api.ConsistencyProof
	if _, err := c.getJSON(ctx, fmt.Sprintf("/v1/datasets/%s/consistency?from=%d&to=%d", url.PathEscape(dataset), a.Version, b.Version), &p); err != nil {
		return nil, err
	}
	if p.Size1 != a.Manifest.RowCount || p.Size2 != b.Manifest.RowCount {
		return nil, fmt.Errorf("%w: consistency proof sizes %d → %d, the attested versions have %d and %d rows", ErrProof, p.Size1, p.Size2, a.Manifest.RowCount, b.Manifest.RowCount)
	}
	if err := datasets.VerifyConsistency(p.Size1, p.Size2, p.Path, a.Manifest.MerkleRoot, b.Manifest.MerkleRoot); err != nil {
		return nil, fmt.Errorf("%w: %s → %s: %w", ErrProof, a.ref(), b.ref(), err)
	}
	return &p, nil
}
