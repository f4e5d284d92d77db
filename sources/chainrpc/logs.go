package chainrpc

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// Log is one event log as eth_getLogs returns it.
type Log struct {
	Address     common.Address
	Topics      []common.Hash
	Data        []byte
	BlockNumber uint64
	BlockHash   common.Hash
	// BlockTime is the block's timestamp in seconds; HasBlockTime says
	// whether the node sent it (blockTimestamp, geth 1.16+ and anvil).
	BlockTime    uint64
	HasBlockTime bool
	TxHash       common.Hash
	TxIndex      uint32
	LogIndex     uint32
	Removed      bool
	// Offset is the byte offset of the log object in the response body.
	Offset int
	// Bad lists the fields of the log (address, data, topics) whose value
	// is malformed; the log is emitted as a row of placeholders that the
	// validation stage quarantines (poisoning.bad_value). Fields that
	// place the row (block, hashes, indexes) are never bad here: a
	// malformed one fails the fetch.
	Bad []BadField
}

// BadField is a field of a log whose value does not decode.
type BadField struct {
	// Field is the JSON-RPC field (address, data, topics) or, for a log
	// that does not decode into its table, the column or "data".
	Field string
	// Raw is the value as sent (shortened); Problem says what is wrong.
	Raw, Problem string
}

// placeFields are the fields whose malformed value fails the fetch: the
// row's key, order, block and reorganisation checks depend on them.
const placeFields = 1<<fBlockNumber | 1<<fBlockHash | 1<<fBlockTime | 1<<fTxHash | 1<<fTxIndex | 1<<fLogIndex

// Logs is the decoded result of one eth_getLogs response.
type Logs struct {
	// Logs are the logs in the order the node sent them.
	Logs []Log
	// Body is the raw response body they were decoded from.
	Body []byte
}

// parseLogs decodes the result array of an eth_getLogs response. off is the
// offset of result in the body, so errors name offsets in the body.
func parseLogs(result []byte, off int) ([]Log, error) {
	s := &scanner{b: result}
	n := countObjects(result)
	logs := make([]Log, 0, n)
	topics := make([]common.Hash, 0, 3*n)
	arena := make([]byte, 0, 64*n)
	err := s.array(false, func(int) error {
		var lg Log
		lg.Offset = off + s.pos
		var seen uint16
		err := s.object(func(k string, at int) error {
			if k == "topics" {
				first := len(topics)
				err := s.array(false, func(int) error {
					raw, _, err := s.str()
					if err != nil {
						return err
					}
					var h common.Hash
					if err := parseFixed(h[:], raw); err != nil {
						lg.Bad = append(lg.Bad, BadField{Field: k, Raw: clip(raw), Problem: err.Error()})
					}
					topics = append(topics, h)
					return nil
				})
				// The slice is re-pointed after parsing: topics may grow.
				lg.Topics = topics[first:len(topics):len(topics)]
				seen |= 1 << fTopics
				return err
			}
			if k == "removed" {
				v, err := s.boolean()
				lg.Removed = v
				return err
			}
			f, ok := logFields[k]
			if !ok {
				_, _, err := s.skip()
				return err
			}
			raw, _, err := s.str()
			if err != nil {
				return err
			}
			seen |= 1 << f
			if arena, err = lg.set(f, raw, arena); err != nil {
				if placeFields&(1<<f) != 0 {
					return s.fieldErr(at, k, err)
				}
				lg.Bad = append(lg.Bad, BadField{Field: k, Raw: clip(raw), Problem: err.Error()})
			}
			return nil
		})
		if err != nil {
			return err
		}
		if missing := seen&requiredFields ^ requiredFields; missing != 0 {
			return &syntaxError{off: lg.Offset - off, msg: fmt.Sprintf("log object lacks %s", fieldNames(missing))}
		}
		logs = append(logs, lg)
		return nil
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		if se, ok := err.(*syntaxError); ok {
			se.off += off
		}
		return nil, err
	}
	fixTopics(logs, topics)
	return logs, nil
}

// fixTopics re-points every log's topics into the final backing array:
// slices taken while the array grew may point into an old copy. They are
// equal in content either way; this only saves memory.
func fixTopics(logs []Log, topics []common.Hash) {
	i := 0
	for k := range logs {
		n := len(logs[k].Topics)
		logs[k].Topics = topics[i : i+n : i+n]
		i += n
	}
}

// countObjects estimates the number of log objects (for preallocation).
func countObjects(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '{' {
			n++
		}
	}
	return n
}

// fieldErr reports a bad value of field k whose key starts at at.
func (s *scanner) fieldErr(at int, k string, err error) error {
	return &syntaxError{off: at, msg: fmt.Sprintf("field %q: %v", k, err)}
}

// Log fields decoded from strings.
const (
	fAddress = iota
	fData
	fBlockNumber
	fBlockHash
	fBlockTime
	fTxHash
	fTxIndex
	fLogIndex
	fTopics
)

var logFields = map[string]int{
	"address": fAddress, "data": fData, "blockNumber": fBlockNumber, "blockHash": fBlockHash,
	"blockTimestamp": fBlockTime, "transactionHash": fTxHash, "transactionIndex": fTxIndex, "logIndex": fLogIndex,
}

var fieldJSONNames = []string{"address", "data", "blockNumber", "blockHash", "blockTimestamp", "transactionHash", "transactionIndex", "logIndex", "topics"}

// requiredFields are the fields a mined log must have.
const requiredFields = 1<<fAddress | 1<<fData | 1<<fBlockNumber | 1<<fBlockHash | 1<<fTxHash | 1<<fLogIndex | 1<<fTopics

func fieldNames(mask uint16) string {
	out := ""
	for i, n := range fieldJSONNames {
		if mask&(1<<i) != 0 {
			if out != "" {
				out += ", "
			}
			out += n
		}
	}
	return out
}

// set decodes field f of a log from its string value.
func (lg *Log) set(f int, raw, arena []byte) ([]byte, error) {
	var err error
	var v uint64
	switch f {
	case fAddress:
		err = parseFixed(lg.Address[:], raw)
	case fData:
		arena, lg.Data, err = parseData(arena, raw)
	case fBlockNumber:
		lg.BlockNumber, err = parseQuantity(raw)
	case fBlockHash:
		err = parseFixed(lg.BlockHash[:], raw)
	case fBlockTime:
		lg.BlockTime, err = parseQuantity(raw)
		lg.HasBlockTime = err == nil
	case fTxHash:
		err = parseFixed(lg.TxHash[:], raw)
	case fTxIndex:
		v, err = parseQuantity(raw)
		if err == nil && v > 1<<32-1 {
			err = fmt.Errorf("transaction index %d does not fit 32 bits", v)
		}
		lg.TxIndex = uint32(v)
	case fLogIndex:
		v, err = parseQuantity(raw)
		if err == nil && v > 1<<32-1 {
			err = fmt.Errorf("log index %d does not fit 32 bits", v)
		}
		lg.LogIndex = uint32(v)
	}
	return arena, err
}
