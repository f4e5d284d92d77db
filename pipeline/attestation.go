package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// AttestPolicy is a job's attestation stage: after a version is sealed it
// is signed by the pipeline's keys (unless a finding forces human review)
// and submitted once k stewards signed; otherwise it stays pending.
type AttestPolicy struct {
	// Collector returns the collector of the attestation section: the
	// backend, the steward set and k, the pipeline's auto_sign key
	// (Policy.AutoSign) and the submitter. It is called when a run has
	// something to attest, so it may dial the chain lazily; the runner
	// sets the copy's Catalog to its store.
	Collector func(ctx context.Context) (*attest.Collector, error)
	// AutoSign lets the collector's automatic signer and Cosigners sign.
	AutoSign bool
	// Cosigners are further steward keys held by this installation; they
	// sign like the automatic signer, each counting as one of the k.
	Cosigners []attest.Signer
	// Review lists the severities whose failing findings force human
	// review: the version is not signed automatically and stays pending
	// ("review") until stewards sign it. A non-append version (a reorg
	// correction) always needs review.
	Review []validators.Severity
	// Inbox is a folder of signature files (groundtruth sign -o) that
	// stewards drop for pending versions; "" for none. Files are moved to
	// Inbox/done once collected; a *.json file that is not a regular file
	// (a symlink, a FIFO), is larger than MaxInboxFileBytes or is not a
	// signature file is logged once and moved to Inbox/rejected.
	Inbox string
	// Recheck is how often the stage looks the dataset's latest attested
	// versions up on the chain, to attest again one whose record a reorg
	// deeper than the confirmation depth removed (0: DefaultRecheck;
	// negative: never). Only backends with one record per version (the
	// registry) are looked up.
	Recheck time.Duration

	recheckMu sync.Mutex
	rechecked time.Time
}

// AttestOutcome is what the attestation stage did with one version.
type AttestOutcome struct {
	Version uint64 `json:"version"`
	// State is attested, pending (fewer than k signatures) or review
	// (pending, and automatic signatures withheld).
	State string `json:"state"`
	// Signers is how many stewards' signatures count; Threshold is k.
	Signers   int `json:"signers"`
	Threshold int `json:"threshold"`
}

// catchUp bounds how many of a dataset's latest versions a run looks at
// for versions left sealed (an earlier attestation failed) or pending.
const catchUp = 16

// attest attests the version the run sealed and catches up with earlier
// versions whose attestation failed or that have new inbox signatures.
func (r *Runner) attest(ctx context.Context, spec *Spec, in *IngestResult, starting func(context.Context) error) ([]AttestOutcome, error) {
	p := spec.Attest
	inbox, err := p.readInbox(spec.Job.Dataset, r.log())
	if err != nil {
		return nil, err
	}
	if _, err := r.recheck(ctx, spec, starting); err != nil {
		// The chain may be down: the versions are looked up again next time.
		r.log().Warn("could not look the attested versions up on the chain", "dataset", spec.Job.Dataset, "err", err)
	}
	targets, err := r.unattested(ctx, spec.Job.Dataset, inbox)
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	if err := starting(ctx); err != nil {
		return nil, err
	}
	col, err := p.Collector(ctx)
	if err != nil {
		return nil, fmt.Errorf("attestation of %s: %w", spec.Job.Dataset, err)
	}
	var out []AttestOutcome
	for _, t := range targets {
		o, err := r.attestOne(ctx, spec, col, t, in, inbox[t.version])
		if err != nil {
			return out, fmt.Errorf("attestation of %s@%d: %w", spec.Job.Dataset, t.version, err)
		}
		out = append(out, o)
		p.collected(inbox[t.version])
	}
	return out, nil
}

// target is a version waiting for attestation.
type target struct {
	version    uint64
	status     string
	appendOnly bool
}

// unattested returns the latest versions still sealed, and the pending
// ones with signatures in the inbox, oldest first.
func (r *Runner) unattested(ctx context.Context, dataset string, inbox map[uint64][]inboxFile) ([]target, error) {
	rows, err := r.Store.DB().QueryContext(ctx, `SELECT version, status, append_only FROM gt.versions
		WHERE dataset = ? AND status IN ('sealed', 'pending') ORDER BY version DESC LIMIT ?`, dataset, catchUp)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrCatalog, err)
	}
	defer rows.Close()
	var out []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.version, &t.status, &t.appendOnly); err != nil {
			return nil, fmt.Errorf("%w: %v", store.ErrCatalog, err)
		}
		if t.status == "sealed" || len(inbox[t.version]) > 0 {
			out = append(out, t)
		}
	}
	slices.Reverse(out)
	return out, rows.Err()
}

// attestOne collects the signatures of one version and submits them when
// k stewards signed.
func (r *Runner) attestOne(ctx context.Context, spec *Spec, col *attest.Collector, t target, in *IngestResult, files []inboxFile) (AttestOutcome, error) {
	p := spec.Attest
	rec, err := r.Store.Version(ctx, spec.Job.Dataset, t.version)
	if err != nil {
		return AttestOutcome{}, err
	}
	review, err := r.needsReview(p, rec, t, in)
	if err != nil {
		return AttestOutcome{}, err
	}
	c := *col
	c.Catalog, c.Log = r.Store, r.log()
	stmt := attest.StatementOf(rec.Manifest, rec.ManifestHash)
	var extra []*attest.SignatureFile
	for _, f := range files {
		extra = append(extra, f.sig)
	}
	if review || !p.AutoSign {
		c.Policy.AutoSign = nil
	} else if t.status == "sealed" {
		for _, s := range p.Cosigners {
			f, err := c.Backend.Sign(ctx, s, stmt, c.Policy.Sign)
			if err != nil {
				return AttestOutcome{}, fmt.Errorf("co-signature by %s: %w", s.Address().Hex(), err)
			}
			extra = append(extra, f)
		}
	}
	res, err := c.Collect(ctx, stmt, extra)
	if err != nil {
		return AttestOutcome{}, err
	}
	o := AttestOutcome{Version: t.version, State: res.Status, Signers: len(res.Signers), Threshold: res.Threshold}
	if res.Status == attest.StatusPending && review {
		o.State = "review"
	}
	return o, nil
}

// needsReview reports whether automatic signatures are withheld: for a
// non-append version, or when the version's validation report has failing
// findings at a review severity.
func (r *Runner) needsReview(p *AttestPolicy, rec *store.VersionRecord, t target, in *IngestResult) (bool, error) {
	if !t.appendOnly {
		return true, nil
	}
	if len(p.Review) == 0 || rec.Manifest.ReportHash == nil {
		return false, nil
	}
	var rep *validators.Report
	if in != nil && in.Validation != nil && in.Manifest != nil && in.Manifest.Version == t.version {
		rep = in.Validation.Report
	} else {
		b, err := os.ReadFile(filepath.Join(r.Store.Root(), datasets.ReportPath(*rec.Manifest.ReportHash)))
		if err != nil {
			return false, fmt.Errorf("reading the validation report of version %d: %w", t.version, err)
		}
		rep = &validators.Report{}
		if err := json.Unmarshal(b, rep); err != nil {
			return false, fmt.Errorf("validation report of version %d: %w", t.version, err)
		}
	}
	for _, f := range rep.Findings {
		if !f.Passed && slices.Contains(p.Review, f.Severity) {
			return true, nil
		}
	}
	return false, nil
}

// attestState summarises a run's attestation for the run history: the
// state of the version the run sealed, else of the last version handled.
func attestState(out []AttestOutcome, in *IngestResult, err error) string {
	if err != nil {
		return "failed"
	}
	if in != nil && in.Manifest != nil {
		for _, o := range out {
			if o.Version == in.Manifest.Version {
				return o.State
			}
		}
	}
	if len(out) > 0 {
		return out[len(out)-1].State
	}
	return ""
}

// inboxFile is a signature file found in the inbox.
type inboxFile struct {
	path string
	sig  *attest.SignatureFile
}

// readInbox returns the inbox's attest signatures of dataset by version.
// A file that is not a regular one, larger than MaxInboxFileBytes or not a
// signature file is refused: logged and moved to Inbox/rejected.
func (p *AttestPolicy) readInbox(dataset string, log *slog.Logger) (map[uint64][]inboxFile, error) {
	out := map[uint64][]inboxFile{}
	if p.Inbox == "" {
		return out, nil
	}
	entries, err := os.ReadDir(p.Inbox)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("signature inbox: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(p.Inbox, e.Name())
		sf, err := readInboxFile(path)
		if errors.Is(err, errInboxFile) {
			p.reject(log, e.Name(), err)
			continue
		}
		if err != nil || sf.Purpose != attest.PurposeAttest || sf.Statement.Dataset != dataset {
			continue // gone meanwhile, or not for this job
		}
		out[sf.Statement.Version] = append(out[sf.Statement.Version], inboxFile{path: path, sig: sf})
	}
	return out, nil
}

// collected moves collected inbox files to Inbox/done.
func (p *AttestPolicy) collected(files []inboxFile) {
	if len(files) == 0 {
		return
	}
	done := filepath.Join(p.Inbox, "done")
	if err := os.MkdirAll(done, 0o755); err != nil {
		return
	}
	for _, f := range files {
		_ = os.Rename(f.path, filepath.Join(done, filepath.Base(f.path)))
	}
}
