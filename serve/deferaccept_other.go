//go:build !linux

package serve

import (
	"net"
	"time"
)

// deferAccept does nothing here: TCP_DEFER_ACCEPT is Linux's.
func deferAccept(net.Listener, time.Duration) bool { return false }

// heldSilent is never asked here (deferAccept sets nothing).
func heldSilent(net.Conn) bool { return false }
