package serve

import (
	"net"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// deferAccept sets TCP_DEFER_ACCEPT on a TCP listener (see
// Limits.DeferAccept): the kernel keeps a new connection to itself until
// data arrives or about d has passed. d ≤ 0 leaves the listener alone, as
// it does listeners that are not TCP; a failure to set it leaves
// connections accepted at once, as without it. It reports whether the
// option is set.
func deferAccept(ln net.Listener, d time.Duration) bool {
	tl, ok := ln.(*net.TCPListener)
	if !ok || d <= 0 {
		return false
	}
	secs := int((d + time.Second - 1) / time.Second)
	rc, err := tl.SyscallConn()
	if err != nil {
		return false
	}
	var setErr error
	if err := rc.Control(func(fd uintptr) {
		setErr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, secs)
	}); err != nil {
		return false
	}
	return setErr == nil
}

// heldSilent reports whether the kernel handed c over because its
// TCP_DEFER_ACCEPT wait ran out, not because data (or the peer's close)
// arrived: c has no byte waiting to be read (a look that does not wait)
// and the kernel retransmitted its SYN-ACK, which it does for a deferred
// connection only when its wait is over. A connection completed by a SYN
// cookie under a SYN flood has no retransmission and may be accepted
// before its first bytes arrive: it is not silent. Nor is a connection
// heldSilent cannot look into.
func heldSilent(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	silent := false
	if err := rc.Control(func(fd uintptr) {
		var peek [1]byte
		n, _, err := unix.Recvfrom(int(fd), peek[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		if err == nil && n > 0 {
			return // its first bytes are here
		}
		info, err := unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
		silent = err == nil && info.Total_retrans > 0
	}); err != nil {
		return false
	}
	return silent
}
