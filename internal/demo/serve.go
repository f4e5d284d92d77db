package demo

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// ServeAPI serves the data API (package serve) over the demo's store on ln
// until ctx ends: every attested version, to anyone on 127.0.0.1 (the
// demo's listener is loopback only, so no token is required), with the
// registry watched for revocations and each version checked against it.
func ServeAPI(ctx context.Context, w *World, st *store.Store, ln net.Listener, log *slog.Logger) error {
	ec, err := ethclient.DialContext(ctx, w.Chain.RPCURL())
	if err != nil {
		return fmt.Errorf("dial the demo chain: %w", err)
	}
	defer ec.Close()
	chainID := w.Chain.ChainID().Uint64()
	watcher := serve.NewWatcher(serve.WatcherConfig{Chain: ec, Backend: attest.KindRegistry, Contract: w.Registry,
		Checker: registry.New(registry.Config{Client: ec, ChainID: chainID, Address: w.Registry, Log: log}), Log: log})
	srv, err := serve.New(ctx, serve.Config{Catalog: st, Anonymous: &serve.Scope{Datasets: []string{"*"}}, Listener: ln,
		Watcher: watcher, Interval: 5 * time.Second, Log: log})
	if err != nil {
		return err
	}
	defer srv.Close()
	done := make(chan error, 1)
	go func() { done <- srv.Run() }()
	select {
	case <-ctx.Done():
		srv.Interrupt(nil)
		return <-done
	case err := <-done:
		return err
	}
}
