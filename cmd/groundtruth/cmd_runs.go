package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newRunsCmd(a *app) *cobra.Command {
	var job, daemon, tokenFile string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs [--job NAME] [--limit N] [--json]",
		Short: "Show the run history: start, end, outcome, rows, findings, version, attestation, error",
		Long: "runs reads the run history from the data directory (newest first). While a daemon holds the data\n" +
			"directory, read it from the daemon instead: --daemon http://127.0.0.1:9464. The daemon's /runs needs a\n" +
			"bearer token with the admin scope (groundtruth serve token --scopes admin): give it in a file with\n" +
			"--token-file or in $" + tokenEnv + "; the answer holds only the runs of the token's datasets.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := store.RunFilter{Job: job, Limit: limit}
			var runs []store.RunRecord
			var err error
			if daemon != "" {
				var tok string
				if tok, err = a.readToken(tokenFile); err == nil {
					runs, err = daemonRuns(cmd.Context(), daemon, tok, f)
				}
			} else {
				runs, err = a.storeRuns(cmd.Context(), f)
			}
			if err != nil {
				return err
			}
			return a.printRunHistory(runs)
		},
	}
	cmd.Flags().StringVar(&job, "job", "", "only this job's runs")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many runs")
	cmd.Flags().StringVar(&daemon, "daemon", "", "read the history from a running daemon at this URL")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding the admin bearer token for --daemon (default $"+tokenEnv+")")
	return cmd
}

// tokenEnv holds the bearer token `runs --daemon` sends.
const tokenEnv = "GROUNDTRUTH_TOKEN"

// readToken returns the bearer token from path (its first line) or, when
// path is empty, from $GROUNDTRUTH_TOKEN; "" when neither is given.
func (a *app) readToken(path string) (string, error) {
	if path == "" {
		tok := strings.TrimSpace(a.getenv(tokenEnv))
		a.red.AddNamed(tokenEnv, tok)
		return tok, nil
	}
	tok, err := firstLine(path)
	if err != nil {
		return "", fmt.Errorf("%w: --token-file: %v", errUsage, err)
	}
	a.red.Add(tok)
	return tok, nil
}

// storeRuns reads the history from the data directory.
func (a *app) storeRuns(ctx context.Context, f store.RunFilter) ([]store.RunRecord, error) {
	st, err := a.openStore(ctx, "", true)
	if errors.Is(err, store.ErrLocked) || errors.Is(err, store.ErrCatalog) {
		return nil, fmt.Errorf("%w\n(when a daemon holds the data directory, read its history with groundtruth runs --daemon http://ADDRESS)", err)
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Runs(ctx, f)
}

// daemonRuns reads the history from a daemon's /runs endpoint.
func daemonRuns(ctx context.Context, base, token string, f store.RunFilter) ([]store.RunRecord, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/") + "/runs")
	if err != nil {
		return nil, fmt.Errorf("%w: --daemon %q: %v", errUsage, base, err)
	}
	q := u.Query()
	q.Set("job", f.Job)
	q.Set("limit", strconv.Itoa(f.Limit))
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading the run history from %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return nil, fmt.Errorf("%w: reading the run history from %s: %s: /runs needs a token with the admin scope (--token-file or $%s)", errUsage, base, resp.Status, tokenEnv)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("reading the run history from %s: %s", base, resp.Status)
	}
	var runs []store.RunRecord
	return runs, json.NewDecoder(resp.Body).Decode(&runs)
}

// printRunHistory prints runs as a table, or JSON with --json.
func (a *app) printRunHistory(runs []store.RunRecord) error {
	if a.jsonOut {
		if runs == nil {
			runs = []store.RunRecord{}
		}
		return a.printJSON(runs)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STARTED\tENDED\tJOB\tTRIGGER\tOUTCOME\tROWS IN/ACC/QUAR\tFINDINGS I/W/E\tVERSION\tATTESTATION\tERROR")
	for _, r := range runs {
		ended := "-"
		if r.Ended != nil {
			ended = r.Ended.Sub(r.Started).Round(time.Millisecond).String() + " later"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s#%d\t%s\t%d/%d/%d\t%d/%d/%d\t%s\t%s\t%s\n", r.Started.UTC().Format(time.RFC3339), ended,
			r.Job, orDash(r.Trigger), r.Attempt, r.Outcome, r.RowsIn, r.RowsAccepted, r.RowsQuarantined,
			r.Findings["info"], r.Findings["warn"], r.Findings["error"], versionRef(r.Dataset, r.Version), orDash(r.Attestation), oneLine(r.Error))
	}
	return tw.Flush()
}
