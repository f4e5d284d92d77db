package client

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Fetch verifies version (0: latest) of dataset, downloads its segment
// files into the cache folder, checks each one's SHA-256 and size,
// recomputes every leaf and the Merkle root from the rows, and returns a
// reader over the verified rows. Nothing is returned unless everything
// matches what the chain attests.
func (c *Client) Fetch(ctx context.Context, dataset string, version uint64) (array.RecordReader, *Version, error) {
	if c.cfg.CacheDir == "" {
		return nil, nil, fmt.Errorf("client: Fetch needs Config.CacheDir")
	}
	v, err := c.Version(ctx, dataset, version)
	if err != nil {
		return nil, nil, err
	}
	for i, seg := range v.Manifest.Segments {
		if err := c.segment(ctx, v, i, seg); err != nil {
			return nil, nil, err
		}
	}
	res, err := datasets.VerifyVersion(ctx, c.cfg.CacheDir, v.ManifestJSON, v.ManifestHash)
	if err != nil {
		return nil, nil, err
	}
	for _, chk := range res.Checks {
		if chk.OK || strings.HasSuffix(chk.Check, ".leaves") { // leaf indexes are the server's, not downloaded
			continue
		}
		kind := ErrSegment
		if strings.HasPrefix(chk.Check, "merkle.") || strings.HasPrefix(chk.Check, "parent.") {
			kind = ErrMerkleRoot
		}
		return nil, nil, fmt.Errorf("%w: %w: %s: %s: %s", kind, datasets.ErrIntegrity, v.ref(), chk.Check, chk.Detail)
	}
	r, err := datasets.NewVersionReader(c.cfg.CacheDir, v.Manifest)
	if err != nil {
		return nil, nil, err
	}
	return r, v, nil
}

// segment makes sure segment i is in the cache with the right hash,
// downloading it when it is not.
func (c *Client) segment(ctx context.Context, v *Version, i int, seg datasets.SegmentRef) error {
	dst := filepath.Join(c.cfg.CacheDir, filepath.FromSlash(seg.Path)) // checked by ParseManifest: segments/ab/<hex>.arrow
	if h, n, err := fileHash(dst); err == nil && h == seg.SHA256 && n == seg.Bytes {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	resp, err := c.get(ctx, versionPath(v.Dataset, v.Version)+"/segments/"+seg.SHA256.Hex())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(resp.Body, int64(seg.Bytes)+1))
	if err != nil {
		return fmt.Errorf("client: downloading segment %d of %s: %w", i, v.ref(), err)
	}
	var got datasets.Hash
	h.Sum(got[:0])
	if got != seg.SHA256 || uint64(n) != seg.Bytes {
		return fmt.Errorf("%w: %w: %s: segments[%d]: the server sent %d bytes hashing to %s, the attested manifest says %d bytes, %s",
			ErrSegment, datasets.ErrIntegrity, v.ref(), i, n, got, seg.Bytes, seg.SHA256)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func fileHash(path string) (datasets.Hash, uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return datasets.Hash{}, 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	var out datasets.Hash
	h.Sum(out[:0])
	return out, uint64(n), err
}
