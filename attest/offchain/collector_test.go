package offchain_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
)

// memCatalog is an in-memory attest.Catalog.
type memCatalog struct {
	sigs   map[string][]byte
	evs    map[string][]byte
	status map[string]string
}

func newMemCatalog() *memCatalog {
	return &memCatalog{sigs: map[string][]byte{}, evs: map[string][]byte{}, status: map[string]string{}}
}

func (m *memCatalog) Signatures(_ context.Context, d string, v uint64, backend string) ([][]byte, error) {
	var out [][]byte
	for k, doc := range m.sigs {
		if strings.HasPrefix(k, fmt.Sprintf("%s@%d/%s/", d, v, backend)) {
			out = append(out, doc)
		}
	}
	return out, nil
}

func (m *memCatalog) PutSignature(_ context.Context, d string, v uint64, backend, signer string, doc []byte) error {
	m.sigs[fmt.Sprintf("%s@%d/%s/%s", d, v, backend, signer)] = doc
	return nil
}

func (m *memCatalog) PutAttestation(_ context.Context, d string, v uint64, backend, ref string, doc []byte) error {
	m.evs[fmt.Sprintf("%s@%d/%s/%s", d, v, backend, ref)] = doc
	return nil
}

func (m *memCatalog) SetVersionStatus(_ context.Context, d string, v uint64, status string) error {
	m.status[fmt.Sprintf("%s@%d", d, v)] = status
	return nil
}

// TestCollectorAutoSign: the pipeline's own key signs automatically and counts
// as one of the k; one steward signature more attests the version; signatures
// that do not count are reported with their reason.
func TestCollectorAutoSign(t *testing.T) {
	ctx := context.Background()
	b := offlineBackend(t)
	pipelineKey, alice, mallory := attesttest.StewardKey(0), attesttest.StewardKey(1), attesttest.StewardKey(9)
	cat := newMemCatalog()
	col := &attest.Collector{Backend: b, Catalog: cat, Policy: attest.Policy{
		Stewards:  []common.Address{pipelineKey.Address(), alice.Address(), attesttest.StewardKey(2).Address()},
		Threshold: 2, AutoSign: pipelineKey}}
	st := attesttest.Statement("votes", 1)

	bad, _ := b.Sign(ctx, mallory, st, attest.SignOptions{})
	res, err := col.Collect(ctx, st, []*attest.SignatureFile{bad})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != attest.StatusPending || len(res.Signers) != 1 || res.Signers[0] != pipelineKey.Address() ||
		len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, "not an authorised steward") || cat.status["votes@1"] != "pending" {
		t.Fatalf("first round: %+v, status %q", res, cat.status["votes@1"])
	}
	// The automatic signature is in the catalog; the next run adds Alice's.
	good, _ := b.Sign(ctx, alice, st, attest.SignOptions{})
	res, err = col.Collect(ctx, st, []*attest.SignatureFile{good})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != attest.StatusAttested || len(res.Signers) != 2 || len(res.Receipt.UIDs) != 2 || cat.status["votes@1"] != "attested" {
		t.Fatalf("second round: %+v, status %q", res, cat.status["votes@1"])
	}
	if len(cat.sigs) != 2 {
		t.Fatalf("catalog signatures: %d", len(cat.sigs))
	}
}
