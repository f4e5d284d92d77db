package attest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// BundleFormat identifies the bundle index format.
const BundleFormat = "groundtruth-bundle/1"

// Names inside a bundle besides the store layout.
const (
	// BundleIndexName is the bundle's index.
	BundleIndexName = "groundtruth-bundle.json"
	// BundleEvidenceName is the attestation evidence.
	BundleEvidenceName = "evidence.json"
)

// BundleIndex is a bundle's table of contents.
type BundleIndex struct {
	// Format is BundleFormat.
	Format string `json:"format"`
	// Dataset and Version name the version.
	Dataset string `json:"dataset"`
	Version uint64 `json:"version"`
	// ManifestHash is the manifest's hash (the statement's is authoritative).
	ManifestHash datasets.Hash `json:"manifestHash"`
	// Files are the other members, in order.
	Files []string `json:"files"`
}

// bundleName matches the members a bundle may hold: the store layout of one
// version (manifest, segments, leaf indexes, off-chain attestations) and the
// two JSON documents.
var bundleName = regexp.MustCompile(`^(groundtruth-bundle\.json|evidence\.json|manifests/[0-9a-f]{2}/[0-9a-f]{64}\.json|segments/[0-9a-f]{2}/[0-9a-f]{64}\.(arrow|leaves)|reports/[0-9a-f]{2}/[0-9a-f]{64}\.json|attestations/[0-9a-f]{2}/[0-9a-f]{64}/0x[0-9a-f]{64}\.json)$`)

// WriteBundle writes a tar bundle of one version to w: the index, the
// evidence (when ev is not nil), the manifest, every segment with its leaf
// index, the validation report the manifest names (its reportHash), and the
// files under attestations/ for the version, all read from the store root.
func WriteBundle(ctx context.Context, w io.Writer, root string, m *datasets.Manifest, manifestHash datasets.Hash, ev *Evidence) error {
	if err := checkManifestFile(root, manifestHash); err != nil {
		return err
	}
	files := []string{datasets.ManifestPath(manifestHash)}
	for _, s := range m.Segments {
		files = append(files, s.Path, datasets.LeavesPath(s.SHA256))
	}
	if m.ReportHash != nil && !m.ReportHash.IsZero() {
		files = append(files, datasets.ReportPath(*m.ReportHash)) // the signed validation report (F110)
	}
	h := manifestHash.Hex()
	attDir := path.Join("attestations", h[:2], h)
	if entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(attDir))); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, path.Join(attDir, e.Name()))
			}
		}
	}
	idx, err := json.MarshalIndent(BundleIndex{Format: BundleFormat, Dataset: m.Dataset, Version: m.Version, ManifestHash: manifestHash, Files: files}, "", "  ")
	if err != nil {
		return err
	}
	var evb []byte
	if ev != nil {
		if evb, err = ev.Marshal(); err != nil {
			return err
		}
	}
	tw := tar.NewWriter(w)
	put := func(name string, size int64, r io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := io.Copy(tw, r)
		return err
	}
	if err := put(BundleIndexName, int64(len(idx)), bytes.NewReader(idx)); err != nil {
		return err
	}
	if evb != nil {
		if err := put(BundleEvidenceName, int64(len(evb)), bytes.NewReader(evb)); err != nil {
			return err
		}
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := putFile(put, root, name); err != nil {
			return err
		}
	}
	return tw.Close()
}

// checkManifestFile refuses to bundle a manifest file whose bytes do not
// hash to the manifest hash (a damaged or replaced file), naming the file.
func checkManifestFile(root string, manifestHash datasets.Hash) error {
	name := filepath.Join(root, filepath.FromSlash(datasets.ManifestPath(manifestHash)))
	b, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("bundling the manifest: %w", err)
	}
	if got := datasets.Hash(sha256.Sum256(b)); got != manifestHash {
		return fmt.Errorf("%w: manifest file %s is damaged: its SHA-256 is %s, the version's manifest hash is %s; nothing was bundled",
			datasets.ErrIntegrity, name, got, manifestHash)
	}
	return nil
}

func putFile(put func(string, int64, io.Reader) error, root, name string) error {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return fmt.Errorf("bundling %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return put(name, st.Size(), f)
}

// Bundle is an extracted bundle.
type Bundle struct {
	// Root is the folder it was extracted to, laid out like a store.
	Root string
	// Index is its index.
	Index BundleIndex
	// Evidence is its evidence.
	Evidence *Evidence
	// Manifest is the manifest's bytes.
	Manifest []byte
}

// ExtractBundle extracts a bundle into dir (which must exist) and reads its
// index, evidence and manifest. Only regular files with the names a bundle
// may hold are accepted; anything else is an integrity error.
func ExtractBundle(ctx context.Context, r io.Reader, dir string) (*Bundle, error) {
	tr := tar.NewReader(r)
	b := &Bundle{Root: dir}
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: bundle: %v", datasets.ErrIntegrity, err)
		}
		if hdr.Typeflag != tar.TypeReg || !bundleName.MatchString(hdr.Name) || seen[hdr.Name] {
			return nil, fmt.Errorf("%w: bundle member %q is not part of a bundle (or repeated)", datasets.ErrIntegrity, hdr.Name)
		}
		seen[hdr.Name] = true
		dst := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if err := writeMember(dst, tr); err != nil {
			return nil, err
		}
	}
	idx, err := os.ReadFile(filepath.Join(dir, BundleIndexName))
	if err != nil {
		return nil, fmt.Errorf("%w: bundle has no %s", datasets.ErrIntegrity, BundleIndexName)
	}
	if err := json.Unmarshal(idx, &b.Index); err != nil || b.Index.Format != BundleFormat {
		return nil, fmt.Errorf("%w: bundle index is not %s", datasets.ErrIntegrity, BundleFormat)
	}
	if evb, err := os.ReadFile(filepath.Join(dir, BundleEvidenceName)); err == nil {
		if b.Evidence, err = ParseEvidence(evb); err != nil {
			return nil, err
		}
	}
	// The data is checked against the manifest the index names; whether the
	// evidence attests that manifest is the statement check's business.
	mh := b.Index.ManifestHash
	if b.Manifest, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(datasets.ManifestPath(mh)))); err != nil {
		return nil, fmt.Errorf("%w: the bundle has no manifest %s", datasets.ErrIntegrity, mh)
	}
	return b, nil
}

func writeMember(dst string, r io.Reader) error {
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
