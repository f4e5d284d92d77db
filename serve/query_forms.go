package serve

import (
	"context"
	"database/sql"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// QueryValues runs a read-only SQL query for p like Query and writes the
// result's values in form f. api.Canonical keeps the forms Query returns
// (the forms of earlier releases: 64-bit integers as JSON numbers,
// timestamps in RFC 3339 with trailing fractional zeros dropped, addresses
// in lowercase). api.Readable, the default of the MCP query tool, writes
// them as the /v1 readable forms: 64-bit and wider integers as decimal
// strings (exact in JavaScript), doubles as JSON numbers (NaN, Infinity
// and -Infinity as strings), timestamps as ISO-8601 UTC with six
// fractional digits, dates as YYYY-MM-DD, and 0x text in a column named
// like an address column of a version p may read as its EIP-55 checksum.
func (s *Server) QueryValues(ctx context.Context, p *Principal, text string, f api.Form) (*api.QueryResult, error) {
	res, err := s.Query(ctx, p, text)
	if err != nil || f == api.Canonical {
		return res, err
	}
	addr := s.addressColumns(p)
	for i, typ := range res.ColumnTypes {
		conv := readableOf(typ, addr[res.Columns[i]])
		if conv == nil {
			continue
		}
		for _, row := range res.Rows {
			if row[i] != nil {
				row[i] = conv(row[i])
			}
		}
	}
	return res, nil
}

// columnTypes returns the DuckDB type name of every result column (the
// hook query.go's collect calls; "" where the driver does not say).
func columnTypes(rows *sql.Rows) []string {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil
	}
	out := make([]string, len(cts))
	for i, ct := range cts {
		out[i] = ct.DatabaseTypeName()
	}
	return out
}

// addressColumns returns the names of the address columns of the versions
// p may query.
func (s *Server) addressColumns(p *Principal) map[string]bool {
	out := map[string]bool{}
	tables, _ := s.query.tables(p)
	for _, v := range tables {
		for _, c := range v.manifest.Schema.Columns {
			if c.Type == datasets.TypeAddress {
				out[c.Name] = true
			}
		}
	}
	return out
}

// readableOf returns the conversion of a column of DuckDB type typ from
// the canonical query forms to the readable ones, or nil when both are the
// same.
func readableOf(typ string, address bool) func(any) any {
	switch {
	case typ == "BIGINT" || typ == "UBIGINT" || typ == "HUGEINT" || typ == "UHUGEINT" || typ == "BIGNUM" || typ == "VARINT":
		return decimalText
	case typ == "DOUBLE" || typ == "FLOAT":
		return readableFloat
	case strings.HasPrefix(typ, "TIMESTAMP"):
		return readableTime
	case typ == "DATE":
		return readableDate
	case typ == "VARCHAR" && address:
		return checksummed
	}
	return nil
}

// decimalText writes an integer as a decimal string.
func decimalText(v any) any {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case int32, int16, int8, uint32, uint16, uint8, int, uint:
		return strconv.FormatInt(toInt64(x), 10)
	}
	return v // already text (*big.Int and BIGNUM are written as decimals)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint32:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	case int:
		return int64(x)
	case uint:
		return int64(x)
	}
	return 0
}

// readableFloat names the non-finite doubles as the /v1 readable form
// does; finite ones stay JSON numbers (encoding/json writes the shortest
// decimal that reads back to the same double).
func readableFloat(v any) any {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case string: // jsonValue wrote a non-finite double with fmt
		switch x {
		case "NaN":
			return "NaN"
		case "+Inf":
			return "Infinity"
		case "-Inf":
			return "-Infinity"
		}
		return v
	default:
		return v
	}
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return v
}

// readableTime writes an instant as ISO-8601 UTC with six fractional
// digits (nine when it has nanoseconds).
func readableTime(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v // infinity and other special values stay as DuckDB wrote them
	}
	t = t.UTC()
	if t.Nanosecond()%1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

// readableDate writes a DATE as YYYY-MM-DD.
func readableDate(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	return t.UTC().Format(time.DateOnly)
}

// checksummed writes 0x and 40 hex digits with the EIP-55 checksum; other
// text stays as it is.
func checksummed(v any) any {
	s, ok := v.(string)
	if !ok || len(s) != 42 || !strings.HasPrefix(s, "0x") {
		return v
	}
	if _, err := hex.DecodeString(s[2:]); err != nil {
		return v
	}
	return common.HexToAddress(s).Hex()
}
