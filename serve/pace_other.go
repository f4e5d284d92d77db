//go:build !linux

package serve

import "context"

// paceDownload does nothing where TCP_NOTSENT_LOWAT is not set (Linux only).
func paceDownload(context.Context) {}
