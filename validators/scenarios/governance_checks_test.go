package scenarios

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// govFault injects one fault into an export's records and returns the
// code the damaged row must get; the row is appended or changed in place.
type govFault struct {
	name string
	code validators.Code
	// apply changes rows (header map col) and returns the index of the
	// damaged row in rows.
	apply func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int)
}

// firstVote returns the index of the first vote row of the export.
func firstVote(c governanceCase, col map[string]int, rows [][]string, skip int) int {
	for i, r := range rows {
		if r[col["event_name"]] == c.voteEvent {
			if skip == 0 {
				return i
			}
			skip--
		}
	}
	panic("no vote")
}

// window returns the created row's start and end block of proposal id.
func windowOf(col map[string]int, rows [][]string, id string) (int64, int64) {
	for _, r := range rows {
		if r[col["event_name"]] == "ProposalCreated" && num(r[col["id"]]) == num(id) {
			return int64(num(r[col["startBlock"]])), int64(num(r[col["endBlock"]]))
		}
	}
	panic("no proposal " + id)
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// copyVote appends a copy of vote row i with a new log index and returns it.
func copyVote(col map[string]int, rows [][]string, i int) ([][]string, int) {
	r := append([]string(nil), rows[i]...)
	r[col["log_index"]] = "999"
	return append(rows, r), len(rows)
}

var govFaults = []govFault{
	{"vote after the window", "poisoning.vote_outside_window", func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		rows, i := copyVote(col, rows, firstVote(c, col, rows, 3))
		_, end := windowOf(col, rows, rows[i][col[c.voteID]])
		rows[i][col["block_number"]] = strconv.FormatInt(end+50, 10)
		rows[i][col["voter"]] = "0x00000000000000000000000000000000000000a1"
		return rows, i
	}},
	{"vote at the window's start block", "poisoning.vote_outside_window", func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		i := firstVote(c, col, rows, 5)
		start, _ := windowOf(col, rows, rows[i][col[c.voteID]])
		rows[i][col["block_number"]] = strconv.FormatInt(start, 10)
		return rows, i
	}},
	{"duplicate vote", "poisoning.duplicate_vote", func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		rows, i := copyVote(col, rows, firstVote(c, col, rows, 7))
		rows[i][col["log_index"]] = "998"
		return rows, i
	}},
	{"weight above the supply", "poisoning.weight_above_supply", func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		i := firstVote(c, col, rows, 11)
		rows[i][col[c.weight]] = "3e+25"
		return rows, i
	}},
	{"malformed target address", "poisoning.bad_address", func(_ governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		for i, r := range rows {
			if r[col["event_name"]] == "ProposalCreated" {
				rows[i][col["targets"]] = "['0x5b9xyz']"
				return rows, i
			}
		}
		panic("no proposal")
	}},
	{"checksum-invalid target address", "poisoning.bad_address", func(_ governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		for i, r := range rows {
			if r[col["event_name"]] == "ProposalCreated" {
				rows[i][col["targets"]] = "['0xC0Da02939E1441F497fd74F78cE7Decb17B66529']"
				return rows, i
			}
		}
		panic("no proposal")
	}},
	{"vote after cancellation", "poisoning.vote_after_cancel", func(c governanceCase, col map[string]int, rows [][]string) ([][]string, int) {
		for _, r := range rows {
			if r[col["event_name"]] != "ProposalCanceled" {
				continue
			}
			id, blk := r[col["id"]], int64(num(r[col["block_number"]]))
			v := append([]string(nil), rows[firstVote(c, col, rows, 0)]...)
			v[col[c.voteID]], v[col["block_number"]], v[col["log_index"]] = id, strconv.FormatInt(blk+1, 10), "997"
			v[col["voter"]] = "0x00000000000000000000000000000000000000a2"
			return append(rows, v), len(rows)
		}
		panic("no cancellation")
	}},
}

// TestGovernanceChecksOnRealExports injects each fault into a copy of each
// real export: the damaged row gets the fault's code, and no other row
// gets a finding of the governance check.
func TestGovernanceChecksOnRealExports(t *testing.T) {
	for _, c := range governanceCases {
		for _, fl := range govFaults {
			t.Run(c.name+"/"+fl.name, func(t *testing.T) {
				recs := readCSV(t, shareddata.SharedData(t, c.csv))
				col := map[string]int{}
				for i, h := range recs[0] {
					col[h] = i
				}
				rows, at := fl.apply(c, col, recs[1:])
				path := filepath.Join(t.TempDir(), "damaged.csv")
				writeCSV(t, path, recs[0], rows)
				job, src, suite := exampleJob(t, c.example, path)
				data := fetchAll(t, src)
				defer releaseAll(data)
				out := run(t, suite, job.Dataset, src.Schema(), data, validators.NoHistory{}, time.Now())
				lines, _ := out.Input.Table.Ints("_line")
				hit, fps := false, 0
				for _, f := range failing(out, "") {
					if f.Validator != "poisoning.governance" {
						continue
					}
					for _, r := range f.Rows {
						if r == at && f.Code == fl.code {
							hit = true
							continue
						}
						if r != at {
							fps++
							t.Errorf("false alarm: %s on line %d: %s", f.Code, lines.Values[r], f.Message)
						}
					}
				}
				if !hit {
					t.Errorf("damaged row %d: no %s", at, fl.code)
				}
				if !out.Quarantined[at] {
					t.Errorf("damaged row %d is not quarantined", at)
				}
				record(t, "governance checks", fmt.Sprintf("%s: %s", c.name, fl.name), b2i(hit), fps, 1-b2i(hit))
			})
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func readCSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeCSV(t *testing.T, path string, header []string, rows [][]string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
