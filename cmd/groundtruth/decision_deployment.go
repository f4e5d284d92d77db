package main

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/config"
)

// deploymentOf returns the deployment stewards' quarantine decisions are
// bound to (docs/SPEC.md §12.7): the attestation's chain id and its
// contract (the DatasetRegistry for the registry backend, EAS for eas and
// offchain), as the backend's attest.Target names them; zero without an
// attestation section.
func deploymentOf(backend string, chainID uint64, registry, eas string) attest.Deployment {
	if backend == "" {
		return attest.Deployment{}
	}
	contract := eas
	if backend == attest.KindRegistry {
		contract = registry
	}
	return attest.Deployment{ChainID: chainID, Contract: common.HexToAddress(contract)}
}

// deployment is the deployment of the attestation flags and section.
func (f *attestFlags) deployment() attest.Deployment {
	return deploymentOf(f.backend, f.chainID, f.registry, f.eas)
}

// configDeployment is the deployment of a configuration's attestation
// section.
func configDeployment(cfg *config.Config) attest.Deployment {
	if cfg.Attestation == nil {
		return attest.Deployment{}
	}
	a := cfg.Attestation
	return deploymentOf(a.Backend, a.ChainID, a.Registry, a.EAS)
}
