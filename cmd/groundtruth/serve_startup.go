package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// startRetry is how often serve retries a failed start (a shorter
// --interval retries as often).
const startRetry = 5 * time.Second

// serveHTTPOrWait is serve without --mcp-stdio. A startup problem that is
// not a wrong flag (an unreachable chain, a catalog that needs a rebuild,
// a data directory held by another process, an unset ${VAR}) does not end
// the process: it listens anyway, answers /readyz and every /v1 and /mcp
// request with 503 naming the problem and its fix, retries the start and
// serves once it succeeds. When ctx ends before that, the startup error is
// returned (its exit status names the problem).
func (a *app) serveHTTPOrWait(cmd *cobra.Command, o *serveOpts) error {
	ctx := cmd.Context()
	hup, unsub := onHangup(ctx) // SIGHUP reloads the tokens, never stops serve
	defer unsub()
	try := *o
	api, closeAPI, err := a.startAPI(cmd, &try)
	if err != nil && errors.Is(err, errUsage) {
		return err
	}
	listen := try.listen
	if listen == "" {
		listen = config.DefaultServeListen
	}
	ln, lerr := net.Listen("tcp", listen)
	if lerr != nil {
		if closeAPI != nil {
			closeAPI()
		}
		return fmt.Errorf("%w: --listen %s: %v", errUsage, listen, lerr)
	}
	defer ln.Close()
	if err != nil {
		if api, closeAPI, err = a.waitForStart(ctx, cmd, o, ln, err); err != nil {
			return err
		}
	}
	defer closeAPI()
	defer a.watchTokens(ctx, hup, o.configPath, o.anonymous, api.Tokens)()
	return a.serveOn(ctx, api, ln)
}

// waitForStart answers on ln with serve.FailedHandler while it retries the
// start; it returns the started API, or the last startup error when ctx
// ends first.
func (a *app) waitForStart(ctx context.Context, cmd *cobra.Command, o *serveOpts, ln net.Listener, first error) (*APIServer, func(), error) {
	retry := startRetry
	if o.interval > 0 && o.interval < retry {
		retry = o.interval
	}
	var mu sync.Mutex
	last, public := first, a.publicReason(first)
	a.reportStartup(first, retry, ln.Addr())
	kept := &keptListener{TCPListener: ln.(*net.TCPListener)}
	hs, capped := serve.NewHTTPServer(serve.FailedHandler(func() string {
		mu.Lock()
		defer mu.Unlock()
		return public
	}, retry), kept, serve.Limits{}, a.logger(), nil)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(capped) }()
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		<-served
		_ = kept.SetDeadline(time.Time{}) // Shutdown woke Accept with a deadline
	}
	tick := time.NewTicker(retry)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			stop()
			return nil, nil, last
		case <-tick.C:
		}
		try := *o
		api, closeAPI, err := a.startAPI(cmd, &try)
		if err == nil {
			stop()
			*o = try
			fmt.Fprintf(a.stderr, "groundtruth: started after the startup problem was fixed: %s\n", last)
			return api, closeAPI, nil
		}
		if err.Error() != last.Error() {
			a.reportStartup(err, retry, ln.Addr())
		}
		mu.Lock()
		last, public = err, a.publicReason(err)
		mu.Unlock()
	}
}

// reportStartup writes a startup problem and its fix on stderr, with the
// address serve listens on meanwhile (the bound one, also when --listen
// asked for port 0).
func (a *app) reportStartup(err error, retry time.Duration, addr net.Addr) {
	fmt.Fprintf(a.stderr, "groundtruth: cannot serve yet: %s; fix: %s. Listening on http://%s: /readyz and every /v1 and /mcp request answer 503 until then; retrying every %s\n",
		err, startupFix(err, false), addr, retry)
}

// publicReason is a startup problem as HTTP clients see it (without a
// token: /readyz and every 503): an unreachable chain is "chain
// unreachable" and nothing more, other problems have every URL removed and
// the data directory not named. The operator's log has the details.
func (a *app) publicReason(err error) string {
	if errors.Is(err, attest.ErrChain) {
		return "chain unreachable; fix: " + startupFix(err, false)
	}
	msg := redact.DropURLs(a.red.String(err.Error()))
	if d := a.dataDir; d != "" && d != "." && d != "/" {
		msg = strings.ReplaceAll(msg, d, "DATA_DIR")
	}
	return msg + "; fix: " + startupFix(err, false)
}

// keptListener is a TCP listener that outlives the http.Server of the
// failed start: Close only wakes a pending Accept (with a deadline), so
// the started server takes over the same socket and no connection is
// refused in between.
type keptListener struct {
	*net.TCPListener
}

// Close implements net.Listener without closing the socket.
func (k *keptListener) Close() error {
	return k.SetDeadline(time.Now())
}
