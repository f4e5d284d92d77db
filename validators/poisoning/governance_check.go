package poisoning

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"regexp"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// propKey names a proposal of one group (both as 32-byte words; a string
// group is interned to its index).
type propKey struct {
	group, id [32]byte
}

// proposal is what the dataset says about a proposal.
type proposal struct {
	start, end int64
	window     bool
	cancelled  int64 // block of the cancellation, -1 when none
}

// govState is the proposals the run's votes name, read from history and
// run, and the history votes that repeat one of the run's ballots. keys,
// ids and want hold the run's votes (see governance_scan.go): nil keys keep every
// proposal.
type govState struct {
	props  map[propKey]*proposal
	groups map[string]int
	votes  []ballot
	// frozen: a string group the run's votes do not have is not interned
	// (its word is zero, which no interned group has).
	frozen bool
	keys   map[propKey]bool
	ids    map[[32]byte]bool
	want   map[[2]uint64]bool
}

// ballot is one vote reduced to what duplicate detection needs: two
// independent 64-bit hashes of (group, proposal, voter), the block, and
// the run row (-1 for history).
type ballot struct {
	h1, h2 uint64
	blk    int64
	row    int32
}

var ballotSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// groupOf returns a function giving each row's group as a word.
func (g *Governance) groupOf(t *validators.Table, st *govState) (func(int) [32]byte, error) {
	if g.cfg.GroupBy == "" {
		return func(int) [32]byte { return [32]byte{} }, nil
	}
	if c, _, err := t.Column(g.cfg.GroupBy); err == nil && c.Type == datasets.TypeAddress {
		// Read through the shared address column: no word column of its own.
		a, err := t.Addresses(g.cfg.GroupBy)
		if err != nil {
			return nil, err
		}
		return func(r int) [32]byte {
			var w [32]byte
			copy(w[12:], a.Values[r][:])
			return w
		}, nil
	} else if err == nil && c.Type != datasets.TypeString {
		w, err := t.Words(g.cfg.GroupBy)
		if err != nil {
			return nil, err
		}
		return func(r int) [32]byte { return w.Values[r] }, nil
	}
	s, err := t.Strings(g.cfg.GroupBy)
	if err != nil {
		return nil, err
	}
	return func(r int) [32]byte {
		i, ok := st.groups[s.Values[r]]
		if !ok {
			if st.frozen {
				return [32]byte{}
			}
			i = len(st.groups) + 1
			st.groups[s.Values[r]] = i
		}
		var k [32]byte
		binary.BigEndian.PutUint64(k[24:], uint64(i))
		return k
	}, nil
}

// addProposals records the created and cancelled rows of t.
func (g *Governance) addProposals(t *validators.Table, st *govState) error {
	rows, err := g.cfg.Created.Rows(t)
	if err != nil {
		return err
	}
	ids, err := t.Words(g.cfg.ID)
	if err != nil {
		return err
	}
	group, err := g.groupOf(t, st)
	if err != nil {
		return err
	}
	var start, end *validators.Col[int64]
	if g.cfg.Start != "" && g.cfg.End != "" {
		if start, err = t.Ints(g.cfg.Start); err != nil {
			return err
		}
		if end, err = t.Ints(g.cfg.End); err != nil {
			return err
		}
	}
	var none proposal // the proposals the run's votes do not name
	get := func(r int) *proposal {
		k := propKey{group(r), ids.Values[r]}
		if st.keys != nil && !st.keys[k] {
			return &none
		}
		p := st.props[k]
		if p == nil {
			p = &proposal{cancelled: -1}
			st.props[k] = p
		}
		return p
	}
	for _, r := range rows {
		if !ids.Valid(r) {
			continue
		}
		p := get(r)
		if start != nil && start.Valid(r) && end.Valid(r) {
			p.start, p.end, p.window = start.Values[r], end.Values[r], true
		}
	}
	if g.cfg.Cancelled.IsZero() {
		return nil
	}
	blocks, err := t.Ints(g.cfg.Block)
	if err != nil {
		return err
	}
	crows, err := g.cfg.Cancelled.Rows(t)
	if err != nil {
		return err
	}
	for _, r := range crows {
		if ids.Valid(r) && blocks.Valid(r) {
			if p := get(r); p.cancelled < 0 || blocks.Values[r] < p.cancelled {
				p.cancelled = blocks.Values[r]
			}
		}
	}
	return nil
}

// voteCols are the decoded vote columns of a table.
type voteCols struct {
	rows   []int
	ids    *validators.Col[[32]byte]
	blocks *validators.Col[int64]
	voters wordCol
	group  func(int) [32]byte
}

// wordCol reads a column as 32-byte words (Table.Words' layout): valid
// reports a non-null row and put writes the row's word into dst (32
// bytes). An address column is read through the table's shared address
// column instead of a word column of its own (12 bytes a row less, and
// the gaming checks decode the same column).
type wordCol struct {
	valid func(int) bool
	put   func(r int, dst []byte)
}

// voterWords returns col as a wordCol: addresses right-aligned, other
// types as wordsOf.
func voterWords(t *validators.Table, col string) (wordCol, error) {
	c, _, err := t.Column(col)
	if err != nil {
		return wordCol{}, err
	}
	if c.Type == datasets.TypeAddress {
		a, err := t.Addresses(col)
		if err != nil {
			return wordCol{}, err
		}
		return wordCol{valid: a.Valid, put: func(r int, dst []byte) {
			clear(dst[:12])
			copy(dst[12:32], a.Values[r][:])
		}}, nil
	}
	w, err := wordsOf(t, col)
	if err != nil {
		return wordCol{}, err
	}
	return wordCol{valid: w.Valid, put: func(r int, dst []byte) { copy(dst[:32], w.Values[r][:]) }}, nil
}

// wordsOf decodes col as words; a string column is hashed (lowercased,
// so addresses in any case compare) into the first 16 bytes.
func wordsOf(t *validators.Table, col string) (*validators.Col[[32]byte], error) {
	c, _, err := t.Column(col)
	if err != nil {
		return nil, err
	}
	if c.Type != datasets.TypeString {
		return t.Words(col)
	}
	s, err := t.Strings(col)
	if err != nil {
		return nil, err
	}
	out := &validators.Col[[32]byte]{Values: make([][32]byte, len(s.Values)), Null: s.Null}
	for i, v := range s.Values {
		v = strings.ToLower(v)
		binary.BigEndian.PutUint64(out.Values[i][:8], maphash.String(ballotSeeds[0], v))
		binary.BigEndian.PutUint64(out.Values[i][8:16], maphash.String(ballotSeeds[1], v))
	}
	return out, nil
}

func (g *Governance) voteCols(t *validators.Table, st *govState) (*voteCols, error) {
	var c voteCols
	var err error
	if c.rows, err = g.cfg.Votes.Rows(t); err != nil {
		return nil, err
	}
	if c.ids, err = t.Words(g.cfg.Proposal); err != nil {
		return nil, err
	}
	if c.blocks, err = t.Ints(g.cfg.Block); err != nil {
		return nil, err
	}
	if c.voters, err = voterWords(t, g.cfg.Voter); err != nil {
		return nil, err
	}
	if c.group, err = g.groupOf(t, st); err != nil {
		return nil, err
	}
	return &c, nil
}

// ballotsOf reduces the votes of c to ballots (row -1 for history).
func ballotsOf(c *voteCols, hist bool) []ballot {
	out := make([]ballot, 0, len(c.rows))
	var buf [96]byte
	for _, r := range c.rows {
		if !c.ids.Valid(r) || !c.voters.valid(r) {
			continue
		}
		gr := c.group(r)
		copy(buf[:32], gr[:])
		copy(buf[32:64], c.ids.Values[r][:])
		c.voters.put(r, buf[64:])
		b := ballot{h1: maphash.Bytes(ballotSeeds[0], buf[:]), h2: maphash.Bytes(ballotSeeds[1], buf[:]), blk: c.blocks.Values[r], row: int32(r)}
		if hist {
			b.row = -1
		}
		out = append(out, b)
	}
	return out
}

// duplicates returns the run rows whose (group, proposal, voter) an
// earlier vote has: history first, then the run by block and row. The
// ballots are grouped by h1 with a radix sort of 16-byte (h1, index)
// pairs (no copy of the ballots); each run of equal h1 (repeated votes,
// rarely a collision) is then ordered in full.
func duplicates(hist, run []ballot) []int {
	type ref struct {
		h1 uint64
		i  int32 // < len(hist): hist[i]; else run[i-len(hist)]
	}
	at := func(i int32) *ballot {
		if int(i) < len(hist) {
			return &hist[i]
		}
		return &run[int(i)-len(hist)]
	}
	refs := make([]ref, 0, len(hist)+len(run))
	for i := range hist {
		refs = append(refs, ref{hist[i].h1, int32(i)})
	}
	for i := range run {
		refs = append(refs, ref{run[i].h1, int32(len(hist) + i)})
	}
	radixSortBy(refs, func(r *ref) uint64 { return r.h1 })
	var out []int
	var grp []ballot
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].h1 == refs[i].h1 {
			j++
		}
		if j-i > 1 {
			grp = grp[:0]
			for _, r := range refs[i:j] {
				grp = append(grp, *at(r.i))
			}
			slices.SortFunc(grp, func(a, b ballot) int {
				return cmp.Or(cmp.Compare(a.h2, b.h2), cmp.Compare(b2i(a.row >= 0), b2i(b.row >= 0)),
					cmp.Compare(a.blk, b.blk), cmp.Compare(a.row, b.row))
			})
			for k := 1; k < len(grp); k++ {
				if grp[k].row >= 0 && grp[k].h2 == grp[k-1].h2 {
					out = append(out, int(grp[k].row))
				}
			}
		}
		i = j
	}
	slices.Sort(out)
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// subject names a vote's proposal with its group.
func (g *Governance) subject(t *validators.Table, row int) string {
	id := t.Value(row, g.cfg.Proposal)
	if g.cfg.GroupBy == "" {
		return "proposal " + id
	}
	return t.Value(row, g.cfg.GroupBy) + "/proposal " + id
}

// checkVotes checks the run's votes against the proposals and earlier votes.
func (g *Governance) checkVotes(t *validators.Table, st *govState, c *voteCols, run []ballot) ([]validators.Finding, error) {
	var err error
	var out []validators.Finding
	voter := func(r int) string { return t.Value(r, g.cfg.Voter) }
	for _, r := range duplicates(st.votes, run) {
		out = append(out, g.finding(CodeDuplicateVote, r, g.subject(t, r), 2, 1,
			fmt.Sprintf("%s voted again on %s (block %d)", voter(r), g.subject(t, r), c.blocks.Values[r])))
	}
	var weights *validators.Col[float64]
	if g.cfg.TotalSupply > 0 && g.cfg.Weight != "" {
		if weights, err = t.Floats(g.cfg.Weight); err != nil {
			return nil, err
		}
	}
	for _, r := range c.rows {
		if !c.ids.Valid(r) {
			continue
		}
		blk := c.blocks.Values[r]
		if p := st.props[propKey{c.group(r), c.ids.Values[r]}]; p != nil && c.blocks.Valid(r) {
			if p.window && (blk <= p.start || blk > p.end) {
				out = append(out, g.finding(CodeVoteOutsideWindow, r, g.subject(t, r), float64(blk), float64(p.end),
					fmt.Sprintf("vote by %s at block %d is outside the voting window of %s (blocks %d < b <= %d)", voter(r), blk, g.subject(t, r), p.start, p.end)))
			}
			if p.cancelled >= 0 && blk > p.cancelled {
				out = append(out, g.finding(CodeVoteAfterCancel, r, g.subject(t, r), float64(blk), float64(p.cancelled),
					fmt.Sprintf("vote by %s at block %d comes after %s was cancelled at block %d", voter(r), blk, g.subject(t, r), p.cancelled)))
			}
		}
		if weights != nil && weights.Valid(r) && weights.Values[r] > g.cfg.TotalSupply {
			out = append(out, g.finding(CodeWeightAboveSupply, r, g.subject(t, r), weights.Values[r], g.cfg.TotalSupply,
				fmt.Sprintf("vote by %s on %s weighs %.6g, above the total supply %.6g", voter(r), g.subject(t, r), weights.Values[r], g.cfg.TotalSupply)))
		}
	}
	return out, nil
}

var (
	addrToken = regexp.MustCompile(`0[xX][0-9A-Za-z]*`)
	addrValid = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
)

// checkAddresses checks the configured string columns: each value is an
// address or a list literal of addresses.
func (g *Governance) checkAddresses(t *validators.Table) ([]validators.Finding, error) {
	var out []validators.Finding
	for _, col := range g.cfg.Addresses {
		vals, err := t.Strings(col)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: addresses: %v", validators.ErrConfig, g.name, err)
		}
		for r, s := range vals.Values {
			if !vals.Valid(r) || s == "" || s == "[]" {
				continue
			}
			if msg := badAddresses(s); msg != "" {
				out = append(out, g.finding(CodeBadAddress, r, col, 1, 0, fmt.Sprintf("column %s: %s", col, msg)))
			}
		}
	}
	return out, nil
}

// badAddresses describes the first bad address of s ("" when all are
// good): a value that holds no 0x token at all is bad too.
func badAddresses(s string) string {
	toks := addrToken.FindAllString(s, -1)
	if len(toks) == 0 {
		return fmt.Sprintf("%q holds no address", short(s))
	}
	for _, a := range toks {
		switch {
		case !addrValid.MatchString(a):
			return fmt.Sprintf("%q is not 0x and 40 hex digits", short(a))
		case a != strings.ToLower(a) && a[2:] != strings.ToUpper(a[2:]) && common.HexToAddress(a).Hex() != a:
			return fmt.Sprintf("%q fails the EIP-55 checksum", a)
		}
	}
	return ""
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
