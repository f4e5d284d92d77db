package attest

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// TypedDataJSON encodes typed data as the JSON a wallet's
// eth_signTypedData_v4 takes: byte values as 0x hex, integers as decimal
// strings. It checks first that the JSON hashes to the same digest as td.
func TypedDataJSON(td apitypes.TypedData) ([]byte, error) {
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return nil, fmt.Errorf("%w: typed data: %v", ErrSignature, err)
	}
	domain := td.Domain.Map()
	if td.Domain.Salt == "" {
		delete(domain, "salt") // wallets reject an empty salt
	}
	b, err := json.MarshalIndent(map[string]any{"types": td.Types, "primaryType": td.PrimaryType, "domain": jsonValue(domain),
		"message": jsonValue(map[string]any(td.Message))}, "", "  ")
	if err != nil {
		return nil, err
	}
	var back apitypes.TypedData
	if err := json.Unmarshal(b, &back); err != nil {
		return nil, fmt.Errorf("%w: typed data JSON: %v", ErrSignature, err)
	}
	got, _, err := apitypes.TypedDataAndHash(back)
	if err != nil || string(got) != string(want) {
		return nil, fmt.Errorf("%w: the typed data JSON does not hash to the digest (%v)", ErrSignature, err)
	}
	return append(b, '\n'), nil
}

// jsonValue converts a typed data message value to its wallet JSON form.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonValue(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = jsonValue(e)
		}
		return s
	case []byte:
		return hexutil.Encode(x)
	case *big.Int:
		return x.String()
	case *math.HexOrDecimal256:
		return (*big.Int)(x).String()
	}
	return v
}
