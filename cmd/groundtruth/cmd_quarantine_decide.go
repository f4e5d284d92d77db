package main

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// decideOpts are the flags of quarantine approve|reject.
type decideOpts struct {
	key, note, typedData, steward, signature string
}

// decide runs quarantine approve|reject in one of its three modes: sign
// with a keystore, write the typed data for a wallet, or import a wallet's
// signature of it.
func (a *app) decide(ctx context.Context, f *attestFlags, o *decideOpts, id, status string) error {
	mode, err := o.mode()
	if err != nil {
		return err
	}
	trust, err := decisionTrust(ctx, a, f)
	if err != nil {
		return err
	}
	var steward common.Address
	if mode == "typed-data" {
		steward = common.HexToAddress(o.steward)
		if err := mustBeSteward(trust, steward); err != nil {
			return err
		}
	}
	st, err := a.openStore(ctx, "", false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch mode {
	case "key":
		s, err := f.loadKey(a, o.key)
		if err != nil {
			return err
		}
		if err := mustBeSteward(trust, s.Address()); err != nil {
			return err
		}
		e, err := signDecision(ctx, st, f.deployment(), id, status, o.note, s)
		if err != nil {
			return err
		}
		return a.printDecided(e)
	case "typed-data":
		if err := writeDecisionTypedData(ctx, st, f.deployment(), id, status, o.note, steward, o.typedData); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "wrote %s: the decision %s on %s by steward %s; sign it with that wallet (eth_signTypedData_v4), then record it with --typed-data %s --signature 0x…\n",
			o.typedData, status, id, steward.Hex(), o.typedData)
		return nil
	}
	e, err := importDecision(ctx, st, f.deployment(), id, status, o.typedData, o.signature, trust)
	if err != nil {
		return err
	}
	return a.printDecided(e)
}

// mode says which of --key, --typed-data --steward and --typed-data
// --signature was given; any other combination is a usage error.
func (o *decideOpts) mode() (string, error) {
	switch {
	case o.key != "" && o.typedData == "" && o.steward == "" && o.signature == "":
		return "key", nil
	case o.key == "" && o.typedData != "" && o.signature == "" && common.IsHexAddress(o.steward):
		return "typed-data", nil
	case o.key == "" && o.typedData != "" && o.signature != "" && o.steward == "":
		return "signature", nil
	case o.key == "" && o.typedData != "" && o.signature == "" && o.steward != "":
		return "", fmt.Errorf("%w: --steward %q is not an address", errUsage, o.steward)
	}
	return "", fmt.Errorf("%w: give --key KEYSTORE, or --typed-data FILE --steward ADDR (write the decision for a wallet), or --typed-data FILE --signature 0x… (record the wallet's signature)", errUsage)
}

// printDecided reports a recorded decision.
func (a *app) printDecided(e *store.QuarantineEntry) error {
	if a.jsonOut {
		return a.printJSON(e)
	}
	fmt.Fprintf(a.stdout, "%s %s (%s, row %s) by steward %s, signed\n", e.ID, e.Status, e.Dataset, e.RowKey, e.Steward)
	return nil
}
