package serve

import (
	"context"
	"net"
	"syscall"
)

// tcpNotSentLowat is Linux's TCP_NOTSENT_LOWAT socket option.
const tcpNotSentLowat = 25

// paceDownload caps the bytes a download's connection holds written but
// not yet sent (TCP_NOTSENT_LOWAT) at streamUnsentBytes: a write blocks
// once that much waits for the client's window, so rows are rendered only
// as fast as the client reads them. A client that stops reading costs the
// rows already rendered (this, the socket's in-flight bytes and the
// response buffer), not the several megabytes a loopback or LAN socket's
// autotuned send buffer would take; data in flight is not limited, so a
// fast client on a long path is not slowed. Connections that are not TCP
// (tests' in-memory ones) are left alone.
func paceDownload(ctx context.Context) {
	c, ok := ctx.Value(connKey{}).(net.Conn)
	if !ok {
		return
	}
	if lc, ok := c.(*limitedConn); ok {
		c = lc.Conn
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	if rc, err := tc.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpNotSentLowat, streamUnsentBytes)
		})
	}
}
