package poisoning

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Peer names another dataset observing the same quantity (another price
// source), read from history for cross-source checks.
type Peer struct {
	// Dataset is the peer's dataset.
	Dataset string `yaml:"dataset" json:"dataset" config:"required"`
	// Value and Time name the peer's columns; they default to the
	// validator's own column names.
	Value string `yaml:"value" json:"value"`
	Time  string `yaml:"time" json:"time"`
	// Where selects the peer's rows (e.g. one market of a multi-market feed).
	Where validators.Where `yaml:"where" json:"where"`
}

// peerDatasets returns the datasets of peers.
func peerDatasets(peers []Peer) []string {
	out := make([]string, len(peers))
	for i, p := range peers {
		out[i] = p.Dataset
	}
	return out
}

// PeerDatasets implements validators.Peered.
func (s *Series) PeerDatasets() []string { return peerDatasets(s.cfg.Peers) }

// PeerDatasets implements validators.Peered.
func (c *CrossSource) PeerDatasets() []string { return peerDatasets(c.cfg.Peers) }

// peerSeries is one peer's observations in time order.
type peerSeries struct {
	name string
	t    []int64
	v    []float64
	// unsealed counts the peer's quarantined and pending rows read
	unsealed int
}

// loadPeers reads the peers' latest versions, keeping observations with
// times in [from, to] (Unix microseconds).
func loadPeers(ctx context.Context, in *validators.Input, peers []Peer, defValue, defTime string, from, to int64) ([]peerSeries, error) {
	out := make([]peerSeries, 0, len(peers))
	for _, p := range peers {
		ps, err := loadPeer(ctx, in, p, defValue, defTime, from, to, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, ps)
	}
	return out, nil
}

// loadPeer reads one peer's observations with times in [from, to]: the
// last maxRows rows of its latest version (all of them when 0), then its
// quarantined and pending rows.
func loadPeer(ctx context.Context, in *validators.Input, p Peer, defValue, defTime string, from, to int64, maxRows uint64) (peerSeries, error) {
	ps := peerSeries{name: p.Dataset}
	t, err := validators.HistoryTable(ctx, in, p.Dataset, maxRows)
	if err != nil {
		return ps, fmt.Errorf("peer %s: %w", p.Dataset, err)
	}
	if err := ps.add(t, p, defValue, defTime, from, to); err != nil {
		return ps, err
	}
	// what the peer observed but did not seal counts too: its quarantine
	// of a real move must not take the confirmation away from this source
	u, err := validators.UnsealedTable(ctx, in, p.Dataset)
	if err != nil {
		return ps, fmt.Errorf("peer %s: %w", p.Dataset, err)
	}
	if u != nil {
		ps.unsealed = u.Len()
		if err := ps.add(u.Table, p, defValue, defTime, from, to); err != nil {
			return ps, err
		}
	}
	ps.sort()
	return ps, nil
}

// add appends the observations of t with times in [from, to].
func (ps *peerSeries) add(t *validators.Table, p Peer, defValue, defTime string, from, to int64) error {
	if t == nil {
		return nil
	}
	vc, tc := cmp.Or(p.Value, defValue), cmp.Or(p.Time, defTime)
	vals, err := t.Floats(vc)
	if err != nil {
		return fmt.Errorf("peer %s: %w", p.Dataset, err)
	}
	times, err := t.Ints(tc)
	if err != nil {
		return fmt.Errorf("peer %s: %w", p.Dataset, err)
	}
	rows, err := p.Where.Rows(t)
	if err != nil {
		return fmt.Errorf("peer %s: %w", p.Dataset, err)
	}
	for _, r := range rows {
		if vals.Valid(r) && times.Valid(r) && times.Values[r] >= from && times.Values[r] <= to && vals.Values[r] > 0 {
			ps.t = append(ps.t, times.Values[r])
			ps.v = append(ps.v, vals.Values[r])
		}
	}
	return nil
}

// sort orders the observations by time (values break ties, so the result
// does not depend on where each observation came from).
func (ps *peerSeries) sort() {
	idx := make([]int, len(ps.t))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		ia, ib := idx[a], idx[b]
		if ps.t[ia] != ps.t[ib] {
			return ps.t[ia] < ps.t[ib]
		}
		return ps.v[ia] < ps.v[ib]
	})
	st, sv := make([]int64, len(idx)), make([]float64, len(idx))
	for i, j := range idx {
		st[i], sv[i] = ps.t[j], ps.v[j]
	}
	ps.t, ps.v = st, sv
}

// nearest returns the observation closest in time to t within tol.
func (p *peerSeries) nearest(t, tol int64) (float64, bool) {
	i := sort.Search(len(p.t), func(i int) bool { return p.t[i] >= t })
	best, bestD := 0.0, int64(math.MaxInt64)
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(p.t) {
			d := p.t[j] - t
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = p.v[j], d
			}
		}
	}
	return best, bestD <= tol
}

// peerValues returns the peers' observations nearest to t within tol.
func peerValues(peers []peerSeries, t, tol int64, buf []float64) []float64 {
	buf = buf[:0]
	for i := range peers {
		if v, ok := peers[i].nearest(t, tol); ok {
			buf = append(buf, v)
		}
	}
	return buf
}
