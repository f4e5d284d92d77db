package gaming

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// tokenArrays reads the ERC-20 columns straight from the records, without
// decoding whole columns.
type tokenArrays struct {
	t                                      *validators.Table
	iEvent, iBlock, iLog                   int
	iFrom, iTo, iDelegator, iToDel, iDeleg int
	iVotes                                 int
	event                                  *array.String
	block                                  func(int) int64
	from, to, delegator, toDel, delegate   *array.FixedSizeBinary
	newVotes                               func(int) (float64, bool)
	buf                                    [5][20]byte
}

func newTokenArrays(t *validators.Table, s TokenSource) (*tokenArrays, error) {
	c := &tokenArrays{t: t}
	for _, f := range []struct {
		name string
		dst  *int
	}{{s.Event, &c.iEvent}, {s.Block, &c.iBlock}, {s.Log, &c.iLog}, {s.From, &c.iFrom}, {s.To, &c.iTo},
		{s.Delegator, &c.iDelegator}, {s.ToDelegate, &c.iToDel}, {s.Delegate, &c.iDeleg}, {s.NewVotes, &c.iVotes}} {
		_, i, err := t.Column(f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = i
	}
	return c, nil
}

// sorted reports whether the rows are in (block, log index) order and the
// columns have the expected Arrow types.
func (c *tokenArrays) sorted() bool {
	var lastB, lastL int64 = -1, -1
	sc := c.t.Schema().Columns
	for _, rec := range c.t.Records() {
		if _, ok := rec.Column(c.iEvent).(*array.String); !ok {
			return false
		}
		for _, i := range []int{c.iFrom, c.iTo, c.iDelegator, c.iToDel, c.iDeleg} {
			if _, ok := rec.Column(i).(*array.FixedSizeBinary); !ok {
				return false
			}
		}
		blk := validators.IntReader(rec.Column(c.iBlock), sc[c.iBlock].Type)
		lg := validators.IntReader(rec.Column(c.iLog), sc[c.iLog].Type)
		for i := 0; i < int(rec.NumRows()); i++ {
			b, l := blk(i), lg(i)
			if b < lastB || b == lastB && l < lastL {
				return false
			}
			lastB, lastL = b, l
		}
	}
	return true
}

func (c *tokenArrays) bind(rec arrow.RecordBatch) {
	sc := c.t.Schema().Columns
	c.event = rec.Column(c.iEvent).(*array.String)
	c.block = validators.IntReader(rec.Column(c.iBlock), sc[c.iBlock].Type)
	c.from = rec.Column(c.iFrom).(*array.FixedSizeBinary)
	c.to = rec.Column(c.iTo).(*array.FixedSizeBinary)
	c.delegator = rec.Column(c.iDelegator).(*array.FixedSizeBinary)
	c.toDel = rec.Column(c.iToDel).(*array.FixedSizeBinary)
	c.delegate = rec.Column(c.iDeleg).(*array.FixedSizeBinary)
	va := rec.Column(c.iVotes)
	fr := validators.FloatReader(va, sc[c.iVotes].Type)
	c.newVotes = func(i int) (float64, bool) {
		if va.IsNull(i) {
			return 0, false
		}
		return fr(i), true
	}
}

// addr returns the address at row i of a (in buffer slot), or nil when null.
func (c *tokenArrays) addr(a *array.FixedSizeBinary, i, slot int) *[20]byte {
	if a.IsNull(i) {
		return nil
	}
	copy(c.buf[slot][:], a.Value(i))
	return &c.buf[slot]
}
