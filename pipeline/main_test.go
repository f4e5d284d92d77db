package pipeline_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestMain fails the package's tests when goroutines outlive them: the
// scheduler, the daemon's actors and the runs must all stop.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }
