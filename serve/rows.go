package serve

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"reflect"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Row returns row index of a version (0: latest) with its inclusion proof
// against the version's root.
func (s *Server) Row(ctx context.Context, p *Principal, dataset string, version, index uint64) (*api.Row, error) {
	v, err := s.lookup(p, dataset, version)
	if err != nil {
		return nil, err
	}
	return s.row(v, index, api.Canonical)
}

// row returns row index of v, its values in form, with its inclusion
// proof against the version's root.
func (s *Server) row(v *versionState, index uint64, form api.Form) (*api.Row, error) {
	m := v.manifest
	if index >= m.RowCount {
		return nil, fmt.Errorf("%w: %s has %d rows; there is no row %d", ErrNotFound, v.ref(), m.RowCount, index)
	}
	seg, off := segmentOf(v.starts, index)
	if err := s.verifySegment(v, &m.Segments[seg]); err != nil {
		return nil, err
	}
	tree, leaves, err := s.proofTree(v)
	if err != nil {
		return nil, err
	}
	path, err := tree.Inclusion(index)
	if err != nil {
		return nil, err
	}
	leaf, err := leaves.Leaves(index, index+1)
	if err != nil {
		return nil, err
	}
	values, err := s.checkedRowValues(v, seg, off, leaf[0], form)
	if err != nil {
		return nil, err
	}
	if path == nil {
		path = []datasets.Hash{}
	}
	return &api.Row{Dataset: v.dataset, Version: v.version, Index: index, Values: values,
		Proof:        api.InclusionProof{Index: index, Size: m.RowCount, Leaf: leaf[0], Path: path, Root: m.MerkleRoot},
		ManifestHash: v.manifestHash, Attestation: v.att}, nil
}

func (s *Server) handleRow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := checkParams(q, api.FormParam); err != nil {
		return err
	}
	form, err := api.ParseForm(q.Get(api.FormParam))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	index, err := parseUint(r.PathValue("index"))
	if err != nil {
		return badRequest("row %q: want a row index (a plain decimal), or ask /rows?KEY=VALUE…", clip(r.PathValue("index")))
	}
	row, err := s.row(v, index, form)
	if err != nil {
		return err
	}
	setVersionHeaders(w, v)
	writeJSON(w, http.StatusOK, row)
	return nil
}

// RowByKey returns the first row (lowest index) of a version whose key
// columns equal key (value forms by key column name), with its proof.
func (s *Server) RowByKey(ctx context.Context, p *Principal, dataset string, version uint64, key map[string][]string) (*api.Row, error) {
	v, err := s.lookup(p, dataset, version)
	if err != nil {
		return nil, err
	}
	return s.rowByKey(ctx, v, key)
}

func (s *Server) rowByKey(ctx context.Context, v *versionState, q map[string][]string) (*api.Row, error) {
	sch := &v.manifest.Schema
	key, err := parseKey(q, sch)
	if err != nil {
		return nil, err
	}
	conds := make([]string, len(key))
	args := make([]any, len(key))
	for i, k := range sch.Key {
		conds[i], args[i] = keyCondition(sch.Columns[sch.Index(k)], key[i])
	}
	view := `"` + v.dataset + fmt.Sprintf("@%d", v.version) + `"`
	query := fmt.Sprintf("SELECT _row FROM %s WHERE %s ORDER BY _row LIMIT 1", view, strings.Join(conds, " AND "))
	index, err := s.keyIndex(ctx, v, query, args)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("%w: %s has no row with that key", ErrNotFound, v.ref())
	case err != nil && strings.Contains(err.Error(), "does not exist"):
		return nil, fmt.Errorf("%w: the rows of %s are not queryable by key yet (SQL materialization pending); ask by index", ErrUnavailable, v.ref())
	case err != nil:
		return nil, fmt.Errorf("key lookup in %s: %w", v.ref(), err)
	}
	row, err := s.row(v, index, api.Canonical) // the key check below compares canonical values
	if err != nil {
		return nil, err
	}
	for i, k := range sch.Key {
		got, _ := row.Values.Get(k)
		typed, err := api.Parse(sch.Columns[sch.Index(k)].Type, got)
		if err != nil || !reflect.DeepEqual(typed, key[i]) {
			return nil, fmt.Errorf("the catalog's index of %s points at row %d, whose %s is %v: the SQL tables disagree with the segments", v.ref(), index, k, got)
		}
	}
	return row, nil
}

// keyCondition is the SQL condition on one key column for a typed value,
// in the catalog's column types (addresses and hashes as 0x text,
// uint256/int256 as BIGNUM, timestamps as TIMESTAMPTZ).
func keyCondition(c datasets.Column, v any) (string, any) {
	col := `"` + c.Name + `"`
	switch c.Type {
	case datasets.TypeAddress, datasets.TypeBytes32:
		return col + " = ?", fmt.Sprintf("0x%x", v.([]byte))
	case datasets.TypeUint256, datasets.TypeInt256:
		b := v.([]byte)
		n := new(big.Int).SetBytes(b)
		if c.Type == datasets.TypeInt256 && b[0]&0x80 != 0 {
			n.Sub(n, new(big.Int).Lsh(big.NewInt(1), 256))
		}
		return col + " = CAST(? AS BIGNUM)", n.String()
	case datasets.TypeTimestamp:
		return "epoch_us(" + col + ") = ?", v
	}
	return col + " = ?", v
}

func (s *Server) handleRowByKey(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	form := api.Readable
	if v.manifest.Schema.Index(api.FormParam) < 0 && q.Has(api.FormParam) { // a key column named "values" wins
		if form, err = api.ParseForm(q.Get(api.FormParam)); err != nil {
			return fmt.Errorf("%w: %v", ErrBadRequest, err)
		}
		q.Del(api.FormParam)
	}
	row, err := s.rowByKey(r.Context(), v, q)
	if err != nil {
		return err
	}
	if err := reform(row, &v.manifest.Schema, form); err != nil {
		return err
	}
	setVersionHeaders(w, v)
	writeJSON(w, http.StatusOK, row)
	return nil
}

// reform rewrites a row's values (canonical, as the server builds them) in
// form f.
func reform(row *api.Row, sch *datasets.Schema, f api.Form) error {
	if f == api.Canonical {
		return nil
	}
	vals, err := f.Reform(sch, row.Values)
	if err != nil {
		return fmt.Errorf("row %d of %s@%d: %w", row.Index, row.Dataset, row.Version, err)
	}
	row.Values = vals
	return nil
}

// keyIndex runs a key lookup in a throwaway query database holding only
// v's view (the catalog holds no rows), and returns the row index found.
func (s *Server) keyIndex(ctx context.Context, v *versionState, query string, args []any) (uint64, error) {
	srcs := &scanSources{}
	conn, closeDB, err := s.query.open(ctx, map[string]*versionState{v.ref(): v}, srcs)
	if err != nil {
		return 0, err
	}
	defer closeDB()
	var index uint64
	err = conn.QueryRowContext(ctx, query, args...).Scan(&index)
	if f := srcs.failure(); f != nil && err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, f
	}
	return index, err
}
