package redact

import (
	"strings"
	"testing"
)

func TestEndpointAndAddEndpoint(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		secrets   []string
	}{
		{"https://mainnet.infura.io/v3/KEY0123", "https://mainnet.infura.io", []string{"KEY0123"}},
		{"https://eth-mainnet.g.alchemy.com/v2/PATHKEY9", "https://eth-mainnet.g.alchemy.com", []string{"PATHKEY9"}},
		{"http://rpcuser:Passw0rdXYZ@127.0.0.1:8545/rpc/SECRET123?apikey=QUERYKEY1", "http://127.0.0.1:8545", []string{"rpcuser", "Passw0rdXYZ", "SECRET123", "QUERYKEY1"}},
	} {
		if got := Endpoint(tc.raw); got != tc.want {
			t.Errorf("Endpoint(%s) = %s, want %s", tc.raw, got, tc.want)
		}
		r := New()
		r.AddEndpoint(tc.raw)
		msg := r.String(`Post "` + tc.raw + `": refused; the node said ` + strings.Join(tc.secrets, " "))
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %s does not name %s", tc.raw, msg, tc.want)
		}
		for _, s := range tc.secrets {
			if strings.Contains(msg, s) {
				t.Errorf("%s: %q still in %s", tc.raw, s, msg)
			}
		}
	}
	if got := DropURLs("reading http://a:b@host:1/x failed; see https://h/y."); strings.Contains(got, "://") {
		t.Errorf("DropURLs left a URL: %s", got)
	}
}
