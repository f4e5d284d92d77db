package catalogdb_test

import (
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb/catalogtest"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformanceSQLite(t *testing.T) {
	catalogtest.Run(t, func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "catalog.sqlite")
	})
}

func TestConformancePostgres(t *testing.T) {
	c := testpg.Start(t)
	catalogtest.Run(t, c.NewDatabase)
}
