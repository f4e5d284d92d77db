// Command agent-client is an example AI-agent tool that reads attested data
// from a groundtruth server without trusting it: every version is checked
// against the chain the agent names (RPC endpoint, registry address; the
// steward set is read from the registry, not from the server), whole
// versions are fetched with their segment hashes and Merkle root checked,
// single rows come with proofs checked against the attested root, and the
// rows the decision used are saved as a receipt that an auditor can verify
// later without the server.
//
//	go run -tags duckdb_arrow ./examples/agent-client \
//	  --server http://127.0.0.1:8484 --token "$GROUNDTRUTH_TOKEN" \
//	  --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 \
//	  --dataset governor_votes --rows 0,1,2 --receipt decision-receipt.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/serve/client"
)

func main() {
	server := flag.String("server", "http://127.0.0.1:8484", "groundtruth server")
	token := flag.String("token", os.Getenv("GROUNDTRUTH_TOKEN"), "bearer token (default $GROUNDTRUTH_TOKEN)")
	rpc := flag.String("rpc", "http://127.0.0.1:8545", "the chain's JSON-RPC endpoint the agent trusts")
	registry := flag.String("registry", "", "the DatasetRegistry address the agent trusts")
	dataset := flag.String("dataset", "", "dataset to read (default: the first the server lists)")
	version := flag.Uint64("version", 0, "version (0: latest attested)")
	rows := flag.String("rows", "0", "comma-separated row indexes to read with proofs")
	receipt := flag.String("receipt", "decision-receipt.json", "where to save the decision receipt")
	cache := flag.String("cache", filepath.Join(os.TempDir(), "groundtruth-agent-cache"), "folder of verified segment files")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *server, *token, *rpc, *registry, *dataset, *version, *rows, *receipt, *cache); err != nil {
		fmt.Fprintln(os.Stderr, "agent-client:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, server, token, rpc, registry, dataset string, version uint64, rowList, receiptPath, cache string) error {
	if !common.IsHexAddress(registry) {
		return fmt.Errorf("--registry: give the DatasetRegistry address the agent trusts")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	ver, closeChain, err := client.NewRegistryVerifier(ctx, rpc, common.HexToAddress(registry), nil)
	if err != nil {
		return err
	}
	defer closeChain()
	fmt.Printf("trusting registry %s on chain %d: %d stewards, k = %d (read from the chain)\n",
		registry, ver.Trust.ChainID, len(ver.Trust.Stewards), ver.Trust.Threshold)
	c, err := client.New(client.Config{BaseURL: server, Token: token, Verifier: ver, CacheDir: cache})
	if err != nil {
		return err
	}
	if dataset == "" {
		list, err := c.Datasets(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return fmt.Errorf("the server lists no attested dataset")
		}
		dataset = list[0].Name
	}

	// The whole version: segments, leaves, root, manifest and attestation checked.
	r, v, err := c.Fetch(ctx, dataset, version)
	if err != nil {
		return err
	}
	n := 0
	for r.Next() {
		n += int(r.RecordBatch().NumRows())
	}
	r.Release()
	fmt.Printf("fetched %s@%d: %d rows, root %s, verified against the chain (%d of k = %d stewards, %s)\n",
		v.Dataset, v.Version, n, v.Manifest.MerkleRoot, len(v.Report.Signers), v.Report.Threshold, v.Attestation.ID)

	// Single rows with proofs, recorded in a receipt of the decision.
	rc := c.NewReceipt(fmt.Sprintf("example decision at %s", time.Now().UTC().Format(time.RFC3339)))
	rc.AddVersion(v)
	for _, s := range strings.Split(rowList, ",") {
		i, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("--rows: %q is not a row index", s)
		}
		row, err := c.Row(ctx, v.Dataset, v.Version, i)
		if err != nil {
			return err
		}
		rc.AddRow(row)
		fmt.Printf("row %d: leaf %s, proof of %d hashes verified against root %s\n", row.Index, row.Leaf, len(row.Proof.Path), row.Proof.Root)
	}
	b, err := rc.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(receiptPath, b, 0o644); err != nil {
		return err
	}

	// What an auditor does later, without the server.
	back, err := client.ParseReceipt(b)
	if err != nil {
		return err
	}
	rep, err := client.VerifyReceipt(ctx, back, ver)
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return err
	}
	fmt.Printf("receipt %s: %d checks passed (the rows, their proofs and the attestation on-chain)\n", receiptPath, len(rep.Checks))
	return nil
}
