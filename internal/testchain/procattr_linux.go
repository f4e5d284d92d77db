package testchain

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill the child when the test process dies, so no anvil
// outlives a crashed or killed test binary.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
