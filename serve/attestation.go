package serve

import (
	"fmt"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Summarise turns an evidence document into the API's attestation summary:
// its id, chain, contract, transactions, EAS UIDs and signers.
func Summarise(ev *attest.Evidence) api.Attestation { return summarise(ev) }

func summarise(ev *attest.Evidence) api.Attestation {
	a := api.Attestation{Backend: ev.Target.Backend, ChainID: ev.Target.ChainID, Contract: ev.Target.Contract.Hex(),
		TxHashes: []string{}, UIDs: []string{}, Signers: []string{}}
	for _, r := range ev.Receipts {
		a.TxHashes = append(a.TxHashes, r.TxHash.Hex())
	}
	for _, f := range ev.Signatures {
		if f.Purpose != attest.PurposeAttest {
			continue
		}
		a.Signers = append(a.Signers, f.Signer.Hex())
		switch {
		case f.Delegated != nil && f.Delegated.UID != nil:
			a.UIDs = append(a.UIDs, f.Delegated.UID.Hex())
		case len(f.Offchain) > 0:
			if p, err := offchain.ParsePackage(f.Offchain); err == nil {
				a.UIDs = append(a.UIDs, p.Sig.UID)
			}
		}
	}
	ref := "none"
	switch {
	case len(a.TxHashes) > 0:
		ref = a.TxHashes[0]
	case len(a.UIDs) > 0:
		ref = a.UIDs[0]
	}
	a.ID = fmt.Sprintf("%s:%d:%s:%s", a.Backend, a.ChainID, a.Contract, ref)
	return a
}
