package snapshot

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	for _, table := range []string{TableVotes, TableProposals, TableSpaces} {
		t.Run(table, func(t *testing.T) {
			sourcetest.Run(t, sourcetest.Harness{
				Provenance: []string{ColSource, ColRaw},
				Volatile:   []string{ColRaw}, // a page's body changes as the space grows
				New: func(t testing.TB) sourcetest.Instance {
					// Growth adds whole bursts: new votes come at new seconds
					// (TestLateItem covers one arriving at the cursor's second).
					gen := fakeapi.GenOptions{Space: "conf.eth", Proposals: 5, Votes: 21, Burst: 3, Spaces: 9}
					hub := fakeapi.StartHub(fakeapi.Generate(gen), fakeapi.HubOptions{})
					t.Cleanup(hub.Close)
					space := "conf.eth"
					if table == TableSpaces {
						space = "" // every space
					}
					s := mustNew(t, "snap-"+table, testConfig(hub.URL, table, space, 4), testDeps(t, nil))
					return sourcetest.Instance{Source: s, Grow: func(t testing.TB) {
						switch table {
						case TableVotes:
							gen.Votes += 6 // votes keep their proposals only while Proposals stays
						case TableProposals:
							gen.Proposals += 2
						default:
							gen.Spaces += 3 // a whole burst of spaces at a new second
						}
						hub.SetData(fakeapi.Generate(gen))
					}}
				},
			})
		})
	}
}

// TestPaging reads a space whose votes come in bursts larger than a page,
// so items sharing a second straddle page boundaries and skip is needed:
// every vote must be read once, in order, within the hub's caps.
func TestPaging(t *testing.T) {
	tests := []struct {
		name         string
		votes, burst int
		pageSize     int
		wantErr      string
		wantMaxSkip  int64
	}{
		{name: "bursts within a page", votes: 2500, burst: 7, pageSize: 1000},
		{name: "bursts across pages", votes: 1200, burst: 5, pageSize: 3, wantMaxSkip: 3},
		{name: "a burst of 2500 in one second", votes: 5000, burst: 2500, pageSize: 1000, wantMaxSkip: 2000},
		{name: "a burst beyond the skip cap", votes: 7000, burst: 7000, pageSize: 1000, wantErr: "more than 6000 items share created="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := fakeapi.Generate(fakeapi.GenOptions{Votes: tc.votes, Burst: tc.burst})
			hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
			defer hub.Close()
			cfg := testConfig(hub.URL, TableVotes, "groundtruth.eth", tc.pageSize)
			cfg.MaxPages = 10_000
			s := mustNew(t, "snap", cfg, testDeps(t, nil))
			if tc.wantErr != "" {
				_, _, err := fetchAll(t, s, nil)
				if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
			} else {
				rows, _ := drain(t, s, nil)
				checkIDs(t, rows, finalIDs(data.Votes, "vp_state"))
			}
			if hub.MaxFirst() > MaxFirst || hub.MaxSkip() > MaxSkip {
				t.Fatalf("the hub saw first=%d skip=%d", hub.MaxFirst(), hub.MaxSkip())
			}
			if hub.MaxSkip() != tc.wantMaxSkip && tc.wantErr == "" {
				t.Errorf("max skip %d, want %d", hub.MaxSkip(), tc.wantMaxSkip)
			}
			for _, c := range hub.Calls() {
				if c.OrderBy != "created" || c.OrderDirection != "asc" || c.Where["space"] != "groundtruth.eth" {
					t.Fatalf("call %+v", c)
				}
			}
		})
	}
}

// TestPending checks that the cursor waits before the first item that is
// not final and that the item is read once it is final.
func TestPending(t *testing.T) {
	gen := fakeapi.GenOptions{Votes: 40, Burst: 4, Pending: 6}
	hub := fakeapi.StartHub(fakeapi.Generate(gen), fakeapi.HubOptions{})
	defer hub.Close()
	var logs bytes.Buffer
	deps := testDeps(t, nil)
	deps.Logger = newTextLogger(&logs)
	s := mustNew(t, "snap", testConfig(hub.URL, TableVotes, "groundtruth.eth", 10), deps)
	rows, cur := drain(t, s, nil)
	if len(rows) != 34 {
		t.Fatalf("%d rows before the pending votes, want 34", len(rows))
	}
	if !strings.Contains(logs.String(), "waiting for an item to become final") {
		t.Fatalf("no log about the pending vote: %s", logs.String())
	}
	// The votes become final: they are read now, once.
	gen.Pending = 0
	hub.SetData(fakeapi.Generate(gen))
	more, _ := drain(t, s, cur)
	checkIDs(t, append(rows, more...), finalIDs(fakeapi.Generate(gen).Votes, "vp_state"))

	// pending_timeout lets the cursor pass votes pending for too long.
	gen.Pending = 6
	hub.SetData(fakeapi.Generate(gen))
	cfg := testConfig(hub.URL, TableVotes, "groundtruth.eth", 10)
	cfg.PendingTimeout = time.Hour // the generated votes are from 2023
	s = mustNew(t, "snap", cfg, deps)
	rows, cur = drain(t, s, nil)
	gen.Pending = 0
	hub.SetData(fakeapi.Generate(gen))
	if more, _ := drain(t, s, cur); len(rows) != 34 || len(more) != 0 {
		t.Fatalf("with pending_timeout: %d rows then %d", len(rows), len(more))
	}
}

// TestLateItem adds a vote at the cursor's second after it was read: the
// next fetch reads it, once, and nothing else.
func TestLateItem(t *testing.T) {
	gen := fakeapi.GenOptions{Votes: 21, Burst: 3}
	hub := fakeapi.StartHub(fakeapi.Generate(gen), fakeapi.HubOptions{})
	defer hub.Close()
	s := mustNew(t, "snap", testConfig(hub.URL, TableVotes, "groundtruth.eth", 2), testDeps(t, nil))
	rows, cur := drain(t, s, nil)
	// Vote 21 opens a new burst; move it into the last second read.
	data := fakeapi.Generate(fakeapi.GenOptions{Votes: 22, Burst: 3})
	data.Votes[21]["created"] = data.Votes[20]["created"]
	hub.SetData(data)
	more, _ := drain(t, s, cur)
	if len(rows) != 21 || len(more) != 1 || more[0]["id"] != fakeapi.GenID("vote", 21) {
		t.Fatalf("%d rows, then %v", len(rows), more)
	}
}

// TestRecorded reads the recorded hub answers and compares the rows with
// golden files (go test -run TestRecorded -update rewrites them). The
// spaces table is read without a space: every recorded space.
func TestRecorded(t *testing.T) {
	hub := fakeapi.StartHub(recorded(t), fakeapi.HubOptions{})
	defer hub.Close()
	for _, table := range []string{TableVotes, TableProposals, TableSpaces} {
		t.Run(table, func(t *testing.T) {
			space := "gtdao.eth"
			if table == TableSpaces {
				space = ""
			}
			s := mustNew(t, "gtdao", testConfig(hub.URL, table, space, 3), testDeps(t, nil))
			rows, _ := drain(t, s, nil)
			var b strings.Builder
			for _, r := range rows {
				for _, c := range s.Schema().Columns {
					if c.Name == ColRaw {
						continue
					}
					v, ok := r[c.Name]
					if !ok {
						v = "NULL"
					}
					b.WriteString(c.Name + "=" + v + "\n")
				}
				b.WriteString("\n")
			}
			golden := filepath.Join("testdata", table+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if b.String() != string(want) {
				t.Fatalf("rows differ from %s (run with -update after checking):\n%s", golden, b.String())
			}
			// The same rows through pipeline.Ingest into a store.
			st := openStore(t)
			s = mustNew(t, "gtdao", testConfig(hub.URL, table, space, 3), testDeps(t, st.Raw()))
			job := pipeline.Job{Name: table, Dataset: table, Source: s}
			if _, err := pipeline.Ingest(context.Background(), st, job, time.Now()); err != nil {
				t.Fatal(err)
			}
			stored, _ := storedRows(t, st, table)
			if len(stored) != len(rows) {
				t.Fatalf("%d rows stored, %d fetched", len(stored), len(rows))
			}
			for i := range rows {
				for k, v := range rows[i] {
					if stored[i][k] != v {
						t.Fatalf("row %d column %s: stored %q, fetched %q", i, k, stored[i][k], v)
					}
				}
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"ok", func(*Config) {}, ""},
		{"page above the hub's cap", func(c *Config) { c.PageSize = 1001 }, "page_size must be between 1 and 1000"},
		{"unknown table", func(c *Config) { c.Table = "comments" }, "table must be proposals, votes or spaces"},
		{"no space", func(c *Config) { c.Space = " " }, "space is required for table votes"},
		{"proposals need a space", func(c *Config) { c.Table, c.Space = TableProposals, "" }, "space is required for table proposals"},
		{"one space", func(c *Config) { c.Table = TableSpaces }, ""},
		{"every space", func(c *Config) { c.Table, c.Space = TableSpaces, "" }, ""},
		{"blank space for spaces", func(c *Config) { c.Table, c.Space = TableSpaces, "  " }, "space is blank; leave it out to read every space"},
		{"bad url", func(c *Config) { c.URL = "hub.snapshot.org" }, "url must be an http or https URL"},
		{"bad start", func(c *Config) { c.Start = "last week" }, "start must be Unix seconds"},
		{"bad http", func(c *Config) { c.HTTP.Burst = 0 }, "burst must be at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig("https://hub.snapshot.org/graphql", TableVotes, "aave.eth", 1000)
			tc.edit(&c)
			_, err := New("x", c, sources.Deps{})
			if tc.want == "" && err != nil || tc.want != "" && (!errors.Is(err, sources.ErrConfig) || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("New() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCanonicalJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`1`, `1`},
		{` 2.0 `, `2`},
		{`-0.0`, `0`},
		{`1.5e300`, `1.5e+300`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{`[1, 2 ,3]`, `[1,2,3]`},
		{`{"10": 1, "2": 3}`, `{"10":1,"2":3}`},
		{`{"b": {"z": null, "a": true}, "a": "x<y>&\u00e9"}`, `{"a":"x<y>&é","b":{"a":true,"z":null}}`},
		{`"0xabc"`, `"0xabc"`},
		{``, `null`},
	}
	for _, tc := range tests {
		got, err := canonicalJSON([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("canonicalJSON(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	if _, err := canonicalJSON([]byte(`{"a":`)); err == nil {
		t.Error("a broken document was accepted")
	}
}
