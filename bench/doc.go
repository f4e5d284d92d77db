// Package bench holds groundtruth's benchmarks (make bench). Each benchmark
// prints its figures (rows/s, MB/s, ratios to a measured floor, peak RSS);
// heavy phases run in a child process so that peak RSS is the phase's own.
package bench
