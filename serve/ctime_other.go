//go:build !linux

package serve

import "syscall"

// ctimeOf returns 0: the change time is only read on Linux; elsewhere the
// periodic re-hash (RehashInterval) catches an in-place rewrite whose
// modification time was set back.
func ctimeOf(*syscall.Stat_t) int64 { return 0 }
