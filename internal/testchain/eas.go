package testchain

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
)

// EASArtifacts is where @ethereum-attestation-service/eas-contracts keeps the compiled
// contracts, relative to node_modules.
const EASArtifacts = "@ethereum-attestation-service/eas-contracts/artifacts/contracts"

// EASDeployment holds the addresses of a deployed Ethereum Attestation Service.
type EASDeployment struct {
	// SchemaRegistry is the SchemaRegistry contract.
	SchemaRegistry common.Address
	// EAS is the EAS contract, bound to SchemaRegistry.
	EAS common.Address
}

// DeployEAS deploys SchemaRegistry and then EAS(schemaRegistry) from the bytecode of the
// npm package's artifacts under <repository root>/node_modules. It works on any Chain
// but needs node_modules (npm ci).
func DeployEAS(ctx context.Context, c Chain) (EASDeployment, error) {
	nm, err := NodeModules()
	if err != nil {
		return EASDeployment{}, err
	}
	dir := filepath.Join(nm, filepath.FromSlash(EASArtifacts))
	var d EASDeployment
	regCode, err := artifactBytecode(filepath.Join(dir, "SchemaRegistry.sol", "SchemaRegistry.json"))
	if err != nil {
		return EASDeployment{}, err
	}
	if d.SchemaRegistry, err = Deploy(ctx, c, "SchemaRegistry", regCode, nil); err != nil {
		return EASDeployment{}, err
	}
	easCode, err := artifactBytecode(filepath.Join(dir, "EAS.sol", "EAS.json"))
	if err != nil {
		return EASDeployment{}, err
	}
	args := eas.NewEAS().PackConstructor(d.SchemaRegistry)
	if d.EAS, err = Deploy(ctx, c, "EAS", easCode, args); err != nil {
		return EASDeployment{}, err
	}
	return d, nil
}

// artifactBytecode reads the creation bytecode of a Hardhat artifact JSON file.
func artifactBytecode(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read EAS artifact: %w (%s)", err, InstallHint)
	}
	var art struct {
		Bytecode string `json:"bytecode"`
	}
	if err := json.Unmarshal(raw, &art); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	code, err := hexutil.Decode(art.Bytecode)
	if err != nil || len(code) == 0 {
		return nil, fmt.Errorf("%s: no usable bytecode (%v)", path, err)
	}
	return code, nil
}
