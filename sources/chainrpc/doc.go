// Package chainrpc is the JSON-RPC plumbing shared by groundtruth's chain
// sources (evm_logs, governor, erc20, chainlink).
//
//   - Client sends JSON-RPC over HTTP with a per-source rate limit
//     (golang.org/x/time/rate), bounded retries with exponential backoff and
//     full jitter on HTTP 5xx/429, timeouts and connection resets (wrapping
//     sources.ErrTransient), and a response size bound. Endpoint URLs often
//     carry API keys: messages show only scheme://host (Redact).
//   - Responses that do not parse are *ResponseError values wrapping
//     sources.ErrBadInput that name the source, the method, the requested
//     range and the byte offset in the body. eth_getLogs bodies are decoded
//     by a small JSON scanner (faster than encoding/json and exact about
//     offsets).
//   - Scan reads a block range with eth_getLogs: ranges are fetched
//     concurrently and delivered strictly in order; a range the node refuses
//     (the refusal texts of geth, Infura, Alchemy, Nethermind, reth,
//     QuickNode and others, a body over the size bound, a persistent
//     timeout) is split, at the node's suggested boundary when it names one;
//     the range size shrinks after refusals and grows again after clean
//     rounds. The size state lives in the cursor so a resumed ingest repeats
//     the requests of an uninterrupted one.
//   - Cursor holds the next block, the row count, the chain id and marks:
//     recent blocks with their hashes and cumulative row counts. CheckReorg
//     re-checks the last ingested block at the start of a fetch and, when
//     its hash changed, finds the fork point among the marks and returns a
//     sources.Rewind keeping the rows before it.
//   - LogSource is a complete sources.Source over eth_getLogs given a Table
//     that decodes logs into columns; evm_logs, governor and erc20 are
//     LogSources with their own tables.
//   - Told sources.ErrEnough, a LogSource finishes the eth_getLogs block
//     range it is delivering and stops after it: its cursor is a block
//     number, so it cannot stop inside a block, and a range holds at most
//     max_block_range blocks (the bound of the overshoot).
package chainrpc
