package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
)

// exportRefusal is the error of exporting a version that is not attested.
func exportRefusal(name, status string) error {
	hint := "attest it first, or pass --allow-unattested to export it anyway (the output then says so)"
	switch status {
	case attest.StatusPending:
		return fmt.Errorf("%w: %s is pending: only attested versions are exported; %s", attest.ErrPending, name, hint)
	case attest.StatusRevoked:
		hint = "its attestation was withdrawn; pass --allow-unattested to export it anyway (the output then says so)"
	}
	return fmt.Errorf("%w: %s is %s: only attested versions are exported; %s", attest.ErrInvalid, name, status, hint)
}

// exportMetadata is the KV_METADATA option of a Parquet export: the
// version, its root and manifest hash, and its status (attested or not).
func exportMetadata(m *datasets.Manifest, manifestHash, status string) string {
	kv := map[string]string{
		"groundtruth.dataset":     m.Dataset,
		"groundtruth.version":     fmt.Sprint(m.Version),
		"groundtruth.merkle_root": m.MerkleRoot.String(),
		"groundtruth.manifest":    manifestHash,
		"groundtruth.status":      status,
		"groundtruth.attested":    fmt.Sprint(status == attest.StatusAttested),
	}
	var parts []string
	for _, k := range []string{"groundtruth.dataset", "groundtruth.version", "groundtruth.merkle_root", "groundtruth.manifest", "groundtruth.status", "groundtruth.attested"} {
		parts = append(parts, fmt.Sprintf(`"%s": '%s'`, k, strings.ReplaceAll(kv[k], "'", "''")))
	}
	return "KV_METADATA {" + strings.Join(parts, ", ") + "}"
}

// exportTarget is the absolute path DuckDB writes to: out (which must not
// exist), or a file in a new temporary folder for stdout.
func exportTarget(out string, toStdout bool) (string, error) {
	if toStdout {
		dir, err := os.MkdirTemp("", "groundtruth-export-")
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, "rows"), nil
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err == nil {
		return "", fmt.Errorf("%w: %s exists; remove it or choose another -o", errUsage, out)
	}
	return abs, nil
}

// copyFileTo copies the file at p to w.
func copyFileTo(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
