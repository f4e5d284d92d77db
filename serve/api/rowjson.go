package api

import (
	"strconv"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// AppendRowJSON appends r as JSON, byte for byte what encoding/json's
// Marshal gives for it (a nil list as null, strings HTML-escaped), without
// reflection or per-hash allocations: a row with its proof is the server's
// most frequent answer.
func AppendRowJSON(b []byte, r *Row) ([]byte, error) {
	b = append(b, `{"dataset":`...)
	b = appendStdJSONString(b, r.Dataset)
	b = strconv.AppendUint(append(b, `,"version":`...), r.Version, 10)
	b = strconv.AppendUint(append(b, `,"index":`...), r.Index, 10)
	b = append(b, `,"values":`...)
	b, err := appendValuesJSON(b, r.Values) // nil too: encoding/json calls MarshalJSON, "{}"
	if err != nil {
		return nil, err
	}
	p := &r.Proof
	b = strconv.AppendUint(append(b, `,"proof":{"index":`...), p.Index, 10)
	b = strconv.AppendUint(append(b, `,"size":`...), p.Size, 10)
	b = appendHashJSON(append(b, `,"leaf":`...), p.Leaf)
	b = append(b, `,"path":`...)
	if p.Path == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, h := range p.Path {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendHashJSON(b, h)
		}
		b = append(b, ']')
	}
	b = appendHashJSON(append(b, `,"root":`...), p.Root)
	b = appendHashJSON(append(b, `},"manifestHash":`...), r.ManifestHash)
	a := &r.Attestation
	b = appendStdJSONString(append(b, `,"attestation":{"id":`...), a.ID)
	b = appendStdJSONString(append(b, `,"backend":`...), a.Backend)
	b = strconv.AppendUint(append(b, `,"chainId":`...), a.ChainID, 10)
	b = appendStdJSONString(append(b, `,"contract":`...), a.Contract)
	b = appendStringsJSON(append(b, `,"txHashes":`...), a.TxHashes)
	b = appendStringsJSON(append(b, `,"uids":`...), a.UIDs)
	b = appendStringsJSON(append(b, `,"signers":`...), a.Signers)
	return append(b, "}}"...), nil
}

// appendHashJSON appends h as its JSON string ("0x…", lower-case hex).
func appendHashJSON(b []byte, h datasets.Hash) []byte {
	b = append(b, '"')
	b, _ = h.AppendText(b)
	return append(b, '"')
}

// appendStringsJSON appends a list of strings (nil: null).
func appendStringsJSON(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStdJSONString(b, s)
	}
	return append(b, ']')
}
