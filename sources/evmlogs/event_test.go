package evmlogs

import (
	"math/big"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		decl, sig string
		cols      string // name:type,...
		err       string
	}{
		{"event Transfer(address indexed from, address indexed to, uint256 value)", "Transfer(address,address,uint256)", "from:address,to:address,value:uint256", ""},
		{"Transfer(address indexed from, address indexed to, uint value);", "Transfer(address,address,uint256)", "from:address,to:address,value:uint256", ""},
		{`{"type":"event","name":"Approval","inputs":[{"name":"owner","type":"address","indexed":true},{"name":"spender","type":"address","indexed":true},{"name":"value","type":"uint256"}]}`,
			"Approval(address,address,uint256)", "owner:address,spender:address,value:uint256", ""},
		{"event E(uint8 a, int24 b, uint48 c, int128 d, bytes4 e, bytes32 f, bool g, string h, bytes i, address address)", "E(uint8,int24,uint48,int128,bytes4,bytes32,bool,string,bytes,address)",
			"a:uint8,b:int32,c:uint64,d:int256,e:bytes,f:bytes32,g:bool,h:string,i:bytes,arg_address:address", ""},
		{"event P((address to, uint256 v)[] pays, uint256[2] pair, string indexed tag, uint256)", "P((address,uint256)[],uint256[2],string,uint256)",
			"pays:string,pair:string,tag:bytes32,arg3:uint256", ""},
		{"event A(uint256 indexed x) anonymous", "A(uint256)", "x:uint256", ""},
		{"event Bad(uint257 x)", "", "", "unsupported"},
		{"event Bad(uint256 x, uint256 x)", "", "", "column \"x\""},
		{"event Bad(uint256 indexed a, uint256 indexed b, uint256 indexed c, uint256 indexed d)", "", "", "at most 3"},
		{"event Bad(uint256 x", "", "", "unbalanced"},
		{"event Bad(uint256 x) extra", "", "", "unexpected"},
		{`[{"type":"event","name":"A","inputs":[]},{"type":"event","name":"B","inputs":[]}]`, "", "", "exactly one event"},
	}
	for _, tt := range tests {
		t.Run(tt.decl, func(t *testing.T) {
			ev, err := ParseEvent(tt.decl)
			var tb *eventTable
			if err == nil {
				tb, err = newEventTable(ev)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Sig != tt.sig || ev.ID != crypto.Keccak256Hash([]byte(tt.sig)) {
				t.Errorf("signature %s, want %s", ev.Sig, tt.sig)
			}
			var cols []string
			for _, c := range tb.Columns() {
				cols = append(cols, c.Name+":"+string(c.Type))
			}
			if got := strings.Join(cols, ","); got != tt.cols {
				t.Errorf("columns %s, want %s", got, tt.cols)
			}
		})
	}
}

// logOf packs vals (indexed ones into topics) as a log of ev.
func logOf(t *testing.T, ev abi.Event, vals ...any) *chainrpc.Log {
	t.Helper()
	lg := &chainrpc.Log{Topics: []common.Hash{ev.ID}}
	var data []any
	for i, a := range ev.Inputs {
		if !a.Indexed {
			data = append(data, vals[i])
			continue
		}
		if s, ok := vals[i].(string); ok { // indexed dynamic values are hashed
			lg.Topics = append(lg.Topics, crypto.Keccak256Hash([]byte(s)))
			continue
		}
		enc, err := abi.Arguments{{Type: a.Type}}.Pack(vals[i])
		if err != nil {
			t.Fatal(err)
		}
		lg.Topics = append(lg.Topics, common.BytesToHash(enc))
	}
	var err error
	if lg.Data, err = ev.Inputs.NonIndexed().Pack(data...); err != nil {
		t.Fatal(err)
	}
	return lg
}

func decodeOne(t *testing.T, tb *eventTable, lg *chainrpc.Log) (chaintest.Row, error) {
	t.Helper()
	s := &datasets.Schema{Columns: tb.Columns()}
	as, err := s.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer rb.Release()
	if err := tb.Append(rb.Fields(), lg); err != nil {
		for i, f := range rb.Fields() {
			if f.Len() != 0 {
				t.Errorf("column %d got a value from a rejected log", i)
			}
		}
		return nil, err
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return chaintest.RecordRows(s, rec)[0], nil
}

func TestDecodeValues(t *testing.T) {
	ev, err := ParseEvent("event E(int8 indexed a, uint16 b, int64 c, int256 d, bytes3 e, bool f, string g, bytes h, (address to, uint256 v)[] pays, address indexed who, string indexed tag)")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := newEventTable(ev)
	if err != nil {
		t.Fatal(err)
	}
	who := common.HexToAddress("0x00000000000000000000000000000000000000Ab")
	type pay struct {
		To common.Address
		V  *big.Int
	}
	lg := logOf(t, ev, int8(-3), uint16(65535), int64(-1<<40), big.NewInt(-7), [3]byte{1, 2, 3}, true, "héllo", []byte{9, 8},
		[]pay{{who, big.NewInt(5)}}, who, "topic")
	row, err := decodeOne(t, tb, lg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a": int64(-3), "b": uint64(65535), "c": int64(-1 << 40), "d": "-7", "e": "0x010203", "f": true, "g": "héllo", "h": "0x0908",
		"pays": `[["` + who.Hex() + `","5"]]`, "who": chaintest.Hex(who[:]),
		"tag": crypto.Keccak256Hash([]byte("topic")).Hex(),
	}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %#v, want %#v", k, row[k], v)
		}
	}

	bad := func(mod func(lg *chainrpc.Log)) error {
		c := *lg
		c.Topics = append([]common.Hash(nil), lg.Topics...)
		c.Data = append([]byte(nil), lg.Data...)
		mod(&c)
		_, err := decodeOne(t, tb, &c)
		return err
	}
	for name, mod := range map[string]func(*chainrpc.Log){
		"uint16 out of range":   func(lg *chainrpc.Log) { lg.Data[29] = 1 },
		"bool 2":                func(lg *chainrpc.Log) { lg.Data[5*32+31] = 2 },
		"bytes3 padding":        func(lg *chainrpc.Log) { lg.Data[4*32+3] = 1 },
		"dirty address topic":   func(lg *chainrpc.Log) { lg.Topics[2][0] = 1 },
		"int8 topic range":      func(lg *chainrpc.Log) { lg.Topics[1][30] = 0 },
		"short data":            func(lg *chainrpc.Log) { lg.Data = lg.Data[:100] },
		"string offset outside": func(lg *chainrpc.Log) { lg.Data[6*32+30] = 0x7f },
		"topic count":           func(lg *chainrpc.Log) { lg.Topics = lg.Topics[:3] },
	} {
		if err := bad(mod); err == nil || err == chainrpc.ErrSkip {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
	other := *lg
	other.Topics = []common.Hash{{1}, lg.Topics[1], lg.Topics[2], lg.Topics[3]}
	if _, err := decodeOne(t, tb, &other); err != chainrpc.ErrSkip {
		t.Errorf("another event: %v, want ErrSkip", err)
	}
}
