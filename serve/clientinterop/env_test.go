package clientinterop

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

// world is the server and chain the clients are tested against.
type world struct {
	url      string // the honest server
	rpc      string
	registry string
	eas      string // the EAS contract (see attestOnEAS)
	stewards string // the registry's stewards, comma-separated
	safe     *safeWorld
}

// startWorld attests votes@1 (rows 0-299) and votes@2 (0-499, an append)
// 2-of-3 on a registry on anvil, then revokes votes@2 on-chain; votes@3
// (0-599) is only sealed but marked attested in the catalog. The server
// follows no chain, so it serves all three: a client must find votes@2
// revoked and votes@3 unattested itself; attestOnEAS adds versions
// attested on EAS, on-chain and off-chain, two of them revoked there;
// attestWithSafe adds safevotes@1, attested by a key and a Safe on a
// second registry. Under /tamper/MODE/ the same
// server's answers are rewritten (see tamper).
func startWorld(t *testing.T) *world {
	env := attesttest.StartEnv(t, 3, 2)
	st := servetest.OpenStore(t, t.TempDir())
	m1 := servetest.Seal(t, st, "votes", 0, 300)
	servetest.Attest(t, env, st, m1)
	m2 := servetest.Seal(t, st, "votes", 300, 500)
	servetest.Attest(t, env, st, m2)
	servetest.Revoke(t, env, m2, "test: revoked on-chain")
	m3 := servetest.Seal(t, st, "votes", 500, 600)
	servetest.MarkAttested(t, st, m3)
	attestOnEAS(t, env, st)
	safe := attestWithSafe(t, env, st)
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(),
		Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 100000, Burst: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	mux := http.NewServeMux()
	mux.Handle("/tamper/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tamper(h, w, r) }))
	mux.Handle("/", h)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	var stewards []string
	for _, a := range env.StewardAddrs() {
		stewards = append(stewards, a.Hex())
	}
	return &world{url: hs.URL, rpc: env.Chain.RPCURL(), registry: env.Registry.Hex(), eas: env.EAS.EAS.Hex(), stewards: strings.Join(stewards, ","), safe: safe}
}

// tamper serves /tamper/MODE/rest as the server serves /rest, then rewrites
// the body by MODE:
//
//	flip-segment  the last byte of every segment file is flipped
//	flip-data     a byte in the middle of a data body (the Arrow stream) is flipped
//	flip-jsonl    the first digit "1" of a JSONL body becomes "2"
//	wrong-root    a row's proof root is replaced by another hash
//	wrong-value   a row's first "0x" value gets its first hex digit changed
//	wrong-index   a row document claims another index (a "1" put before it)
func tamper(h http.Handler, w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/tamper/"), "/", 2)
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	mode := parts[0]
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + parts[1]
	r2.RequestURI = ""
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r2)
	body := rec.Body.Bytes()
	switch {
	case mode == "flip-segment" && strings.Contains(r2.URL.Path, "/segments/") && len(body) > 0:
		body[len(body)-1] ^= 1
	case mode == "flip-data" && strings.HasSuffix(r2.URL.Path, "/data") && len(body) > 0:
		body[len(body)/2] ^= 0x10
	case mode == "flip-jsonl" && strings.HasSuffix(r2.URL.Path, "/data"):
		body = bytes.Replace(body, []byte("1"), []byte("2"), 1)
	case mode == "wrong-root":
		body = rootRE.ReplaceAll(body, []byte(`"root":"0x`+strings.Repeat("11", 32)+`"`))
	case mode == "wrong-value" && strings.Contains(r2.URL.Path, "/rows"):
		if i := bytes.Index(body, []byte(`"values":`)); i >= 0 {
			if j := bytes.Index(body[i:], []byte(`"0x`)); j >= 0 {
				k := i + j + 3
				body[k] = "10"[boolInt(body[k] == '0')]
			}
		}
	case mode == "wrong-index" && strings.Contains(r2.URL.Path, "/rows/"):
		body = bytes.Replace(body, []byte(`"index":`), []byte(`"index":1`), 1)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.Header().Del("Trailer")
	w.WriteHeader(rec.Code)
	w.Write(body)
}

var rootRE = regexp.MustCompile(`"root":"0x[0-9a-f]{64}"`)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
