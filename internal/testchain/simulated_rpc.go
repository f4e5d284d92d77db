package testchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// maxRPCBody bounds a JSON-RPC request body served by SimulatedRPC.
const maxRPCBody = 8 << 20

// SimulatedRPC is a simulated chain served over HTTP JSON-RPC on 127.0.0.1, so that
// code which dials a node URL (the chain sources, `groundtruth verify --rpc`) can read
// it. A transaction sent through the endpoint is mined at once, in a block of its own
// (anvil's automine), so senders that poll for receipts see them on the first poll.
// It implements Chain; RPCURL returns the endpoint.
type SimulatedRPC struct {
	*Simulated
	rpc *rpc.Client
	srv *http.Server
	url string
	// done is closed when the HTTP server has stopped.
	done chan struct{}
}

// rawClient returns the RPC client inside the simulated backend's client, a struct
// embedding *ethclient.Client (whose field name hides its Client method).
func rawClient(c Client) (*rpc.Client, error) {
	v := reflect.ValueOf(c)
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("Client"); f.IsValid() && f.CanInterface() {
			if ec, ok := f.Interface().(*ethclient.Client); ok && ec != nil {
				return ec.Client(), nil
			}
		}
	}
	return nil, fmt.Errorf("simulated backend client %T has no RPC client", c)
}

// NewSimulatedRPC starts a simulated chain like NewSimulated and serves it on a free
// port of 127.0.0.1. The caller must Close it.
func NewSimulatedRPC(cfg SimConfig) (*SimulatedRPC, error) {
	sim := NewSimulated(cfg)
	rc, err := rawClient(sim.client)
	if err != nil {
		sim.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		sim.Close()
		return nil, fmt.Errorf("listen for the simulated chain's JSON-RPC: %w", err)
	}
	s := &SimulatedRPC{Simulated: sim, rpc: rc, url: "http://" + ln.Addr().String(), done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed on Close
	}()
	return s, nil
}

// RPCURL returns the HTTP JSON-RPC endpoint.
func (s *SimulatedRPC) RPCURL() string { return s.url }

// Close stops the HTTP server and the chain.
func (s *SimulatedRPC) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return errors.Join(err, s.Simulated.Close())
}

// rpcRequest is one JSON-RPC 2.0 call.
type rpcRequest struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// rpcResponse is one JSON-RPC 2.0 answer.
type rpcResponse struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// ServeHTTP answers a JSON-RPC call or batch by forwarding each call to the chain's
// in-process RPC server, then mines a block when a call sent a transaction.
func (s *SimulatedRPC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "JSON-RPC wants POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRPCBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body = bytes.TrimSpace(body)
	batch := len(body) > 0 && body[0] == '['
	var reqs []rpcRequest
	if !batch {
		reqs = make([]rpcRequest, 1)
		err = json.Unmarshal(body, &reqs[0])
	} else {
		err = json.Unmarshal(body, &reqs)
	}
	if err != nil {
		writeJSON(w, rpcResponse{Version: "2.0", ID: json.RawMessage("null"), Error: &rpcError{Code: -32700, Message: "parse error: " + err.Error()}})
		return
	}
	out, sent := s.calls(r.Context(), reqs)
	if sent {
		if err := s.commit(r.Context()); err != nil { // automine: the sent transactions get their block before the answer
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if batch {
		writeJSON(w, out)
		return
	}
	writeJSON(w, out[0])
}

// calls forwards each request and reports whether one sent a transaction.
func (s *SimulatedRPC) calls(ctx context.Context, reqs []rpcRequest) ([]rpcResponse, bool) {
	out := make([]rpcResponse, len(reqs))
	sent := false
	for i, req := range reqs {
		out[i] = rpcResponse{Version: "2.0", ID: req.ID}
		if len(out[i].ID) == 0 {
			out[i].ID = json.RawMessage("null")
		}
		params := make([]any, len(req.Params))
		for j, p := range req.Params {
			params[j] = p
		}
		var res json.RawMessage
		if err := s.rpc.CallContext(ctx, &res, req.Method, params...); err != nil {
			out[i].Error = toRPCError(err)
			continue
		}
		out[i].Result = res
		if req.Method == "eth_sendRawTransaction" || req.Method == "eth_sendTransaction" {
			sent = true
		}
	}
	return out, sent
}

// toRPCError converts an error of the in-process client to a JSON-RPC error,
// keeping its code and data (a revert's custom error).
func toRPCError(err error) *rpcError {
	e := &rpcError{Code: -32000, Message: err.Error()}
	var ce rpc.Error
	if errors.As(err, &ce) {
		e.Code = ce.ErrorCode()
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		e.Data = de.ErrorData()
	}
	return e
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
