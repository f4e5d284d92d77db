package sqlview

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// ErrCopyMismatch is a Parquet copy whose bytes are not those this package
// writes from its segment: tampered with, damaged, or written by another
// version of the writer. `catalog check --repair` rewrites it. Errors
// wrapping it wrap datasets.ErrIntegrity too.
var ErrCopyMismatch = errors.New("sqlview: the SQL copy does not match its segment")

// CopyVerifier proves, before a copy's rows are read, that a Parquet copy
// is the one this package writes from its segment: the segment file is
// read and hashed against the SHA-256 the manifest gives, its copy is
// written again into a temporary folder, and the two copies' SHA-256 must
// be equal (the copies are deterministic). A copy proven once is not
// proven again while its file keeps the identity it had (device, inode,
// size, modification and change times): the proofs are kept in Cache, a
// folder of the user's (outside the data directory, so that whoever can
// write the data directory cannot forge a proof for a copy they replaced).
type CopyVerifier struct {
	// Root is the data directory (segments/ and sql/ lie in it).
	Root string
	// Cache is the folder of the proofs ("" keeps none: every use proves
	// the copy again).
	Cache string
}

// DefaultCopyProofs is the proof folder under the user's cache directory
// ($XDG_CACHE_HOME/groundtruth/sql-copy-proofs), or "" when there is none.
func DefaultCopyProofs() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "groundtruth", "sql-copy-proofs")
}

// copyProof is what a proof file records: the copy's identity when it was
// proven and its SHA-256.
type copyProof struct {
	Path    string `json:"path"`
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
	Size    int64  `json:"size"`
	MtimeNs int64  `json:"mtimeNs"`
	CtimeNs int64  `json:"ctimeNs"`
	SHA256  string `json:"sha256"`
}

// identity is the copy file's identity at path, without its hash.
func identity(path string) (copyProof, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return copyProof{}, err
	}
	p := copyProof{Path: path, Size: fi.Size(), MtimeNs: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		p.Dev, p.Ino = uint64(st.Dev), st.Ino
		p.CtimeNs = st.Ctim.Sec*1e9 + st.Ctim.Nsec
	}
	return p, nil
}

// Verify proves the copy of segment seg (its schema read from the segment), or
// returns ErrCopyMismatch naming it, or ErrParquet when the segment itself
// cannot be read or does not hash to seg.SHA256.
func (cv *CopyVerifier) Verify(ctx context.Context, seg Segment) error {
	id, err := identity(seg.Parquet)
	if err != nil {
		return fmt.Errorf("%w: %w: %s: %v (catalog check --repair writes it)", ErrCopyMismatch, datasets.ErrIntegrity, seg.Parquet, err)
	}
	proofPath := ""
	if cv.Cache != "" {
		key := sha256.Sum256([]byte(seg.Parquet))
		proofPath = filepath.Join(cv.Cache, fmt.Sprintf("%x.json", key[:16]))
		if cv.proven(proofPath, id) {
			return nil
		}
	}
	got, err := datasets.FileSHA256(seg.Parquet)
	if err != nil {
		return fmt.Errorf("%w: %w: %s: %v", ErrCopyMismatch, datasets.ErrIntegrity, seg.Parquet, err)
	}
	want, err := cv.expected(ctx, seg, copyCreatedBy(seg.Parquet))
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: %w: %s is not the copy of segment %s (tampered or damaged; catalog check --repair rewrites it from the segment)", ErrCopyMismatch, datasets.ErrIntegrity, seg.Parquet, seg.SHA256.Hex())
	}
	if proofPath != "" {
		id.SHA256 = got.Hex()
		cv.remember(proofPath, id)
	}
	return nil
}

// proven reports whether the proof at proofPath is for a copy with id's
// identity.
func (cv *CopyVerifier) proven(proofPath string, id copyProof) bool {
	raw, err := os.ReadFile(proofPath)
	if err != nil {
		return false
	}
	var p copyProof
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	p.SHA256 = ""
	return p == id
}

// remember writes a proof; a failure only costs a proof next time.
func (cv *CopyVerifier) remember(proofPath string, p copyProof) {
	raw, _ := json.Marshal(p)
	if os.MkdirAll(filepath.Dir(proofPath), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(proofPath), ".proof-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(raw)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), proofPath) != nil {
		os.Remove(tmp.Name())
	}
}

// copyCreatedBy is the created_by in the footer of the copy at path, or
// CopyCreatedBy when the footer cannot be read or carries none of a sane
// length (the proof then fails on the bytes, as it should). The created_by
// is metadata only: every other byte must still be what this package
// writes from the segment.
func copyCreatedBy(path string) string {
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return CopyCreatedBy
	}
	defer r.Close()
	cb := r.MetaData().GetCreatedBy()
	if cb == "" || len(cb) > maxCreatedBy {
		return CopyCreatedBy
	}
	return cb
}

// expected writes the copy of seg again from its segment file, checked
// against seg.SHA256, with the footer's created_by createdBy, into a
// temporary folder and returns its SHA-256.
func (cv *CopyVerifier) expected(ctx context.Context, seg Segment, createdBy string) (datasets.Hash, error) {
	tmp, err := os.MkdirTemp("", "groundtruth-copy-proof-*")
	if err != nil {
		return datasets.Hash{}, fmt.Errorf("%w: %v", ErrParquet, err)
	}
	defer os.RemoveAll(tmp)
	segPath := filepath.Join(cv.Root, filepath.FromSlash(datasets.SegmentPath(seg.SHA256)))
	rel, err := copyOfFile(ctx, segPath, seg.SHA256, tmp, createdBy)
	if err != nil {
		return datasets.Hash{}, err
	}
	return datasets.FileSHA256(filepath.Join(tmp, rel))
}
