package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Data formats of the data endpoint.
const (
	FormatArrow = "arrow"
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

var formatTypes = map[string]string{FormatArrow: api.MediaArrow, FormatJSONL: api.MediaJSONL, FormatCSV: api.MediaCSV}

// negotiate picks the format from the format parameter, else from Accept
// (the first media type the API produces), else Arrow.
func negotiate(param, accept string) (string, error) {
	if param != "" {
		if _, ok := formatTypes[param]; !ok {
			return "", badRequest("format %q: want arrow, jsonl or csv", clip(param))
		}
		return param, nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		for f, t := range formatTypes {
			if mt == t || (f == FormatJSONL && (mt == "application/x-ndjson" || mt == "application/jsonlines")) {
				return f, nil
			}
		}
	}
	return FormatArrow, nil
}

// matchETag reports whether an If-None-Match or If-Range value names etag.
func matchETag(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		p := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if p == "*" || p == `"`+etag+`"` {
			return true
		}
	}
	return false
}

// handleData serves a version's rows: the full version as Arrow IPC (with
// byte ranges), or a selection of columns and rows as Arrow, JSONL or CSV.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := checkParams(q, "format", "columns", "rows", api.FormParam); err != nil {
		return err
	}
	form, err := api.ParseForm(q.Get(api.FormParam))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	format, err := negotiate(q.Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return err
	}
	sel, err := parseColumns(q.Get("columns"), &v.manifest.Schema)
	if err != nil {
		return err
	}
	sel.form = form
	total := v.manifest.RowCount
	begin, end, err := parseRows(q.Get("rows"), total)
	if err != nil {
		return err
	}
	// A rows= or columns= selection is one (with trailers) even when it
	// covers the whole version.
	full := format == FormatArrow && q.Get("columns") == "" && q.Get("rows") == ""
	etag := v.manifestHash.Hex()
	if !full {
		key := fmt.Sprintf("%s|%v|%d|%d|%d", format, sel.cols, sel.rowPos, begin, end)
		if format != FormatArrow {
			key += "|" + form.String()
		}
		d := sha256.Sum256([]byte(key))
		etag += "-" + hex.EncodeToString(d[:8])
	}
	setVersionHeaders(w, v)
	h := w.Header()
	h.Set("Content-Type", formatTypes[format])
	h.Set("ETag", `"`+etag+`"`)
	if matchETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if full {
		return s.serveStream(w, r, v, etag)
	}
	if begin < end { // the segments are checked before the status line
		starts := segmentStarts(v.manifest)
		first, _ := segmentOf(starts, begin)
		last, _ := segmentOf(starts, end-1)
		if err := s.verifySegments(v, first, last); err != nil {
			return err
		}
	}
	h.Set("Accept-Ranges", "none")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	h.Set("Trailer", api.TrailerRows+", "+api.TrailerSHA256)
	w.WriteHeader(http.StatusOK)
	dw := &digestWriter{w: w, h: sha256.New()}
	rows, err := s.writeRows(r.Context(), dw, v, format, sel, begin, end)
	if err != nil {
		return err
	}
	h.Set(api.TrailerRows, strconv.FormatUint(rows, 10))
	h.Set(api.TrailerSHA256, "0x"+hex.EncodeToString(dw.h.Sum(nil)))
	return nil
}

// digestWriter hashes what it writes.
type digestWriter struct {
	w io.Writer
	h hash.Hash
}

func (d *digestWriter) Write(b []byte) (int, error) {
	n, err := d.w.Write(b)
	d.h.Write(b[:n])
	return n, err
}

// serveStream serves the version's deterministic Arrow stream, whole or one
// byte range of it.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, v *versionState, etag string) error {
	if err := s.verifySegments(v, 0, len(v.manifest.Segments)-1); err != nil {
		return err
	}
	l, err := v.streamLayoutOf(s.files, s.integ.checkOpen)
	if err != nil {
		return err
	}
	return s.serveLayout(w, r, v, l, etag)
}

// handleSegment serves one segment file of the version (with byte ranges),
// so that a client can check every segment hash itself.
func (s *Server) handleSegment(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	name := strings.TrimPrefix(r.PathValue("sha256"), "0x")
	if len(name) != 64 || strings.Trim(name, "0123456789abcdef") != "" {
		return badRequest("segment %q: want its SHA-256 as 64 lowercase hex digits", clip(name))
	}
	for i := range v.manifest.Segments {
		seg := &v.manifest.Segments[i]
		if seg.SHA256.Hex() != name {
			continue
		}
		if err := s.verifySegment(v, seg); err != nil {
			return err
		}
		l := &streamLayout{}
		l.add(span{path: seg.Path, seg: seg, off: 0, n: int64(seg.Bytes)})
		setVersionHeaders(w, v)
		w.Header().Set("Content-Type", "application/vnd.apache.arrow.file")
		w.Header().Set("ETag", `"`+name+`"`)
		if matchETag(r.Header.Get("If-None-Match"), name) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return s.serveLayout(w, r, v, l, name)
	}
	return fmt.Errorf("%w: %s has no segment %s", ErrNotFound, v.ref(), name)
}

// serveLayout serves a layout with byte ranges (shared by segments).
func (s *Server) serveLayout(w http.ResponseWriter, r *http.Request, v *versionState, l *streamLayout, etag string) error {
	h := w.Header()
	h.Set("Accept-Ranges", "bytes")
	start, end, status := int64(0), l.size, http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" && (r.Header.Get("If-Range") == "" || matchETag(r.Header.Get("If-Range"), etag)) {
		var err error
		if start, end, err = parseByteRange(rg, l.size); err != nil {
			h.Set("Content-Range", fmt.Sprintf("bytes */%d", l.size))
			return err
		}
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end-1, l.size))
		status = http.StatusPartialContent
	}
	h.Set("Content-Length", strconv.FormatInt(end-start, 10))
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := l.copyRange(r.Context(), w, s.files, start, end, func(seg *datasets.SegmentRef, f *os.File) error {
		if err := s.refuse(v); err != nil {
			return err
		}
		if err := s.verifySegment(v, seg); err != nil {
			return err
		}
		return s.integ.checkOpen(*seg, f)
	})
	return err
}
