package testchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// AnvilChainID is the chain id anvil runs with unless AnvilConfig.ChainID says otherwise.
const AnvilChainID = 31337

// AnvilConfig configures NewAnvil. The zero value is usable once Path is set.
type AnvilConfig struct {
	// Path is the anvil binary (see FindAnvil).
	Path string
	// ChainID is the chain id; 0 means AnvilChainID.
	ChainID uint64
	// Args are extra command-line arguments, for example "--block-time", "1".
	Args []string
	// StartTimeout bounds the wait for anvil to answer; 0 means 20 seconds.
	StartTimeout time.Duration
}

// Anvil is a running anvil process on a loopback port. It implements Chain.
type Anvil struct {
	cmd       *exec.Cmd
	exited    chan struct{} // closed when the process has exited
	waitErr   error         // the process's exit status, set before exited is closed
	logs      *logBuffer
	url       string
	rpc       *rpc.Client
	client    *ethclient.Client
	transport *http.Transport
	chainID   *big.Int
	accounts  []Account
	closeOnce sync.Once
}

// NewAnvil starts anvil on a port of 127.0.0.1 that anvil itself binds (--port 0)
// and waits until it answers eth_chainId there. The caller must Close it. An anvil
// that exits before answering is started again, up to three times.
func NewAnvil(ctx context.Context, cfg AnvilConfig) (*Anvil, error) {
	if cfg.Path == "" {
		return nil, errors.New("testchain: anvil path is empty (see FindAnvil)")
	}
	if cfg.ChainID == 0 {
		cfg.ChainID = AnvilChainID
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = 20 * time.Second
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var a *Anvil
		a, err = startAnvil(ctx, cfg)
		if err == nil {
			return a, nil
		}
		if !errors.Is(err, errExitedEarly) {
			break
		}
	}
	return nil, err
}

var errExitedEarly = errors.New("anvil exited before answering")

// startAnvil makes one attempt to start anvil and wait for it.
//
// Anvil binds port 0 and prints the port the kernel gave it; the URL is
// read from that line. (Choosing a free port first and passing it to
// anvil raced with every other process on the machine: another test's
// anvil could bind the port in between, ours then failed to bind and
// exited, and the readiness probe was answered by the other anvil, same
// chain id and accounts, until its test killed it: EOF.)
func startAnvil(ctx context.Context, cfg AnvilConfig) (*Anvil, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.StartTimeout)
	defer cancel()
	a := &Anvil{
		logs:     newLogBuffer(4 << 20),
		exited:   make(chan struct{}),
		chainID:  new(big.Int).SetUint64(cfg.ChainID),
		accounts: AnvilAccounts(),
	}
	if err := a.start(cfg); err != nil {
		return nil, err
	}
	err := a.listening(ctx)
	if err == nil {
		err = a.connect(ctx)
	}
	if err != nil {
		logs := a.Logs()
		_ = a.Close()
		return nil, fmt.Errorf("%w\nanvil output:\n%s", err, logs)
	}
	return a, nil
}

// start launches the process and a goroutine that reaps it.
func (a *Anvil) start(cfg AnvilConfig) error {
	args := []string{
		"--host", "127.0.0.1",
		"--port", "0",
		"--chain-id", strconv.FormatUint(cfg.ChainID, 10),
		"--mnemonic", AnvilMnemonic,
		"--accounts", strconv.Itoa(len(a.accounts)),
		"--balance", "10000",
	}
	a.cmd = exec.Command(cfg.Path, append(args, cfg.Args...)...)
	a.cmd.Stdout = a.logs
	a.cmd.Stderr = a.logs
	setProcAttr(a.cmd)
	if err := a.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cfg.Path, err)
	}
	go func() {
		a.waitErr = a.cmd.Wait()
		close(a.exited)
	}()
	return nil
}

// listenLine is what anvil prints once it has bound its port.
var listenLine = regexp.MustCompile(`Listening on (127\.0\.0\.1:[0-9]+)\s`)

// listening waits until anvil prints the address it listens on and sets the URL.
func (a *Anvil) listening(ctx context.Context) error {
	for {
		if m := listenLine.FindStringSubmatch(a.logs.String()); m != nil {
			a.url = "http://" + m[1]
			return nil
		}
		select {
		case <-a.exited:
			return fmt.Errorf("%w: %v", errExitedEarly, a.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("anvil did not print the address it listens on: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// connect dials the RPC endpoint and polls eth_chainId until anvil answers.
func (a *Anvil) connect(ctx context.Context) error {
	a.transport = &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second}
	c, err := rpc.DialOptions(ctx, a.url, rpc.WithHTTPClient(&http.Client{Transport: a.transport}))
	if err != nil {
		return fmt.Errorf("dial %s: %w", a.url, err)
	}
	a.rpc = c
	a.client = ethclient.NewClient(c)
	for {
		id, err := a.client.ChainID(ctx)
		if err == nil {
			if id.Cmp(a.chainID) != 0 {
				return fmt.Errorf("anvil answers chain id %s, want %s", id, a.chainID)
			}
			return a.checkAccounts(ctx)
		}
		select {
		case <-a.exited:
			return fmt.Errorf("%w: %v", errExitedEarly, a.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("anvil did not answer on %s: %w (last error: %v)", a.url, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// checkAccounts makes sure anvil's accounts are the ones whose keys Accounts returns.
func (a *Anvil) checkAccounts(ctx context.Context) error {
	var got []common.Address
	if err := a.rpc.CallContext(ctx, &got, "eth_accounts"); err != nil {
		return fmt.Errorf("eth_accounts: %w", err)
	}
	for i, acct := range a.accounts {
		if i >= len(got) || got[i] != acct.Address {
			return fmt.Errorf("anvil account %d is %v, want %s", i, got, acct.Address)
		}
	}
	return nil
}

// Close stops anvil and waits for the process to exit. It is safe to call twice.
func (a *Anvil) Close() error {
	a.closeOnce.Do(func() {
		if a.client != nil {
			a.client.Close()
		}
		if a.cmd != nil && a.cmd.Process != nil {
			_ = a.cmd.Process.Kill()
			<-a.exited
		}
		if a.transport != nil {
			a.transport.CloseIdleConnections()
		}
	})
	return nil
}

// CloseIdleConnections closes the idle keep-alive connections of the RPC client
// (Client, EthClient, RPC); the next request dials again. A test that checks for
// leaked goroutines while anvil keeps running calls it first: the pool's connections
// (two goroutines each) belong to the harness, not to the code under test.
func (a *Anvil) CloseIdleConnections() {
	if a.transport != nil {
		a.transport.CloseIdleConnections()
	}
}

// Logs returns what anvil printed so far (the last 4 MiB).
func (a *Anvil) Logs() string {
	return a.logs.String()
}

// Kind returns "anvil".
func (a *Anvil) Kind() string { return "anvil" }

// Client returns the anvil client (an *ethclient.Client).
func (a *Anvil) Client() Client { return a.client }

// EthClient returns the *ethclient.Client connected to anvil.
func (a *Anvil) EthClient() *ethclient.Client { return a.client }

// RPC returns the raw JSON-RPC client, for anvil_* and evm_* methods.
func (a *Anvil) RPC() *rpc.Client { return a.rpc }

// RPCURL returns anvil's HTTP endpoint, http://127.0.0.1:PORT.
func (a *Anvil) RPCURL() string { return a.url }

// ChainID returns the chain id.
func (a *Anvil) ChainID() *big.Int { return new(big.Int).Set(a.chainID) }

// Accounts returns anvil's ten funded default accounts.
func (a *Anvil) Accounts() []Account { return append([]Account(nil), a.accounts...) }

// logBuffer collects process output concurrently, keeping at most max bytes (the tail).
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func newLogBuffer(max int) *logBuffer { return &logBuffer{max: max} }

// Write appends p, dropping the oldest bytes beyond the limit.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// String returns the collected output.
func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
