package sqlview

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// Keys of the Parquet copy's footer metadata.
const (
	// FormatKey names the copy's layout; a copy without it, or with
	// another value, is stale and is rewritten (catalog check --repair).
	FormatKey = "groundtruth.sql_copy"
	// FormatVersion is the layout this package writes: uint256/int256 as
	// DECIMAL(38,0) plus "<name>#text".
	FormatVersion = "2"
	// CopyCreatedBy is the created_by this package writes in a copy's
	// footer. It names no library version, so that upgrading arrow-go does
	// not change the bytes of every copy (which the copy proof compares),
	// but the writer's settings (writerProps): this one leaves the
	// address and bytes32 columns without statistics. Copies written
	// before (created_by "groundtruth sql copy 2", or "parquet-go version
	// 18.8.0" before that, both with statistics on every column) are
	// proven by writing them again with the created_by they carry and that
	// writer's settings.
	CopyCreatedBy = "groundtruth sql copy " + FormatVersion + ".1"
	// maxCreatedBy bounds the created_by a copy being proven may carry.
	maxCreatedBy = 256
	// TextColumnsKey lists (JSON array, sorted) the uint256/int256 columns
	// with at least one value beyond DECIMAL(38,0) in the copy.
	TextColumnsKey = "groundtruth.sql_text_columns"
	// MaxAbsKey maps (JSON object) each uint256/int256 column to the
	// largest |value| of its DECIMAL(38,0) form in the copy, in decimal.
	MaxAbsKey = "groundtruth.sql_max_abs"
)

// CopyInfo is what a Parquet copy's footer says.
type CopyInfo struct {
	// Rows is the number of rows in the copy.
	Rows uint64
	// TextColumns are the uint256/int256 columns holding a value beyond
	// DECIMAL(38,0) in this copy.
	TextColumns []string
	// MaxAbs is the largest |value| of each uint256/int256 column's
	// DECIMAL(38,0) form in this copy.
	MaxAbs map[string]*big.Int
}

// writeFooterKeys records the copy's format and its text columns.
func (w *Writer) writeFooterKeys() error {
	var names []string
	for i, t := range w.text {
		if t {
			names = append(names, w.schema.Columns[i].Name)
		}
	}
	sort.Strings(names)
	if names == nil {
		names = []string{}
	}
	js, _ := json.Marshal(names)
	max := map[string]string{}
	for i, c := range w.schema.Columns {
		if wideInt(c.Type) {
			max[c.Name] = w.maxAbs[i].BigInt().String()
		}
	}
	mjs, _ := json.Marshal(max) // sorted keys: deterministic
	if err := w.pw.AppendKeyValueMetadata(MaxAbsKey, string(mjs)); err != nil {
		return fmt.Errorf("%w: %v", ErrParquet, err)
	}
	if err := w.pw.AppendKeyValueMetadata(FormatKey, FormatVersion); err != nil {
		return fmt.Errorf("%w: %v", ErrParquet, err)
	}
	if err := w.pw.AppendKeyValueMetadata(TextColumnsKey, string(js)); err != nil {
		return fmt.Errorf("%w: %v", ErrParquet, err)
	}
	return nil
}

// ReadCopyInfo reads the footer of the Parquet copy at path: it fails
// with ErrParquet when the file is missing, unreadable or of another
// format (a stale copy to rewrite).
func ReadCopyInfo(path string) (CopyInfo, error) {
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return CopyInfo{}, fmt.Errorf("%w: %s: %v", ErrParquet, path, err)
	}
	defer r.Close()
	md := r.MetaData()
	kv := md.KeyValueMetadata()
	if f := kv.FindValue(FormatKey); f == nil || *f != FormatVersion {
		return CopyInfo{}, fmt.Errorf("%w: %s: not a copy of format %s (stale: catalog check --repair rewrites it)", ErrParquet, path, FormatVersion)
	}
	info := CopyInfo{Rows: uint64(md.NumRows)}
	tc := kv.FindValue(TextColumnsKey)
	if tc == nil {
		return CopyInfo{}, fmt.Errorf("%w: %s: footer lacks %s", ErrParquet, path, TextColumnsKey)
	}
	if err := json.Unmarshal([]byte(*tc), &info.TextColumns); err != nil {
		return CopyInfo{}, fmt.Errorf("%w: %s: %s: %v", ErrParquet, path, TextColumnsKey, err)
	}
	var max map[string]string
	if mv := kv.FindValue(MaxAbsKey); mv == nil || json.Unmarshal([]byte(*mv), &max) != nil {
		return CopyInfo{}, fmt.Errorf("%w: %s: footer lacks a readable %s", ErrParquet, path, MaxAbsKey)
	}
	info.MaxAbs = map[string]*big.Int{}
	for c, d := range max {
		n, ok := new(big.Int).SetString(d, 10)
		if !ok {
			return CopyInfo{}, fmt.Errorf("%w: %s: %s: %q is not a number", ErrParquet, path, MaxAbsKey, d)
		}
		info.MaxAbs[c] = n
	}
	return info, nil
}
