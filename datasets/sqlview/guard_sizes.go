package sqlview

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxBuiltElements bounds what the list- and string-building functions of
// one query may build (finding F103): DuckDB does not count a list or
// string value a scalar function builds against its memory_limit, and it
// does not notice an interrupt while one is built, so
// list_sort(range(10000000)) took 1.6 GB and a minute past the query's
// deadline. The sizes the query asks of every such call (the elements of
// a scalar range or generate_series, the count of repeat, the length of
// list_resize, array_resize, lpad and rpad, the width of bar, every number
// in a format or printf pattern) must be integer constants, and their
// product over the whole statement may not pass this bound: nested or
// combined calls cannot multiply past it either. A row then holds at most
// this many built elements, and a 2048-row vector of them stays in the
// tens of megabytes.
const MaxBuiltElements = 1000

// sizedArg says which arguments of a list- or string-building function
// set the size of what it builds.
type sizedArg struct {
	// series: the count is that of range(start, stop, step) (inclusive
	// stop for generate_series).
	series, inclusive bool
	// arg is the index of the size argument (series: unused); optional
	// says the call may omit it (bar's width defaults to 80).
	arg      int
	optional bool
	// pattern: the first argument is a format pattern whose numbers
	// (widths, precisions) are the sizes.
	pattern bool
}

var sizedFunctions = map[string]sizedArg{
	"range":           {series: true},
	"generate_series": {series: true, inclusive: true},
	"repeat":          {arg: 1},
	"list_resize":     {arg: 1},
	"array_resize":    {arg: 1},
	"lpad":            {arg: 1},
	"rpad":            {arg: 1},
	"bar":             {arg: 3, optional: true},
	"format":          {pattern: true},
	"printf":          {pattern: true},
}

// CheckSizes refuses a parsed statement (DuckDB's json_serialize_sql form)
// whose list- or string-building calls have a non-constant size or sizes
// whose product passes MaxBuiltElements (see there). The table functions
// range and generate_series (FROM range(...)) stream their rows and are not
// counted. Refusals wrap sentinel.
func CheckSizes(tree any, sentinel error) error {
	product := 1.0
	return walkSizes(tree, sentinel, &product)
}

func walkSizes(n any, sentinel error, product *float64) error {
	switch x := n.(type) {
	case map[string]any:
		if x["class"] == "FUNCTION" {
			name, _ := x["function_name"].(string)
			if sa, ok := sizedFunctions[strings.ToLower(name)]; ok {
				size, err := callSize(name, sa, x, sentinel)
				if err != nil {
					return err
				}
				*product *= max(size, 1)
				if *product > MaxBuiltElements {
					return fmt.Errorf("%w: %s asks to build %.0f elements (times the other list- and string-building calls of the query): at most %d per query; aggregate rows of FROM range(...) instead", sentinel, name, size, MaxBuiltElements)
				}
			}
		}
		for k, v := range x {
			if k == "function" && x["type"] == "TABLE_FUNCTION" {
				continue // FROM range(...) streams; its arguments are still walked below
			}
			if err := walkSizes(v, sentinel, product); err != nil {
				return err
			}
		}
		if x["type"] == "TABLE_FUNCTION" {
			if f, ok := x["function"].(map[string]any); ok {
				return walkSizes(f["children"], sentinel, product)
			}
		}
	case []any:
		for _, v := range x {
			if err := walkSizes(v, sentinel, product); err != nil {
				return err
			}
		}
	}
	return nil
}

// callSize is the size one call asks for.
func callSize(name string, sa sizedArg, call map[string]any, sentinel error) (float64, error) {
	args, _ := call["children"].([]any)
	refuse := func(what string) (float64, error) {
		return 0, fmt.Errorf("%w: %s needs %s (it builds its whole value in memory, unbounded by the query's memory limit and deadline); for many rows use the table function FROM range(...)", sentinel, name, what)
	}
	switch {
	case sa.pattern:
		if len(args) == 0 {
			return 1, nil
		}
		p, ok := constantString(args[0])
		if !ok {
			return refuse("a constant pattern")
		}
		return patternSize(p), nil
	case sa.series:
		nums := make([]float64, len(args))
		for i, a := range args {
			v, ok := constantNumber(a)
			if !ok {
				return refuse("constant integer arguments")
			}
			nums[i] = v
		}
		return seriesCount(nums, sa.inclusive), nil
	case sa.arg >= len(args):
		if sa.optional {
			return 80, nil
		}
		return 1, nil
	}
	v, ok := constantNumber(args[sa.arg])
	if !ok {
		return refuse(fmt.Sprintf("a constant integer as argument %d", sa.arg+1))
	}
	return math.Max(v, 0), nil
}

// seriesCount is the number of elements of range or generate_series over
// start, stop, step (one argument: stop).
func seriesCount(a []float64, inclusive bool) float64 {
	start, stop, step := 0.0, 0.0, 1.0
	switch len(a) {
	case 1:
		stop = a[0]
	case 2:
		start, stop = a[0], a[1]
	case 3:
		start, stop, step = a[0], a[1], a[2]
	default:
		return 1
	}
	if step == 0 {
		return 0 // DuckDB refuses it
	}
	n := (stop - start) / step
	if n < 0 {
		return 0
	}
	if inclusive {
		return math.Floor(n) + 1
	}
	return math.Ceil(n)
}

// patternSize is the largest number in a format pattern (a width or a
// precision), at least 1.
func patternSize(p string) float64 {
	best := 1.0
	for _, run := range strings.FieldsFunc(p, func(r rune) bool { return r < '0' || r > '9' }) {
		v, err := strconv.ParseFloat(run, 64)
		if err != nil {
			return math.Inf(1)
		}
		best = math.Max(best, v)
	}
	return best
}

// constant returns the value of a constant expression node, looking
// through casts; ok is false for anything else and for NULL.
func constant(n any) (any, bool) {
	m, ok := n.(map[string]any)
	if !ok {
		return nil, false
	}
	switch m["class"] {
	case "CAST":
		return constant(m["child"])
	case "CONSTANT":
		v, ok := m["value"].(map[string]any)
		if !ok || v["is_null"] == true {
			return nil, false
		}
		return v["value"], true
	}
	return nil, false
}

func constantNumber(n any) (float64, bool) {
	v, ok := constant(n)
	if !ok {
		return 0, false
	}
	f, ok := v.(float64)
	return f, ok && !math.IsNaN(f)
}

func constantString(n any) (string, bool) {
	v, ok := constant(n)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}
