package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// attestSetup is the attestation stage of the jobs of one configuration:
// the attestation section read like `groundtruth attest --config` reads it,
// the keys decrypted once at start-up (a wrong password stops the command
// before anything runs), and the collector built on first use, so a chain
// that is down at start-up delays attestations instead of the daemon.
type attestSetup struct {
	a         *app
	f         attestFlags
	root      string
	autoSign  *attest.KeySigner
	submitter *attest.KeySigner
	cosign    []attest.Signer

	mu    sync.Mutex
	col   *attest.Collector
	chain *chain
}

// newAttestSetup reads the attestation section of the file at path and
// loads its keys.
func (a *app) newAttestSetup(cfg *config.Config, path string) (*attestSetup, error) {
	s := &attestSetup{a: a}
	s.f.register(&cobra.Command{})
	s.f.configPath = path
	if err := s.f.load(a); err != nil {
		return nil, err
	}
	var err error
	if ref := s.f.cfg.AutoSign; ref != nil {
		if s.autoSign, err = loadKeyRef(a, ref.Keystore, ref.PasswordFile); err != nil {
			return nil, fmt.Errorf("attestation auto_sign key: %w", err)
		}
	}
	if ref := s.f.cfg.Submitter; ref != nil {
		if s.submitter, err = loadKeyRef(a, ref.Keystore, ref.PasswordFile); err != nil {
			return nil, fmt.Errorf("attestation submitter key: %w", err)
		}
	}
	for i, ref := range s.f.cfg.Cosign {
		k, err := loadKeyRef(a, ref.Keystore, ref.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("attestation cosign key #%d (%s): %w", i+1, ref.Keystore, err)
		}
		s.cosign = append(s.cosign, k)
	}
	return s, nil
}

// policy returns a job's attestation policy.
func (s *attestSetup) policy(cfg *config.Config, job *config.Job) *pipeline.AttestPolicy {
	p := &pipeline.AttestPolicy{Collector: s.collector, AutoSign: cfg.AutoSignEnabled(job), Review: reviewSeverities(job), Inbox: s.f.cfg.Inbox}
	if p.AutoSign {
		p.Cosigners = s.cosign
	}
	return p
}

// collector connects to the chain and builds the collector once; a
// failure is returned to the run (which fails and is retried) and the next
// call tries again.
func (s *attestSetup) collector(ctx context.Context) (*attest.Collector, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.col != nil {
		return s.col, nil
	}
	c, err := s.f.dial(ctx)
	if err != nil {
		return nil, err
	}
	col, err := s.build(ctx, c)
	if err != nil {
		c.close()
		return nil, err
	}
	s.col, s.chain = col, c
	return col, nil
}

func (s *attestSetup) build(ctx context.Context, c *chain) (*attest.Collector, error) {
	b, err := s.f.newBackend(ctx, s.a, c, s.root)
	if err != nil {
		return nil, err
	}
	trust, ok, err := s.f.stewardSet()
	if err != nil {
		return nil, err
	}
	if !ok {
		if trust, ok, err = chainTrust(ctx, b, c); err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: the attestation section names no stewards and the %s backend has none on-chain", errUsage, s.f.backend)
		}
	}
	col := &attest.Collector{Backend: b, Log: s.a.logger(),
		Policy: attest.Policy{Stewards: trust.Stewards, Threshold: trust.Threshold, Sign: attest.SignOptions{Validity: s.f.validity}}}
	col.Policy.AutoSign, col.Submitter = s.signers()
	return col, nil
}

// signers returns the automatic signer and the submitter as interfaces
// that are nil when no key is configured: a nil *KeySigner stored in a
// Signer is not a nil interface, and the collector would call it. Without a
// submitter the collector pays with the automatic signer, or else with the
// first co-signer.
func (s *attestSetup) signers() (autoSign, submitter attest.Signer) {
	if s.autoSign != nil {
		autoSign = s.autoSign
	}
	switch {
	case s.submitter != nil:
		submitter = s.submitter
	case s.autoSign == nil && len(s.cosign) > 0:
		submitter = s.cosign[0]
	}
	return autoSign, submitter
}

// close closes the chain connection.
func (s *attestSetup) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chain != nil {
		s.chain.close()
	}
}
