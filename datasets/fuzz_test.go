package datasets_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Run a fuzzer with, for example:
//
//	go test ./datasets -run '^$' -fuzz '^FuzzManifestRoundTrip$' -fuzztime 60s -fuzzminimizetime 3s
//
// A short -fuzzminimizetime keeps the progress line moving: the large JSON
// seeds make the default minimisation of each new input take up to a minute,
// during which no executions are reported.

// FuzzCanonicalRow encodes random values of every type, some of them null,
// from a record sliced at a random offset, and decodes the bytes with
// go-ethereum's abi.Arguments.Unpack: the null mask and every value must come
// back, and the bytes must equal go-ethereum's own packing.
func FuzzCanonicalRow(f *testing.F) {
	f.Add(true, int8(-1), int16(-2), int32(-3), int64(-4), uint8(5), uint16(6), uint32(7), uint64(8),
		math.Copysign(0, -1), "grüße 🌍", []byte{1, 2, 3}, []byte{0xff}, []byte{0xab}, []byte{0x01}, []byte{0xff, 0xff}, int64(-1), uint32(0), uint8(0))
	f.Add(false, int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64),
		uint8(math.MaxUint8), uint16(math.MaxUint16), uint32(math.MaxUint32), uint64(math.MaxUint64),
		math.NaN(), "", []byte{}, []byte{}, []byte{}, bytes.Repeat([]byte{0xff}, 32), append([]byte{0x80}, make([]byte, 31)...),
		int64(math.MinInt64), uint32(0x3ffff), uint8(3))
	f.Add(true, int8(127), int16(32767), int32(1), int64(math.MaxInt64), uint8(0), uint16(0), uint32(0), uint64(0),
		math.Inf(-1), string(bytes.Repeat([]byte("x"), 33)), bytes.Repeat([]byte{7}, 64), bytes.Repeat([]byte{1}, 25),
		bytes.Repeat([]byte{2}, 40), []byte{}, bytes.Repeat([]byte{0x7f}, 32), int64(-14182940000000), uint32(0x2aaaa), uint8(9))
	f.Add(false, int8(0), int16(0), int32(0), int64(0), uint8(0), uint16(0), uint32(0), uint64(0),
		math.Float64frombits(0xfff0000000000001), "\xff\xfe invalid UTF-8", []byte{0}, []byte{0}, []byte{0}, []byte{0}, []byte{0}, int64(0), uint32(0x15555), uint8(1))

	s := allTypesSchema()
	args := abiArguments(f, s)
	f.Fuzz(func(t *testing.T, b bool, i8 int8, i16 int16, i32 int32, i64 int64, u8 uint8, u16 uint16, u32 uint32, u64 uint64,
		fl float64, str string, bs []byte, addr []byte, w []byte, u256 []byte, i256 []byte, ts int64, nulls uint32, off uint8) {
		var word [32]byte
		copy(word[:], w)
		u := new(big.Int).SetBytes(last32(u256))
		i := new(big.Int).SetBytes(last32(i256))
		if i.Bit(255) == 1 {
			i.Sub(i, two256)
		}
		// Column order of allTypesSchema: the id, then datasets.AllTypes.
		row := []any{uint64(nulls), b, i8, i16, i32, i64, u8, u16, u32, u64, fl, str, bs,
			common.BytesToAddress(addr), word, u, i, ts}
		for c := 1; c < len(row); c++ {
			if nulls&(1<<(c-1)) != 0 {
				row[c] = nil
			}
		}
		pad := int(off % 11)
		rows := make([][]any, 0, pad+2)
		for p := 0; p < pad; p++ {
			filler := make([]any, len(row))
			filler[0] = uint64(p)
			rows = append(rows, filler)
		}
		rows = append(rows, row, row)
		rec := buildRecord(t, s, rows)
		defer rec.Release()
		sl := rec.NewSlice(int64(pad), int64(pad+1))
		defer sl.Release()
		got := encodeAll(t, s, sl)[0]

		if ref := referenceRow(t, s, row); !bytes.Equal(got, ref) {
			t.Fatalf("encoding differs from go-ethereum's packing:%s\nvs%s", hexWords(got), hexWords(ref))
		}
		vals, err := args.Unpack(got)
		if err != nil {
			t.Fatalf("abi Unpack: %v", err)
		}
		mask := vals[0].(*big.Int)
		for c, col := range s.Columns {
			if (mask.Bit(c) == 1) != (row[c] == nil) {
				t.Fatalf("column %d: mask bit %d, null %v", c, mask.Bit(c), row[c] == nil)
			}
			want := abiZero(col.Type)
			if row[c] != nil {
				want = abiValue(col.Type, row[c])
			}
			if !sameABIValue(vals[c+1], want) {
				t.Fatalf("column %d (%s): decoded %#v, want %#v", c, col.Type, vals[c+1], want)
			}
		}
		// Floats other than NaN keep their exact bits, -0.0 included.
		if row[10] != nil && !math.IsNaN(fl) && vals[11].(uint64) != math.Float64bits(fl) {
			t.Fatalf("float %v: decoded bits %#x", fl, vals[11])
		}
	})
}

// last32 returns the last 32 bytes of b (all of b when shorter).
func last32(b []byte) []byte {
	if len(b) > 32 {
		return b[len(b)-32:]
	}
	return b
}

// sameABIValue compares a value decoded by go-ethereum with the value that
// was packed.
func sameABIValue(got, want any) bool {
	switch w := want.(type) {
	case *big.Int:
		g, ok := got.(*big.Int)
		return ok && g.Cmp(w) == 0
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(g, w)
	}
	return got == want
}

// FuzzManifestRoundTrip builds manifests from random fields and checks that
// ParseManifest(Canonical(m)) gives back the same canonical bytes and hash,
// and that ParseManifest of arbitrary bytes never panics and, when it
// accepts them, yields a manifest whose canonical form is stable.
func FuzzManifestRoundTrip(f *testing.F) {
	if raw, err := os.ReadFile(vectorsPath); err == nil {
		var v struct {
			Manifests []struct {
				Canonical string `json:"canonical"`
			} `json:"manifests"`
		}
		if json.Unmarshal(raw, &v) == nil {
			for _, m := range v.Manifests {
				f.Add([]byte(m.Canonical), "governance_votes", uint64(2), uint64(1), true, true, uint64(5), uint64(7), "governor:ens", "groundtruth 0.1.0", int64(1735787045), []byte("seed"))
			}
		}
	}
	f.Add([]byte(`{}`), "votes", uint64(1), uint64(0), false, false, uint64(0), uint64(0), "", "", int64(0), []byte{})
	f.Add([]byte(`{"formatVersion":1,"dataset":"x"`), "a", uint64(9), uint64(3), true, false, uint64(1), uint64(1), "<&>\u2028", "\xff", int64(-62135596800), []byte{1})
	f.Add([]byte(`null`), "Bad-Name", uint64(0), uint64(0), true, true, uint64(math.MaxUint64), uint64(1), "s", "v", int64(253402300800), []byte{2})

	f.Fuzz(func(t *testing.T, raw []byte, dataset string, version, parentVersion uint64, hasParent, appendOnly bool,
		rows1, rows2 uint64, source, pipelineVersion string, created int64, seed []byte) {
		// Arbitrary bytes: no panic; an accepted manifest is stable.
		if m, err := datasets.ParseManifest(raw); err == nil {
			checkManifestStable(t, m)
		}

		h := func(tag string) datasets.Hash {
			return datasets.Hash(sha256.Sum256(append([]byte(tag), seed...)))
		}
		seg := func(tag string, rows uint64) datasets.SegmentRef {
			sum := h(tag)
			return datasets.SegmentRef{Path: datasets.SegmentPath(sum), SHA256: sum, Rows: rows, Bytes: rows * 100}
		}
		report := h("report")
		m := &datasets.Manifest{
			FormatVersion: datasets.FormatVersion,
			Dataset:       dataset,
			Version:       version,
			Schema:        *vectorSchema,
			Segments:      []datasets.SegmentRef{seg("a", rows1), seg("b", rows2)},
			RowCount:      rows1 + rows2,
			MerkleRoot:    h("root"),
			AppendOnly:    appendOnly,
			ReportHash:    &report,
			Provenance: datasets.Provenance{
				Sources: []string{source},
				Inputs:  []datasets.Hash{h("input")},
			},
			Pipeline:  datasets.PipelineInfo{Version: pipelineVersion, ConfigHash: h("config")},
			CreatedAt: datasets.FormatTime(time.Unix(created, 0)),
		}
		if hasParent {
			m.Parent = &datasets.ParentRef{Version: parentVersion, MerkleRoot: h("parent"), RowCount: rows1}
			m.Provenance.BlockRange = &datasets.BlockRange{From: rows1, To: rows2, FromHash: h("from"), ToHash: h("to")}
		}
		canon, err := m.Canonical()
		if err != nil {
			t.Fatalf("Canonical: %v", err)
		}
		back, perr := datasets.ParseManifest(canon)
		if cerr := m.Check(); cerr != nil || rows1+rows2 < rows1 {
			if perr == nil && cerr != nil {
				t.Fatalf("Check refuses the manifest (%v) but ParseManifest accepts its canonical bytes", cerr)
			}
			return
		}
		if perr != nil {
			t.Fatalf("ParseManifest(Canonical(m)): %v\n%s", perr, canon)
		}
		again, err := back.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, canon) {
			t.Fatalf("canonical bytes changed after a round trip:\n%s\n%s", canon, again)
		}
		h1, err1 := m.Hash()
		h2, err2 := back.Hash()
		if err1 != nil || err2 != nil || h1 != h2 || h1 != datasets.Hash(sha256.Sum256(canon)) {
			t.Fatalf("hash not stable: %s %s (%v %v)", h1, h2, err1, err2)
		}
		checkManifestStable(t, back)
	})
}

// checkManifestStable checks that a parsed manifest's canonical bytes parse
// again to the same canonical bytes and hash.
func checkManifestStable(t *testing.T, m *datasets.Manifest) {
	t.Helper()
	c1, err := m.Canonical()
	if err != nil {
		t.Fatalf("Canonical of a parsed manifest: %v", err)
	}
	m2, err := datasets.ParseManifest(c1)
	if err != nil {
		t.Fatalf("ParseManifest refuses the canonical form of a manifest it accepted: %v\n%s", err, c1)
	}
	c2, err := m2.Canonical()
	if err != nil || !bytes.Equal(c1, c2) {
		t.Fatalf("canonical form not stable:\n%s\n%s", c1, c2)
	}
	h1, _ := m.Hash()
	h2, _ := m2.Hash()
	if h1 != h2 {
		t.Fatalf("hash not stable: %s vs %s", h1, h2)
	}
}
