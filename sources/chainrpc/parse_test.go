package chainrpc

import (
	"strings"
	"testing"
)

const goodLog = `{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":["0xe44d1763da78dc8eb811ddd6c689feb0c0540e5139925ca5f72db1f51a46d95a","0x0000000000000000000000000000000000000000000000000000000000000001"],"data":"0x00ff","blockHash":"0x2ad69fdadb5ccdf40560487aae2b9b7e67a674ed72f11a5e43e3e62121e246b4","blockNumber":"0x2","blockTimestamp":"0x6b07ad9e","transactionHash":"0xffb316ec9727bf917bcd699a2323bd6e4852551aa4f50f3ab2a4a361ec64fc80","transactionIndex":"0x0","logIndex":"0x1","removed":false}`

func TestParseLogs(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":1,"result":[` + goodLog + `, ` +
		strings.Replace(goodLog, `"removed":false`, `"removed":false,"extra":{"a":[1,2.5e3,"x\"y",null,true]}`, 1) + `]}`
	env, err := parseEnvelope([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	logs, err := parseLogs(env.result, env.resultOff)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 2 {
		t.Fatalf("%d logs", len(logs))
	}
	lg := logs[1]
	if lg.BlockNumber != 2 || lg.LogIndex != 1 || !lg.HasBlockTime || lg.BlockTime != 0x6b07ad9e || len(lg.Topics) != 2 ||
		lg.Topics[1][31] != 1 || len(lg.Data) != 2 || lg.Data[1] != 0xff || lg.Address[19] != 0xa3 {
		t.Errorf("log %+v", lg)
	}
	if body[lg.Offset] != '{' || lg.Offset <= logs[0].Offset {
		t.Errorf("offset %d does not point at the second log object", lg.Offset)
	}
}

func TestParseErrorsNameTheOffset(t *testing.T) {
	prefix := `{"jsonrpc":"2.0","id":1,"result":[`
	tests := []struct {
		name, body string
		at         string // the error's offset must point at this text
		msg        string
	}{
		{"bad block hash", prefix + strings.Replace(goodLog, `"blockHash":"0x2ad6`, `"blockHash":"0x2a`, 1) + `]}`, `"blockHash"`, "64 hexadecimal digits"},
		{"bad quantity", prefix + strings.Replace(goodLog, `"logIndex":"0x1"`, `"logIndex":"1"`, 1) + `]}`, `"logIndex"`, "hexadecimal"},
		{"missing hash", prefix + strings.Replace(goodLog, `"transactionHash"`, `"txHash"`, 1) + `]}`, `{"address"`, "lacks transactionHash"},
		{"truncated", prefix + goodLog[:200], "", "unterminated string"},
		{"garbage after", `{"jsonrpc":"2.0","id":1,"result":[]} x`, "x", "after the response"},
		{"not an array", `{"jsonrpc":"2.0","id":1,"result":{}}`, "{}", "want '['"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := parseEnvelope([]byte(tt.body))
			if err == nil {
				_, err = parseLogs(env.result, env.resultOff)
			}
			se, ok := err.(*syntaxError)
			if !ok {
				t.Fatalf("error %v (%T), want a syntax error", err, err)
			}
			if !strings.Contains(se.msg, tt.msg) {
				t.Errorf("message %q, want it to mention %q", se.msg, tt.msg)
			}
			if tt.at != "" && !strings.HasPrefix(tt.body[se.off:], tt.at) {
				t.Errorf("offset %d points at %.20q, want %q", se.off, tt.body[se.off:], tt.at)
			}
		})
	}
}

// TestParseBadFields: a malformed address, data or topic does not fail the
// parse; the log records the field, its raw value and the problem.
func TestParseBadFields(t *testing.T) {
	prefix := `{"jsonrpc":"2.0","id":1,"result":[`
	tests := []struct {
		name, from, to, field, raw, msg string
	}{
		{"odd data", `"data":"0x00ff"`, `"data":"0x0ff"`, "data", "0x0ff", "even number"},
		{"data not hex", `"data":"0x00ff"`, `"data":"0x00fg"`, "data", "0x00fg", "hexadecimal"},
		{"short address", `"address":"0x5fbdb`, `"address":"0x5fbd`, "address", "0x5fbd", "40 hexadecimal digits"},
		{"topic not hex", `"0x0000000000000000000000000000000000000000000000000000000000000001"`, `"0x000000000000000000000000000000000000000000000000000000000000000z"`, "topics", "0x0000", "hexadecimal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := prefix + strings.Replace(goodLog, tt.from, tt.to, 1) + "," + goodLog + `]}`
			env, err := parseEnvelope([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			logs, err := parseLogs(env.result, env.resultOff)
			if err != nil || len(logs) != 2 {
				t.Fatalf("%d logs, error %v, want 2 logs and no error", len(logs), err)
			}
			if len(logs[1].Bad) != 0 {
				t.Errorf("the good log has bad fields %+v", logs[1].Bad)
			}
			if b := logs[0].Bad; len(b) != 1 || b[0].Field != tt.field || !strings.HasPrefix(b[0].Raw, tt.raw) || !strings.Contains(b[0].Problem, tt.msg) {
				t.Errorf("bad fields %+v, want one: field %s, raw %s…, problem mentioning %q", b, tt.field, tt.raw, tt.msg)
			}
			if len(logs[0].Topics) != 2 {
				t.Errorf("%d topics, want 2 (a bad topic keeps its place)", len(logs[0].Topics))
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		method, msg string
		code        int
		kind        errKind
		hint        *Range
	}{
		{"eth_getLogs", "query returned more than 10000 results", -32005, errKindRange, nil},
		{"eth_getLogs", "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x10, 0x1f]", -32602, errKindRange, &Range{16, 31}},
		{"eth_getLogs", "query exceeds max results 20000, retry with the range 23879634-23879696", -32602, errKindRange, &Range{23879634, 23879696}},
		{"eth_getLogs", "Query returned more than 10000 results. Try with this block range [0x118dc91, 0x1198cc3].", -32602, errKindRange, &Range{0x118dc91, 0x1198cc3}},
		{"eth_getLogs", "range 1000000 exceeds limit of 10000", -32602, errKindRange, nil},
		{"eth_getLogs", "eth_getLogs is limited to 1024 block range", -32602, errKindRange, nil},
		{"eth_getLogs", "Too many logs requested. Max logs per response is 10000.", -32000, errKindRange, nil},
		{"eth_getLogs", "query timeout exceeded", -32000, errKindRange, nil},
		{"eth_getLogs", "project ID request rate exceeded", -32005, errKindTransient, nil},
		{"eth_getLogs", "limit exceeded", -32005, errKindTransient, nil},
		{"eth_getBlockByNumber", "header not found", -32000, errKindTransient, nil},
		{"eth_call", "execution reverted", 3, errKindOther, nil},
		{"eth_getBlockByNumber", "query returned more than 10000 results", -32000, errKindOther, nil},
	}
	for _, tt := range tests {
		e := &RPCError{Code: tt.code, Message: tt.msg}
		e.classify(tt.method)
		if e.kind != tt.kind {
			t.Errorf("%s %q: kind %d, want %d", tt.method, tt.msg, e.kind, tt.kind)
		}
		h, ok := e.Hint()
		if (tt.hint != nil) != ok || (ok && h != *tt.hint) {
			t.Errorf("%q: hint %v %v, want %v", tt.msg, h, ok, tt.hint)
		}
	}
}

func TestRedact(t *testing.T) {
	raw := "https://user:pw@eth-mainnet.example.com:8443/v2/SECRETKEY?apikey=OTHERSECRET"
	if got := Redact(raw); got != "https://eth-mainnet.example.com:8443" {
		t.Errorf("Redact = %q", got)
	}
	msg := scrub(`Post "`+raw+`": dial tcp: refused; key SECRETKEY`, raw, Redact(raw))
	for _, secret := range []string{"SECRETKEY", "OTHERSECRET", "pw@"} {
		if strings.Contains(msg, secret) {
			t.Errorf("scrubbed message %q still holds %q", msg, secret)
		}
	}
}

func TestWords(t *testing.T) {
	w := make([]byte, 32)
	w[31] = 0x80
	if v, err := WordUint(w, 8); err != nil || v != 0x80 {
		t.Errorf("uint8 0x80: %v %v", v, err)
	}
	if _, err := WordInt(w, 8); err == nil {
		t.Error("int8 0x80 (positive 128) accepted")
	}
	neg := make([]byte, 32)
	for i := range neg {
		neg[i] = 0xff
	}
	if v, err := WordInt(neg, 16); err != nil || v != -1 {
		t.Errorf("int16 -1: %v %v", v, err)
	}
	if _, err := WordIntBig(append(make([]byte, 16), neg[:16]...), 128); err == nil {
		t.Error("int128 with a positive extension and a negative value accepted")
	}
	if _, err := WordBool(append(make([]byte, 31), 2)); err == nil {
		t.Error("bool 2 accepted")
	}
	dirty := make([]byte, 32)
	dirty[0] = 1
	if _, err := WordAddress(dirty); err == nil {
		t.Error("dirty address accepted")
	}
	data := make([]byte, 64)
	data[31] = 0x20 // offset 32
	data[63] = 5    // length 5, but no bytes follow
	if _, err := Dynamic(data, data[:32]); err == nil {
		t.Error("dynamic value longer than the data accepted")
	}
	if s := ValidString([]byte{'a', 0xff, 'b'}); s != "a\uFFFDb" {
		t.Errorf("ValidString = %q", s)
	}
}
