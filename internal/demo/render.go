package demo

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteWorld prints what the demo set up, before the pipeline runs.
func WriteWorld(out io.Writer, w *World) {
	kind := "go-ethereum simulated backend"
	if w.Chain.Kind() != "simulated" {
		kind = w.Chain.Kind()
	}
	fmt.Fprintf(out, "chain      %s, chain id %d, JSON-RPC %s\n", kind, w.Chain.ChainID(), w.Chain.RPCURL())
	names := make([]string, len(w.Stewards))
	for i, s := range w.Stewards {
		names[i] = fmt.Sprintf("%s %s", s.Name, short(s.Address.Hex()))
	}
	fmt.Fprintf(out, "registry   DatasetRegistry %s, stewards %s, k = %d\n", w.Registry.Hex(), strings.Join(names, ", "), Threshold)
	fmt.Fprintf(out, "keys       %s/keys/*.json (encrypted keystores), password in %s\n", w.Dir, w.PasswordFile)
	fmt.Fprintf(out, "DAO        token %s, governor %s, timelock %s\n", w.DAO.Token.Hex(), w.DAO.Governor.Hex(), w.DAO.Timelock.Hex())
	fmt.Fprintf(out, "governance %d proposals, %d votes by 3 whales and a long tail, up to block %d; attacks mixed in:\n", w.Proposals, w.Votes, w.Head)
	for _, a := range w.Attacks {
		if strings.HasPrefix(a.Dataset, "governor") {
			fmt.Fprintf(out, "             - %s\n", a.Name)
		}
	}
	for _, f := range w.Feeds.List {
		note := ""
		if f.Poisoned {
			note = fmt.Sprintf("  POISONED: %d spikes and a drift to +%.0f%%", len(w.Feeds.SpikeTimes), driftTop*100)
		}
		fmt.Fprintf(out, "feed       %-10s %s (%s)%s\n", f.Name, f.URL, f.Preset, note)
	}
	fmt.Fprintf(out, "config     %s\n", w.Config)
}

// WriteSummary prints the summary after the pipeline's run.
func WriteSummary(out io.Writer, s *Summary) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(out, "\nDatasets")
	fmt.Fprintf(tw, "  VERSION\tROWS\tIN\tQUARANTINED\tSTATUS\tSIGNED (k = %d)\tMERKLE ROOT\n", s.Threshold)
	for _, d := range s.Datasets {
		fmt.Fprintf(tw, "  %s@%d\t%d\t%d\t%d\t%s\t%d of %d stewards\t%s\n", d.Dataset, d.Version, d.Rows, d.RowsIn, d.Quarantined, d.Status, d.Signers, len(s.Stewards), short(d.Root))
	}
	tw.Flush()
	fmt.Fprintln(out, "\nQuarantined rows, by reason")
	for _, d := range s.Datasets {
		if d.Quarantined == 0 {
			continue
		}
		fmt.Fprintf(out, "  %-22s %3d %s: %s\n", d.Dataset, d.Quarantined, plural(int(d.Quarantined), "row"), countList(d.Reasons))
	}
	fmt.Fprintln(out, "\nFindings by family (failing findings; checks that passed)")
	for _, f := range s.Families {
		fmt.Fprintf(out, "  %-10s %d %s failing, %d %s passed\n", f.Family, len(f.Failing), plural(len(f.Failing), "code"), f.Passed, plural(f.Passed, "check"))
		for _, c := range f.Failing {
			fmt.Fprintf(out, "             %-36s %-5s %3d %-9s %4d %-4s  %s\n", c.Code, c.Severity, c.Findings, plural(c.Findings, "finding")+",",
				c.Rows, plural(c.Rows, "row"), strings.Join(c.Datasets, ", "))
		}
	}
	writeAttacks(out, s)
	writeAttestations(out, s)
}

// writeAttacks prints whether each scripted attack was flagged.
func writeAttacks(out io.Writer, s *Summary) {
	fmt.Fprintln(out, "\nScripted attacks")
	for _, a := range s.Attacks {
		mark := "flagged"
		if !a.OK {
			mark = "MISSED "
		}
		fmt.Fprintf(out, "  %s  %s\n           %s in %s (%d of %d rows)\n", mark, a.Name, strings.Join(a.Codes, " | "), a.Dataset, a.Flagged, a.Want)
	}
}

// writeAttestations prints the registry transactions and the verifications.
func writeAttestations(out io.Writer, s *Summary) {
	fmt.Fprintf(out, "\nAttestations on the registry %s (k = %d of %d stewards)\n", s.Registry.Hex(), s.Threshold, len(s.Stewards))
	for _, a := range s.Attestations {
		fmt.Fprintf(out, "  %-24s tx %s  block %d  signed by %s\n", a.Ref, a.Tx, a.Block, strings.Join(a.Signers, " + "))
	}
	if len(s.Verified) > 0 {
		ok := 0
		for _, v := range s.Verified {
			if v.OK {
				ok++
			}
		}
		fmt.Fprintf(out, "\nVerification as an auditor (groundtruth verify DATASET@N --rpc %s --registry %s)\n", s.RPC, s.Registry.Hex())
		fmt.Fprintf(out, "  %d of %d versions verify: files, Merkle roots, manifests, 2-of-3 signatures, the registry's record\n", ok, len(s.Verified))
		for _, v := range s.Verified {
			if !v.OK {
				fmt.Fprintf(out, "  FAILED %s\n%s\n", v.Ref, indent(v.Output))
			}
		}
	}
}

// countList renders counts by name, largest first.
func countList(m map[string]int) string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// plural returns word for one, word+"s" otherwise.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// short abbreviates a 0x hex string.
func short(h string) string {
	if len(h) <= 14 {
		return h
	}
	return h[:8] + "…" + h[len(h)-4:]
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ")
}
