package datasets

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TmpDir is the store-relative folder for files being written; anything left
// in it is a leftover of an interrupted write, listed by `groundtruth catalog
// check` and deleted only by its --prune.
const TmpDir = "tmp"

// CreateTemp creates a temporary file under root/tmp.
func CreateTemp(root, pattern string) (*os.File, error) {
	dir := filepath.Join(root, TmpDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, pattern)
}

// CommitFile makes a written temporary file durable under root/rel: fsync the
// file, close it, rename it into place and fsync the target folder. When the
// target already exists (content addressing: same name, same bytes), the
// temporary file is removed instead.
func CommitFile(f *os.File, root, rel string) error {
	tmp := f.Name()
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("fsync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	final := filepath.Join(root, rel)
	if _, err := os.Stat(final); err == nil {
		return os.Remove(tmp)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rename into %s: %w", final, err)
	}
	return SyncDir(dir)
}

// WriteFileAtomic writes data to root/rel with CommitFile's guarantees.
func WriteFileAtomic(root, rel string, data []byte) error {
	f, err := CreateTemp(root, "write-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	return CommitFile(f, root, rel)
}

// SyncDir fsyncs a directory so a rename in it is durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

// FileSHA256 is the SHA-256 of the file at path, read as a stream.
func FileSHA256(path string) (Hash, error) {
	f, err := os.Open(path)
	if err != nil {
		return Hash{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Hash{}, err
	}
	return Hash(h.Sum(nil)), nil
}
