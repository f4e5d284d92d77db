package console

import (
	"net/url"
	"strings"
)

// ReportLinks returns what names the console's pages of a run, for the
// daemon's log lines: base is where the console is served (for example
// http://127.0.0.1:8484); report is the run's page, validation the same
// page at its validation report (#/run/ID?section=validation).
func ReportLinks(base string) func(runID string) (report, validation string) {
	root := strings.TrimSuffix(base, "/") + Prefix + "#/run/"
	return func(runID string) (string, string) {
		r := root + url.PathEscape(runID)
		return r, r + "?section=validation"
	}
}
