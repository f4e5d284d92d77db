package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// spikeSetup is what the hostile quarantine tests start from: a store in
// a fresh folder and one run of a price job over 100 hourly points from
// 2021-05-01, whose 61st point is a spike; the spike is the one entry in
// the quarantine.
type spikeSetup struct {
	root  string // the store's folder
	st    *store.Store
	job   Job
	first []validatorstest.Point // the points ingested; first[60] is the spike
	now   time.Time              // when the first run ran
	entry store.QuarantineEntry  // the spike's entry
}

// quarantineSpike builds a spikeSetup; dep, when not nil, is the job's
// deployment. The store is closed when the test ends.
func quarantineSpike(t *testing.T, dep *attest.Deployment) *spikeSetup {
	t.Helper()
	ctx := context.Background()
	s := &spikeSetup{root: t.TempDir()}
	var err error
	if s.st, err = store.Open(ctx, s.root, store.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.st.Close() })
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	s.first = hourly(start, 100, 300)
	s.first[60].V *= 1.5 // a spike: quarantined
	s.job = testJob(t, &batchSource{batches: [][]validatorstest.Point{s.first}}, nil)
	if dep != nil {
		s.job.Deployment = *dep
	}
	s.now = start.Add(100 * time.Hour)
	if _, err := Ingest(ctx, s.st, s.job, s.now); err != nil {
		t.Fatal(err)
	}
	q, err := s.st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
	if err != nil || len(q) != 1 {
		t.Fatalf("quarantine: %+v %v", q, err)
	}
	s.entry = q[0]
	return s
}

// forgedRow returns the Arrow IPC of the spike's row with the price v:
// the row a hostile catalog writer would put in row_ipc.
func (s *spikeSetup) forgedRow(t *testing.T, v float64) []byte {
	t.Helper()
	forged := s.first[60]
	forged.V = v
	rec := validatorstest.PriceRecord("prices-test", []validatorstest.Point{forged})
	defer rec.Release()
	ipc, err := encodeRow(rec)
	if err != nil {
		t.Fatal(err)
	}
	return ipc
}

// testDeployment is the registry deployment the hostile tests' jobs
// and decisions name (anvil's chain id, the registry's first address).
var testDeployment = attest.Deployment{ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}

// decidedAt is when the tests' stewards decide.
var decidedAt = time.Unix(1_735_787_045, 0).UTC()

// signApproval signs a new steward's approval of e's row as it is now, in
// deployment dep, and returns the decision and its signature.
func signApproval(t *testing.T, e *store.QuarantineEntry, dep attest.Deployment) (attest.Decision, []byte) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := EntryLeaf(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Leaf: leaf, Decision: store.QuarantineApproved,
		Reason: "checked", DecidedAt: uint64(decidedAt.Unix()), Deployment: dep}
	sig, err := attest.SignDecision(context.Background(), attest.NewKeySigner(key), &d)
	if err != nil {
		t.Fatal(err)
	}
	return d, sig
}
