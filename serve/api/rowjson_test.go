package api

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// TestAppendRowJSONMatchesEncodingJSON: a row encoded by AppendRowJSON is
// byte for byte what encoding/json gives (nil and empty lists, HTML and
// control characters, no values, every field set).
func TestAppendRowJSONMatchesEncodingJSON(t *testing.T) {
	h := func(b byte) datasets.Hash {
		var x datasets.Hash
		for i := range x {
			x[i] = b + byte(i)
		}
		return x
	}
	full := Row{Dataset: "votes<&>\u2028", Version: 7, Index: 1<<63 + 5,
		Values:       Values{{"voter", "0xAb"}, {"weight", json.Number("12.5")}, {"ok", true}, {"memo", nil}, {"q\"", "\x00\n<"}},
		Proof:        InclusionProof{Index: 3, Size: 1_000_000, Leaf: h(1), Path: []datasets.Hash{h(2), h(3), h(250)}, Root: h(9)},
		ManifestHash: h(77),
		Attestation: Attestation{ID: "eas:1:0xC:0xT", Backend: "eas", ChainID: 31337, Contract: "0xC",
			TxHashes: []string{"0x1", "0x2"}, UIDs: []string{}, Signers: []string{"a&b"}}}
	for _, tc := range []struct {
		name string
		row  Row
	}{
		{"every field set", full},
		{"zero row: nil lists", Row{}},
		{"empty lists", Row{Values: Values{}, Proof: InclusionProof{Path: []datasets.Hash{}},
			Attestation: Attestation{TxHashes: []string{}, UIDs: []string{}, Signers: []string{}}}},
		{"bad UTF-8 in names and values", Row{Dataset: "d\xff", Values: Values{{"\xfe", "x\xc3"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendRowJSON([]byte("prefix"), &tc.row)
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(&tc.row)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, append([]byte("prefix"), want...)) {
				t.Fatalf("AppendRowJSON\n%s\nencoding/json\n%s", got[len("prefix"):], want)
			}
		})
	}
	if _, err := AppendRowJSON(nil, &Row{Values: Values{{"n", json.Number("1x")}}}); err == nil {
		t.Error("an invalid json.Number gave no error (encoding/json refuses it)")
	}
}
