package validators

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Row keys.
//
// A row key renders the values of the schema's key columns (FormatValue),
// joined by "/"; "%" and "/" inside string values are written %25 and %2F.
// When the same key occurs more than once in a run's input, the k-th repeat
// (k >= 1) gets the suffix "#k", so every input row has a distinct key. A
// schema without key columns keys rows by position: "row:17".

// KeyHashes returns a 64-bit hash of each row's key values (the row
// position when the schema has no key). Equal keys have equal hashes;
// callers confirm equality with SameKey.
func (t *Table) KeyHashes() []uint64 {
	t.kOnce.Do(func() { t.khash = t.HashColumns(t.schema.Key) })
	return t.khash
}

// HashColumns returns a 64-bit hash of the values of the named columns of
// each row (nulls hash differently from every value).
func (t *Table) HashColumns(cols []string) []uint64 {
	out := make([]uint64, t.n)
	idx := make([]int, 0, len(cols))
	for _, c := range cols {
		if i := t.schema.Index(c); i >= 0 {
			idx = append(idx, i)
		}
	}
	var h maphash.Hash
	h.SetSeed(t.seed)
	var buf [8]byte
	for r, rec := range t.recs {
		base := t.starts[r]
		for i := 0; i < int(rec.NumRows()); i++ {
			h.Reset()
			if len(idx) == 0 {
				binary.LittleEndian.PutUint64(buf[:], uint64(base+i))
				h.Write(buf[:])
			}
			for _, c := range idx {
				writeCell(&h, rec.Column(c), i, buf[:])
			}
			out[base+i] = h.Sum64()
		}
	}
	return out
}

// writeCell feeds one cell's bytes to h, length-prefixed where variable.
func writeCell(h *maphash.Hash, a arrow.Array, i int, buf []byte) {
	if a.IsNull(i) {
		h.WriteByte(0)
		return
	}
	h.WriteByte(1)
	switch v := a.(type) {
	case *array.FixedSizeBinary:
		h.Write(v.Value(i))
	case *array.String:
		s := v.Value(i)
		binary.LittleEndian.PutUint64(buf, uint64(len(s)))
		h.Write(buf)
		h.WriteString(s)
	case *array.Binary:
		b := v.Value(i)
		binary.LittleEndian.PutUint64(buf, uint64(len(b)))
		h.Write(buf)
		h.Write(b)
	case *array.Float64:
		binary.LittleEndian.PutUint64(buf, uint64(int64(v.Value(i)*1e9)))
		h.Write(buf)
	default:
		binary.LittleEndian.PutUint64(buf, uint64(intAt(a, "", i)))
		h.Write(buf)
	}
}

// SameValues reports whether rows a and b have equal values in the named
// columns.
func (t *Table) SameValues(a, b int, cols []string) bool {
	for _, c := range cols {
		if t.Value(a, c) != t.Value(b, c) || t.isNull(a, c) != t.isNull(b, c) {
			return false
		}
	}
	return true
}

func (t *Table) isNull(row int, name string) bool {
	i := t.schema.Index(name)
	if i < 0 {
		return true
	}
	r, off := t.Locate(row)
	return t.recs[r].Column(i).IsNull(off)
}

// baseKey renders a row's key without the repeat suffix.
func (t *Table) baseKey(row int) string {
	if len(t.schema.Key) == 0 {
		return "row:" + strconv.Itoa(row)
	}
	parts := make([]string, len(t.schema.Key))
	for i, c := range t.schema.Key {
		v := t.Value(row, c)
		if ty, _, _ := t.Column(c); ty.Type == "string" {
			v = strings.NewReplacer("%", "%25", "/", "%2F").Replace(v)
		}
		parts[i] = v
	}
	return strings.Join(parts, "/")
}

// Key renders the key of row (see Row keys above).
func (t *Table) Key(row int) string {
	k := t.baseKey(row)
	if n := t.repeats()[row]; n > 0 {
		k += "#" + strconv.Itoa(n)
	}
	return k
}

// Keys renders the keys of rows.
func (t *Table) Keys(rows []int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = t.Key(r)
	}
	return out
}

// repeats maps each row whose key occurred earlier in the input to its
// repeat number. Rows are sorted by key hash (no per-row map), and only
// rows sharing a hash are compared.
func (t *Table) repeats() map[int]int {
	t.dOnce.Do(func() { t.dupOrd = t.keyRepeats() })
	return t.dupOrd
}

// keyRepeats computes repeats.
func (t *Table) keyRepeats() map[int]int {
	dup := map[int]int{}
	if len(t.schema.Key) == 0 {
		return dup
	}
	hs := t.KeyHashes()
	order := make([]int32, len(hs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(hs[a], hs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for i := 1; i < len(order); i++ {
		row := int(order[i])
		n := 0
		for j := i - 1; j >= 0 && hs[order[j]] == hs[row]; j-- {
			if t.SameValues(int(order[j]), row, t.schema.Key) {
				n++
			}
		}
		if n > 0 {
			dup[row] = n
		}
	}
	return dup
}
