package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/internal/demo"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// errDemo marks a demo whose promises were not kept (an attack not
// flagged, a version not attested or not verifying).
var errDemo = errors.New("demo")

// demoOpts are the demo's flags.
type demoOpts struct {
	noServe bool
	keep    bool
	listen  string
}

func newDemoCmd(a *app) *cobra.Command {
	var o demoOpts
	cmd := &cobra.Command{
		Use:   "demo [--no-serve] [--keep] [--data-dir DIR]",
		Short: "The whole pipeline on an embedded chain: scripted governance with attacks, a poisoned price feed, 2-of-3 attestation",
		Long: `demo starts go-ethereum's simulated chain in this process (served over JSON-RPC
on 127.0.0.1), deploys the DatasetRegistry with three steward keys (2 of 3) and a
DAO (ERC20Votes token, Governor, timelock), plays governance on it with attacks
mixed in (just-in-time voting power, a delegation spike, a sybil cluster,
instructions aimed at AI agents), and serves three local price feeds built from
the real COMP/USD series, one of them poisoned.

It then writes a configuration for all of it and runs every job once through the
daemon's code (run --once): ingest, validate, seal, sign with the pipeline's key
and a co-signing steward's, attest on the registry. It prints the datasets, the
quarantined rows and their reasons, the findings by family, whether each attack
was flagged and the attestation transactions, and verifies every version against
the chain as an auditor would. Then it serves the data API on --listen and keeps
the chain running (Ctrl-C stops both), with the commands to fetch a dataset, get
a row with its proof and verify a version, and the steward console's URL with a
steward token: there a steward approves or rejects quarantined rows and co-signs
pending versions. --no-serve stops after the summary.

The data directory is a new temporary folder, removed at the end unless --keep;
--data-dir DIR (empty or absent) is used and kept instead. Exit 1 when an attack
was not flagged or a version was not attested or did not verify.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runDemo(cmd, o)
		},
	}
	cmd.Flags().BoolVar(&o.noServe, "no-serve", false, "stop after the summary instead of serving")
	cmd.Flags().BoolVar(&o.keep, "keep", false, "keep the temporary data directory")
	cmd.Flags().StringVar(&o.listen, "listen", "127.0.0.1:0", "address of the data API (default: a free port of 127.0.0.1)")
	return cmd
}

// runDemo builds the demo's world, runs the pipeline once through the
// daemon's code, prints the summary and serves until ctx ends.
func (a *app) runDemo(cmd *cobra.Command, o demoOpts) error {
	ctx, start := cmd.Context(), time.Now()
	dir, cleanup, err := a.demoDir(cmd, o.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	text := io.Writer(a.stdout)
	if a.jsonOut {
		text = io.Discard
	}
	note := ""
	if !cmd.Flags().Changed("data-dir") && !o.keep {
		note = " (temporary: removed at the end; --keep keeps it)"
	}
	fmt.Fprintf(text, "groundtruth demo: the whole pipeline on an embedded chain\ndata dir   %s%s\n", dir, note)
	listen, err := freeListen(o.listen)
	if err != nil {
		return err
	}
	w, err := demo.Start(ctx, demo.Options{Dir: dir, Log: a.logger(), APIListen: listen})
	if err != nil {
		return err
	}
	defer w.Close()
	demo.WriteWorld(text, w)
	fmt.Fprintf(text, "\nPipeline: every job once through the daemon (run --once): ingest → validate → seal → sign 2-of-3 → attest\n")
	runs, err := a.demoRuns(cmd, w.Config)
	if err != nil {
		return err
	}
	if !a.jsonOut {
		if err := a.printRuns(runs); err != nil {
			return err
		}
	}
	sum, err := a.demoSummary(ctx, w, runs)
	if err != nil {
		return err
	}
	sum.Seconds = time.Since(start).Seconds()
	if err := a.writeDemoSummary(text, dir, sum); err != nil {
		return err
	}
	if fails := sum.Failures(); len(fails) > 0 {
		return fmt.Errorf("%w: %s", errDemo, strings.Join(fails, "; "))
	}
	if o.noServe {
		return nil
	}
	return a.demoServe(ctx, text, w)
}

// demoDir returns the demo's data directory and what removes it: a new
// temporary folder (kept with --keep), or --data-dir, empty or absent.
func (a *app) demoDir(cmd *cobra.Command, keep bool) (string, func(), error) {
	if cmd.Flags().Changed("data-dir") {
		dir, err := filepath.Abs(a.dataDir)
		if err != nil {
			return "", nil, err
		}
		if err := demo.PrepareDir(dir); err != nil {
			return "", nil, fmt.Errorf("%w: --data-dir: %v", errUsage, err)
		}
		a.dataDir = dir
		return dir, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "groundtruth-demo-")
	if err != nil {
		return "", nil, err
	}
	a.dataDir = dir
	if keep {
		return dir, func() {}, nil
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// demoRuns runs every configured job once, one at a time in the
// configuration's order, through the daemon's entry point (run --once):
// the same openJobs and Runner.RunOnce as `groundtruth run --once`.
func (a *app) demoRuns(cmd *cobra.Command, config string) ([]*pipeline.RunResult, error) {
	env, err := a.openJobs(cmd, config, jobOptions{attest: true})
	if err != nil {
		return nil, err
	}
	defer env.close()
	runs, err := env.runner.RunOnce(cmd.Context(), env.specs, 1)
	if err != nil && !errors.Is(err, pipeline.ErrRunsFailed) {
		return nil, err
	}
	return runs, nil // failed runs show in the summary
}

// demoSummary builds the summary from the runs and the catalog, then
// verifies every attested version against the chain.
func (a *app) demoSummary(ctx context.Context, w *demo.World, runs []*pipeline.RunResult) (*demo.Summary, error) {
	st, err := a.openStore(ctx, w.Dir, true)
	if err != nil {
		return nil, err
	}
	sum, err := demo.Summarize(ctx, w, runs, st)
	st.Close()
	if err != nil {
		return nil, err
	}
	for _, att := range sum.Attestations {
		sum.Verified = append(sum.Verified, a.demoVerify(ctx, w, att.Ref))
	}
	return sum, nil
}

// demoVerify runs `groundtruth verify REF --rpc URL --registry ADDR` in
// this process, as an auditor would from a shell.
func (a *app) demoVerify(ctx context.Context, w *demo.World, ref string) demo.Verification {
	var out bytes.Buffer
	root := newRootCmd(&out, &out, a.getenv)
	root.SetArgs([]string{"--data-dir", w.Dir, "verify", ref, "--rpc", w.Chain.RPCURL(), "--registry", w.Registry.Hex()})
	err := root.ExecuteContext(ctx)
	v := demo.Verification{Ref: ref, OK: err == nil}
	if err != nil {
		v.Output = out.String() + err.Error()
	}
	return v
}

// writeDemoSummary prints the summary (JSON with --json) and writes it to
// DIR/summary.json.
func (a *app) writeDemoSummary(text io.Writer, dir string, sum *demo.Summary) error {
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if a.jsonOut {
		_, err := fmt.Fprintf(a.stdout, "%s\n", b)
		return err
	}
	demo.WriteSummary(text, sum)
	fmt.Fprintf(text, "\nDone in %.1fs.\n", sum.Seconds)
	return nil
}

// demoServe serves the data API as `groundtruth serve` does (NewAPIServer
// from the demo's configuration, on its serve.listen) and keeps the chain
// running until ctx ends (Ctrl-C), after printing the commands to try. The
// store is open for writing without the runner lock: the console records
// decisions and co-signatures (submitting an attestation once k stewards
// signed, with the configuration's submitter), and the commands printed,
// `run --once` among them, work on the same directory meanwhile.
func (a *app) demoServe(ctx context.Context, out io.Writer, w *demo.World) error {
	cfg, err := a.readConfig(w.Config)
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, w.Dir, false)
	if err != nil {
		return err
	}
	defer st.Close()
	o := defaultServeOpts(cfg.ServeSettings())
	api, err := a.NewAPIServer(ctx, cfg, st, o)
	if err != nil {
		return err
	}
	defer api.Close()
	listen := cfg.ServeSettings().Listen
	wctx, cancel := context.WithCancel(ctx)
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		if waitListening(wctx, listen) {
			writeDemoCommands(out, w, "http://"+listen)
		}
	}()
	err = a.serveHTTP(ctx, api, listen)
	cancel()
	<-printed
	fmt.Fprintln(out, "\nStopping the demo.")
	return err
}

// waitListening reports whether addr accepts connections before ctx ends.
func waitListening(ctx context.Context, addr string) bool {
	var d net.Dialer
	for {
		if c, err := d.DialContext(ctx, "tcp", addr); err == nil {
			c.Close()
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// freeListen turns a listen address with port 0 into one with a free port.
func freeListen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("%w: --listen %s: %v", errUsage, addr, err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// writeDemoCommands prints what to try while the demo serves.
func writeDemoCommands(out io.Writer, w *demo.World, api string) {
	self, dir, v := demoSelf(), w.Dir, api+"/v1/datasets/governor_votes/versions/1"
	fmt.Fprintf(out, "\nServing the attested versions at %s/v1 and the chain at %s until Ctrl-C.\nIn another terminal:\n\n", api, w.Chain.RPCURL())
	for _, c := range [][2]string{
		{"list the datasets and their attested versions", fmt.Sprintf("curl -s %s/v1/datasets", api)},
		{"fetch a dataset: every row of governor_votes@1 (JSON lines)", fmt.Sprintf("curl -s '%s/data?format=jsonl'", v)},
		{"get a row with its Merkle inclusion proof", fmt.Sprintf("curl -s %s/rows/0", v)},
		{"verify a version as an auditor: files, hashes, 2-of-3 signatures, the registry on the chain",
			fmt.Sprintf("%s --data-dir %s verify governor_votes@1 --rpc %s --registry %s", self, dir, w.Chain.RPCURL(), w.Registry.Hex())},
		{"the quarantined rows and why", fmt.Sprintf("%s --data-dir %s quarantine list", self, dir)},
		{"SQL over the catalog", fmt.Sprintf(`%s --data-dir %s query "SELECT voter, weight, support, reason FROM governor_votes ORDER BY weight DESC LIMIT 5"`, self, dir)},
	} {
		fmt.Fprintf(out, "  # %s\n  %s\n", c[0], c[1])
	}
	fmt.Fprintf(out, "\nThe steward console (the queue on plots, runs, versions; this token has the steward scope):\n  %s/console/#token=%s\n", api, w.ConsoleToken)
	fmt.Fprintf(out, "  approve or reject a quarantined row with a steward's wallet (or an uploaded signature), co-sign a pending version;\n")
	fmt.Fprintf(out, "  the next `%s run --config %s --once` takes the approved rows into new versions (docs/console.md)\n", self, w.Config)
	fmt.Fprintf(out, "\nThe configuration is %s (`%s run --config %s --once` runs every job again while the demo runs).\n", w.Config, self, w.Config)
}

// demoSelf is how the user runs this binary: its path, or `go run` when
// it was built into a temporary folder.
func demoSelf() string {
	self := os.Args[0]
	if strings.Contains(self, "go-build") || self == "" {
		return "go run -tags duckdb_arrow ./cmd/groundtruth"
	}
	return self
}
