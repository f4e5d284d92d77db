package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// DataOptions select what Data downloads.
type DataOptions struct {
	// Format is "jsonl", "csv" or "arrow" (an Arrow IPC stream).
	Format string
	// Columns are the columns in order ("_row" is the row index); empty:
	// all columns.
	Columns []string
	// First and Last are the first and last row (inclusive); Last 0 means
	// the last row of the version.
	First, Last uint64
}

// Data downloads a selection of version (0: latest) of dataset, verified
// as attested (Version), and returns its body. The reader returns the
// server's bytes as they come and, at the end, checks the trailers the
// server sends after a complete body (the row count and the body's
// SHA-256): a body cut short, whose trailers are missing, or whose digest
// or row count differs ends in an error wrapping ErrIncomplete instead of
// io.EOF. The rows' values are the server's; verify rows that matter with
// Row or Fetch.
func (c *Client) Data(ctx context.Context, dataset string, version uint64, o DataOptions) (io.ReadCloser, *Version, error) {
	v, err := c.Version(ctx, dataset, version)
	if err != nil {
		return nil, nil, err
	}
	rows := v.Manifest.RowCount
	last := o.Last
	if last == 0 || last >= rows {
		last = rows - 1
	}
	if rows == 0 || o.First > last {
		return nil, nil, fmt.Errorf("client: rows %d-%d of %s: it has %d rows", o.First, last, v.ref(), rows)
	}
	q := url.Values{}
	q.Set("format", o.Format)
	q.Set("rows", fmt.Sprintf("%d-%d", o.First, last))
	if len(o.Columns) > 0 {
		q.Set("columns", strings.Join(o.Columns, ","))
	}
	resp, err := c.get(ctx, versionPath(v.Dataset, v.Version)+"/data?"+q.Encode())
	if err != nil {
		return nil, nil, err
	}
	if got := resp.Header.Get(api.HeaderManifestHash); got != v.ManifestHash.String() {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("%w: asked for %s (manifest %s), the server answered with manifest %s", ErrMismatch, v.ref(), v.ManifestHash, got)
	}
	return &checkedBody{body: resp.Body, trailer: func() (string, string) {
		return resp.Trailer.Get(api.TrailerRows), resp.Trailer.Get(api.TrailerSHA256)
	}, h: sha256.New(), rows: last - o.First + 1, what: v.ref()}, v, nil
}

// checkedBody checks a selection stream's trailers at its end.
type checkedBody struct {
	body    io.ReadCloser
	trailer func() (rows, digest string)
	h       hash.Hash
	rows    uint64
	what    string
	err     error
}

// Read implements io.Reader; at the end of the body it returns io.EOF
// only if the trailers match what was read.
func (b *checkedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.body.Read(p)
	b.h.Write(p[:n])
	switch {
	case errors.Is(err, io.EOF):
		b.err = b.verify()
		return n, b.err
	case err != nil:
		b.err = fmt.Errorf("%w: %s: the download was cut: %w", ErrIncomplete, b.what, err)
		return n, b.err
	}
	return n, nil
}

func (b *checkedBody) verify() error {
	rows, digest := b.trailer()
	if rows == "" || digest == "" {
		return fmt.Errorf("%w: %s: the body ended without the server's completion trailers", ErrIncomplete, b.what)
	}
	got := "0x" + hex.EncodeToString(b.h.Sum(nil))
	if !strings.EqualFold(digest, got) {
		return fmt.Errorf("%w: %s: the body hashes to %s, the server's trailer says %s", ErrIncomplete, b.what, got, digest)
	}
	if n, err := strconv.ParseUint(rows, 10, 64); err != nil || n != b.rows {
		return fmt.Errorf("%w: %s: the server's trailer says %s rows, %d were asked for", ErrIncomplete, b.what, rows, b.rows)
	}
	return io.EOF
}

// Close implements io.Closer.
func (b *checkedBody) Close() error { return b.body.Close() }
