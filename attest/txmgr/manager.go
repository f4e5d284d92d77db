package txmgr

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Client is what the manager needs from a node. *ethclient.Client and the
// simulated backend's client implement it; eth_feeHistory, the mined nonce
// and eth_getTransactionByHash are used when the client also has them.
type Client interface {
	// HeaderByNumber returns a block header (nil: the head).
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	// SuggestGasTipCap returns eth_maxPriorityFeePerGas.
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	// EstimateGas estimates a call's gas.
	EstimateGas(ctx context.Context, call ethereum.CallMsg) (uint64, error)
	// PendingNonceAt returns the account's nonce including the node's pool.
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	// SendTransaction broadcasts a signed transaction.
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	// TransactionReceipt returns a mined transaction's receipt.
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// The optional capabilities of a Client.
type (
	feeHistoryReader interface {
		FeeHistory(ctx context.Context, blockCount uint64, lastBlock *big.Int, rewardPercentiles []float64) (*ethereum.FeeHistory, error)
	}
	nonceReader interface {
		NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	}
	txReader interface {
		TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error)
	}
)

// SignFunc signs a transaction as the sender.
type SignFunc func(ctx context.Context, tx *types.Transaction) (*types.Transaction, error)

// WaitFunc returns a sent transaction's receipt; an in-process chain that
// mines on demand passes one instead of the manager's polling.
type WaitFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

// Defaults of Config.
const (
	// DefaultReplaceAfter is how long a transaction may wait unmined
	// before it is replaced with higher fees.
	DefaultReplaceAfter = 3 * time.Minute
	// DefaultMaxReplacements bounds the replacements of one transaction.
	DefaultMaxReplacements = 10
	// DefaultPoll is the polling interval on public chains; DevPoll on
	// local development chains (31337, 1337).
	DefaultPoll = 2 * time.Second
	// DevPoll is the polling interval on local development chains.
	DevPoll = 100 * time.Millisecond
)

// DefaultConfirmations is the confirmation depth used when none is
// configured: 1 on local development chains (anvil's 31337, the simulated
// backend's 1337), 3 elsewhere. A depth of d means the receipt's block and
// d-1 blocks on top of it.
func DefaultConfirmations(chainID uint64) uint64 {
	if devChain(chainID) {
		return 1
	}
	return 3
}

// PollInterval is the default polling interval on chainID: DevPoll on
// local development chains, DefaultPoll elsewhere.
func PollInterval(chainID uint64) time.Duration {
	if devChain(chainID) {
		return DevPoll
	}
	return DefaultPoll
}

func devChain(chainID uint64) bool { return chainID == 31337 || chainID == 1337 }

// Config configures a Manager.
type Config struct {
	// Client is the node.
	Client Client
	// ChainID is the chain the transactions are signed for.
	ChainID uint64
	// From is the sender; Sign signs as From.
	From common.Address
	// Sign signs transactions.
	Sign SignFunc
	// MaxFeePerGas caps the fee per gas, in wei (nil: no cap).
	MaxFeePerGas *big.Int
	// Confirmations is the depth a receipt's block must reach before Send
	// returns (0: DefaultConfirmations).
	Confirmations uint64
	// ReplaceAfter is how long a transaction may stay unmined before it is
	// replaced (0: DefaultReplaceAfter).
	ReplaceAfter time.Duration
	// MaxReplacements bounds the replacements (0: DefaultMaxReplacements).
	MaxReplacements int
	// Poll is the polling interval (0: DevPoll on 31337/1337, else DefaultPoll).
	Poll time.Duration
	// StateDir holds the nonce records of the senders ("" keeps none: only
	// the node's pending nonce is used, which is safe for one process).
	StateDir string
	// Wait, when set, replaces polling for the receipt (in-process chains).
	Wait WaitFunc
	// Log receives progress messages (nil discards them).
	Log *slog.Logger
}

// Manager sends transactions for one sender. It is safe for concurrent use.
type Manager struct {
	cfg Config
	log *slog.Logger
}

// New checks cfg, fills in its defaults and returns a Manager.
func New(cfg Config) (*Manager, error) {
	if cfg.Client == nil || cfg.Sign == nil || cfg.ChainID == 0 {
		return nil, fmt.Errorf("%w: a client, a chain id and a signer are needed", ErrConfig)
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = DefaultConfirmations(cfg.ChainID)
	}
	if cfg.ReplaceAfter <= 0 {
		cfg.ReplaceAfter = DefaultReplaceAfter
	}
	if cfg.MaxReplacements <= 0 {
		cfg.MaxReplacements = DefaultMaxReplacements
	}
	if cfg.Poll <= 0 {
		cfg.Poll = PollInterval(cfg.ChainID)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{cfg: cfg, log: log}, nil
}

// Request is a transaction to send.
type Request struct {
	// To is the contract called; nil deploys Data as creation code.
	To *common.Address
	// Data is the calldata or creation code.
	Data []byte
	// Value is the wei sent (nil: none).
	Value *big.Int
}

// Send prices, signs and sends req, replaces it while it is not mined,
// sends it again when the node forgets it, and returns its receipt once
// the receipt's block is Confirmations deep and canonical. A reverted
// transaction's receipt is returned without an error: the caller decides.
func (m *Manager) Send(ctx context.Context, req Request) (*types.Receipt, error) {
	f, err := m.fees(ctx)
	if err != nil {
		return nil, err
	}
	gas, err := m.cfg.Client.EstimateGas(ctx, ethereum.CallMsg{From: m.cfg.From, To: req.To, Data: req.Data, Value: req.Value})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEstimate, err)
	}
	gas += gas / 5 // headroom: the state may change before the transaction is mined
	tx, err := m.assign(ctx, req, gas, f)
	if err != nil {
		return nil, err
	}
	m.log.Info("transaction sent", "tx", tx.Hash().Hex(), "nonce", tx.Nonce(), "from", m.cfg.From.Hex(),
		"max_fee_gwei", gwei(tx.GasFeeCap()), "tip_gwei", gwei(tx.GasTipCap()))
	if m.cfg.Wait != nil {
		rc, err := m.cfg.Wait(ctx, tx)
		if err == nil {
			m.forget(ctx, tx.Nonce())
		}
		return rc, err
	}
	return m.await(ctx, tx)
}

// unsigned builds the transaction for nonce with fees f.
func (m *Manager) unsigned(req Request, nonce, gas uint64, f fees) *types.Transaction {
	return types.NewTx(&types.DynamicFeeTx{ChainID: new(big.Int).SetUint64(m.cfg.ChainID), Nonce: nonce,
		GasTipCap: f.tip, GasFeeCap: f.feeCap, Gas: gas, To: req.To, Value: req.Value, Data: req.Data})
}
