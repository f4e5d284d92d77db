package main

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// rpcEnv holds the JSON-RPC endpoint when neither --rpc nor --rpc-file is
// given; it wins over the configuration's rpc_url.
const rpcEnv = "GROUNDTRUTH_RPC_URL"

// resolveRPC fills *rpc from --rpc-file or $GROUNDTRUTH_RPC_URL unless
// --rpc was given; such an endpoint is a secret (masked whole in errors
// and logs). A flag --rpc with credentials is masked too, but stays
// visible in the process list.
func (a *app) resolveRPC(cmd *cobra.Command, rpc *string, rpcFile string) error {
	if cmd != nil && cmd.Flags().Changed("rpc") {
		if rpcFile != "" {
			return fmt.Errorf("%w: give --rpc or --rpc-file, not both", errUsage)
		}
		return nil
	}
	if rpcFile != "" {
		v, err := firstLine(rpcFile)
		if err != nil {
			return fmt.Errorf("%w: --rpc-file: %v", errUsage, err)
		}
		a.red.Add(v)
		*rpc = v
		return nil
	}
	if v := a.getenv(rpcEnv); v != "" {
		a.red.AddNamed(rpcEnv, v)
		*rpc = v
	}
	return nil
}

// dialChain connects to an RPC endpoint and reads its chain id. The
// endpoint is registered with red first, so every later error, log line
// and run record names it as scheme://host[:port] only (redact.Endpoint),
// or as ${VAR} when it came from an environment variable.
func dialChain(ctx context.Context, rpc string, red *redact.Redactor) (*ethclient.Client, *big.Int, error) {
	red.AddEndpoint(rpc)
	c, err := ethclient.DialContext(ctx, rpc)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: connecting to %s: %v", attest.ErrChain, red.URL(rpc), red.String(err.Error()))
	}
	id, err := c.ChainID(ctx)
	if err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("%w: reading the chain id from %s: %v", attest.ErrChain, red.URL(rpc), red.String(err.Error()))
	}
	return c, id, nil
}
