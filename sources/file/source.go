package file

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Kind is the source kind name used in configuration.
const Kind = "file"

// Factory returns the factory of file sources, for a sources.Registry.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"CSV, JSONL and Parquet files (third-party exports) with declared columns and types",
		DefaultConfig, New)
}

// Source reads one CSV, JSONL or Parquet file. It is safe to use from one
// goroutine at a time, as sources.Source requires.
type Source struct {
	id          string
	cfg         Config
	path        string // resolved
	format      string
	schema      *datasets.Schema
	arrow       *arrow.Schema
	timeFormats []timeFormat
	logger      *slog.Logger
	mem         memory.Allocator
	// open opens the file; tests replace it to count the bytes read.
	open func(path string) (readFile, error)
}

// New returns a file source with the given id and configuration.
// Relative paths are resolved against deps.BaseDir.
func New(id string, cfg Config, deps sources.Deps) (*Source, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: file source: empty id", sources.ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: file source %q: %w", sources.ErrConfig, id, err)
	}
	s := &Source{id: id, cfg: cfg, path: cfg.Path, logger: deps.Logger, mem: memory.DefaultAllocator, open: openFile}
	if !filepath.IsAbs(s.path) {
		s.path = filepath.Join(deps.BaseDir, s.path)
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.format, _ = cfg.format()
	s.schema, _ = cfg.schema()
	s.arrow, _ = s.schema.ArrowSchema()
	for _, c := range cfg.Columns {
		tf, _ := parseTimeFormat(c.Format)
		s.timeFormats = append(s.timeFormats, tf)
	}
	return s, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.id }

// Schema returns the declared columns followed by _source, _file_sha256
// and _line.
func (s *Source) Schema() *datasets.Schema { return s.schema }

// inputName returns the input column that declared column i reads.
func (s *Source) inputName(i int) string {
	c := s.cfg.Columns[i]
	if c.From != "" {
		return c.From
	}
	if s.format == FormatCSV && !s.cfg.Header {
		return strconv.Itoa(i + 1)
	}
	return c.Name
}

func (s *Source) ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("file source %q: %w", s.id, err)
	}
	return nil
}

// Fetch emits the records after cursor. An unchanged file yields nothing
// and the same cursor; a file that grew by appending yields the new
// records; any other change is an error wrapping sources.ErrChanged.
func (s *Source) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if err := s.ctxErr(ctx); err != nil {
		return sources.Result{}, err
	}
	c, err := decodeCursor(cur)
	if err != nil {
		return sources.Result{}, err
	}
	f, err := s.open(s.path)
	if err != nil {
		return sources.Result{}, s.openErr(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return sources.Result{}, fmt.Errorf("%w: file source %q: %w", sources.ErrTransient, s.id, err)
	}
	fst := fileState{f: f}
	fst.stamp, fst.stamped = stampOf(st)
	if s.format == FormatParquet {
		return s.fetchParquet(ctx, fst, st.Size(), c, emit)
	}
	return s.fetchText(ctx, fst, st.Size(), c, emit)
}

// fileState is the open file of one fetch and its stamp at the start.
type fileState struct {
	f       readFile
	stamp   stamp
	stamped bool
}

// unchanged tells whether the file's stamp is still the one at the start.
func (fst fileState) unchanged() bool {
	now, ok := fileStamp(fst.f)
	return fst.stamped && ok && now == fst.stamp
}

func (s *Source) openErr(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: file source %q: %s does not exist", sources.ErrBadInput, s.id, s.cfg.Path)
	}
	return fmt.Errorf("%w: file source %q: %w", sources.ErrTransient, s.id, err)
}

func (s *Source) result(c cursor, digest datasets.Hash) sources.Result {
	return sources.Result{
		Cursor:     c.encode(),
		Provenance: datasets.Provenance{Sources: []string{s.id}, Inputs: []datasets.Hash{digest}},
	}
}

// fetchText reads CSV and JSONL files: it checks that the file still
// starts with the bytes read before, then reads what follows them. A
// cursor of an earlier part of an unchanged file (same stamp) spares the
// pass that hashes the whole file.
func (s *Source) fetchText(ctx context.Context, fst fileState, size int64, c cursor, emit sources.Emit) (sources.Result, error) {
	f := fst.f
	sc := resumeScan(f, fst.stamp, fst.stamped, c)
	resumed := sc != nil
	if !resumed {
		var err error
		if sc, err = scanFile(ctx, f, size, c.Bytes); err != nil {
			return sources.Result{}, s.wrapIO(ctx, err)
		}
	}
	if err := s.checkPrefix(c, sc); err != nil {
		return sources.Result{}, err
	}
	if size == c.Bytes {
		if err := s.noteEmpty(c, size); err != nil {
			return sources.Result{}, err
		}
		return s.result(c, sc.digest), nil
	}
	th := newTeeHash(io.NewSectionReader(f, c.Bytes, size-c.Bytes), sc.resumeHash(), c.Bytes, sc.lines)
	b := s.newBatcher(ctx, s.mem, sc.digest[:], emit)
	defer b.release()
	rd := textRead{ctx: ctx, f: f, body: th, start: c.Bytes, line: sc.lines + 1, b: b}
	var err error
	if s.format == FormatCSV {
		err = s.readCSV(&rd)
	} else {
		err = s.readJSONL(&rd)
	}
	if err == nil && rd.stop == 0 {
		err = b.finish()
	}
	if err == nil {
		err = s.ctxErr(ctx)
	}
	if err != nil {
		return sources.Result{}, err
	}
	next := cursor{Bytes: size, SHA256: sc.digest, Records: c.Records + b.total, Unterminated: sc.last != '\n'}
	if rd.stop > 0 && rd.stop < size {
		if next, err = s.partCursor(ctx, fst, sc, th, c, rd.stop, next.Records, resumed); err != nil {
			return sources.Result{}, err
		}
	} else if err := s.checkRead(ctx, th, sc, resumed); err != nil {
		return sources.Result{}, err
	}
	if next.Records == 0 {
		s.logger.InfoContext(ctx, "file source: the file holds no records", "source", s.id, "file", s.cfg.Path, "bytes", size)
	}
	res := s.result(next, sc.digest)
	res.BadValues = b.bad
	return res, nil
}

// checkRead reads what th has not read yet and checks that the bytes read
// hash to the file's SHA-256 as first computed: by this fetch's scan, or
// (resumed) by the fetch of the first part, so that a file changed between
// parts in a way its stamp did not show is still found.
func (s *Source) checkRead(ctx context.Context, th *teeHash, sc *scan, resumed bool) error {
	if _, err := io.Copy(io.Discard, th); err != nil {
		return s.wrapIO(ctx, err)
	}
	got := datasets.Hash(th.h.Sum(nil))
	switch {
	case got == sc.digest:
		return nil
	case resumed:
		return s.changedErr("changed while being read in parts (SHA-256 %s when its first part was read; the bytes read in parts hash to %s)", sc.digest, got)
	default:
		return s.changedErr("changed while being read (SHA-256 %s, then %s)", sc.digest, got)
	}
}

// checkPrefix verifies that the bytes read before are unchanged and that
// new data does not continue an unterminated last record.
func (s *Source) checkPrefix(c cursor, sc *scan) error {
	switch {
	case sc.size < c.Bytes:
		return s.changedErr("was truncated: it has %d bytes, %d were read before (SHA-256 of those %s; the file now %s)", sc.size, c.Bytes, c.SHA256, sc.digest)
	case sc.prefix != c.SHA256:
		return s.changedErr("was edited: its first %d bytes had SHA-256 %s when read before and have %s now (the whole file now %s)", c.Bytes, c.SHA256, sc.prefix, sc.digest)
	case c.Unterminated && sc.size > c.Bytes && sc.next[0] != '\n' && sc.next[0] != '\r':
		return s.changedErr("was edited: its last record had no line break and the data appended since continues it (SHA-256 of the %d bytes read before %s, the file now %s)", c.Bytes, c.SHA256, sc.digest)
	}
	return nil
}

// noteEmpty logs why a fetch found nothing.
func (s *Source) noteEmpty(c cursor, size int64) error {
	if size == 0 && s.format == FormatCSV && s.cfg.Header {
		return s.inputErr(0, "the file is empty, but a header line is required")
	}
	if c.Records == 0 {
		s.logger.Info("file source: the file holds no records", "source", s.id, "file", s.cfg.Path, "bytes", size)
	}
	return nil
}

// wrapIO classifies an error from reading the file.
func (s *Source) wrapIO(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return fmt.Errorf("file source %q: %w", s.id, err)
	}
	if errors.Is(err, sources.ErrTransient) {
		return fmt.Errorf("file source %q: %w", s.id, err)
	}
	return fmt.Errorf("%w: file source %q: reading %s: %w", sources.ErrTransient, s.id, s.cfg.Path, err)
}

// partCursor is the cursor of a read that stopped at byte stop because
// its Emit had enough (sources.ErrEnough): the SHA-256 of the first stop
// bytes is the hash state at the input cursor continued over the bytes
// read since. When the file's stamp did not change during the fetch, the
// rest of the file is not read and the cursor records the stamp for the
// next part (partResume); otherwise the rest is read and hashed as a whole
// read does.
func (s *Source) partCursor(ctx context.Context, fst fileState, sc *scan, th *teeHash, c cursor, stop int64, records uint64, resumed bool) (cursor, error) {
	keep := fst.unchanged()
	if !keep {
		if err := s.checkRead(ctx, th, sc, resumed); err != nil {
			return cursor{}, err
		}
	}
	h, lines, err := th.stateAt(ctx, fst.f, stop, mark{pos: c.Bytes, lines: sc.lines, state: sc.state})
	if err != nil {
		return cursor{}, s.wrapIO(ctx, err)
	}
	var last [1]byte
	if _, err := fst.f.ReadAt(last[:], stop-1); err != nil {
		return cursor{}, s.wrapIO(ctx, err)
	}
	next := cursor{Bytes: stop, Records: records, Unterminated: last[0] != '\n'}
	copy(next.SHA256[:], h.Sum(nil))
	if keep {
		state, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
		next.File = &partResume{stamp: fst.stamp, SHA256: sc.digest, State: state, Lines: lines}
	}
	return next, nil
}
