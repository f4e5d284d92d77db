package contracts_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestEASFromNpmArtifacts(t *testing.T) {
	testchain.RequireNodeModules(t)
	c := testchain.StartAnvil(t)
	ctx := context.Background()
	d, err := testchain.DeployEAS(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	e, reg := eas.NewEAS(), eas.NewSchemaRegistry()
	easInst, regInst := e.Instance(c.Client(), d.EAS), reg.Instance(c.Client(), d.SchemaRegistry)
	for name, inst := range map[string]*bind.BoundContract{"EAS": easInst, "SchemaRegistry": regInst} {
		v, err := bind.Call(inst, nil, e.PackVersion(), e.UnpackVersion)
		if err != nil || v != "1.4.0" {
			t.Fatalf("%s version() = %q, %v; want 1.4.0", name, v, err)
		}
	}
	linked, err := bind.Call(easInst, nil, e.PackGetSchemaRegistry(), e.UnpackGetSchemaRegistry)
	if err != nil || linked != d.SchemaRegistry {
		t.Fatalf("EAS.getSchemaRegistry() = %s, %v; want %s", linked, err, d.SchemaRegistry)
	}
	// Register a schema and make one attestation, to show the deployment works.
	schema := "string dataset,uint64 version,bytes32 merkleRoot"
	rcpt, err := testchain.Transact(ctx, c, c.Accounts()[1], d.SchemaRegistry, reg.PackRegister(schema, common.Address{}, true))
	if err != nil {
		t.Fatal(err)
	}
	regEv, err := reg.UnpackRegisteredEvent(rcpt.Logs[0])
	if err != nil || regEv.Schema.Schema != schema {
		t.Fatalf("Registered = %+v, %v", regEv, err)
	}
	req := eas.AttestationRequest{Schema: regEv.Uid, Data: eas.AttestationRequestData{
		Recipient: c.Accounts()[2].Address, Revocable: true, Data: []byte("groundtruth"), Value: u64(0),
	}}
	rcpt, err = testchain.Transact(ctx, c, c.Accounts()[1], d.EAS, e.PackAttest(req))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.UnpackAttestedEvent(rcpt.Logs[0])
	if err != nil || ev.Attester != c.Accounts()[1].Address || ev.SchemaUID != regEv.Uid {
		t.Fatalf("Attested = %+v, %v", ev, err)
	}
	att, err := bind.Call(easInst, nil, e.PackGetAttestation(ev.Uid), e.UnpackGetAttestation)
	if err != nil || !bytes.Equal(att.Data, []byte("groundtruth")) || att.Recipient != c.Accounts()[2].Address {
		t.Fatalf("getAttestation = %+v, %v", att, err)
	}
}
