package datasets

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// ReportPath is the store-relative path of the validation report with hash
// h: reports/<h[0:2]>/<h>.json (the path pipeline writes it to).
func ReportPath(h Hash) string { return "reports/" + h.Hex()[:2] + "/" + h.Hex() + ".json" }

// VerifyReport adds to v the check of the validation report manifest m
// names: the file reports/<h>.json under root must exist and hash to the
// manifest's reportHash, which the stewards sign (issue #13 F110). A
// manifest without a report adds nothing. VerifyVersion does not call it
// (a client's download of the rows holds no report); the store's Verify
// and verify --bundle do.
func VerifyReport(v *Verification, root string, m *Manifest) {
	if m.ReportHash == nil || m.ReportHash.IsZero() {
		return
	}
	rel := ReportPath(*m.ReportHash)
	raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		v.add("report", false, "the validation report %s the manifest names (reportHash %s) is missing", rel, *m.ReportHash)
	case err != nil:
		v.add("report", false, "reading the validation report %s: %v", rel, err)
	default:
		got := Hash(sha256.Sum256(raw))
		v.add("report", got == *m.ReportHash, "sha256 of the validation report %s is %s, manifest field reportHash says %s", rel, got, *m.ReportHash)
	}
}
