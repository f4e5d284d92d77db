package poisoning

import (
	"context"
	"math"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// DefaultMaxHold is the default max_hold of the cross-source checks: two
// hours, two intervals of an hourly feed and four of a 30-minute one.
// A row older than that at run time is judged whatever its peers have
// reported (a peer that is down holds nothing back for longer).
const DefaultMaxHold = 2 * time.Hour

// HoldCut implements the pipeline's hold-back (pipeline.JudgedNow): it
// returns how many of the input's rows, a prefix in input order, can be
// judged now. The rest start at the first selected row whose time is
// newer than the oldest of the peers' latest observations (sealed,
// quarantined or not validated yet) and newer than max_hold before the
// run's time: the peers have not reported past it, so a real move that
// this source saw first would look like a one-source spike.
func (s *Series) HoldCut(ctx context.Context, in *validators.Input) (int, error) {
	return holdCut(ctx, in, s.cfg.Peers, s.cfg.Value, s.cfg.Time, s.cfg.Where, time.Duration(s.cfg.MaxHold))
}

// HoldCut implements the pipeline's hold-back; see Series.HoldCut.
func (c *CrossSource) HoldCut(ctx context.Context, in *validators.Input) (int, error) {
	return holdCut(ctx, in, c.cfg.Peers, c.cfg.Value, c.cfg.Time, c.cfg.Where, time.Duration(c.cfg.MaxHold))
}

// holdCut returns the index of the first row held back (in.Rows() when
// none is).
func holdCut(ctx context.Context, in *validators.Input, peers []Peer, value, tcol string, where validators.Where, maxHold time.Duration) (int, error) {
	n := in.Rows()
	if maxHold <= 0 || len(peers) == 0 || tcol == "" || n == 0 {
		return n, nil
	}
	times, err := in.Table.Ints(tcol)
	if err != nil {
		return n, err
	}
	rows, err := where.Rows(in.Table)
	if err != nil {
		return n, err
	}
	horizon := in.Now.UnixMicro() - maxHold.Microseconds()
	recent := false
	for _, r := range rows {
		recent = recent || (times.Valid(r) && times.Values[r] > horizon)
	}
	if !recent {
		return n, nil // everything is older than max_hold: no peer read
	}
	cutoff := int64(math.MaxInt64)
	for _, p := range peers {
		latest, err := peerLatest(ctx, in, p, value, tcol)
		if err != nil {
			return n, err
		}
		cutoff = min(cutoff, latest)
	}
	for _, r := range rows {
		if times.Valid(r) && times.Values[r] > cutoff && times.Values[r] > horizon {
			return r, nil
		}
	}
	return n, nil
}

// holdTail is how many of a peer's newest sealed rows are read for its
// latest observation: versions append in time order, so the newest
// observation is among the last rows (an older one found instead only
// holds more, for at most max_hold).
const holdTail = 64

// peerLatest returns the time of a peer's newest observation: the tail
// of its latest version, its quarantined rows and the rows its job has not
// validated yet (math.MinInt64 when it has none).
func peerLatest(ctx context.Context, in *validators.Input, p Peer, value, tcol string) (int64, error) {
	ps, err := loadPeer(ctx, in, p, value, tcol, math.MinInt64, math.MaxInt64, holdTail)
	if err != nil {
		return 0, err
	}
	latest := int64(math.MinInt64)
	for _, x := range ps.t {
		latest = max(latest, x)
	}
	return latest, nil
}
