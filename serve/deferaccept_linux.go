package serve

import (
	"net"
	"syscall"
	"time"
)

// deferAccept sets TCP_DEFER_ACCEPT on a TCP listener (see
// Limits.DeferAccept): the kernel keeps a new connection to itself until
// data arrives or about d has passed. d ≤ 0 leaves the listener alone, as
// it does listeners that are not TCP; a failure to set it leaves
// connections accepted at once, as without it.
func deferAccept(ln net.Listener, d time.Duration) {
	tl, ok := ln.(*net.TCPListener)
	if !ok || d <= 0 {
		return
	}
	secs := int((d + time.Second - 1) / time.Second)
	if rc, err := tl.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, secs)
		})
	}
}
