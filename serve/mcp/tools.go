package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Service is what the tools need from the server; *serve.Server
// implements it.
type Service interface {
	Datasets(p *serve.Principal) []api.Dataset
	Dataset(p *serve.Principal, name string) (*api.Dataset, error)
	Version(p *serve.Principal, dataset string, version uint64) (*api.Version, error)
	Row(ctx context.Context, p *serve.Principal, dataset string, version, index uint64) (*api.Row, error)
	RowByKey(ctx context.Context, p *serve.Principal, dataset string, version uint64, key map[string][]string) (*api.Row, error)
	QueryValues(ctx context.Context, p *serve.Principal, sql string, f api.Form) (*api.QueryResult, error)
	Verify(ctx context.Context, p *serve.Principal, dataset string, version uint64) (*serve.VerifyResult, error)
	Authenticate(h http.Header) (*serve.Principal, error)
	PublicError(err error) error
	WaitStarted(ctx context.Context, max time.Duration) error
	Evidence(p *serve.Principal, dataset string, version uint64) ([]byte, error)
	OnChange(f func())
}

// MaxRows is the most rows one get_rows call returns.
const MaxRows = 100

// ValueForms tells a model how get_rows writes values (units and forms).
const ValueForms = "Values (readable, the default): 8- to 32-bit integers and float64 as JSON numbers (floats exact: the shortest decimal of the stored double; " +
	"NaN, Infinity and -Infinity as strings); 64-bit and 256-bit integers (uint256/int256, e.g. token amounts in base units such as wei) as decimal strings; " +
	"timestamps as ISO-8601 UTC strings with microseconds (\"2024-05-01T12:00:00.000000Z\"); addresses as EIP-55 checksummed 0x hex; bytes and bytes32 as 0x lowercase hex; " +
	"null as null. values=canonical gives the hashed forms of docs/SPEC.md §10 (timestamps as decimal microseconds since 1970, float64 as 0x and 16 hex digits of its bits, " +
	"addresses lowercase, every integer a decimal string); each proof verifies from either form."

// QueryForms tells a model how query writes result values.
const QueryForms = "Result values (readable, the default): BIGINT, UBIGINT, HUGEINT and BIGNUM (uint256/int256, base units) as decimal strings; " +
	"smaller integers and finite doubles as JSON numbers (NaN, Infinity, -Infinity as strings); timestamps as ISO-8601 UTC strings with microseconds; " +
	"dates as YYYY-MM-DD; a column named like an address column as EIP-55 checksummed 0x hex; other text as it is. columnTypes names each column's SQL type. " +
	"values=canonical gives the forms of earlier releases (integers as JSON numbers, RFC 3339 timestamps, lowercase addresses)."

// Implementation names the server to MCP clients.
var Implementation = &sdk.Implementation{Name: "groundtruth", Title: "groundtruth attested datasets", Version: "1"}

// NewStdio returns the MCP server for stdio: the local user may read every
// attested dataset.
func NewStdio(svc Service) *sdk.Server {
	return newServer(svc, func(*sdk.RequestExtra) (*serve.Principal, error) { return serve.LocalPrincipal(), nil })
}

// NewHTTPHandler returns the streamable HTTP handler; each tool call is
// authorised with the bearer token of its HTTP request, and sessions are
// bounded by lim. Mount it behind serve.Server.ProtectProtocol.
func NewHTTPHandler(svc Service, lim SessionLimits) http.Handler {
	lim = lim.withDefaults()
	srv := newServer(svc, func(extra *sdk.RequestExtra) (*serve.Principal, error) {
		if extra == nil || extra.Header == nil {
			return nil, fmt.Errorf("%w: no HTTP request behind the call", serve.ErrUnauthorized)
		}
		return svc.Authenticate(extra.Header)
	})
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, &sdk.StreamableHTTPOptions{SessionTimeout: lim.Idle})
	return newSessionCap(h, srv, lim)
}

type principalFunc func(*sdk.RequestExtra) (*serve.Principal, error)

func newServer(svc Service, who principalFunc) *sdk.Server {
	s := sdk.NewServer(Implementation, &sdk.ServerOptions{Instructions: "groundtruth serves DAO governance and market datasets that k-of-n stewards attested on-chain. " +
		"Every row comes with an RFC 6962 inclusion proof against its version's Merkle root; cite the dataset, version and root you used.",
		// Every answer is token-scoped and revocable (as /v1's Cache-Control:
		// private): no intermediary may cache one for other clients (F109).
		SetCacheable: func(_ context.Context, _ sdk.Request, c *sdk.Cacheable) { c.CacheScope = "private" }})
	t := &tools{svc: svc, who: who}
	addTools(s, svc, t)
	addResources(s, t)
	// Re-registering the same tools and resource templates makes the SDK
	// send notifications/tools/list_changed and resources/list_changed to
	// every session (debounced), so hosts re-list the attested versions.
	svc.OnChange(func() {
		addTools(s, svc, t)
		addResourceTemplates(s, t)
	})
	return s
}

// addTools registers the five tools (again: the SDK replaces them and
// notifies the sessions).
func addTools(s *sdk.Server, svc Service, t *tools) {
	sdk.AddTool(s, &sdk.Tool{Name: "list_datasets", OutputSchema: outputSchemas["list_datasets"], Description: "List the datasets and their attested versions (number, rows, Merkle root, attestation)."}, public(svc, t.list))
	sdk.AddTool(s, &sdk.Tool{Name: "describe_dataset", OutputSchema: outputSchemas["describe_dataset"], Description: "Describe one dataset: columns and types, key, attested versions, latest version."}, public(svc, t.describe))
	sdk.AddTool(s, &sdk.Tool{Name: "get_rows", OutputSchema: outputSchemas["get_rows"], Description: fmt.Sprintf("Get up to %d rows of an attested version by index, by range (offset, limit) or by key, each with its inclusion proof against the version's root. ", MaxRows) + ValueForms}, public(svc, t.rows))
	sdk.AddTool(s, &sdk.Tool{Name: "query", OutputSchema: outputSchemas["query"], Description: `Run one read-only SQL SELECT (DuckDB dialect) over attested versions: the table "D" is the latest attested version of dataset D, "D@N" is version N; each has a _row column (the row's index). ` +
		`Column types: addresses and hashes as 0x lowercase text (compare with lower()), uint256/int256 as exact integers (base units, e.g. wei), timestamps as TIMESTAMPTZ in UTC, float64 as DOUBLE. Rows and time are limited. ` + QueryForms}, public(svc, t.query))
	sdk.AddTool(s, &sdk.Tool{Name: "verify_version", OutputSchema: outputSchemas["verify_version"], Description: "Recompute a version's segment hashes, leaves, Merkle root and manifest hash from its files and check its attestation."}, public(svc, t.verify))
}

// public passes a tool's errors through Service.PublicError: internal
// errors become a generic message and server paths are never named.
func public[In any](svc Service, h sdk.ToolHandlerFor[In, any]) sdk.ToolHandlerFor[In, any] {
	return func(ctx context.Context, req *sdk.CallToolRequest, in In) (*sdk.CallToolResult, any, error) {
		res, out, err := h(ctx, req, in)
		return res, out, svc.PublicError(err)
	}
}

type tools struct {
	svc Service
	who principalFunc
}

// caller returns the principal of a tool call once the server has
// started (an error wrapping serve.ErrStarting after serve.StartWait,
// never an empty answer), and counts the call against its rate.
func (t *tools) caller(ctx context.Context, req *sdk.CallToolRequest) (*serve.Principal, error) {
	if err := t.svc.WaitStarted(ctx, serve.StartWait); err != nil {
		return nil, err
	}
	p, err := t.who(req.Extra)
	if err != nil {
		return nil, err
	}
	return p, p.Take()
}

// result is a tool result: a one-line statement of the versions and roots
// it comes from, then the JSON document, also as structured content.
func result(summary string, v any) (*sdk.CallToolResult, any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: summary}, &sdk.TextContent{Text: string(b)}}}, v, nil
}

type datasetIn struct {
	Dataset string `json:"dataset" jsonschema:"the dataset name"`
}

func (t *tools) list(ctx context.Context, req *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
	p, err := t.caller(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	ds := t.svc.Datasets(p)
	var parts []string
	for _, d := range ds {
		last := d.Versions[len(d.Versions)-1]
		parts = append(parts, fmt.Sprintf("%s@%d (root %s)", d.Name, last.Version, last.MerkleRoot))
	}
	return result(fmt.Sprintf("%d datasets with attested versions; latest: %s", len(ds), strings.Join(parts, ", ")), api.DatasetList{Datasets: ds})
}

func (t *tools) describe(ctx context.Context, req *sdk.CallToolRequest, in datasetIn) (*sdk.CallToolResult, any, error) {
	p, err := t.caller(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	d, err := t.svc.Dataset(p, in.Dataset)
	if err != nil {
		return nil, nil, err
	}
	last := d.Versions[len(d.Versions)-1]
	return result(fmt.Sprintf("%s: %d columns, key (%s); latest attested version %d, %d rows, root %s, attestation %s",
		d.Name, len(d.Schema.Columns), strings.Join(d.Schema.Key, ", "), last.Version, last.Rows, last.MerkleRoot, last.Attestation.ID), d)
}

type rowsIn struct {
	Dataset string         `json:"dataset" jsonschema:"the dataset name"`
	Version uint64         `json:"version,omitempty" jsonschema:"the version number; 0 or absent is the latest attested version"`
	Indexes []uint64       `json:"indexes,omitempty" jsonschema:"row indexes (0-based), at most 100"`
	Offset  uint64         `json:"offset,omitempty" jsonschema:"first row of a range"`
	Limit   int            `json:"limit,omitempty" jsonschema:"rows of the range from offset, at most 100"`
	Key     map[string]any `json:"key,omitempty" jsonschema:"the key columns' values of one row, as get_rows writes them (either value form: numbers, decimal strings, ISO-8601 UTC timestamps, 0x hex)"`
	Values  string         `json:"values,omitempty" jsonschema:"value form of the rows: readable (default) or canonical (docs/SPEC.md §10)"`
}

type rowsOut struct {
	Dataset      string          `json:"dataset"`
	Version      uint64          `json:"version"`
	MerkleRoot   string          `json:"merkleRoot"`
	ManifestHash string          `json:"manifestHash"`
	Attestation  api.Attestation `json:"attestation"`
	Rows         []*api.Row      `json:"rows"`
}

func (t *tools) rows(ctx context.Context, req *sdk.CallToolRequest, in rowsIn) (*sdk.CallToolResult, any, error) {
	p, err := t.caller(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	v, err := t.svc.Version(p, in.Dataset, in.Version)
	if err != nil {
		return nil, nil, err
	}
	form, err := api.ParseForm(in.Values)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", serve.ErrBadRequest, err)
	}
	out := rowsOut{Dataset: v.Dataset, Version: v.Version, MerkleRoot: v.MerkleRoot.String(), ManifestHash: v.ManifestHash.String(), Attestation: v.Attestation, Rows: []*api.Row{}}
	switch {
	case len(in.Key) > 0:
		key := map[string][]string{}
		for k, val := range in.Key {
			text, err := keyText(val)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: key %q: %v", serve.ErrBadRequest, k, err)
			}
			key[k] = []string{text}
		}
		r, err := t.svc.RowByKey(ctx, p, v.Dataset, v.Version, key)
		if err != nil {
			return nil, nil, err
		}
		out.Rows = append(out.Rows, r)
	case len(in.Indexes) > 0:
		if len(in.Indexes) > MaxRows {
			return nil, nil, fmt.Errorf("%w: %d indexes, at most %d per call", serve.ErrBadRequest, len(in.Indexes), MaxRows)
		}
		for _, i := range in.Indexes {
			r, err := t.svc.Row(ctx, p, v.Dataset, v.Version, i)
			if err != nil {
				return nil, nil, err
			}
			out.Rows = append(out.Rows, r)
		}
	default:
		if in.Limit <= 0 || in.Limit > MaxRows {
			return nil, nil, fmt.Errorf("%w: give indexes, a key, or offset and a limit of 1 to %d", serve.ErrBadRequest, MaxRows)
		}
		for i := in.Offset; i < in.Offset+uint64(in.Limit) && i < v.Rows; i++ {
			r, err := t.svc.Row(ctx, p, v.Dataset, v.Version, i)
			if err != nil {
				return nil, nil, err
			}
			out.Rows = append(out.Rows, r)
		}
	}
	if err := reformRows(v, out.Rows, form); err != nil {
		return nil, nil, err
	}
	return result(fmt.Sprintf("%d rows of %s@%d (root %s, attestation %s); each proof verifies against that root",
		len(out.Rows), v.Dataset, v.Version, v.MerkleRoot, v.Attestation.ID), out)
}

type queryIn struct {
	SQL    string `json:"sql" jsonschema:"one SELECT statement"`
	Values string `json:"values,omitempty" jsonschema:"value form of the result: readable (default) or canonical (the forms of earlier releases)"`
}

func (t *tools) query(ctx context.Context, req *sdk.CallToolRequest, in queryIn) (*sdk.CallToolResult, any, error) {
	p, err := t.caller(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	form, err := api.ParseForm(in.Values)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", serve.ErrBadRequest, err)
	}
	res, err := t.svc.QueryValues(ctx, p, in.SQL, form)
	if err != nil {
		return nil, nil, err
	}
	var from []string
	for _, v := range res.Versions {
		from = append(from, fmt.Sprintf("%s@%d (root %s)", v.Dataset, v.Version, v.MerkleRoot))
	}
	more := ""
	if res.Truncated {
		more = " (truncated at the row limit)"
	}
	return result(fmt.Sprintf("%d rows%s over attested versions %s", len(res.Rows), more, strings.Join(from, ", ")), res)
}

type verifyIn struct {
	Dataset string `json:"dataset" jsonschema:"the dataset name"`
	Version uint64 `json:"version,omitempty" jsonschema:"the version number; 0 or absent is the latest attested version"`
}

func (t *tools) verify(ctx context.Context, req *sdk.CallToolRequest, in verifyIn) (*sdk.CallToolResult, any, error) {
	p, err := t.caller(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	res, err := t.svc.Verify(ctx, p, in.Dataset, in.Version)
	if err != nil {
		return nil, nil, err
	}
	verdict := "verified"
	if !res.OK {
		verdict = "FAILED"
	}
	return result(fmt.Sprintf("%s@%d %s: root %s, manifest %s, %d checks", res.Dataset, res.Version, verdict, res.MerkleRoot, res.ManifestHash, len(res.Checks)), res)
}

// reformRows rewrites the rows' values (canonical, as the service returns
// them) in form f.
func reformRows(v *api.Version, rows []*api.Row, f api.Form) error {
	if f == api.Canonical || len(rows) == 0 {
		return nil
	}
	m, err := datasets.ParseManifest(v.Manifest)
	if err != nil {
		return fmt.Errorf("the manifest of %s@%d: %w", v.Dataset, v.Version, err)
	}
	for _, r := range rows {
		if r.Values, err = f.Reform(&m.Schema, r.Values); err != nil {
			return fmt.Errorf("row %d of %s@%d: %w", r.Index, v.Dataset, v.Version, err)
		}
	}
	return nil
}

// keyText is the text of a key value given as a JSON string, number or
// bool (numbers arrive as float64: integers up to 2^53 and every float
// keep their exact value; larger integers are strings in both forms).
func keyText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case json.Number:
		return x.String(), nil
	}
	return "", fmt.Errorf("%v: want a string, a number or a bool", v)
}
