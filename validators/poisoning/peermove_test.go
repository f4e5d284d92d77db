package poisoning

import (
	"testing"
	"time"
)

// TestCrossSourceTimingAllowance: during a fast real move, sources that
// observe minutes apart differ by more than the band; the deviation must
// then be judged against the band plus the peers' own move over the time
// offset. A spike in this source stays a deviation during the same move,
// and a spike in one peer (a fast "move" of that peer alone) does not
// widen the band for a wrong value of this source.
func TestCrossSourceTimingAllowance(t *testing.T) {
	const min = int64(time.Minute / time.Microsecond)
	hour := 60 * min
	// a real crash of 20 % between 12:00 and 13:00, the peers observing at
	// :05 past the hour, this source on the hour
	crash := func(at int64) float64 { // linear in price over the hour
		switch {
		case at <= 12*hour:
			return 100
		case at >= 13*hour:
			return 80
		}
		return 100 - 20*float64(at-12*hour)/float64(hour)
	}
	peer := func(off int64, spikeAt int64) peerSeries {
		var ps peerSeries
		for h := int64(9); h <= 16; h++ {
			at := h*hour + off
			v := crash(at)
			if at == spikeAt {
				v *= 1.5
			}
			ps.t, ps.v = append(ps.t, at), append(ps.v, v)
		}
		return ps
	}
	cfg := DefaultCrossSourceConfig()
	cfg.Peers = []Peer{{Dataset: "b"}, {Dataset: "c"}}
	c, err := NewCrossSource("", cfg)
	if err != nil {
		t.Fatal(err)
	}
	tol := int64(cfg.Tolerance.D() / time.Microsecond)
	tests := []struct {
		name  string
		peers []peerSeries
		value float64 // this source's value at 12:55
		flag  bool
	}{
		{"real move observed minutes apart", []peerSeries{peer(5*min, -1), peer(-5*min, -1)}, crash(12*hour + 55*min), false},
		{"spike during the move", []peerSeries{peer(5*min, -1), peer(-5*min, -1)}, 1.10 * crash(12*hour+55*min), true},
		{"flat peers, value off by 3 %", []peerSeries{flat(5*min, hour), flat(-5*min, hour)}, 103, true},
		{"one peer spiking, the other flat", []peerSeries{flat(5*min, hour), spiky(-5*min, hour)}, 103, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts := []point{{t: 12*hour + 55*min, v: tt.value, row: 0}}
			flagged := false
			for _, f := range c.check(pts, tt.peers, tol) {
				if !f.Passed && f.Code == CodeCrossDeviation {
					flagged = true
					t.Log(f.Message)
				}
			}
			if flagged != tt.flag {
				t.Errorf("deviation flagged %v, want %v", flagged, tt.flag)
			}
		})
	}
}

// flat is a peer at 100 every hour from 9:00, off its hour by off.
func flat(off, hour int64) peerSeries {
	var ps peerSeries
	for h := int64(9); h <= 16; h++ {
		ps.t, ps.v = append(ps.t, h*hour+off), append(ps.v, 100)
	}
	return ps
}

// spiky is flat with a 50 % spike at 12:00+off, so its observations
// around 12:55 move fast while its value there is 100.
func spiky(off, hour int64) peerSeries {
	ps := flat(off, hour)
	ps.v[3] = 150
	return ps
}
