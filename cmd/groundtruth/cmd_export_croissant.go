package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/croissant"
)

// croissantFlags are the export command's flags for training exports.
type croissantFlags struct {
	dir, license, url, creator, description string
}

func (f *croissantFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.dir, "croissant", "", "write a training export into this new folder: Parquet rows, the manifest, the attestation evidence and Croissant 1.0 metadata (croissant.json)")
	fs.StringVar(&f.license, "license", "https://spdx.org/licenses/NOASSERTION", "--croissant: the data's licence URL (SPDX recommended)")
	fs.StringVar(&f.url, "url", "", "--croissant: the dataset's page or API URL (default urn:groundtruth:DATASET@N)")
	fs.StringVar(&f.creator, "creator", "groundtruth stewards", "--croissant: who publishes the data")
	fs.StringVar(&f.description, "description", "", "--croissant: the dataset's description")
}

// exportCroissant writes an attested version as a Croissant training
// export: DATASET@N.parquet (DuckDB COPY of the version's view, in row
// order, with _row first; wide integers and bytes as text), manifest.json
// (the canonical bytes), evidence.json and croissant.json.
func (a *app) exportCroissant(ctx context.Context, ref string, f *croissantFlags) error {
	st, rec, err := a.openVersion(ctx, ref)
	if err != nil {
		return err
	}
	defer st.Close()
	m := rec.Manifest
	name := fmt.Sprintf("%s@%d", m.Dataset, m.Version)
	status, err := st.VersionStatus(ctx, m.Dataset, m.Version)
	if err != nil {
		return err
	}
	switch status {
	case attest.StatusAttested:
	case attest.StatusPending:
		return fmt.Errorf("%w: %s is pending: only attested versions are exported for training", attest.ErrPending, name)
	default:
		return fmt.Errorf("%w: %s is %s: only attested versions are exported for training", attest.ErrInvalid, name, status)
	}
	ev, evDoc, err := recordedEvidence(ctx, st, attest.StatementOf(m, rec.ManifestHash))
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(f.dir)
	if err != nil {
		return err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%w: %s is not empty; choose a new folder", errUsage, f.dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data := filepath.Join(dir, name+".parquet")
	q := fmt.Sprintf(`COPY (SELECT %s FROM "%s" ORDER BY _row) TO '%s' (FORMAT parquet, COMPRESSION zstd)`,
		exportColumns(&m.Schema), name, strings.ReplaceAll(data, "'", "''"))
	conn, closeDB, err := versionRowsDB(ctx, st, m)
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, q)
	closeDB()
	if err != nil {
		return fmt.Errorf("%w: exporting %s: %v", store.ErrCatalog, name, err)
	}
	files := []struct {
		name, format, desc string
		body               []byte
	}{
		{"manifest.json", "application/json", "The version's canonical manifest (docs/SPEC.md §7); its SHA-256 is the manifest hash the stewards signed.", rec.ManifestJSON},
		{"evidence.json", "application/json", "The attestation evidence: the signed statement, the stewards' signatures, the anchoring transactions.", evDoc},
	}
	in := croissant.Input{Manifest: m, ManifestHash: rec.ManifestHash, Attestation: serve.Summarise(ev),
		License: f.license, URL: f.url, Creator: f.creator, Description: f.description}
	if in.URL == "" {
		in.URL = "urn:groundtruth:" + name
	}
	if in.Data, err = describeFile(data, "application/x-parquet", "The rows of "+name+" in version order (_row first)."); err != nil {
		return err
	}
	for _, x := range files {
		p := filepath.Join(dir, x.name)
		if err := os.WriteFile(p, x.body, 0o644); err != nil {
			return err
		}
		fo, err := describeFile(p, x.format, x.desc)
		if err != nil {
			return err
		}
		in.Others = append(in.Others, fo)
	}
	meta, err := croissant.Metadata(in)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "croissant.json"), append(meta, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s: %d rows exported to %s (Parquet, manifest, evidence, croissant.json; root %s)\n", name, m.RowCount, f.dir, m.MerkleRoot)
	return nil
}

// exportColumns is the SELECT list of a training export.
func exportColumns(s *datasets.Schema) string {
	cols := []string{"CAST(_row AS BIGINT) AS _row"} // an integer in Parquet, as croissant.json declares
	for _, c := range s.Columns {
		q := `"` + strings.ReplaceAll(c.Name, `"`, `""`) + `"`
		switch c.Type {
		case datasets.TypeUint256, datasets.TypeInt256:
			q = "CAST(" + q + " AS VARCHAR) AS " + q
		case datasets.TypeBytes:
			q = "'0x' || lower(hex(" + q + ")) AS " + q
		}
		cols = append(cols, q)
	}
	return strings.Join(cols, ", ")
}

// recordedEvidence returns the evidence of the version's anchoring.
func recordedEvidence(ctx context.Context, st *store.Store, stmt attest.Statement) (*attest.Evidence, []byte, error) {
	docs, err := st.Attestations(ctx, stmt.Dataset, stmt.Version, "")
	if err != nil {
		return nil, nil, err
	}
	for _, d := range docs {
		ev, err := attest.ParseEvidence(d)
		if err == nil && ev.Statement == stmt && (len(ev.Receipts) > 0 || ev.Target.Backend == attest.KindOffchain) {
			return ev, d, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: the catalog holds no attestation evidence of %s", attest.ErrInvalid, stmt.Ref())
}

func describeFile(path, format, desc string) (croissant.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return croissant.File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return croissant.File{}, err
	}
	out := croissant.File{Name: filepath.Base(path), EncodingFormat: format, Bytes: n, Description: desc}
	h.Sum(out.SHA256[:0])
	return out, nil
}
