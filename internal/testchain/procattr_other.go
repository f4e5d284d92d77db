//go:build !linux

package testchain

import "os/exec"

// setProcAttr does nothing where the kernel offers no parent-death signal.
func setProcAttr(cmd *exec.Cmd) {}
