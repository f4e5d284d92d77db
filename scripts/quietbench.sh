#!/bin/bash
# quietbench.sh OUTDIR NAME... runs BenchmarkServeHostileMix once per NAME,
# each in a new session whose autogroup is set to nice -20 (Linux; needs
# root or CAP_SYS_NICE), so that other work on the host (an editor, a build)
# takes as little CPU from it as the kernel allows. The output of run NAME
# goes to OUTDIR/NAME.txt and its verdict lines to stdout.
#
# BENCHBIN names the benchmark binary; build it with
#   go test -c -tags duckdb_arrow -o /tmp/bench.test ./bench/
# (default /tmp/bench.test). Compare two builds by alternating them run by
# run: the machine drifts. The GROUNDTRUTH_BENCH_HOSTILE_* variables
# (bench/serve_hostile_bench_test.go) pass through.
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: $0 OUTDIR NAME..." >&2
	exit 2
fi
out=$1
shift
mkdir -p "$out"
benchdir=$(cd "$(dirname "$0")/../bench" && pwd)
bin=${BENCHBIN:-/tmp/bench.test}
for name in "$@"; do
	setsid bash -c 'echo -20 > /proc/self/autogroup; cd "$1" && exec "$2" -test.run="^$" -test.bench="^BenchmarkServeHostileMix$" -test.benchtime=1x' \
		_ "$benchdir" "$bin" >"$out/$name.txt" 2>&1 || true
	grep -E "^(alone|hostile mix):" "$out/$name.txt" | sed "s/^/$name /" || echo "$name: no verdict (see $out/$name.txt)"
done
