package validatorstest

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// PriceSchema is the shape of a price feed as the HTTP price and file
// sources emit it: observation time, price, and the source id; keyed by
// time.
func PriceSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: []datasets.Column{
			{Name: "ts", Type: datasets.TypeTimestamp},
			{Name: "price", Type: datasets.TypeFloat64},
			{Name: "_source", Type: datasets.TypeString},
		},
		Key: []string{"ts"},
	}
}

// Point is one price observation.
type Point struct {
	T time.Time
	V float64
}

// PriceRecord builds a record of PriceSchema from points of one source.
// The caller releases it.
func PriceRecord(source string, pts []Point) arrow.RecordBatch {
	as, err := PriceSchema().ArrowSchema()
	if err != nil {
		panic(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	b.Reserve(len(pts))
	ts := b.Field(0).(*array.TimestampBuilder)
	pr := b.Field(1).(*array.Float64Builder)
	src := b.Field(2).(*array.StringBuilder)
	for _, p := range pts {
		ts.Append(arrow.Timestamp(p.T.UnixMicro()))
		pr.Append(p.V)
		src.Append(source)
	}
	return b.NewRecordBatch()
}

// VolumePoint is one price observation with the volume traded.
type VolumePoint struct {
	T      time.Time
	Price  float64
	Volume float64
}

// PriceVolumeSchema is a projection of the http_prices source's rows:
// source, ts, price and volume (nullable), keyed by (source, ts).
func PriceVolumeSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: []datasets.Column{
			{Name: "source", Type: datasets.TypeString},
			{Name: "ts", Type: datasets.TypeTimestamp},
			{Name: "price", Type: datasets.TypeFloat64},
			{Name: "volume", Type: datasets.TypeFloat64, Nullable: true},
		},
		Key: []string{"source", "ts"},
	}
}

// PriceVolumeRecord builds a record of PriceVolumeSchema; the caller
// releases it.
func PriceVolumeRecord(source string, pts []VolumePoint) arrow.RecordBatch {
	as, err := PriceVolumeSchema().ArrowSchema()
	if err != nil {
		panic(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	b.Reserve(len(pts))
	for _, p := range pts {
		b.Field(0).(*array.StringBuilder).Append(source)
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(p.T.UnixMicro()))
		b.Field(2).(*array.Float64Builder).Append(p.Price)
		b.Field(3).(*array.Float64Builder).Append(p.Volume)
	}
	return b.NewRecordBatch()
}
