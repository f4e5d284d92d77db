package httpprices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// Kind is the source kind name used in configuration.
const Kind = "http_prices"

// Column names of the emitted records.
const (
	ColSource = "source"
	ColTS     = "ts"
	ColPrice  = "price"
	ColVolume = "volume"
	ColRaw    = "_raw_sha256"
)

// Schema returns the schema every http_prices source emits: source, ts,
// price, volume (nullable) and _raw_sha256, keyed by (source, ts).
func Schema() *datasets.Schema {
	return &datasets.Schema{
		Columns: []datasets.Column{
			{Name: ColSource, Type: datasets.TypeString},
			{Name: ColTS, Type: datasets.TypeTimestamp},
			{Name: ColPrice, Type: datasets.TypeFloat64},
			{Name: ColVolume, Type: datasets.TypeFloat64, Nullable: true},
			{Name: ColRaw, Type: datasets.TypeBytes32},
		},
		Key: []string{ColSource, ColTS},
	}
}

// Factory returns the factory of http_prices sources.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"price series from any JSON or CSV HTTP API with a field mapping (presets: coingecko_range, csv)",
		DefaultConfig, New)
}

// Source reads one price series over HTTP, one time window per request.
type Source struct {
	id     string
	cfg    Config
	start  time.Time
	end    time.Time // zero: now - lag
	client *httpfetch.Client
	parser *parser
	log    *slog.Logger
	now    func() time.Time
	schema *datasets.Schema
	arrow  *arrow.Schema
}

// New returns an http_prices source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*Source, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: http_prices source: empty id", sources.ErrConfig)
	}
	cfg.Complete()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: http_prices source %q: %w", sources.ErrConfig, id, err)
	}
	s := &Source{id: id, cfg: cfg, log: deps.Logger, now: time.Now, schema: Schema()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.start, _ = parseTime(cfg.Start)
	if cfg.End != "" {
		s.end, _ = parseTime(cfg.End)
	}
	red := httpfetch.NewRedactor()
	for _, v := range cfg.Headers {
		red.Add(v)
	}
	for k, v := range cfg.Query {
		if httpfetch.SecretName(k) {
			red.Add(v)
		}
	}
	if u, err := url.Parse(cfg.URL); err == nil {
		for k, vs := range u.Query() {
			if httpfetch.SecretName(k) {
				red.Add(vs...)
			}
		}
	}
	s.client = httpfetch.New(id, cfg.HTTP, deps, red)
	s.parser = &parser{cfg: &s.cfg}
	s.arrow, _ = s.schema.ArrowSchema()
	return s, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.id }

// Schema returns the records' schema.
func (s *Source) Schema() *datasets.Schema { return s.schema }

// cursor is the committed position: Next is the end of the last window
// read (the next window starts there), Last the newest emitted timestamp;
// both in Unix microseconds.
type cursor struct {
	Next int64 `json:"next"`
	Last int64 `json:"last"`
}

func (s *Source) decodeCursor(c sources.Cursor) (cursor, error) {
	if len(c) == 0 {
		return cursor{Next: s.start.UnixMicro(), Last: s.start.UnixMicro() - 1}, nil
	}
	var cur cursor
	if err := json.Unmarshal(c, &cur); err != nil {
		return cur, fmt.Errorf("%w: http_prices source %q: %v", sources.ErrCursor, s.id, err)
	}
	return cur, nil
}

// unit is the resolution of the from/to parameters.
func (s *Source) unit() time.Duration {
	if s.cfg.ParamUnit == "ms" {
		return time.Millisecond
	}
	return time.Second
}

// horizon is where this fetch stops: the configured end, or now - lag.
func (s *Source) horizon() int64 {
	end := s.end
	if end.IsZero() {
		end = s.now().Add(-s.cfg.Lag)
	}
	return end.Truncate(s.unit()).UnixMicro()
}

// Fetch reads the windows after the cursor up to the horizon, at most
// max_pages of them, and emits one record per window that has new points.
func (s *Source) Fetch(ctx context.Context, c sources.Cursor, emit sources.Emit) (sources.Result, error) {
	cur, err := s.decodeCursor(c)
	if err != nil {
		return sources.Result{}, err
	}
	prov := datasets.Provenance{Sources: []string{s.id}, Inputs: []datasets.Hash{}}
	var res sources.Result
	end := s.horizon()
	window := s.cfg.Window.Microseconds()
	for page := 1; page <= s.cfg.MaxPages && cur.Next < end; page++ {
		if err := ctx.Err(); err != nil {
			return sources.Result{}, fmt.Errorf("http_prices source %q: %w", s.id, err)
		}
		to := min(cur.Next+window, end)
		resp, err := s.client.Do(ctx, s.request(cur.Next, to, page))
		if err != nil {
			return sources.Result{}, err
		}
		pts, err := s.parser.parse(resp.Body)
		if err != nil {
			return sources.Result{}, s.inputError(resp, err)
		}
		pts = keep(pts, cur.Last, to)
		if len(pts) > 0 {
			digest, err := s.client.Keep(ctx, resp)
			if err != nil {
				return sources.Result{}, err
			}
			err = s.emit(pts, digest, emit)
			if err != nil && !errors.Is(err, sources.ErrEnough) {
				return sources.Result{}, err
			}
			s.locate(&res, resp.FinalURL, pts)
			prov.Inputs = append(prov.Inputs, digest)
			cur.Last = pts[len(pts)-1].ts
			if err != nil {
				cur.Next = to // enough: stop after this window's record
				break
			}
		}
		cur.Next = to
	}
	if err := ctx.Err(); err != nil {
		return sources.Result{}, fmt.Errorf("http_prices source %q: %w", s.id, err)
	}
	next, _ := json.Marshal(cur)
	res.Cursor, res.Provenance = next, prov
	return res, nil
}

// locate records where the emitted points came from (the page's URL and
// each point's item) and their bad cells.
func (s *Source) locate(res *sources.Result, url string, pts []point) {
	pg := sources.Page{URL: url, Unit: "item", Items: make([]int, len(pts))}
	if s.cfg.Format == FormatCSV {
		pg.Unit = "line"
	}
	if n := len(res.Pages); n > 0 {
		last := res.Pages[n-1]
		pg.FirstRow = last.FirstRow + len(last.Items)
	}
	for i, p := range pts {
		pg.Items[i] = p.item
		for _, b := range p.bad {
			res.BadValues = append(res.BadValues, sources.BadValue{Row: pg.FirstRow + i, Column: b.column, Raw: b.raw, Locator: pg.Locator(i), Problem: b.problem})
		}
	}
	res.Pages = append(res.Pages, pg)
}

// keep returns the points after last and up to to, sorted by time. A
// point whose timestamp did not parse is held at to (its row is
// quarantined as poisoning.bad_value).
func keep(pts []point, last, to int64) []point {
	out := pts[:0]
	for _, p := range pts {
		if p.badTS {
			p.ts = to
		}
		if p.ts > last && p.ts <= to {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ts < out[j].ts })
	return out
}

// request builds the request of the window [from, to] (microseconds).
func (s *Source) request(from, to int64, page int) *httpfetch.Request {
	u, _ := url.Parse(s.cfg.URL)
	q := u.Query()
	for k, v := range s.cfg.Query {
		q.Set(k, v)
	}
	per := s.unit().Microseconds()
	q.Set(s.cfg.FromParam, strconv.FormatInt(from/per, 10))
	q.Set(s.cfg.ToParam, strconv.FormatInt(to/per, 10))
	u.RawQuery = q.Encode()
	h := http.Header{}
	for k, v := range s.cfg.Headers {
		h.Set(k, v)
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json, text/csv;q=0.9, */*;q=0.1")
	}
	span := fmt.Sprintf("page %d, window %s to %s", page,
		time.UnixMicro(from).UTC().Format(time.RFC3339), time.UnixMicro(to).UTC().Format(time.RFC3339))
	return &httpfetch.Request{URL: u.String(), Header: h, Page: span}
}

// inputError reports a body that did not parse.
func (s *Source) inputError(resp *httpfetch.Response, err error) error {
	var pe *parseError
	if errors.As(err, &pe) {
		if pe.err != nil {
			return s.client.InputError(resp, pe.offset, "%s: %v", pe.msg, pe.err)
		}
		return s.client.InputError(resp, pe.offset, "%s", pe.msg)
	}
	return s.client.JSONError(resp, err)
}

// emit builds one record from pts.
func (s *Source) emit(pts []point, digest datasets.Hash, emit sources.Emit) error {
	b := array.NewRecordBuilder(memory.DefaultAllocator, s.arrow)
	defer b.Release()
	src := b.Field(0).(*array.StringBuilder)
	ts := b.Field(1).(*array.TimestampBuilder)
	price := b.Field(2).(*array.Float64Builder)
	vol := b.Field(3).(*array.Float64Builder)
	raw := b.Field(4).(*array.FixedSizeBinaryBuilder)
	for _, p := range pts {
		src.Append(s.id)
		ts.Append(arrow.Timestamp(p.ts))
		price.Append(p.price)
		if p.hasVol {
			vol.Append(p.volume)
		} else {
			vol.AppendNull()
		}
		raw.Append(digest[:])
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return emit(rec)
}
