package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// RawPath is the store-relative path of a raw body with the given digest.
func RawPath(h datasets.Hash) string { return "raw/" + h.Hex()[:2] + "/" + h.Hex() + ".zst" }

// RawStore keeps raw response bodies zstd-compressed under raw/, named by the
// SHA-256 of the uncompressed body. It implements sources.RawStore. Raw
// bodies are never swept: they are evidence of what a source said.
type RawStore struct {
	root string
	once sync.Once
	enc  *zstd.Encoder
	dec  *zstd.Decoder
	err  error
}

// Raw returns the store's raw-body store.
func (s *Store) Raw() *RawStore { return &RawStore{root: s.root} }

func (r *RawStore) init() error {
	r.once.Do(func() {
		if r.enc, r.err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1)); r.err != nil {
			return
		}
		r.dec, r.err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	})
	return r.err
}

// Put stores body and returns its SHA-256; storing the same body twice is a no-op.
func (r *RawStore) Put(ctx context.Context, body []byte) (datasets.Hash, error) {
	h := datasets.Hash(sha256.Sum256(body))
	if _, err := os.Stat(filepath.Join(r.root, RawPath(h))); err == nil {
		return h, nil
	}
	if err := r.init(); err != nil {
		return h, err
	}
	if err := datasets.WriteFileAtomic(r.root, RawPath(h), r.enc.EncodeAll(body, nil)); err != nil {
		return h, fmt.Errorf("storing raw body %s: %w", h, err)
	}
	return h, nil
}

// Get returns the body with digest h, checking the digest.
func (r *RawStore) Get(ctx context.Context, h datasets.Hash) ([]byte, error) {
	if err := r.init(); err != nil {
		return nil, err
	}
	comp, err := os.ReadFile(filepath.Join(r.root, RawPath(h)))
	if err != nil {
		return nil, fmt.Errorf("%w: raw body %s: %v", ErrNotFound, h, err)
	}
	body, err := r.dec.DecodeAll(comp, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: raw body %s does not decompress: %v", datasets.ErrIntegrity, h, err)
	}
	if datasets.Hash(sha256.Sum256(body)) != h {
		return nil, fmt.Errorf("%w: raw body %s does not hash to its name", datasets.ErrIntegrity, h)
	}
	return body, nil
}
