package evmlogs_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

// TestChainDuplicateKeys covers duplicate keys from a chain source on
// anvil. Within one fetch the source itself refuses a log the node repeats
// (a hostile RPC that answers eth_getLogs with a log twice): logs must come
// in strictly increasing (block, log index) order. Against an earlier
// version the store refuses: a job renamed in the configuration starts
// without a checkpoint and reads the same logs again into the same dataset;
// the seal fails naming both rows and nothing is sealed.
func TestChainDuplicateKeys(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 40, 10)
	ctx := chaintest.Ctx(t)
	now := time.Unix(1_800_000_000, 0)

	// A hostile node repeats the last log of every non-empty answer.
	p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{Mutate: repeatLastLog})
	st := openStore(t, t.TempDir())
	hostile := pipeline.Job{Name: "pings", Dataset: "pings", Source: newSource(t, "pings", pingConfig(p.URL, addr), chaintest.Deps(t, st.Raw()))}
	_, err := pipeline.Ingest(ctx, st, hostile, now)
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "out of order or repeated") {
		t.Fatalf("a repeated log: %v", err)
	}
	if _, err := st.Version(ctx, "pings", 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a version was sealed from a hostile answer: %v", err)
	}

	// The same logs read again by a renamed job: refused against pings@1.
	job := pipeline.Job{Name: "pings", Dataset: "pings", Source: newSource(t, "pings", pingConfig(a.RPCURL(), addr), chaintest.Deps(t, st.Raw()))}
	ingestUntil(t, st, job, head(t, a))
	m, rows := chaintest.StoreRows(t, st, "pings")
	if len(rows) != 40 {
		t.Fatalf("%d rows, want 40", len(rows))
	}
	renamed := job
	renamed.Name = "pings-renamed"
	_, err = pipeline.Ingest(ctx, st, renamed, now)
	if !errors.Is(err, store.ErrDuplicateKey) || !strings.Contains(err.Error(), "row 0 (sealed in pings@") || !strings.Contains(err.Error(), "tx_hash=0x") {
		t.Fatalf("the same logs again: %v", err)
	}
	if m2, _ := chaintest.StoreRows(t, st, "pings"); m2.Version != m.Version {
		t.Fatalf("a version was sealed: %d after %d", m2.Version, m.Version)
	}
}

// repeatLastLog rewrites an eth_getLogs answer so its last log appears twice.
func repeatLastLog(method string, body []byte) []byte {
	if method != "eth_getLogs" {
		return body
	}
	var res map[string]json.RawMessage
	var logs []json.RawMessage
	if json.Unmarshal(body, &res) != nil || json.Unmarshal(res["result"], &logs) != nil || len(logs) == 0 {
		return body
	}
	logs = append(logs, logs[len(logs)-1])
	res["result"], _ = json.Marshal(logs)
	out, _ := json.Marshal(res)
	return out
}
