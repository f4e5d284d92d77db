package serve_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestMain fails the package's tests when goroutines outlive them: the
// server's Run loop, the watcher and streaming handlers must all stop.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }
