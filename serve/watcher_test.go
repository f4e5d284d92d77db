package serve_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// running is a server actor on a loopback listener.
type running struct {
	srv  *serve.Server
	base string
	done chan error
}

func runServer(t *testing.T, cfg serve.Config) *running {
	t.Helper()
	if cfg.Listener == nil {
		cfg.Listener = listen(t)
	}
	ln := cfg.Listener
	if cfg.Anonymous == nil {
		cfg.Anonymous = &serve.Scope{Datasets: []string{"*"}, Rate: 1000}
	}
	srv, err := serve.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &running{srv: srv, base: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { r.done <- srv.Run() }()
	t.Cleanup(r.stop)
	return r
}

func (r *running) stop() {
	if r.srv == nil {
		return
	}
	r.srv.Interrupt(nil)
	<-r.done
	r.srv.Close()
	r.srv = nil
}

func (r *running) status(t *testing.T, path string) (int, api.Error) {
	t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e api.Error
	if resp.StatusCode != 200 {
		json.NewDecoder(resp.Body).Decode(&e)
	}
	return resp.StatusCode, e
}

// TestWatcherRevocations attests two versions on a 2-of-3 registry on
// anvil, serves them, revokes one on-chain and checks that it stops being
// served within one poll interval and that the catalog records it; a
// version the chain does not confirm is refused; a revocation made while
// no server ran is found at start-up.
func TestWatcherRevocations(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx := context.Background()
	st := servetest.OpenStore(t, t.TempDir())
	m1 := servetest.Seal(t, st, "votes", 0, 500)
	servetest.Attest(t, env, st, m1)
	m2 := servetest.Seal(t, st, "votes", 500, 800)
	servetest.Attest(t, env, st, m2)
	m3 := servetest.Seal(t, st, "votes", 800, 900)
	markAttested(t, st, m3) // the catalog says attested, but the registry has no such record
	eth, err := ethclient.Dial(env.Chain.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	watcher := func() *serve.Watcher {
		return serve.NewWatcher(serve.WatcherConfig{Chain: eth, Backend: attest.KindRegistry, Contract: env.Registry, Checker: servetest.Registry(env)})
	}
	const interval = 400 * time.Millisecond
	r := runServer(t, serve.Config{Catalog: st, Watcher: watcher(), Interval: interval, CacheDir: t.TempDir()})
	if code, e := r.status(t, "/v1/datasets/votes/versions/2/rows/700"); code != 200 {
		t.Fatalf("before the revocation: %d %+v", code, e)
	}
	if code, e := r.status(t, "/v1/datasets/votes/versions/3"); code != 403 || e.ErrorType != "unconfirmed" || !strings.Contains(e.Error, "has no attestation") {
		t.Fatalf("votes@3 (not on the registry): %d %+v", code, e)
	}

	servetest.Revoke(t, env, m2, "poisoned price feed")
	revoked := time.Now()
	var code int
	var e api.Error
	for time.Since(revoked) < interval+2*time.Second {
		if code, e = r.status(t, "/v1/datasets/votes/versions/2/rows/700"); code == 403 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	took := time.Since(revoked)
	t.Logf("revocation noticed after %v (poll interval %v)", took, interval)
	if code != 403 || e.ErrorType != "revoked" || !strings.Contains(e.Error, "poisoned price feed") {
		t.Fatalf("after the revocation: %d %+v", code, e)
	}
	if took > interval+500*time.Millisecond {
		t.Errorf("the revocation took %v to stop serving, more than one poll interval (%v)", took, interval)
	}
	// Serving stops first; the catalog records the revocation right after.
	for end := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s, err := st.VersionStatus(ctx, "votes", 2)
		if err == nil && s == attest.StatusRevoked {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("catalog status %q %v", s, err)
		}
	}
	if revs, err := st.Revocations(ctx, "votes", 2); err != nil || len(revs) != 1 || !strings.Contains(revs[0].Reason, "poisoned price feed") || revs[0].Ref == "" {
		t.Fatalf("catalog revocations %+v %v", revs, err)
	}
	if code, e := r.status(t, "/v1/datasets/votes/versions/latest/data?format=csv&rows=0-1"); code != 200 {
		t.Fatalf("latest after the revocation: %d %+v", code, e)
	}
	r.stop()

	// A revocation made while no server runs is found when the next starts.
	servetest.Revoke(t, env, m1, "stale source")
	r = runServer(t, serve.Config{Catalog: st, Watcher: watcher(), Interval: interval, CacheDir: t.TempDir()})
	if code, e := r.status(t, "/v1/datasets/votes/versions/1"); code != 403 || e.ErrorType != "revoked" {
		t.Fatalf("votes@1 revoked while the server was down: %d %+v", code, e)
	}
	if code, e := r.status(t, "/v1/datasets/votes/versions/latest"); code != 404 {
		t.Fatalf("no attested version left: %d %+v", code, e)
	}
}
