package main

import (
	"os"
	"syscall"
)

// stopSignals start the graceful stop of every command (the daemon's and
// serve's shutdown_grace path; a second one exits at once). SIGHUP is among
// them: Go's default for it is to die on the spot, abandoning runs in
// flight, and an operator who sends it after editing the configuration
// (to revoke a token, say) expects an orderly stop before the restart.
// Tokens are read at start; docs/serving.md says how to revoke one.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
