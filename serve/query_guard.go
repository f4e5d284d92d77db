package serve

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
)

// resultGuard bounds a query's result inside DuckDB. DuckDB materialises a
// result before the first row is fetched, so a limit checked while reading
// rows comes too late (select repeat('x',50000) from range(10000) is 500 MB
// before one row is read). The query runs as
//
//	SELECT * FROM query(TEXT) AS gt_result WHERE gt_guard(strlen(CAST(gt_result AS VARCHAR))) LIMIT MaxRows+1
//
// where gt_guard adds up each row's size as text and fails the query once
// the total passes the result byte limit: DuckDB stops within one vector of
// rows. The text is the caller's single SELECT, already checked; duplicate
// column names come back made unique (a, a_1).
type resultGuard struct {
	limit    int64
	n        atomic.Int64
	exceeded atomic.Bool
}

// guardResult registers gt_guard on the query's connection.
func (q *QueryEngine) guardResult(conn *sql.Conn) (*resultGuard, error) {
	g := &resultGuard{limit: q.s.lim.MaxResultBytes}
	if err := duckdb.RegisterScalarUDF(conn, "gt_guard", g); err != nil {
		return nil, fmt.Errorf("registering the result guard: %w", err)
	}
	return g, nil
}

// sql is the guarded query; its one parameter is the caller's text.
func (g *resultGuard) sql(maxRows int) string {
	return "SELECT * FROM query(?::VARCHAR) AS gt_result WHERE gt_guard(strlen(CAST(gt_result AS VARCHAR))) LIMIT " + strconv.Itoa(maxRows+1)
}

// Config implements duckdb.ScalarFunc: gt_guard(BIGINT) → BOOLEAN, volatile
// (evaluated for every row, never folded or moved).
func (g *resultGuard) Config() duckdb.ScalarFuncConfig {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	boolean, _ := duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{bigint}, ResultTypeInfo: boolean, Volatile: true, SpecialNullHandling: true}
}

// Executor implements duckdb.ScalarFunc.
func (g *resultGuard) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(v []driver.Value) (any, error) {
		size, _ := v[0].(int64)
		if g.n.Add(size+1) > g.limit {
			g.exceeded.Store(true)
			return nil, errTooLarge(g.limit)
		}
		return true, nil
	}}
}

// explain maps a failed query: past the limit, timed out, or refused.
func (g *resultGuard) explain(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, ErrResultTooLarge):
		return err
	case g.exceeded.Load():
		return errTooLarge(g.limit)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, ErrQuery):
		return err
	}
	return fmt.Errorf("%w: %v", ErrQuery, err)
}

func errTooLarge(limit int64) error {
	return fmt.Errorf("%w: the result passed %d bytes, the limit (serve.limits.max_result_bytes); select fewer rows or columns, or aggregate", ErrResultTooLarge, limit)
}
