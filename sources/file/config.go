package file

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Formats of input files.
const (
	FormatCSV     = "csv"
	FormatJSONL   = "jsonl"
	FormatParquet = "parquet"
)

// DefaultBatchRows is the default number of rows per emitted record.
const DefaultBatchRows = 65536

// maxBatchRows bounds batch_rows so one batch stays a sensible size.
const maxBatchRows = 1 << 22

// Provenance column names, appended after the declared columns.
const (
	ColSource = "_source"
	ColSHA256 = "_file_sha256"
	ColLine   = "_line"
)

// Config is the kind-specific configuration of a file source.
type Config struct {
	// Path is the input file, relative to sources.Deps.BaseDir.
	Path string `yaml:"path" config:"required"`
	// Format is csv, jsonl or parquet; empty means from the extension.
	Format string `yaml:"format"`
	// Header says whether the first CSV record names the columns.
	Header bool `yaml:"header"`
	// Delimiter is the CSV field separator (one character).
	Delimiter string `yaml:"delimiter"`
	// BatchRows is the largest number of rows per emitted record.
	BatchRows int `yaml:"batch_rows"`
	// Key names the columns that identify a row.
	Key []string `yaml:"key"`
	// Columns are the columns to read, in output order.
	Columns []Column `yaml:"columns" label:"column" config:"required"`
	// OnBadValue says what a cell that does not parse as its column's type
	// does: quarantine (the default) emits the row with the cell null or
	// zero and reports it in the result's BadValues, so the validation
	// stage quarantines that row alone; fail stops the fetch with an
	// error (nothing of the file is read).
	OnBadValue string `yaml:"on_bad_value"`
}

// Values of on_bad_value.
const (
	BadValueQuarantine = "quarantine"
	BadValueFail       = "fail"
)

// Column declares one output column and where it comes from.
type Column struct {
	// Name is the output column name.
	Name string `yaml:"name" config:"required"`
	// Type is the column's datasets type.
	Type datasets.Type `yaml:"type" config:"required"`
	// From is the input column: the CSV header name (or the 1-based field
	// number when header is false), the JSON field or the parquet column.
	// It defaults to Name (to the column's position without a header).
	From string `yaml:"from"`
	// Nullable allows empty cells and JSON nulls (stored as null).
	Nullable bool `yaml:"nullable"`
	// Format tunes parsing; for timestamps: rfc3339 (default), unix,
	// unix_ms, unix_us, unix_ns or a Go time layout.
	Format string `yaml:"format"`
}

// DefaultConfig returns a configuration holding the defaults; decoding a
// section overwrites the fields it sets.
func DefaultConfig() Config {
	return Config{Header: true, Delimiter: ",", BatchRows: DefaultBatchRows}
}

// fieldError is a configuration error about one field; the config package
// reports it at that field's line.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string       { return e.msg }
func (e *fieldError) ConfigField() string { return e.field }

func fieldErr(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// Validate checks one column declaration.
func (c *Column) Validate() error {
	var errs []error
	if !c.Type.Valid() {
		errs = append(errs, fieldErr("type", "unknown column type %q (known: %s)", string(c.Type), typeNames()))
	}
	if strings.HasPrefix(c.Name, "_") {
		errs = append(errs, fieldErr("name", "column name %q: names starting with _ are reserved for provenance columns", c.Name))
	}
	if c.Format != "" {
		if c.Type != datasets.TypeTimestamp {
			errs = append(errs, fieldErr("format", "format is only used by timestamp columns, not %s", c.Type))
		} else if _, err := parseTimeFormat(c.Format); err != nil {
			errs = append(errs, fieldErr("format", "%v", err))
		}
	}
	return errors.Join(errs...)
}

// Validate checks the configuration as a whole, including every column.
func (c *Config) Validate() error {
	if c.OnBadValue != "" && c.OnBadValue != BadValueQuarantine && c.OnBadValue != BadValueFail {
		return fieldErr("on_bad_value", "on_bad_value must be quarantine or fail, got %q", c.OnBadValue)
	}
	var errs []error
	if c.Path == "" {
		errs = append(errs, fieldErr("path", "path is required"))
	}
	if _, err := c.format(); err != nil {
		errs = append(errs, fieldErr("format", "%v", err))
	}
	if utf8.RuneCountInString(c.Delimiter) != 1 || c.Delimiter == "\"" || c.Delimiter == "\n" || c.Delimiter == "\r" {
		errs = append(errs, fieldErr("delimiter", "delimiter must be one character other than a quote or a line break, got %q", c.Delimiter))
	}
	if c.BatchRows < 1 || c.BatchRows > maxBatchRows {
		errs = append(errs, fieldErr("batch_rows", "batch_rows must be between 1 and %d, got %d", maxBatchRows, c.BatchRows))
	}
	if len(c.Columns) == 0 {
		errs = append(errs, fieldErr("columns", "at least one column is required"))
	}
	for i := range c.Columns {
		if err := c.Columns[i].Validate(); err != nil {
			msg := strings.ReplaceAll(err.Error(), "\n", "; ")
			errs = append(errs, fieldErr(fmt.Sprintf("columns[%d]", i), "column %q: %s", c.Columns[i].Name, msg))
		}
	}
	if len(errs) == 0 {
		if _, err := c.schema(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 && !c.Header {
		errs = append(errs, c.checkPositions()...)
	}
	return errors.Join(errs...)
}

// checkPositions checks that, without a header, every from is a field number.
func (c *Config) checkPositions() []error {
	var errs []error
	for i, col := range c.Columns {
		if _, err := fieldNumber(col, i); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// format returns the configured format or the one the extension implies.
func (c *Config) format() (string, error) {
	f := strings.ToLower(c.Format)
	if f == "" {
		switch strings.ToLower(filepath.Ext(c.Path)) {
		case ".csv", ".tsv", ".txt":
			f = FormatCSV
		case ".jsonl", ".ndjson":
			f = FormatJSONL
		case ".parquet", ".pq":
			f = FormatParquet
		default:
			return "", fmt.Errorf("cannot tell the format from the extension of %q: set format to csv, jsonl or parquet", c.Path)
		}
	}
	switch f {
	case FormatCSV, FormatJSONL, FormatParquet:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: want csv, jsonl or parquet", c.Format)
}

// schema returns the output schema: the declared columns, then the
// provenance columns, with the configured key.
func (c *Config) schema() (*datasets.Schema, error) {
	s := &datasets.Schema{Key: append([]string(nil), c.Key...)}
	for _, col := range c.Columns {
		s.Columns = append(s.Columns, datasets.Column{Name: col.Name, Type: col.Type, Nullable: col.Nullable})
	}
	s.Columns = append(s.Columns,
		datasets.Column{Name: ColSource, Type: datasets.TypeString},
		datasets.Column{Name: ColSHA256, Type: datasets.TypeBytes32},
		datasets.Column{Name: ColLine, Type: datasets.TypeUint64},
	)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func typeNames() string {
	names := make([]string, len(datasets.AllTypes))
	for i, t := range datasets.AllTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// timeFormat is a parsed timestamp format.
type timeFormat struct {
	kind   string // rfc3339, unix or layout
	shift  int    // for unix: power of ten that turns the unit into µs
	layout string
}

func parseTimeFormat(f string) (timeFormat, error) {
	switch f {
	case "", "rfc3339":
		return timeFormat{kind: "rfc3339"}, nil
	case "unix":
		return timeFormat{kind: "unix", shift: 6}, nil
	case "unix_ms":
		return timeFormat{kind: "unix", shift: 3}, nil
	case "unix_us":
		return timeFormat{kind: "unix", shift: 0}, nil
	case "unix_ns":
		return timeFormat{kind: "unix", shift: -3}, nil
	}
	ref := time.Date(2009, 11, 10, 23, 45, 56, 0, time.UTC)
	if s := ref.Format(f); s == f {
		return timeFormat{}, fmt.Errorf("unknown timestamp format %q: want rfc3339, unix, unix_ms, unix_us, unix_ns or a Go layout such as 2006-01-02 15:04:05", f)
	} else if _, err := time.Parse(f, s); err != nil {
		return timeFormat{}, fmt.Errorf("timestamp layout %q cannot be parsed back: %v", f, err)
	}
	return timeFormat{kind: "layout", layout: f}, nil
}

// fieldNumber returns the 0-based field index of a column in a CSV file
// without a header: from is a 1-based field number, by default the
// column's position.
func fieldNumber(col Column, pos int) (int, error) {
	if col.From == "" {
		return pos, nil
	}
	n, err := strconv.Atoi(col.From)
	if err != nil || n < 1 {
		return 0, fieldErr(fmt.Sprintf("columns[%d].from", pos), "column %q: without a header, from must be a field number (1 for the first field), got %q", col.Name, col.From)
	}
	return n - 1, nil
}
