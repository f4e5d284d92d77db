package datasets

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// PrimeNullCounts computes the null counts that arrow-go computes lazily
// on first use (sliced arrays) for every column of rec, and for the values
// of lists and the fields of structs in them. Afterwards goroutines that
// read rec concurrently only read it: without this, two readers calling
// NullN on one slice both write the cached count (a data race).
func PrimeNullCounts(rec arrow.RecordBatch) {
	for _, c := range rec.Columns() {
		primeNulls(c)
	}
}

func primeNulls(a arrow.Array) {
	a.NullN()
	switch v := a.(type) {
	case array.ListLike:
		primeNulls(v.ListValues())
	case *array.Struct:
		for i := range v.NumField() {
			primeNulls(v.Field(i))
		}
	}
}
