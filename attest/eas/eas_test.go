package eas_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

func failed(rep *attest.Report, check, detail string) bool {
	for _, c := range rep.Checks {
		if !c.OK && strings.HasPrefix(c.Check, check) && strings.Contains(c.Detail, detail) {
			return true
		}
	}
	return false
}

func passed(rep *attest.Report, check, detail string) bool {
	for _, c := range rep.Checks {
		if c.OK && c.Check == check && strings.Contains(c.Detail, detail) {
			return true
		}
	}
	return false
}

func TestEASAttestLineageRevokeExpiry(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := eas.New(ctx, eas.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.EAS.EAS})
	if err != nil {
		t.Fatal(err)
	}
	if b.Version() != "1.4.0" {
		t.Fatalf("EAS version %q", b.Version())
	}
	trust := env.Trust(env.EAS.EAS)
	attestVersion := func(st attest.Statement, refs map[int]*attest.SignatureFile, validity time.Duration, who ...int) *attest.Evidence {
		t.Helper()
		ev := attest.NewEvidence(b.Target(), st)
		for _, i := range who {
			opts := attest.SignOptions{Validity: validity}
			if p := refs[i]; p != nil {
				opts.RefUID = *p.Delegated.UID
			}
			f, err := b.Sign(ctx, env.Stewards[i], st, opts)
			if err != nil {
				t.Fatal(err)
			}
			ev.Signatures = append(ev.Signatures, f)
		}
		if _, err := b.Submit(ctx, st, ev.Signatures, env.Submitter); err != nil {
			t.Fatal(err)
		}
		return ev
	}
	verify := func(st attest.Statement, ev *attest.Evidence) *attest.Report {
		t.Helper()
		rep, err := attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust, Chain: true})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	st1 := attesttest.Statement("votes", 1)
	ev1 := attestVersion(st1, nil, 0, 0, 1)
	if rep := verify(st1, ev1); rep.Err() != nil {
		t.Fatalf("v1: %v\n%+v", rep.Err(), rep.Checks)
	}
	// The EAS SDK reads and decodes the attestation groundtruth made.
	uid := ev1.Signatures[0].Delegated.UID.Hex()
	out, code := attesttest.Node(t, "eas-interop.mjs", "decode-onchain", env.Chain.RPCURL(), env.EAS.EAS.Hex(), uid)
	var d struct {
		OK       bool              `json:"ok"`
		Attester string            `json:"attester"`
		Decoded  map[string]string `json:"decoded"`
	}
	if code != 0 || json.Unmarshal(out, &d) != nil || !d.OK || d.Attester != env.Stewards[0].Address().Hex() ||
		d.Decoded["dataset"] != "votes" || d.Decoded["version"] != "1" || d.Decoded["merkleRoot"] != st1.MerkleRoot.String() ||
		d.Decoded["rowCount"] != "1000" || d.Decoded["manifestHash"] != st1.ManifestHash.String() || d.Decoded["reportHash"] != st1.ReportHash.String() {
		t.Fatalf("the EAS SDK decodes the on-chain attestation as (exit %d) %s", code, out)
	}
	// Version 2 refers to each steward's attestation of version 1.
	st2 := attesttest.Statement("votes", 2)
	ev2 := attestVersion(st2, map[int]*attest.SignatureFile{0: ev1.Signatures[0], 1: ev1.Signatures[1]}, 0, 0, 1)
	rep := verify(st2, ev2)
	if rep.Err() != nil || !passed(rep, "eas[0]", "this steward's attestation of votes@1") || !passed(rep, "eas[1]", "this steward's attestation of votes@1") {
		t.Fatalf("v2: %v\n%+v", rep.Err(), rep.Checks)
	}
	// The on-chain attestation of v1 does not attest v2's data.
	if rep := verify(st2, ev1); !failed(rep, "eas[0]", "its data attests votes@1") {
		t.Fatalf("replayed v1 evidence: %+v", rep.Checks)
	}

	// Revoking one of the two attestations leaves one: below the threshold.
	if _, err := b.Revoke(ctx, st2, "bad rows", ev2, []attest.Signer{env.Stewards[1]}, env.Submitter); err != nil {
		t.Fatal(err)
	}
	rep = verify(st2, ev2)
	if !failed(rep, "eas[1]", "revoked at") || !failed(rep, "threshold", "1 valid steward signature") {
		t.Fatalf("after revocation: %+v", rep.Checks)
	}

	// Attestations with a validity expire.
	st3 := attesttest.Statement("votes", 3)
	ev3 := attestVersion(st3, nil, time.Hour, 0, 2)
	if rep := verify(st3, ev3); rep.Err() != nil {
		t.Fatalf("v3: %v", rep.Err())
	}
	if err := env.Chain.IncreaseTime(ctx, 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	rep, err = attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st3, Evidence: ev3, Trust: trust, Chain: true, Now: time.Now().Add(2 * time.Hour)})
	if err != nil || !failed(rep, "eas[0]", "expired at") || !failed(rep, "signatures[0].expiry", "expired at") {
		t.Fatalf("expired: %v %+v", err, rep.Checks)
	}
}
