package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

func newQuarantineCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quarantine",
		Short: "Review quarantined rows: list, show, approve or reject them",
		Long: "Rows a validation policy quarantined stay in the catalog with their reasons until a steward decides.\n" +
			"An approved row is appended to the next version of its dataset (the decision is recorded in that\n" +
			"version's report and lineage); a rejected row never enters the dataset. A decision is signed by a\n" +
			"steward's key (EIP-712, docs/SPEC.md §12.7); show and list verify the signatures.",
	}
	cmd.AddCommand(newQuarantineListCmd(a), newQuarantineShowCmd(a),
		newQuarantineDecideCmd(a, "approve", store.QuarantineApproved), newQuarantineDecideCmd(a, "reject", store.QuarantineRejected))
	return cmd
}

func newQuarantineListCmd(a *app) *cobra.Command {
	var f store.QuarantineFilter
	cmd := &cobra.Command{
		Use:   "list [--dataset D] [--status pending|approved|rejected]",
		Short: "List quarantined rows",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore(cmd.Context(), "", true)
			if err != nil {
				return err
			}
			defer st.Close()
			list, err := st.QuarantineList(cmd.Context(), f)
			if err != nil {
				return err
			}
			if a.jsonOut {
				if list == nil {
					list = []store.QuarantineEntry{}
				}
				return a.printJSON(list)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATASET\tSTATUS\tROW\tCODES\tQUARANTINED\tSIGNATURE")
			for _, e := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Dataset, e.Status, redact.Escape(e.RowKey), strings.Join(e.Codes, ","),
					e.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"), strings.Fields(signatureStatus(&e))[0])
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&f.Dataset, "dataset", "", "only this dataset")
	cmd.Flags().StringVar(&f.Status, "status", "", "only this status (pending, approved, rejected)")
	return cmd
}

func newQuarantineShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a quarantined row: its values, reasons and decision",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context(), "", true)
			if err != nil {
				return err
			}
			defer st.Close()
			e, err := st.QuarantineGet(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			check := st.CheckQuarantineRow(cmd.Context(), e)
			if check != nil && !errors.Is(check, store.ErrQuarantineTampered) {
				return check
			}
			if a.jsonOut {
				if err := a.printJSON(e); err != nil {
					return err
				}
				return check
			}
			printEntry(a, e)
			if check != nil { // shown, flagged, and the exit code says so
				fmt.Fprintf(a.stdout, "check:    TAMPERED: %v\n", check)
			}
			return check
		},
	}
}

func printEntry(a *app, e *store.QuarantineEntry) {
	fmt.Fprintf(a.stdout, "id:       %s\ndataset:  %s\nrow:      %s\nstatus:   %s\nrun:      %s\nvalues:   %s\n", e.ID, e.Dataset, e.RowKey, e.Status, e.RunID, e.RowJSON)
	for _, r := range e.Reasons {
		if loc, ok := strings.CutPrefix(r, pipeline.LocatorReason); ok {
			fmt.Fprintf(a.stdout, "from:     %s\n", loc)
			continue
		}
		fmt.Fprintf(a.stdout, "reason:   %s\n", r)
	}
	if e.DecidedAt != nil {
		fmt.Fprintf(a.stdout, "decision: %s by %s at %s", e.Status, e.Steward, e.DecidedAt.Format("2006-01-02 15:04:05Z"))
		if e.Note != "" {
			fmt.Fprintf(a.stdout, " (%s)", e.Note)
		}
		fmt.Fprintf(a.stdout, "\nsigned:   %s\n", signatureStatus(e))
	}
	if e.AppliedVersion != nil {
		fmt.Fprintf(a.stdout, "applied:  %s@%d\n", e.Dataset, *e.AppliedVersion)
	}
}

func newQuarantineDecideCmd(a *app, verb, status string) *cobra.Command {
	var f attestFlags
	var o decideOpts
	cmd := &cobra.Command{
		Use: verb + " ID (--key KEYSTORE | --typed-data FILE --steward ADDR | --typed-data FILE --signature 0x…) [--note TEXT] [--config FILE | --stewards A,B --threshold K]",
		Short: map[string]string{"approve": "Approve a quarantined row with a signed decision: the next ingest appends it",
			"reject": "Reject a quarantined row with a signed decision: it never enters the dataset"}[verb],
		Long: "The steward signs the decision (EIP-712, docs/SPEC.md §12.7: dataset, entry, row key, decision, reason, steward,\n" +
			"time) with their keystore (--key; password from --password-file or $" + attest.PasswordEnv + "), or with any wallet:\n" +
			"--typed-data FILE --steward ADDR writes the decision's exact eth_signTypedData_v4 JSON (made now, with --note),\n" +
			"and --typed-data FILE --signature 0x… records the wallet's signature of that file, checked as a --key decision is\n" +
			"(the signature must recover to the steward the file names). The steward must belong to the attestation\n" +
			"section's stewards (--config: its stewards, or the registry's on-chain set with rpc_url) or to --stewards;\n" +
			"a decision by anyone else is refused.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.decide(cmd.Context(), &f, &o, args[0], status)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&o.key, "key", "", "the steward's keystore file")
	cmd.Flags().StringVar(&o.note, "note", "", "why (signed with the decision)")
	cmd.Flags().StringVar(&o.typedData, "typed-data", "", "write the decision's eth_signTypedData_v4 JSON to FILE (with --steward), or read it back (with --signature)")
	cmd.Flags().StringVar(&o.steward, "steward", "", "with --typed-data: the address of the steward whose wallet signs")
	cmd.Flags().StringVar(&o.signature, "signature", "", "with --typed-data: the wallet's 65-byte signature of FILE (0x hex)")
	return cmd
}
