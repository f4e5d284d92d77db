package evmlogs_test

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// TestBadValuesQuarantined corrupts one log of an eth_getLogs answer
// through a loopback proxy in front of anvil: a value that does not decode
// into its declared type, data too short for the declaration, a malformed
// data or topic field. The fetch must succeed, emit every log as a row and
// report exactly one bad value naming the column, the raw value and the
// log's block, log index and transaction, on the corrupted row.
func TestBadValuesQuarantined(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 3, 3)
	firstData := regexp.MustCompile(`"data":"0x[0-9a-f]*"`)
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		column string
		raw    string // the reported raw value starts with this
	}{
		{"address topic with dirty upper bytes", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"0x000000000000000000000000f39f`), []byte(`"0x100000000000000000000000f39f`), 1)
		}, "from", "0x100000000000000000000000f39f"},
		{"data shorter than the declaration", func(b []byte) []byte {
			return firstData.ReplaceAllLiteral(b, []byte(`"data":"0x00ff"`))
		}, "data", "0x00ff"},
		{"data not hexadecimal", func(b []byte) []byte {
			return firstData.ReplaceAllLiteral(b, []byte(`"data":"0xzz"`))
		}, "data", `0xzz`},
		{"topic not hexadecimal", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"0x000000000000000000000000f39f`), []byte(`"0xq00000000000000000000000f39f`), 1)
		}, "topics", "0xq0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{Mutate: func(method string, body []byte) []byte {
				if method == "eth_getLogs" && bytes.Contains(body, []byte(`"logIndex"`)) {
					// Only the first log carries the fault: cut the body
					// after it, corrupt that part, glue it back.
					i := bytes.Index(body, []byte(`"removed"`))
					return append(tt.mutate(append([]byte(nil), body[:i]...)), body[i:]...)
				}
				return body
			}})
			rows, res := fetchAll(t, newSource(t, "pings", pingConfig(p.URL, addr), chaintest.Deps(t, nil)), nil)
			if len(rows) != 3 {
				t.Fatalf("%d rows, want all 3 logs as rows", len(rows))
			}
			if len(res.BadValues) != 1 {
				t.Fatalf("bad values %+v, want one", res.BadValues)
			}
			b := res.BadValues[0]
			t.Logf("%+v", b)
			r := rows[b.Row]
			loc := "block " + fmt.Sprint(r["block_number"]) + " log " + fmt.Sprint(r["log_index"]) + " tx " + r["tx_hash"].(string)
			if b.Column != tt.column || !strings.HasPrefix(b.Raw, tt.raw) || !strings.HasPrefix(b.Locator, loc) || b.Problem == "" {
				t.Errorf("bad value %+v, want column %s, raw %s…, locator %s…", b, tt.column, tt.raw, loc)
			}
			if b.Row != 0 {
				t.Errorf("bad value on row %d, want the first log's row", b.Row)
			}
		})
	}
}

// TestIngestQuarantinesBadLog ingests through the same corrupting proxy:
// by default the dataset seals the good logs and quarantines the bad one
// as poisoning.bad_value naming its block, log index and transaction;
// with on_bad_value: fail the run fails with ErrBadInput and seals
// nothing.
func TestIngestQuarantinesBadLog(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 3, 3)
	p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{Mutate: func(method string, body []byte) []byte {
		if method == "eth_getLogs" {
			return bytes.Replace(body, []byte(`"0x000000000000000000000000f39f`), []byte(`"0x100000000000000000000000f39f`), 1)
		}
		return body
	}})
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("fail=%v", fail), func(t *testing.T) {
			ctx := chaintest.Ctx(t)
			st := openStore(t, t.TempDir())
			suite, err := validators.NewSuite(nil, nil, validators.SuiteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			job := pipeline.Job{Name: "pings", Dataset: "pings", Source: newSource(t, "pings", pingConfig(p.URL, addr), chaintest.Deps(t, nil)),
				Validation: suite, FailOnBadValue: fail}
			res, err := pipeline.Ingest(ctx, st, job, time.Unix(1_800_000_000, 0))
			if fail {
				if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "block ") || !strings.Contains(err.Error(), "from") {
					t.Fatalf("err = %v, want ErrBadInput naming the block and the column", err)
				}
				if vs, _ := st.Versions(ctx, "pings"); len(vs) != 0 {
					t.Fatalf("sealed %d versions after a failed run", len(vs))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Manifest == nil || res.Manifest.RowCount != 2 {
				t.Fatalf("sealed %+v, want the 2 good logs", res.Manifest)
			}
			found := false
			for _, f := range res.Validation.Report.Findings {
				if f.Code == validators.CodeBadValue {
					found = true
					if !strings.Contains(f.Message, "column from") || !strings.Contains(f.Message, " tx 0x") || !strings.HasPrefix(f.Message, "block ") {
						t.Errorf("finding %q does not name the column, block and transaction", f.Message)
					}
				}
			}
			es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "pings"})
			if err != nil {
				t.Fatal(err)
			}
			if !found || len(es) != 1 {
				t.Fatalf("bad-value finding %v, quarantine %+v; want one of each", found, es)
			}
		})
	}
}
