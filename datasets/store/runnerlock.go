package store

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
)

// runnerLockFile is the data directory's runner lock (Options.JobRunner).
const runnerLockFile = "LOCK"

// jobLockDir holds one lock file per job that a process runs.
const jobLockDir = "locks"

// takeRunnerLock takes the runner locks (Options.JobRunner): DATA/LOCK
// exclusively when opts.Jobs is empty (catalog rebuild, migrate, prune:
// no job may run meanwhile); else DATA/LOCK shared and each job's lock
// DATA/locks/job-NAME.lock exclusively, so that processes running
// disjoint jobs share the directory and two never run one job (read one
// cursor) at once. The locks are flocks: a killed process leaves none.
func (s *Store) takeRunnerLock() error {
	how := syscall.LOCK_EX
	if len(s.opts.Jobs) > 0 {
		how = syscall.LOCK_SH
	}
	f, err := flock(filepath.Join(s.root, runnerLockFile), how)
	if err != nil {
		if len(s.opts.Jobs) > 0 {
			return fmt.Errorf("%w: a process that needs %s alone (catalog rebuild, migrate or check --prune) holds it (%v)", ErrLocked, s.root, err)
		}
		return fmt.Errorf("%w: another process runs jobs in %s (%v)", ErrLocked, s.root, err)
	}
	s.lock = f
	if len(s.opts.Jobs) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(s.root, jobLockDir), 0o755); err != nil {
		s.releaseRunnerLocks()
		return err
	}
	for _, job := range s.opts.Jobs {
		f, err := flock(filepath.Join(s.root, jobLockDir, "job-"+url.PathEscape(job)+".lock"), syscall.LOCK_EX)
		if err != nil {
			s.releaseRunnerLocks() // none is kept when one cannot be had
			return fmt.Errorf("%w: another process runs job %s in %s (%v)", ErrLocked, job, s.root, err)
		}
		s.jobLocks = append(s.jobLocks, f)
	}
	return nil
}

// flock opens path (creating it) and takes a non-blocking flock of kind how.
func flock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// releaseRunnerLocks closes the runner lock files (releasing their flocks).
func (s *Store) releaseRunnerLocks() error {
	var first error
	for _, f := range append(s.jobLocks, s.lock) {
		if f == nil {
			continue
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.jobLocks, s.lock = nil, nil
	return first
}
