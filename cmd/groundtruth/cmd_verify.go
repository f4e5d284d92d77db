package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
)

type verification = datasets.Verification

// verifyOpts are verify's own flags.
type verifyOpts struct {
	attestFlags
	offline     bool
	bundle      string
	trustBundle bool
	require     bool
	filesOnly   bool
}

func newVerifyCmd(a *app) *cobra.Command {
	var o verifyOpts
	cmd := &cobra.Command{
		Use:   "verify DATASET[@N] | verify --bundle FILE",
		Short: "Recompute a version's hashes and root from its files and check its attestation",
		Long: `verify recomputes, from the files (the data directory, or a bundle made by
groundtruth bundle), every segment's SHA-256, every row's leaf hash, the Merkle
root, the manifest hash and, for an append version, that the parent's root is a
prefix of this version. Then it checks the attestation: the statement against
the recomputed data, each steward signature (chain and contract, signature,
authorised steward, expiry), revocations and the threshold k; with --rpc also
against the chain (the registry's record, or each EAS attestation). The
authorised stewards come from --stewards/--threshold (or --config), from the
registry with --rpc, or, for a bundle, from the bundle itself only with
--trust-bundle; never from the evidence the catalog holds (it is what is
checked). Without any of these verify cannot decide whether the version is
attested and fails the "stewards" check (exit 8).
With a chain given (--rpc, or the configuration's attestation section) the
attestation is required: a version the chain does not record as attested
fails (exit 9), as does one without any evidence. A version the catalog
records as attested (or revoked) is required to have its evidence too: without
any, verify exits 9 even with no chain given. --files-only checks the
files alone and ignores attestations. A version the catalog records as
revoked fails the "revocation" check (exit 8) whatever its evidence says; a
catalog that lacks journal entries (one restored from an older backup, which
may predate a revocation) is refused with exit 12 and the catalog rebuild
hint. The validation report the manifest names (reportHash) is
re-hashed too: a rewritten or missing reports/<h>.json fails "report".
One line per check; exit 0 when all pass, 3 when the data does not match its
hashes, 8 when an attestation check fails (invalid, revoked, expired, another
chain or contract), 9 when fewer than k stewards signed or the chain has no
attestation of the version.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.bundle != "" && len(args) <= 1 {
				return nil
			}
			return exactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.load(a); err != nil {
				return err
			}
			if !o.offline && o.rpc == "" {
				return fmt.Errorf("%w: --offline=false needs --rpc URL", errUsage)
			}
			if o.filesOnly && (o.require || o.changed("rpc") || o.changed("backend")) {
				return fmt.Errorf("%w: --files-only checks the files alone: leave out --attested, --rpc and --backend", errUsage)
			}
			ref := ""
			if len(args) == 1 {
				ref = args[0]
			}
			return a.verify(cmd.Context(), &o, ref)
		},
	}
	o.register(cmd)
	cmd.Flags().BoolVar(&o.offline, "offline", true, "verify from the files; add --rpc to check the chain as well")
	cmd.Flags().StringVar(&o.bundle, "bundle", "", "verify a bundle file instead of the data directory")
	cmd.Flags().BoolVar(&o.trustBundle, "trust-bundle", false, "accept the steward set the bundle declares (only when you trust who made it)")
	cmd.Flags().BoolVar(&o.require, "attested", false, "fail when the version has no attestation evidence")
	cmd.Flags().BoolVar(&o.filesOnly, "files-only", false, "check the files alone, not the attestation (even with a configured chain)")
	return cmd
}

// verifyInput is what the data part of verify found.
type verifyInput struct {
	data     *verification
	stmt     attest.Statement
	evidence *attest.Evidence
	declared string // where evidence.DeclaredTrust came from, "" = not trusted
	// recorded is the catalog's status of the version when it says the
	// version was attested: then an attestation is required (F18).
	recorded string
}

func (a *app) verify(ctx context.Context, o *verifyOpts, ref string) error {
	var in *verifyInput
	var err error
	if o.bundle != "" {
		in, err = a.verifyBundleData(ctx, o, ref)
	} else {
		in, err = a.verifyStoreData(ctx, o, ref)
	}
	if err != nil {
		return err
	}
	if in.recorded != "" && !o.filesOnly {
		o.require = true // recorded as attested: the evidence must hold k signatures
	}
	check := in.evidence != nil || o.rpc != "" || o.bundle != "" || o.require || o.backend != ""
	var rep *attest.Report
	if check && !o.filesOnly {
		if rep, err = a.verifyAttestation(ctx, o, in); err != nil {
			return err
		}
	}
	if rep != nil && in.recorded == attest.StatusRevoked && rep.OK() {
		// The catalog records the revocation, which the evidence may
		// predate: revoked wins (F104). A revocation only in a journal entry
		// the catalog lacks never gets here: openCertifying refuses such a
		// catalog (exit 12, catalog rebuild).
		rep.Checks = append(rep.Checks, attest.Check{Check: "revocation", Detail: in.stmt.Ref() + " is revoked (recorded in the catalog); the evidence predates the revocation"})
	}
	a.printVerification(o, in, rep)
	if err := in.data.Err(); err != nil {
		return err
	}
	if rep == nil {
		return nil
	}
	err = rep.Err()
	if err != nil && in.recorded != "" && in.evidence == nil && o.backend == "" {
		// Recorded as attested, nothing to check it with: fewer than k (exit 9).
		return fmt.Errorf("%w: %s is recorded as %s but has no evidence, so not k valid signatures", attest.ErrPending, in.stmt.Ref(), in.recorded)
	}
	return err
}

func (a *app) verifyStoreData(ctx context.Context, o *verifyOpts, ref string) (*verifyInput, error) {
	name, ver, err := parseRef(ref)
	if err != nil {
		return nil, err
	}
	st, err := a.openCertifying(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	v, err := st.Verify(ctx, name, ver)
	if err != nil {
		return nil, err
	}
	rec, err := st.Version(ctx, name, ver)
	if err != nil {
		return nil, err
	}
	// The evidence's declared steward set is never trusted here: the catalog
	// holding it is what is being checked (F105). The trust root comes from
	// -c, --stewards/--threshold or the chain (verifyTrust).
	in := &verifyInput{data: v, stmt: attest.StatementOf(rec.Manifest, rec.ManifestHash)}
	if status, err := st.VersionStatus(ctx, name, rec.Manifest.Version); err == nil && (status == attest.StatusAttested || status == attest.StatusRevoked) {
		in.recorded = status
	}
	in.evidence, err = catalogEvidence(ctx, st, o.backend, in.stmt)
	return in, err
}

func (a *app) verifyBundleData(ctx context.Context, o *verifyOpts, ref string) (*verifyInput, error) {
	f, err := os.Open(o.bundle)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "groundtruth-bundle-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	b, err := attest.ExtractBundle(ctx, f, dir)
	if err != nil {
		return nil, err
	}
	if ref != "" {
		name, ver, err := parseRef(ref)
		if err != nil {
			return nil, err
		}
		if name != b.Index.Dataset || (ver != 0 && ver != b.Index.Version) {
			return nil, fmt.Errorf("%w: the bundle holds %s@%d, not %s", errUsage, b.Index.Dataset, b.Index.Version, ref)
		}
	}
	v, err := datasets.VerifyVersion(ctx, dir, b.Manifest, b.Index.ManifestHash)
	if err != nil {
		return nil, err
	}
	in := &verifyInput{data: v, evidence: b.Evidence}
	if o.trustBundle {
		in.declared = "the steward set the bundle declares (--trust-bundle)"
	}
	m, err := datasets.ParseManifest(b.Manifest)
	if err != nil {
		in.stmt = attest.Statement{Dataset: b.Index.Dataset, Version: b.Index.Version, ManifestHash: datasets.Hash(sha256.Sum256(b.Manifest))}
		return in, nil
	}
	datasets.VerifyReport(v, dir, m) // the signed validation report the bundle carries (F110)
	in.stmt = attest.StatementOf(m, datasets.Hash(sha256.Sum256(b.Manifest)))
	return in, nil
}

// verifyAttestation checks the evidence against the trusted steward set and,
// with --rpc, the chain.
func (a *app) verifyAttestation(ctx context.Context, o *verifyOpts, in *verifyInput) (*attest.Report, error) {
	ev := in.evidence
	if ev != nil {
		if o.backend == "" {
			o.backend = ev.Target.Backend
		}
		if o.easVersion == "" {
			o.easVersion = ev.Target.EASVersion
		}
		if o.registry == "" && o.eas == "" {
			if ev.Target.Backend == attest.KindRegistry {
				o.registry = ev.Target.Contract.Hex()
			} else {
				o.eas = ev.Target.Contract.Hex()
			}
		}
		if o.chainID == 0 && o.rpc == "" {
			o.chainID = ev.Target.ChainID
		}
	}
	if o.backend == "" {
		o.backend = impliedBackend(o)
	}
	if o.backend == "" && o.rpc != "" {
		return nil, fmt.Errorf("%w: %s has no attestation evidence here; to look it up on the chain give --backend registry|eas with --registry or --eas", errUsage, in.stmt.Ref())
	}
	if o.backend == "" {
		rep := &attest.Report{}
		detail := "no attestation evidence for " + in.stmt.Ref() + ": it was never signed here (groundtruth sign / attest), or give --backend with --rpc to check the chain"
		if in.recorded != "" {
			detail = "the catalog records " + in.stmt.Ref() + " as " + in.recorded + " but holds no attestation evidence of it (use --files-only to check the files alone)"
		}
		rep.Checks = append(rep.Checks, attest.Check{Check: "attestation", Detail: detail})
		return rep, nil
	}
	c, err := o.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer c.close()
	b, err := o.newBackend(ctx, a, c, "")
	if err != nil {
		return nil, err
	}
	if ev == nil {
		ev = attest.NewEvidence(b.Target(), in.stmt) // the chain's record is the evidence
	}
	trust, err := a.verifyTrust(ctx, o, b, c, in, ev)
	if err != nil {
		return nil, err
	}
	return attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: in.stmt, Evidence: ev, Trust: trust, Chain: c.client != nil})
}

// verifyTrust decides which stewards are authorised and where signatures
// must be bound, in this order: the command line or configuration, the
// registry's on-chain set (with --rpc), the declared set when trusted.
func (a *app) verifyTrust(ctx context.Context, o *verifyOpts, b attest.Backend, c *chain, in *verifyInput, ev *attest.Evidence) (attest.Trust, error) {
	trust, ok, err := o.stewardSet()
	if err != nil {
		return trust, err
	}
	if !ok {
		if trust, ok, err = chainTrust(ctx, b, c); err != nil {
			return trust, err
		}
	}
	if !ok && ev.DeclaredTrust != nil && in.declared != "" {
		trust, ok = *ev.DeclaredTrust, true
		trust.Source = in.declared
	}
	if !ok {
		trust.Source = noTrustRoot(o)
	}
	target := b.Target()
	if c.chainID != 0 && (o.rpc != "" || o.changed("chain-id") || trust.ChainID == 0) {
		trust.ChainID = c.chainID
	}
	if o.changed("registry") || o.changed("eas") || o.cfg != nil || trust.Contract == (common.Address{}) {
		trust.Contract = target.Contract
	}
	return trust, nil
}

// noTrustRoot is the detail of the failed "stewards" check when no trusted
// steward set was given: verify cannot decide whether the version is
// attested, so it fails (exit 8) rather than trust the evidence's own claim.
func noTrustRoot(o *verifyOpts) string {
	hint := "--trust-bundle"
	if o.bundle == "" {
		hint = "-c FILE with an attestation section (the evidence's own steward set is not trusted)"
	}
	return "no trusted steward set, so verify cannot decide whether it is attested: give --stewards and --threshold, --registry with --rpc, or " + hint
}

// printVerification prints the data checks and the attestation checks.
func (a *app) printVerification(o *verifyOpts, in *verifyInput, rep *attest.Report) {
	v := in.data
	if a.jsonOut {
		out := struct {
			OK bool `json:"ok"`
			*verification
			Attestation *attest.Report `json:"attestation,omitempty"`
		}{v.OK() && (rep == nil || rep.OK()), v, rep}
		_ = a.printJSON(out)
		return
	}
	checks := v.Checks
	if rep != nil {
		checks = append(append([]datasets.CheckResult{}, checks...), rep.Checks...)
	}
	for _, c := range checks {
		status := "ok  "
		if !c.OK {
			status = "FAIL"
		}
		fmt.Fprintf(a.stdout, "%s %-28s %s\n", status, c.Check, c.Detail)
	}
	if !v.OK() {
		return
	}
	fmt.Fprintf(a.stdout, "%s@%d verified: %d rows, root %s, manifest %s\n", v.Dataset, v.Version, v.Rows, v.MerkleRoot, v.ManifestHash)
	switch {
	case rep == nil && o.filesOnly:
		fmt.Fprintf(a.stdout, "%s: attestation not checked (--files-only)\n", in.stmt.Ref())
	case rep == nil:
		fmt.Fprintf(a.stdout, "%s: attestation not checked (none recorded; use --attested or --rpc to require one)\n", in.stmt.Ref())
	case rep.OK():
		fmt.Fprintf(a.stdout, "%s attested: %d of k = %d stewards\n", in.stmt.Ref(), len(rep.Signers), rep.Threshold)
	}
}

// impliedBackend is the backend a contract flag implies: --registry the
// registry, --eas EAS on-chain; "" when neither or both are given.
func impliedBackend(o *verifyOpts) string {
	switch {
	case o.registry != "" && o.eas == "":
		return attest.KindRegistry
	case o.eas != "" && o.registry == "":
		return attest.KindEAS
	}
	return ""
}
