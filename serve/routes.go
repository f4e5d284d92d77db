package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// routes returns the API's multiplexer. Every path is under /v1; path
// values are parsed strictly before anything else happens.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	const v = "/v1/datasets/{dataset}/versions/{version}"
	mux.Handle("/v1/datasets", s.route("datasets", s.handleDatasets))
	mux.Handle("/v1/datasets/{dataset}", s.route("dataset", s.handleDataset))
	mux.Handle("/v1/datasets/{dataset}/consistency", s.route("consistency", s.handleConsistency))
	mux.Handle(v, s.route("version", s.handleVersion))
	mux.Handle(v+"/manifest", s.route("manifest", s.handleManifest))
	mux.Handle(v+"/evidence", s.route("evidence", s.handleEvidence))
	mux.Handle(v+"/segments/{sha256}", s.route("segment", s.limitStreams(s.handleSegment)))
	mux.Handle(v+"/data", s.route("data", s.limitStreams(s.handleData)))
	mux.Handle(v+"/rows", s.route("row_by_key", s.handleRowByKey))
	mux.Handle(v+"/rows/{index}", s.route("row", s.handleRow))
	mux.Handle("/", s.route("not_found", func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("%w: no endpoint %s (the API lives under /v1/datasets)", ErrNotFound, clip(r.URL.Path))
	}))
	return mux
}

func apiError(status int, kind, msg string) api.Error {
	return api.Error{Status: status, ErrorType: kind, Error: msg}
}

// versionOf resolves the {dataset} and {version} path values.
func (s *Server) versionOf(r *http.Request) (*versionState, error) {
	ds, err := parseDataset(r.PathValue("dataset"))
	if err != nil {
		return nil, err
	}
	ver, err := parseVersion(r.PathValue("version"))
	if err != nil {
		return nil, err
	}
	return s.lookup(PrincipalFrom(r.Context()), ds, ver)
}

// setVersionHeaders names the version a response's data comes from.
func setVersionHeaders(w http.ResponseWriter, v *versionState) {
	h := w.Header()
	h.Set(api.HeaderDataset, v.dataset)
	h.Set(api.HeaderVersion, strconv.FormatUint(v.version, 10))
	h.Set(api.HeaderRoot, v.manifest.MerkleRoot.String())
	h.Set(api.HeaderManifestHash, v.manifestHash.String())
	h.Set(api.HeaderRows, strconv.FormatUint(v.manifest.RowCount, 10))
	h.Set(api.HeaderAttestation, v.att.ID)
}

// Datasets returns the datasets p may read with their attested versions.
func (s *Server) Datasets(p *Principal) []api.Dataset {
	snap := s.snapshot()
	out := []api.Dataset{}
	for _, name := range snap.names {
		if !p.Allows(name) {
			continue
		}
		d := api.Dataset{Name: name, Versions: []api.Version{}}
		for _, v := range snap.datasets[name].versions {
			if v.servable() == nil {
				d.Versions = append(d.Versions, v.summary())
				d.Latest = v.version
			}
		}
		if len(d.Versions) > 0 {
			out = append(out, d)
		}
	}
	return out
}

func (s *Server) handleDatasets(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.DatasetList{Datasets: s.Datasets(PrincipalFrom(r.Context()))})
	return nil
}

// Dataset describes one dataset: its attested versions and latest schema.
func (s *Server) Dataset(p *Principal, name string) (*api.Dataset, error) {
	latest, err := s.lookup(p, name, 0)
	if err != nil {
		return nil, err
	}
	for _, d := range s.Datasets(p) {
		if d.Name == name {
			d.Schema = &latest.manifest.Schema
			return &d, nil
		}
	}
	return nil, fmt.Errorf("%w: no dataset %q", ErrNotFound, name)
}

func (s *Server) handleDataset(w http.ResponseWriter, r *http.Request) error {
	name, err := parseDataset(r.PathValue("dataset"))
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	d, err := s.Dataset(PrincipalFrom(r.Context()), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	doc := v.summary()
	doc.Manifest = json.RawMessage(v.manifestJSON)
	setVersionHeaders(w, v)
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// handleManifest serves the manifest's canonical bytes as stored: the
// client hashes them to get the manifest hash.
func (s *Server) handleManifest(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return s.serveBytes(w, r, v, v.manifestJSON, "application/json", v.manifestHash.Hex())
}

// handleEvidence serves the recorded attestation evidence (statement,
// signature files with EAS UIDs, anchoring transactions).
func (s *Server) handleEvidence(w http.ResponseWriter, r *http.Request) error {
	v, err := s.versionOf(r)
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return s.serveBytes(w, r, v, v.evidence, "application/json", v.manifestHash.Hex()+"-evidence")
}

func (s *Server) serveBytes(w http.ResponseWriter, r *http.Request, v *versionState, b []byte, ctype, etag string) error {
	setVersionHeaders(w, v)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", `"`+etag+`"`)
	if matchETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return nil
}

// Consistency returns the proof that version from of dataset is a prefix of
// version to (0: latest), both attested; it is checked before it is returned.
func (s *Server) Consistency(p *Principal, dataset string, from, to uint64) (*api.ConsistencyProof, *versionState, error) {
	a, err := s.lookup(p, dataset, from)
	if err != nil {
		return nil, nil, err
	}
	b, err := s.lookup(p, dataset, to)
	if err != nil {
		return nil, nil, err
	}
	if a.version > b.version {
		return nil, nil, badRequest("from (%d) is after to (%d)", a.version, b.version)
	}
	t, _, err := s.proofTree(b)
	if err != nil {
		return nil, nil, err
	}
	size1, size2 := a.manifest.RowCount, b.manifest.RowCount
	if size1 > size2 {
		return nil, nil, fmt.Errorf("%w: %s has %d rows, more than %s's %d: it is not a prefix", ErrConflict, a.ref(), size1, b.ref(), size2)
	}
	path, err := t.Consistency(size1)
	if err != nil {
		return nil, nil, err
	}
	if path == nil {
		path = []datasets.Hash{}
	}
	pr := &api.ConsistencyProof{Dataset: dataset, From: a.version, To: b.version, Size1: size1, Size2: size2,
		Root1: a.manifest.MerkleRoot, Root2: b.manifest.MerkleRoot, Path: path}
	if err := datasets.VerifyConsistency(size1, size2, path, pr.Root1, pr.Root2); err != nil {
		return nil, nil, fmt.Errorf("%w: %s is not a prefix of %s (a non-append version rewrote history): %v", ErrConflict, a.ref(), b.ref(), err)
	}
	return pr, b, nil
}

func (s *Server) handleConsistency(w http.ResponseWriter, r *http.Request) error {
	ds, err := parseDataset(r.PathValue("dataset"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := checkParams(q, "from", "to"); err != nil {
		return err
	}
	from, err := parseVersion(q.Get("from"))
	if err != nil || from == 0 {
		return badRequest("from %q: want the older version's number", clip(q.Get("from")))
	}
	to := uint64(0)
	if q.Has("to") {
		if to, err = parseVersion(q.Get("to")); err != nil {
			return err
		}
	}
	pr, b, err := s.Consistency(PrincipalFrom(r.Context()), ds, from, to)
	if err != nil {
		return err
	}
	setVersionHeaders(w, b)
	writeJSON(w, http.StatusOK, pr)
	return nil
}
