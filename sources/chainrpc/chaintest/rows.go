package chaintest

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// Row is one row rendered for comparison: unsigned and signed integers as
// uint64/int64, uint256/int256 as decimal strings, addresses, bytes32 and
// bytes as 0x hex, timestamps as Unix seconds (int64), nulls as nil.
type Row map[string]any

// RecordRows renders the rows of rec.
func RecordRows(s *datasets.Schema, rec arrow.RecordBatch) []Row {
	out := make([]Row, rec.NumRows())
	for r := range out {
		row := Row{}
		for i, c := range s.Columns {
			row[c.Name] = value(c.Type, rec.Column(i), r)
		}
		out[r] = row
	}
	return out
}

func value(t datasets.Type, a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch t {
	case datasets.TypeUint8:
		return uint64(a.(*array.Uint8).Value(i))
	case datasets.TypeUint16:
		return uint64(a.(*array.Uint16).Value(i))
	case datasets.TypeUint32:
		return uint64(a.(*array.Uint32).Value(i))
	case datasets.TypeUint64:
		return a.(*array.Uint64).Value(i)
	case datasets.TypeInt8:
		return int64(a.(*array.Int8).Value(i))
	case datasets.TypeInt16:
		return int64(a.(*array.Int16).Value(i))
	case datasets.TypeInt32:
		return int64(a.(*array.Int32).Value(i))
	case datasets.TypeInt64:
		return a.(*array.Int64).Value(i)
	case datasets.TypeBool:
		return a.(*array.Boolean).Value(i)
	case datasets.TypeString:
		return a.(*array.String).Value(i)
	case datasets.TypeBytes:
		return "0x" + hex.EncodeToString(a.(*array.Binary).Value(i))
	case datasets.TypeAddress, datasets.TypeBytes32:
		return "0x" + hex.EncodeToString(a.(*array.FixedSizeBinary).Value(i))
	case datasets.TypeUint256:
		return new(big.Int).SetBytes(a.(*array.FixedSizeBinary).Value(i)).String()
	case datasets.TypeInt256:
		v := new(big.Int).SetBytes(a.(*array.FixedSizeBinary).Value(i))
		if v.Bit(255) == 1 {
			v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 256))
		}
		return v.String()
	case datasets.TypeTimestamp:
		return int64(a.(*array.Timestamp).Value(i)) / 1_000_000
	case datasets.TypeFloat64:
		return a.(*array.Float64).Value(i)
	}
	return fmt.Sprintf("unsupported type %s", t)
}

// StoreRows reads every row of the latest version of dataset.
func StoreRows(t testing.TB, st *store.Store, dataset string) (*datasets.Manifest, []Row) {
	t.Helper()
	rec, err := st.Version(context.Background(), dataset, 0)
	if err != nil {
		t.Fatalf("latest version of %s: %v", dataset, err)
	}
	vr, err := datasets.NewVersionReader(st.Root(), rec.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	defer vr.Release()
	var rows []Row
	for vr.Next() {
		rows = append(rows, RecordRows(&rec.Manifest.Schema, vr.RecordBatch())...)
	}
	if err := vr.Err(); err != nil {
		t.Fatal(err)
	}
	return rec.Manifest, rows
}

// Hex renders bytes as 0x lowercase hex.
func Hex(b []byte) string { return "0x" + hex.EncodeToString(b) }
