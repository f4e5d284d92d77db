package scenarios

import (
	"encoding/csv"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// damageCSV writes a damaged copy of the export at from to to.
func damageCSV(t *testing.T, c governanceCase, from, to string) *damage {
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	g := &govTable{c: c, col: col, rows: recs[1:]}
	d := g.damage()
	w, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(w)
	cw.Write(recs[0])
	cw.WriteAll(g.rows)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("damage: created removed %v, whole proposals removed %v, whale votes removed on %v, %d changed duplicates", d.createdRemoved, d.wholeRemoved, d.whalesRemoved, len(d.dupKeys))
	return d
}

// govTable is an export's records under damage.
type govTable struct {
	c    governanceCase
	col  map[string]int
	rows [][]string
}

func (g *govTable) get(r []string, name string) string { return r[g.col[name]] }

func (g *govTable) num(r []string, name string) int64 {
	f, _ := strconv.ParseFloat(g.get(r, name), 64)
	return int64(f)
}

// proposalOf returns the proposal a row belongs to, or -1.
func (g *govTable) proposalOf(r []string) int64 {
	if g.get(r, "event_name") == g.c.voteEvent {
		return g.num(r, g.c.voteID)
	}
	if g.get(r, "id") != "" {
		return g.num(r, "id")
	}
	return -1
}

func (g *govTable) damage() *damage {
	d := &damage{dupKeys: map[string]string{}}
	var ids, passed []int64
	seenPassed := map[int64]bool{}
	for _, r := range g.rows {
		switch ev := g.get(r, "event_name"); {
		case ev == "ProposalCreated":
			ids = append(ids, g.num(r, "id"))
		case (ev == "ProposalQueued" || ev == "ProposalExecuted") && !seenPassed[g.num(r, "id")]:
			seenPassed[g.num(r, "id")] = true
			passed = append(passed, g.num(r, "id"))
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// the picks of an export of at least 80 proposals; a smaller one
	// (GovernorAlpha: 42) gets them at the same fractions of its length
	at := func(i, n int) int {
		if len(ids) >= 80 {
			return i
		}
		return i * n / 80
	}
	c := func(i int) int64 { return ids[at(i, len(ids))] }
	d.createdRemoved = []int64{c(10), c(40), c(70)}
	d.wholeRemoved = []int64{c(55)}
	touched := map[int64]bool{c(10): true, c(40): true, c(70): true, c(55): true}
	for _, i := range []int{5, 25, 45, 65} {
		for i = at(i, len(passed)); touched[passed[i]]; {
			i++
		}
		d.whalesRemoved = append(d.whalesRemoved, passed[i])
		touched[passed[i]] = true
	}
	g.removeCreated(d.createdRemoved)
	g.removeWhole(d.wholeRemoved)
	for _, id := range d.whalesRemoved {
		g.removeWhales(id)
	}
	g.duplicate(d, touched)
	return d
}

func (g *govTable) filter(drop func([]string) bool) {
	out := g.rows[:0]
	for _, r := range g.rows {
		if !drop(r) {
			out = append(out, r)
		}
	}
	g.rows = out
}

func (g *govTable) removeCreated(ids []int64) {
	set := map[int64]bool{}
	for _, id := range ids {
		set[id] = true
	}
	g.filter(func(r []string) bool { return g.get(r, "event_name") == "ProposalCreated" && set[g.num(r, "id")] })
}

func (g *govTable) removeWhole(ids []int64) {
	set := map[int64]bool{}
	for _, id := range ids {
		set[id] = true
	}
	g.filter(func(r []string) bool { return set[g.proposalOf(r)] })
}

// removeWhales removes the largest for votes of a proposal until its for
// total is below the quorum.
func (g *govTable) removeWhales(id int64) {
	type vote struct {
		key string
		w   float64
	}
	var votes []vote
	total := 0.0
	for _, r := range g.rows {
		if g.get(r, "event_name") == g.c.voteEvent && g.proposalOf(r) == id && g.get(r, "support") == g.c.forValue {
			w, _ := strconv.ParseFloat(g.get(r, g.c.weight), 64)
			votes = append(votes, vote{g.get(r, "txhash") + "/" + g.get(r, "log_index"), w})
			total += w
		}
	}
	sort.Slice(votes, func(i, j int) bool { return votes[i].w > votes[j].w })
	drop := map[string]bool{}
	for _, v := range votes {
		if total < g.c.quorum {
			break
		}
		drop[v.key] = true
		total -= v.w
	}
	g.filter(func(r []string) bool { return drop[g.get(r, "txhash")+"/"+g.get(r, "log_index")] })
}

// duplicate inserts 30 changed copies of votes right after their originals.
func (g *govTable) duplicate(d *damage, avoid map[int64]bool) {
	var cand []int
	for i, r := range g.rows {
		if g.get(r, "event_name") == g.c.voteEvent && !avoid[g.proposalOf(r)] {
			cand = append(cand, i)
		}
	}
	pick := map[int]int{} // row index → copy number
	for k := 0; k < 30; k++ {
		pick[cand[(k*len(cand))/30+7]] = k
	}
	var out [][]string
	for i, r := range g.rows {
		out = append(out, r)
		k, ok := pick[i]
		if !ok {
			continue
		}
		cp := append([]string(nil), r...)
		w, _ := new(big.Int).SetString(strings.TrimSuffix(g.get(r, g.c.weight), ".0"), 10)
		if w == nil {
			w = big.NewInt(1)
		}
		w.Mul(w, big.NewInt(int64(13+k%7)))
		w.Div(w, big.NewInt(10))
		w.Add(w, big.NewInt(int64(1000+k)))
		cp[g.col[g.c.weight]] = w.String()
		if k%2 == 1 {
			li, _ := strconv.Atoi(g.get(r, "log_index"))
			cp[g.col["log_index"]] = strconv.Itoa(li + 500)
		}
		d.dupKeys[strings.ToLower(g.get(cp, "txhash"))+"/"+g.get(cp, "log_index")] = w.String()
		out = append(out, cp)
	}
	g.rows = out
}
