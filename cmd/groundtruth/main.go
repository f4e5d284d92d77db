// Command groundtruth is the single binary of groundtruth: ingest, verify,
// query and serve attested datasets. Run `groundtruth help` for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Exit codes, documented in the README.
const (
	exitOK        = 0
	exitFailure   = 1  // anything not listed below
	exitUsage     = 2  // bad flags, bad configuration
	exitIntegrity = 3  // verification failed: data does not match its hashes
	exitNotFound  = 4  // unknown dataset, version or job
	exitLocked    = 5  // the dataset is being written by another process (it holds the write lease)
	exitSource    = 6  // bad source input, or the source changed its history
	exitTransient = 7  // a retryable failure (network, 5xx)
	exitAttest    = 8  // an attestation check failed: bad or unauthorised signature, other chain, revoked, expired
	exitPending   = 9  // fewer than k stewards signed: the version is pending
	exitKey       = 10 // a steward key could not be used: missing or damaged keystore, wrong password
	exitRuns      = 11 // run --once: at least one job run failed
	exitCatalog   = 12 // the catalog and the files disagree: missing, empty, damaged or older catalog; catalog check found problems; rebuild refused a forged journal entry
)

// exitCode maps an error to its documented exit code.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage), errors.Is(err, config.ErrInvalid), errors.Is(err, sources.ErrConfig), errors.Is(err, attest.ErrConfig):
		return exitUsage
	case errors.Is(err, pipeline.ErrNoRange), errors.Is(err, pipeline.ErrBadRange):
		return exitUsage
	case errors.Is(err, pipeline.ErrRunsFailed):
		return exitRuns
	case errors.Is(err, store.ErrCatalogStale), errors.Is(err, errCheckFailed), errors.Is(err, store.ErrJournalForged):
		return exitCatalog
	case errors.Is(err, datasets.ErrIntegrity):
		return exitIntegrity
	case errors.Is(err, attest.ErrPending):
		return exitPending
	case errors.Is(err, attest.ErrInvalid), errors.Is(err, attest.ErrSignature):
		return exitAttest
	case errors.Is(err, attest.ErrKey):
		return exitKey
	case errors.Is(err, store.ErrNotFound):
		return exitNotFound
	case errors.Is(err, store.ErrLocked):
		return exitLocked
	case errors.Is(err, sources.ErrBadInput), errors.Is(err, sources.ErrChanged), errors.Is(err, store.ErrSchemaChange), errors.Is(err, store.ErrDuplicateKey),
		errors.Is(err, datasets.ErrValue), errors.Is(err, datasets.ErrSchema):
		return exitSource
	case errors.Is(err, sources.ErrTransient):
		return exitTransient
	}
	return exitFailure
}

// errUsage marks command-line mistakes.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signalContext()
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr, os.Getenv)
	err := cmd.ExecuteContext(ctx)
	printError(os.Stderr, err)
	stop()
	os.Exit(exitCode(err))
}

// printError writes err (if any) as "groundtruth: …", each line with its
// control characters escaped: errors echo user input and data (a table
// name, a dataset reference), which must not drive the terminal.
func printError(w io.Writer, err error) {
	if err == nil {
		return
	}
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = redact.Escape(l)
	}
	fmt.Fprintln(w, "groundtruth:", strings.Join(lines, "\n"))
}
