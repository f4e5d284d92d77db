package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// growingFile is a source file the test grows a chunk at a time, by
// writing its longer content to a temporary file and renaming it over the
// old one (a reader never sees half a record).
type growingFile struct {
	path   string
	header string
	lines  []string // records, each with its line break
	keys   []string // the key of each record, as keysOf renders it
	shown  int
}

// grow appends up to n more records; it reports whether any were left.
func (g *growingFile) grow(t *testing.T, n int) bool {
	t.Helper()
	if g.shown == len(g.lines) {
		return false
	}
	g.shown = min(len(g.lines), g.shown+n)
	tmp := g.path + ".tmp"
	writeFile(t, tmp, g.header+strings.Join(g.lines[:g.shown], ""))
	if err := os.Rename(tmp, g.path); err != nil {
		t.Fatal(err)
	}
	return true
}

// priceFile reads a real `ms,usd` series and makes a growing copy of it,
// as CSV or as JSONL; every 250th price is multiplied by 1.8 so that each
// chunk has a spike to quarantine.
func priceFile(t *testing.T, src, path string, jsonl bool) *growingFile {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	g := &growingFile{path: path}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		ms, price, ok := strings.Cut(line, ",")
		p, err := strconv.ParseFloat(price, 64)
		if !ok || err != nil {
			t.Fatalf("%s line %d: %q", src, i+1, line)
		}
		if i%250 == 125 {
			p *= 1.8
		}
		g.keys = append(g.keys, ms)
		if jsonl {
			g.lines = append(g.lines, fmt.Sprintf(`{"ts":%s,"price":%s}`+"\n", ms, strconv.FormatFloat(p, 'g', -1, 64)))
		} else {
			g.lines = append(g.lines, ms+","+strconv.FormatFloat(p, 'g', -1, 64)+"\n")
		}
	}
	return g
}

// bravoFile makes a growing copy of the real GovernorBravo export (its
// records re-written one by one, multi-line descriptions included).
func bravoFile(t *testing.T, src, path string) *growingFile {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	render := func(rec []string) string {
		var b strings.Builder
		w := csv.NewWriter(&b)
		_ = w.Write(rec)
		w.Flush()
		return b.String()
	}
	g := &growingFile{path: path, header: render(recs[0])}
	for _, rec := range recs[1:] {
		g.lines = append(g.lines, render(rec))
		g.keys = append(g.keys, strings.ToLower(rec[2])+"|"+rec[3]) // txhash|log_index
	}
	return g
}
