package main

import (
	"os"

	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// writeTypedData writes typed data as eth_signTypedData_v4 JSON.
func writeTypedData(path string, td apitypes.TypedData) error {
	b, err := attest.TypedDataJSON(td)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
