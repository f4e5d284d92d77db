package serve

import "syscall"

// ctimeOf returns a file's change time in unix nanoseconds.
func ctimeOf(st *syscall.Stat_t) int64 { return st.Ctim.Sec*1e9 + st.Ctim.Nsec }
