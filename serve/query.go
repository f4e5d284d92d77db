package serve

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// QueryLimits bound read-only SQL queries.
type QueryLimits struct {
	// MaxRows is the most rows a result holds (default 10,000).
	MaxRows int
	// Timeout bounds a query (default 10s).
	Timeout time.Duration
	// MaxSQLBytes is the longest accepted SQL text (default 16 KiB).
	MaxSQLBytes int
	// MemoryLimit is DuckDB's memory limit per query (default "256MB").
	MemoryLimit string
}

// QueryEngine runs read-only SQL over attested versions only. Each query
// gets a fresh in-memory DuckDB database that holds nothing: external access
// (files, ATTACH, COPY, extension installs and loads) is disabled and the
// configuration is locked before the query's text is even parsed; the text
// must parse as exactly one SELECT (DuckDB's own parser, json_serialize_sql,
// then the prepared statement's type); and the only tables it can name are
// "D@N" and "D" for the versions the caller may read: views over a table
// function that reads the attested segment files and refuses any other
// version. The
// database is thrown away afterwards, so nothing a query does can change
// anything, and the catalog (gt.*, unattested versions) is not reachable.
type QueryEngine struct {
	s     *Server
	lim   QueryLimits
	slots *fairSlots
}

func newQueryEngine(s *Server, lim QueryLimits) *QueryEngine {
	if lim.MaxRows <= 0 {
		lim.MaxRows = 10000
	}
	if lim.Timeout <= 0 {
		lim.Timeout = 10 * time.Second
	}
	if lim.MaxSQLBytes <= 0 {
		lim.MaxSQLBytes = 16 << 10
	}
	if lim.MemoryLimit == "" {
		lim.MemoryLimit = "256MB"
	}
	// A waiter behind one running query needs up to the query timeout for
	// its slot: an unset query_max_wait is at least that (an explicit
	// shorter one is refused by the configuration).
	if s.cfg.Limits.QueryMaxWait <= 0 && s.lim.QueryMaxWait < lim.Timeout {
		s.lim.QueryMaxWait = lim.Timeout
	}
	return &QueryEngine{s: s, lim: lim, slots: newFairSlots(s.lim.QuerySlots)}
}

// Query runs a read-only SQL query for p.
func (s *Server) Query(ctx context.Context, p *Principal, text string) (*api.QueryResult, error) {
	res, err := s.query.run(ctx, p, text)
	switch {
	case err == nil:
		s.cfg.Metrics.query("ok")
	case errors.Is(err, context.DeadlineExceeded):
		s.cfg.Metrics.query("timeout")
		err = fmt.Errorf("%w: the query ran longer than %s", ErrQuery, s.query.lim.Timeout)
	case errors.Is(err, ErrQuery):
		s.cfg.Metrics.query("refused")
	case errors.Is(err, ErrResultTooLarge):
		s.cfg.Metrics.query("limited")
		s.cfg.Metrics.limited("result_bytes")
	case errors.Is(err, ErrBusy), errors.Is(err, ErrRateLimited):
		s.cfg.Metrics.query("limited")
	default:
		s.cfg.Metrics.query("failed")
	}
	return res, s.PublicError(err)
}

// tables returns the version of each table name p may read.
func (q *QueryEngine) tables(p *Principal) (map[string]*versionState, []api.VersionRef) {
	out := map[string]*versionState{}
	var refs []api.VersionRef
	snap := q.s.snapshot()
	for _, name := range snap.names {
		if !p.Allows(name) {
			continue
		}
		d := snap.datasets[name]
		for _, v := range d.versions {
			if v.servable() == nil {
				out[v.ref()] = v
				refs = append(refs, api.VersionRef{Dataset: v.dataset, Version: v.version, MerkleRoot: v.manifest.MerkleRoot})
			}
		}
		if l := d.latest(); l != nil {
			out[name] = l
		}
	}
	return out, refs
}

func (q *QueryEngine) run(ctx context.Context, p *Principal, text string) (*api.QueryResult, error) {
	if len(text) > q.lim.MaxSQLBytes {
		return nil, fmt.Errorf("%w: the query has %d bytes, the limit is %d", ErrQuery, len(text), q.lim.MaxSQLBytes)
	}
	release, err := q.admit(ctx, p)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := q.s.chainFresh(); err != nil {
		return nil, err
	}
	return q.execute(ctx, p, text)
}

// execute runs an admitted query in its throwaway database. The query
// runs on an OS thread of its own at the lowest CPU priority
// (lowPriority): DuckDB computes on the calling thread (threads = 1), so a
// heavy query yields the CPU to the row and proof requests of every other
// client.
func (q *QueryEngine) execute(ctx context.Context, p *Principal, text string) (*api.QueryResult, error) {
	ctx, cancel := context.WithTimeout(ctx, q.lim.Timeout)
	defer cancel()
	tables, refs := q.tables(p)
	srcs := &scanSources{}
	conn, closeDB, err := q.open(ctx, tables, srcs)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	if err := sqlview.CheckSelect(ctx, conn, text, queryRules); err != nil {
		return nil, fmt.Errorf("%w%s", err, q.queryHint(p, err.Error(), tables))
	}
	guard, err := q.guardResult(conn)
	if err != nil {
		return nil, err
	}
	// Only the query itself runs at the lowest priority (lowPriority):
	// a thread at nice 19 is scheduled rarely when the CPUs are busy, and
	// while it runs Go code it holds one of the runtime's Ps, which a
	// garbage collection must stop. Building and closing the throwaway
	// database is mostly Go code; ExecutePending is one long C call.
	var res *api.QueryResult
	var queryErr, collectErr error
	lowPriority(func() {
		rows, err := conn.QueryContext(ctx, guard.sql(q.lim.MaxRows), text)
		if err != nil {
			queryErr = err
			return
		}
		defer rows.Close()
		res, collectErr = q.collect(ctx, rows)
	})
	if queryErr != nil {
		if f := srcs.failure(); f != nil && ctx.Err() == nil {
			return nil, f // a refused or corrupt version, not the query's fault
		}
		if e := guard.explain(ctx, queryErr); !errors.Is(e, ErrQuery) {
			return nil, e
		} else {
			return nil, fmt.Errorf("%w%s", e, q.queryHint(p, queryErr.Error(), tables))
		}
	}
	if f := srcs.failure(); f != nil {
		return nil, f
	}
	if collectErr != nil {
		return nil, guard.explain(ctx, collectErr)
	}
	// Name only the versions the query could read, in a stable order.
	sort.Slice(refs, func(i, j int) bool {
		return refs[i].Dataset < refs[j].Dataset || (refs[i].Dataset == refs[j].Dataset && refs[i].Version < refs[j].Version)
	})
	res.Versions = refs
	if res.Versions == nil {
		res.Versions = []api.VersionRef{}
	}
	return res, nil
}

// sandboxHome is the home directory the query databases are given (it
// need not exist: they read no extensions and store no secrets).
const sandboxHome = "/nonexistent/groundtruth-sql"

// open creates the query's throwaway database.
func (q *QueryEngine) open(ctx context.Context, tables map[string]*versionState, srcs *scanSources) (*sql.Conn, func(), error) {
	settings := []string{
		"SET temp_directory = ''", // no spilling to disk
		// Neutral directories: DuckDB's defaults are under the server's
		// home, which settings and errors would name.
		"SET home_directory = '" + sandboxHome + "'",
		"SET extension_directory = '" + sandboxHome + "/extensions'",
		"SET secret_directory = '" + sandboxHome + "/secrets'",
		"SET enable_external_access = false",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET threads = 1",
		"SET memory_limit = '" + q.lim.MemoryLimit + "'",
	}
	connector, err := duckdb.NewConnector("", func(ex driver.ExecerContext) error {
		for _, st := range settings {
			if _, err := ex.ExecContext(ctx, st, nil); err != nil {
				return fmt.Errorf("%s: %w", st, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1)
	closeAll := func() { db.Close(); connector.Close() }
	conn, err := db.Conn(ctx)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	closeAll2 := func() { conn.Close(); closeAll(); srcs.close() }
	funcs, err := q.registerScan(conn, tables, srcs)
	if err != nil {
		closeAll2()
		return nil, nil, err
	}
	for name, v := range tables {
		if _, err := conn.ExecContext(ctx, viewSQL(name, funcs[name], v)); err != nil {
			closeAll2()
			return nil, nil, err
		}
	}
	if _, err := conn.ExecContext(ctx, "SET lock_configuration = true"); err != nil {
		closeAll2()
		return nil, nil, err
	}
	return conn, closeAll2, nil
}

// queryRules are the sandbox's rules for sqlview.CheckSelect: no call of
// its own functions (checkFunctions, before DuckDB binds anything: the
// sandbox's functions crash the process on a NULL argument, as duckdb-go
// reads bind arguments without a NULL check), and a hint for a query that
// does not parse.
var queryRules = sqlview.SelectRules{Err: ErrQuery, Statement: checkFunctions, ParseHint: parseHint}

// collect reads at most MaxRows rows as JSON-friendly values.
func (q *QueryEngine) collect(ctx context.Context, rows *sql.Rows) (*api.QueryResult, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &api.QueryResult{Columns: cols, ColumnTypes: columnTypes(rows), Rows: [][]any{}}
	size := resultSize{limit: q.s.lim.MaxResultBytes}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if len(res.Rows) == q.lim.MaxRows {
			res.Truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrQuery, err)
		}
		row := make([]any, len(cols))
		for i, v := range vals {
			row[i] = jsonValue(v)
		}
		if err := size.add(row); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", ErrQuery, err)
	}
	return res, nil
}

// jsonValue turns a driver value into a JSON-friendly one.
func jsonValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return fmt.Sprintf("0x%x", x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case *big.Int:
		return x.String()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
	case fmt.Stringer:
		return x.String()
	}
	return v
}
